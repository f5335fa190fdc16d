// Keeps one compose box checked: re-checks on every edit with at most one request in
// flight, and never paints an answer for text that has since changed.

import type { CheckRequest, CheckResponse, Finding } from '../shared/messages';
import { clearEditable, paintEditable } from './highlights';
import { TextareaOverlay } from './overlay';
import { readEditable, type TextMap } from './text-map';

const EDIT_EVENTS = ['input', 'keyup', 'paste', 'cut', 'compositionend', 'focus'] as const;

export class EditorChecker {
  private inFlight = false;
  private dirty = false;
  private lastCheckedText: string | undefined;
  private readonly overlay: TextareaOverlay | undefined;
  private readonly onEdit = () => this.edited();
  /** Set after an internal failure: this editor stays unchecked, the page keeps working. */
  private disabled = false;

  constructor(readonly editor: HTMLElement) {
    this.overlay = editor instanceof HTMLTextAreaElement ? new TextareaOverlay(editor) : undefined;
    for (const type of EDIT_EVENTS) editor.addEventListener(type, this.onEdit, { passive: true });
    this.edited();
  }

  dispose(): void {
    for (const type of EDIT_EVENTS) this.editor.removeEventListener(type, this.onEdit);
    this.overlay?.dispose();
    clearEditable(this.editor);
  }

  private read(): { text: string; map?: TextMap } {
    if (this.editor instanceof HTMLTextAreaElement) return { text: this.editor.value };
    const map = readEditable(this.editor);
    return { text: map.text, map };
  }

  private edited(): void {
    if (this.disabled) return;
    if (this.overlay && this.editor instanceof HTMLTextAreaElement) this.overlay.follow(this.editor.value);
    if (this.inFlight) {
      this.dirty = true;
      return;
    }
    void this.check();
  }

  private async check(): Promise<void> {
    const { text } = this.read();
    if (text === this.lastCheckedText) return;
    this.inFlight = true;
    this.dirty = false;
    try {
      const response = await sendCheck(text);
      const now = this.read();
      if (now.text !== text) {
        this.dirty = true; // stale: the text moved on while we waited
      } else if (response.ok) {
        this.lastCheckedText = text;
        this.paint(now, response.findings);
      }
    } catch (error) {
      // The engine or the extension went away (e.g. an update): stop quietly on this editor.
      this.disabled = true;
      console.debug('Impartial: checking stopped on this editor:', error);
    } finally {
      this.inFlight = false;
    }
    if (this.dirty && !this.disabled) void this.check();
  }

  private paint(now: { text: string; map?: TextMap }, findings: Finding[]): void {
    if (this.overlay) this.overlay.paint(now.text, findings);
    else if (now.map) paintEditable(this.editor, now.map, findings);
  }
}

async function sendCheck(text: string): Promise<CheckResponse> {
  const request: CheckRequest = { kind: 'check', text };
  const response = (await chrome.runtime.sendMessage(request)) as CheckResponse | undefined;
  if (!response) throw new Error('no answer from the background');
  return response;
}
