// Underlines for contenteditable editors, drawn with the CSS Custom Highlight API: the
// browser paints ranges we register, so no node is ever inserted into the editor.
// One Highlight per severity is shared by every editor on the page.

import type { Severity } from '../shared/messages';

const SEVERITIES: Severity[] = ['low', 'medium', 'high'];
export const HIGHLIGHT_NAME: Record<Severity, string> = {
  low: 'impartial-low',
  medium: 'impartial-medium',
  high: 'impartial-high',
};

// Style differs by severity in shape as well as colour (solid, wavy, dotted), and the tint
// keeps the mark visible on dark themes.
const HIGHLIGHT_CSS = `
::highlight(impartial-high) { background-color: rgba(220, 38, 38, 0.16); text-decoration: underline solid 2px rgb(220, 38, 38); text-underline-offset: 3px; }
::highlight(impartial-medium) { background-color: rgba(217, 119, 6, 0.16); text-decoration: underline wavy 1.5px rgb(217, 119, 6); text-underline-offset: 3px; }
::highlight(impartial-low) { text-decoration: underline dotted 2px rgb(71, 110, 160); text-underline-offset: 3px; }
`;

/**
 * Set per browser at build time (extension/build.mjs): whether this browser paints a
 * highlight's `text-decoration`. Firefox ESR 140 paints only the background tint, which
 * alone is neither the underline users expect nor distinct by shape for each severity.
 */
declare const HIGHLIGHTS_DRAW_UNDERLINES: boolean;

/** Whether underlines can be drawn with the Highlight API here (else as boxes: marks.ts). */
export function highlightsSupported(): boolean {
  return HIGHLIGHTS_DRAW_UNDERLINES && typeof CSS !== 'undefined' && 'highlights' in CSS && typeof Highlight === 'function';
}

const rangesByEditor = new Map<Element, Map<Severity, AbstractRange[]>>();
let styleInstalled = false;

function installStyle(): void {
  if (styleInstalled) return;
  styleInstalled = true;
  const style = document.createElement('style');
  style.textContent = HIGHLIGHT_CSS;
  (document.head ?? document.documentElement).append(style);
}

/** Replaces `editor`'s underlines with `marks`. */
export function paintEditable(editor: Element, marks: { range: AbstractRange; severity: Severity }[]): void {
  installStyle();
  const bySeverity = new Map<Severity, AbstractRange[]>();
  for (const { range, severity } of marks) {
    const list = bySeverity.get(severity) ?? [];
    list.push(range);
    bySeverity.set(severity, list);
  }
  rangesByEditor.set(editor, bySeverity);
  publish();
}

export function clearEditable(editor: Element): void {
  if (rangesByEditor.delete(editor)) publish();
}

function publish(): void {
  for (const severity of SEVERITIES) {
    const ranges: AbstractRange[] = [];
    for (const bySeverity of rangesByEditor.values()) ranges.push(...(bySeverity.get(severity) ?? []));
    const name = HIGHLIGHT_NAME[severity];
    if (ranges.length === 0) CSS.highlights.delete(name);
    else CSS.highlights.set(name, new Highlight(...ranges));
  }
}
