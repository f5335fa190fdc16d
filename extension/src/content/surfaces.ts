// A "surface" is how one kind of editor is read, marked, and selected. Contenteditable
// editors are marked with the Highlight API (or mark boxes where it is missing); a
// <textarea> is marked through a hidden mirror of its text.

import type { Finding } from '../shared/messages';
import { clearEditable, highlightsSupported, paintEditable } from './highlights';
import { innerBox, MarkLayer } from './marks';
import { readEditable, rangeFor, textOffset, type TextMap } from './text-map';
import { addStyle, uiElement } from './ui-root';

export interface Surface {
  readonly editor: HTMLElement;
  /** The editor's current text, as the engine should see it. */
  read(): string;
  /** Marks `findings`, whose offsets index `text` (what `read()` returned when checked). */
  paint(text: string, findings: Finding[]): void;
  /** Called on every edit before the engine answers: keep marks on their words. */
  follow(text: string): void;
  /** Viewport rects of a painted finding (empty when it is scrolled away or gone). */
  rects(finding: Finding): DOMRect[];
  /** Selects [start, end) of the text `read()` last returned; false when it cannot. */
  select(start: number, end: number): boolean;
  /** The caret's offset in the text `read()` last returned, when the caret is in the editor. */
  caret(): number | undefined;
  dispose(): void;
}

export function surfaceFor(editor: HTMLElement): Surface {
  return editor instanceof HTMLTextAreaElement ? new TextareaSurface(editor) : new EditableSurface(editor);
}

/** Contenteditable editors: live Ranges over the editor's own text nodes. */
class EditableSurface implements Surface {
  private map: TextMap | undefined;
  private ranges = new Map<Finding, Range>();
  // Where the Highlight API is missing, the same ranges are drawn as boxes.
  private readonly fallback = highlightsSupported() ? undefined : new MarkLayer();
  private readonly redraw = () => this.drawFallback();

  constructor(readonly editor: HTMLElement) {
    if (this.fallback) window.addEventListener('scroll', this.redraw, { passive: true, capture: true });
  }

  read(): string {
    this.map = readEditable(this.editor);
    return this.map.text;
  }

  paint(text: string, findings: Finding[]): void {
    const map = this.map && this.map.text === text ? this.map : readEditable(this.editor);
    this.ranges = new Map();
    for (const finding of findings) {
      const range = rangeFor(map, finding.start, finding.end);
      if (range) this.ranges.set(finding, range);
    }
    if (this.fallback) this.drawFallback();
    // The registry gets StaticRanges: live Ranges registered in a Highlight made Lexical lose a
    // Shift+Arrow selection step in Chromium (found by the soak test); we repaint on every
    // check, so nothing needs the registry's ranges to follow edits.
    else paintEditable(this.editor, [...this.ranges].map(([finding, range]) => ({ range: new StaticRange(range), severity: finding.severity })));
  }

  follow(): void {
    // Live Ranges move with the editor's own edits; nothing to do until the engine answers.
    if (this.fallback) this.drawFallback();
  }

  rects(finding: Finding): DOMRect[] {
    const range = this.ranges.get(finding);
    return range && !range.collapsed ? [...range.getClientRects()] : [];
  }

  select(start: number, end: number): boolean {
    const range = this.map && rangeFor(this.map, start, end);
    if (!range) return false;
    const selection = getSelection();
    if (!selection) return false;
    this.editor.focus({ preventScroll: true });
    selection.removeAllRanges();
    selection.addRange(range);
    return true;
  }

  caret(): number | undefined {
    const selection = getSelection();
    if (!this.map || !selection || selection.rangeCount === 0) return undefined;
    const { focusNode, focusOffset } = selection;
    if (!focusNode || !this.editor.contains(focusNode)) return undefined;
    return textOffset(this.map, focusNode, focusOffset);
  }

  dispose(): void {
    window.removeEventListener('scroll', this.redraw, { capture: true });
    this.fallback?.dispose();
    clearEditable(this.editor);
  }

  private drawFallback(): void {
    if (!this.fallback) return;
    this.fallback.clear();
    const clip = innerBox(this.editor);
    for (const [finding, range] of this.ranges) this.fallback.draw(range.getClientRects(), finding.severity, clip);
    this.fallback.finish();
  }
}

const COPIED_STYLES = [
  'boxSizing', 'width', 'height', 'paddingTop', 'paddingRight', 'paddingBottom', 'paddingLeft',
  'borderTopWidth', 'borderRightWidth', 'borderBottomWidth', 'borderLeftWidth', 'borderStyle',
  'fontFamily', 'fontSize', 'fontWeight', 'fontStyle', 'fontVariant', 'fontStretch', 'lineHeight',
  'letterSpacing', 'wordSpacing', 'textIndent', 'textTransform', 'textAlign', 'direction', 'tabSize',
] as const;

const MIRROR_CSS = `
.mirror { position: fixed; visibility: hidden; white-space: pre-wrap; overflow-wrap: break-word; overflow: hidden; border-color: transparent; margin: 0; }
.mirror > div { position: relative; }
`;

/** Right-to-left letters (Hebrew, Arabic and their presentation forms). */
const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;

/**
 * How much of `text` the mirror must lay out for marks ending by `lastEnd` to sit where the
 * field draws them: through the end of that word (a wrapped word moves whole), or of its
 * paragraph when it has right-to-left text (bidi order can depend on what follows). Text
 * after that cannot move them, and laying out a 1 MB paste on every key froze the page.
 */
export function mirrorExtent(text: string, lastEnd: number): number {
  let end = lastEnd;
  while (end < text.length && !/\s/.test(text[end])) end++;
  const lineEnd = text.indexOf('\n', lastEnd);
  const paragraphEnd = lineEnd < 0 ? text.length : lineEnd;
  return RTL.test(text.slice(Math.max(0, text.lastIndexOf('\n', lastEnd) + 1), paragraphEnd)) ? paragraphEnd : end;
}

/** <textarea>: its text laid out again in a hidden mirror with the field's own metrics. */
class TextareaSurface implements Surface {
  private readonly marks = new MarkLayer();
  private readonly mirror: HTMLDivElement;
  /** The mirror's one text node, updated in place (see MarkLayer on why nodes stay). */
  private readonly mirrorText = document.createTextNode('');
  private readonly mirrorContent = document.createElement('div');
  private findings: Finding[] = [];
  private text = '';
  private readonly resize = new ResizeObserver(() => this.draw());
  private readonly redraw = () => this.draw();

  constructor(readonly editor: HTMLTextAreaElement) {
    addStyle('mirror', MIRROR_CSS);
    this.mirror = uiElement('div', 'mirror');
    // Scrolled by offsetting this inner block, since the mirror may hold less text than the
    // field and could not scroll as far.
    this.mirror.append(this.mirrorContent);
    this.mirrorContent.append(this.mirrorText);
    this.resize.observe(editor);
    editor.addEventListener('scroll', this.redraw, { passive: true });
    window.addEventListener('scroll', this.redraw, { passive: true, capture: true });
    window.addEventListener('resize', this.redraw, { passive: true });
  }

  read(): string {
    return this.editor.value;
  }

  paint(text: string, findings: Finding[]): void {
    this.text = text;
    this.findings = findings;
    this.draw();
  }

  /**
   * Spans after the edit shift with it; spans the edit touches are dropped until the engine
   * answers, so a mark never sits on text it was not computed for.
   */
  follow(newText: string): void {
    const edit = changedRegion(this.text, newText);
    if (!edit) return;
    const delta = newText.length - this.text.length;
    this.findings = this.findings
      .filter((f) => f.end <= edit.start || f.start >= edit.oldEnd)
      .map((f) => (f.start >= edit.oldEnd ? { ...f, start: f.start + delta, end: f.end + delta } : f));
    this.text = newText;
    this.draw();
  }

  rects(finding: Finding): DOMRect[] {
    const node = this.layout();
    if (finding.end > node.data.length) return [];
    const range = document.createRange();
    range.setStart(node, finding.start);
    range.setEnd(node, finding.end);
    const clip = innerBox(this.editor);
    return [...range.getClientRects()].filter((r) => r.right > clip.left && r.left < clip.right && r.bottom > clip.top && r.top < clip.bottom);
  }

  select(start: number, end: number): boolean {
    if (end > this.editor.value.length) return false;
    this.editor.focus({ preventScroll: true });
    this.editor.setSelectionRange(start, end);
    return true;
  }

  caret(): number | undefined {
    return document.activeElement === this.editor ? this.editor.selectionEnd : undefined;
  }

  dispose(): void {
    this.resize.disconnect();
    this.editor.removeEventListener('scroll', this.redraw);
    window.removeEventListener('scroll', this.redraw, { capture: true });
    window.removeEventListener('resize', this.redraw);
    this.marks.dispose();
    this.mirror.remove();
  }

  /** Lays the mirror over the field as it is now; returns its text node. */
  private layout(): Text {
    const box = this.editor.getBoundingClientRect();
    const computed = getComputedStyle(this.editor);
    const style = this.mirror.style;
    for (const key of COPIED_STYLES) style[key] = computed[key];
    style.left = `${box.left}px`;
    style.top = `${box.top}px`;
    // The field's scrollbar narrows its text; the mirror has none.
    const scrollbar = this.editor.offsetWidth - this.editor.clientWidth - parseFloat(computed.borderLeftWidth) - parseFloat(computed.borderRightWidth);
    if (scrollbar > 0) style.paddingRight = `${parseFloat(computed.paddingRight) + scrollbar}px`;
    const lastEnd = this.findings.reduce((max, f) => Math.max(max, f.end), 0);
    const extent = mirrorExtent(this.text, lastEnd);
    // Unchanged text is not set again, so typing after the last mark lays nothing out.
    if (this.mirrorText.length !== extent || !this.text.startsWith(this.mirrorText.data)) {
      this.mirrorText.data = this.text.slice(0, extent);
    }
    this.mirrorContent.style.top = `${-this.editor.scrollTop}px`;
    this.mirrorContent.style.left = `${-this.editor.scrollLeft}px`;
    return this.mirrorText;
  }

  private draw(): void {
    this.marks.clear();
    if (this.findings.length > 0 && this.editor.isConnected) {
      const node = this.layout();
      const clip = innerBox(this.editor);
      const range = document.createRange();
      for (const finding of this.findings) {
        if (finding.end > node.data.length) continue;
        range.setStart(node, finding.start);
        range.setEnd(node, finding.end);
        this.marks.draw(range.getClientRects(), finding.severity, clip);
      }
    }
    this.marks.finish();
  }
}

/** The one contiguous edit turning `before` into `after`, by common prefix and suffix. */
export function changedRegion(before: string, after: string): { start: number; oldEnd: number } | undefined {
  if (before === after) return undefined;
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let suffix = 0;
  while (
    suffix < shorter - start &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) suffix++;
  return { start, oldEnd: before.length - suffix };
}
