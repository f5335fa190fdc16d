// Keeps one compose box checked: re-checks on every edit with at most one request in
// flight, and never paints an answer for text that has since changed.

import type { CheckRequest, CheckResponse, Finding } from '../shared/messages';
import type { Strictness } from '../shared/sites';
import { contentFault } from 'impartial-faults';
import { surfaceFor, type Surface } from './surfaces';

/**
 * A textarea's value changes without DOM mutations, so its edits are read on events. A
 * contenteditable is read when its DOM changes: editors such as Draft.js render a paste or
 * an insertion after the input event, so reading on events alone saw the old text until
 * the next key.
 */
const TEXTAREA_EVENTS = ['input', 'keyup', 'paste', 'cut', 'compositionend', 'focus'] as const;
const EDITABLE_EVENTS = ['compositionend', 'focus'] as const;

export class EditorChecker {
  readonly surface: Surface;
  /** What is shown now, after "ignore once" decisions. */
  findings: Finding[] = [];
  strictness: Strictness = 'standard';
  /** The text `findings` were computed for. */
  checkedText: string | undefined;
  /** Set after an internal failure: this editor stays unchecked, the page keeps working. */
  disabled = false;
  /** Called after every repaint (the badge listens). */
  onChange: () => void = () => {};

  private inFlight = false;
  private dirty = false;
  /** "Ignore once" decisions: rule + matched text, for this editor's lifetime. */
  private readonly ignored = new Set<string>();
  private readonly onEdit = () => this.edited();
  private readonly events: readonly string[];
  private readonly mutations: MutationObserver | undefined;
  /**
   * A contenteditable's text as last read, until its DOM changes: reading walks every text
   * node (about a millisecond for 5,000 characters in Draft.js), and one edit used to read
   * it three times (on the edit, before the request, after the answer).
   */
  private lastRead: string | undefined;

  constructor(readonly editor: HTMLElement) {
    this.surface = surfaceFor(editor);
    const textarea = editor instanceof HTMLTextAreaElement;
    this.events = textarea ? TEXTAREA_EVENTS : EDITABLE_EVENTS;
    for (const type of this.events) editor.addEventListener(type, this.onEdit, { passive: true });
    if (!textarea) {
      // One callback per batch of mutations (a microtask), however many nodes changed.
      this.mutations = new MutationObserver(() => {
        this.lastRead = undefined;
        this.edited();
      });
      this.mutations.observe(editor, { childList: true, subtree: true, characterData: true });
    }
    this.edited();
  }

  dispose(): void {
    for (const type of this.events) this.editor.removeEventListener(type, this.onEdit);
    this.mutations?.disconnect();
    this.surface.dispose();
  }

  /** True when `findings` describe the editor's text as it is now. */
  isCurrent(): boolean {
    return this.checkedText !== undefined && this.read() === this.checkedText;
  }

  /**
   * The editor's text now. For a contenteditable, the last read stands while no mutation
   * has happened since: `takeRecords` also sees changes whose observer callback has not
   * run yet (and, as it consumes them, an edit check is queued in its place).
   */
  private read(): string {
    if (!this.mutations) return this.surface.read();
    if (this.mutations.takeRecords().length > 0) {
      this.lastRead = undefined;
      queueMicrotask(this.onEdit);
    }
    this.lastRead ??= this.surface.read();
    return this.lastRead;
  }

  ignore(finding: Finding): void {
    this.ignored.add(ignoreKey(finding));
    this.show(this.checkedText ?? '', this.findings);
  }

  /** Checks again even if the text did not change (settings changed). */
  recheck(): void {
    this.checkedText = undefined;
    this.edited();
  }

  /** Stops checking this editor after an internal error, once, and clears its marks. */
  fail(error: unknown): void {
    if (this.disabled) return;
    this.disabled = true;
    this.findings = [];
    try {
      this.surface.paint('', []);
      this.onChange();
    } catch { /* already failing: leave the page alone */ }
    console.debug('Impartial: checking stopped on this editor:', error);
  }

  private edited(): void {
    if (this.disabled) return;
    try {
      this.surface.follow(this.read());
    } catch (error) {
      this.fail(error);
      return;
    }
    if (this.inFlight) {
      this.dirty = true;
      return;
    }
    void this.check();
  }

  private async check(): Promise<void> {
    this.dirty = false;
    const text = this.read();
    if (text === this.checkedText) return;
    this.inFlight = true;
    try {
      const response = await sendCheck(text);
      if (this.read() !== text) {
        this.dirty = true; // stale: the text moved on while we waited
      } else if (response.ok) {
        this.strictness = response.strictness;
        this.show(text, response.findings);
      } else {
        throw new Error(response.error);
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.inFlight = false;
    }
    if (this.dirty && !this.disabled) void this.check();
  }

  private show(text: string, findings: Finding[]): void {
    contentFault(text);
    this.checkedText = text;
    this.findings = findings.filter((f) => !this.ignored.has(ignoreKey(f)));
    this.surface.paint(text, this.findings);
    this.onChange();
  }
}

function ignoreKey(finding: Finding): string {
  return `${finding.rule}\u0000${finding.text.toLowerCase()}`;
}

/** A worker stopped mid-request drops the answer; it restarts for the next message. */
const RETRY_AFTER_MS = 50;

async function sendCheck(text: string): Promise<CheckResponse> {
  const request: CheckRequest = { kind: 'check', text };
  for (let attempt = 0; ; attempt++) {
    try {
      const response = (await chrome.runtime.sendMessage(request)) as CheckResponse | undefined;
      if (!response) throw new Error('no answer from the background');
      return response;
    } catch (error) {
      // Once: a second failure means the extension is really gone (updated or disabled).
      if (attempt >= 1) throw error;
      await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_MS));
    }
  }
}
