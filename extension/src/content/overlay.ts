// Underlines for <textarea>: a mirror of the field's text laid out with the field's own
// metrics inside a closed shadow root on <html>, outside the page's editor, measured with a
// Range and drawn as fixed boxes. Nothing is inserted near the field itself.

import type { Finding, Severity } from '../shared/messages';

const COPIED_STYLES = [
  'boxSizing', 'width', 'height', 'paddingTop', 'paddingRight', 'paddingBottom', 'paddingLeft',
  'borderTopWidth', 'borderRightWidth', 'borderBottomWidth', 'borderLeftWidth', 'borderStyle',
  'fontFamily', 'fontSize', 'fontWeight', 'fontStyle', 'fontVariant', 'fontStretch', 'lineHeight',
  'letterSpacing', 'wordSpacing', 'textIndent', 'textTransform', 'textAlign', 'direction', 'tabSize',
] as const;

const OVERLAY_CSS = `
:host { all: initial; }
.mirror { position: fixed; visibility: hidden; white-space: pre-wrap; overflow-wrap: break-word; overflow: hidden; border-color: transparent; margin: 0; }
.mark { position: fixed; pointer-events: none; border-radius: 1px; }
.mark.high { background: rgba(220, 38, 38, 0.16); border-bottom: 2px solid rgb(220, 38, 38); }
.mark.medium { background: rgba(217, 119, 6, 0.16); border-bottom: 2px dashed rgb(217, 119, 6); }
.mark.low { border-bottom: 2px dotted rgb(71, 110, 160); }
`;

let shadow: ShadowRoot | undefined;

function overlayRoot(): ShadowRoot {
  if (shadow) return shadow;
  const host = document.createElement('div');
  host.style.cssText = 'position: fixed; inset: 0 auto auto 0; width: 0; height: 0; z-index: 2147483646; pointer-events: none;';
  shadow = host.attachShadow({ mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = OVERLAY_CSS;
  shadow.append(style);
  document.documentElement.append(host);
  return shadow;
}

/** The underlines of one textarea. */
export class TextareaOverlay {
  private readonly layer: HTMLDivElement;
  private readonly mirror: HTMLDivElement;
  private findings: Finding[] = [];
  private text = '';
  private readonly resize = new ResizeObserver(() => this.draw());
  private readonly redraw = () => this.draw();

  constructor(private readonly field: HTMLTextAreaElement) {
    const root = overlayRoot();
    this.layer = document.createElement('div');
    this.mirror = document.createElement('div');
    this.mirror.className = 'mirror';
    this.layer.append(this.mirror);
    root.append(this.layer);
    this.resize.observe(field);
    field.addEventListener('scroll', this.redraw, { passive: true });
    window.addEventListener('scroll', this.redraw, { passive: true, capture: true });
    window.addEventListener('resize', this.redraw, { passive: true });
  }

  /** Shows `findings`, whose offsets index `text` (the field's value when checked). */
  paint(text: string, findings: Finding[]): void {
    this.text = text;
    this.findings = findings;
    this.draw();
  }

  /**
   * Keeps marks on their words while a newer check is in flight: spans after the edit
   * shift with it, spans the edit touches are dropped until the engine answers.
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

  dispose(): void {
    this.resize.disconnect();
    this.field.removeEventListener('scroll', this.redraw);
    window.removeEventListener('scroll', this.redraw, { capture: true });
    window.removeEventListener('resize', this.redraw);
    this.layer.remove();
  }

  private draw(): void {
    for (const mark of this.layer.querySelectorAll('.mark')) mark.remove();
    if (this.findings.length === 0 || !this.field.isConnected) return;
    const box = this.field.getBoundingClientRect();
    const computed = getComputedStyle(this.field);
    const style = this.mirror.style;
    for (const key of COPIED_STYLES) style[key] = computed[key];
    style.left = `${box.left}px`;
    style.top = `${box.top}px`;
    this.mirror.textContent = this.text;
    this.mirror.scrollTop = this.field.scrollTop;
    this.mirror.scrollLeft = this.field.scrollLeft;
    const node = this.mirror.firstChild;
    if (!(node instanceof Text)) return;
    // Marks are clipped to the field's padding box, so scrolled-away words show nothing.
    const clip = {
      left: box.left + parseFloat(computed.borderLeftWidth),
      top: box.top + parseFloat(computed.borderTopWidth),
      right: box.right - parseFloat(computed.borderRightWidth),
      bottom: box.bottom - parseFloat(computed.borderBottomWidth),
    };
    const range = document.createRange();
    for (const finding of this.findings) {
      if (finding.end > node.data.length) continue;
      range.setStart(node, finding.start);
      range.setEnd(node, finding.end);
      for (const rect of range.getClientRects()) this.mark(rect, clip, finding.severity);
    }
  }

  private mark(rect: DOMRect, clip: { left: number; top: number; right: number; bottom: number }, severity: Severity): void {
    const left = Math.max(rect.left, clip.left);
    const right = Math.min(rect.right, clip.right);
    const top = Math.max(rect.top, clip.top);
    const bottom = Math.min(rect.bottom, clip.bottom);
    if (right <= left || bottom <= top) return;
    const mark = document.createElement('div');
    mark.className = `mark ${severity}`;
    mark.style.cssText = `left:${left}px;top:${top}px;width:${right - left}px;height:${bottom - top}px`;
    this.layer.append(mark);
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
