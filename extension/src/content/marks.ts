// Underline boxes drawn from client rects, for editors the Highlight API cannot mark
// (<textarea>, or browsers without CSS.highlights).

import type { Severity } from '../shared/messages';
import { addStyle, uiElement } from './ui-root';

const MARK_CSS = `
.marks { position: fixed; inset: 0; pointer-events: none; }
.mark { position: fixed; pointer-events: none; border-radius: 1px; }
.mark.high { background: rgba(220, 38, 38, 0.16); border-bottom: 2px solid rgb(220, 38, 38); }
.mark.medium { background: rgba(217, 119, 6, 0.16); border-bottom: 2px dashed rgb(217, 119, 6); }
.mark.low { border-bottom: 2px dotted rgb(71, 110, 160); }
`;

export interface Clip { left: number; top: number; right: number; bottom: number }

/**
 * Mark boxes are pooled and hidden, never removed: Chromium closes the user's open undo group
 * ("typing") whenever a node is removed from the document, so removing marks while someone
 * types would change what Ctrl+Z undoes in the page's editor (found by the soak test).
 */
export class MarkLayer {
  private readonly layer: HTMLDivElement;
  private readonly pool: HTMLDivElement[] = [];
  private used = 0;

  constructor() {
    addStyle('marks', MARK_CSS);
    this.layer = uiElement('div', 'marks');
  }

  /** Starts a new frame of marks; call `draw` for each, then `finish`. */
  clear(): void {
    this.used = 0;
  }

  /** Draws one mark per rect, clipped to `clip` (the editor's visible box). */
  draw(rects: Iterable<DOMRect>, severity: Severity, clip: Clip): void {
    for (const rect of rects) {
      const left = Math.max(rect.left, clip.left);
      const right = Math.min(rect.right, clip.right);
      const top = Math.max(rect.top, clip.top);
      const bottom = Math.min(rect.bottom, clip.bottom);
      if (right <= left || bottom <= top) continue;
      const mark = this.pool[this.used] ?? this.grow();
      this.used++;
      mark.className = `mark ${severity}`;
      mark.style.cssText = `left:${left}px;top:${top}px;width:${right - left}px;height:${bottom - top}px`;
    }
  }

  /** Hides the marks this frame did not use. */
  finish(): void {
    for (let i = this.used; i < this.pool.length; i++) this.pool[i].style.display = 'none';
  }

  private grow(): HTMLDivElement {
    const mark = document.createElement('div');
    this.layer.append(mark);
    this.pool.push(mark);
    return mark;
  }

  dispose(): void {
    this.layer.remove();
  }
}

/** The padding box of `element` in viewport coordinates. */
export function innerBox(element: Element): Clip {
  const box = element.getBoundingClientRect();
  const style = getComputedStyle(element);
  return {
    left: box.left + parseFloat(style.borderLeftWidth),
    top: box.top + parseFloat(style.borderTopWidth),
    right: box.right - parseFloat(style.borderRightWidth),
    bottom: box.bottom - parseFloat(style.borderBottomWidth),
  };
}
