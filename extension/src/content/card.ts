// The explanation card: what was found, why it matters, the guidance it rests on, and what
// the user can do. It lives in the top layer (popover) inside the closed UI root, so the
// page can neither read it nor cover it, and it gives the caret back when it closes.

import type { ActionResponse, CardAction, Finding } from '../shared/messages';
import { applySuggestion } from './apply';
import { saveCaret } from './caret';
import type { EditorChecker } from './checker';
import { CATEGORY_LABEL, SEVERITY_LABEL } from './labels';
import { pageIsDark } from './theme';
import { addStyle, uiElement } from './ui-root';

const CARD_CSS = `
.card { position: fixed; margin: 0; inset: auto; box-sizing: border-box; width: min(360px, calc(100vw - 16px));
  padding: 14px 16px; border: 1px solid #d0d5dd; border-radius: 10px; background: #fff; color: #1d2330;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; box-shadow: 0 8px 28px rgba(0,0,0,.18);
  pointer-events: auto; }
.card.dark { background: #1f2430; color: #e8eaf0; border-color: #3a4150; }
.card header { display: flex; align-items: center; gap: 8px; margin-bottom: 6px; }
.card .chip { font-size: 12px; font-weight: 600; padding: 2px 8px; border-radius: 999px; background: #eef1f6; }
.card.dark .chip { background: #2d3442; }
.card .severity { font-size: 12px; }
.card .severity::before { content: ""; display: inline-block; width: 14px; margin-right: 4px; vertical-align: middle; border-bottom: 2px solid; }
.card .severity.high { color: #b91c1c; } .card.dark .severity.high { color: #f87171; }
.card .severity.medium { color: #a16207; } .card.dark .severity.medium { color: #fbbf24; }
.card .severity.medium::before { border-bottom-style: dashed; }
.card .severity.low { color: #476ea0; } .card.dark .severity.low { color: #93b4e0; }
.card .severity.low::before { border-bottom-style: dotted; }
.card .close { margin-left: auto; border: 0; background: none; color: inherit; font-size: 18px; line-height: 1; cursor: pointer; padding: 2px 6px; border-radius: 4px; }
.card .message { font-weight: 600; margin: 4px 0; }
.card .why { margin: 6px 0; }
.card .source { font-size: 12px; opacity: .85; margin: 6px 0 10px; }
.card a { color: #1d4ed8; } .card.dark a { color: #93c5fd; }
.card .actions { display: flex; flex-wrap: wrap; gap: 6px; }
.card button.action { font: inherit; font-size: 13px; padding: 5px 10px; border-radius: 6px; border: 1px solid #c5ccd8; background: #f7f8fa; color: inherit; cursor: pointer; }
.card.dark button.action { background: #2a303c; border-color: #465063; }
.card button.action.primary { background: #1d4ed8; border-color: #1d4ed8; color: #fff; }
.card button:focus-visible, .card a:focus-visible { outline: 2px solid #2563eb; outline-offset: 2px; }
.card .status { font-size: 12px; margin: 8px 0 0; }
.card .status:empty { display: none; }
`;

/** How the user opened the card: by keyboard it takes focus, by mouse it leaves the caret. */
export type OpenedBy = 'keyboard' | 'pointer';

export class Card {
  private readonly element: HTMLDivElement;
  private finding: Finding | undefined;
  private savedCaret: (() => void) | undefined;

  constructor() {
    addStyle('card', CARD_CSS);
    this.element = uiElement('div', 'card');
    this.element.setAttribute('popover', 'manual');
    this.element.setAttribute('role', 'dialog');
    this.element.setAttribute('aria-label', 'Impartial');
    this.element.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        event.preventDefault();
        this.close();
      }
    });
  }

  get isOpen(): boolean {
    return this.finding !== undefined;
  }

  /** The finding the card shows, if any. */
  get shown(): Finding | undefined {
    return this.finding;
  }

  /** True when keyboard focus is inside the card (focus in a closed shadow root shows as its host). */
  hasFocus(): boolean {
    return this.element.matches(':focus-within');
  }

  contains(node: EventTarget | null): boolean {
    return node === this.element || (node instanceof Node && this.element.contains(node));
  }

  open(checker: EditorChecker, finding: Finding, openedBy: OpenedBy): void {
    this.finding = finding;
    this.savedCaret = openedBy === 'keyboard' ? saveCaret(checker.editor) : undefined;
    this.render(checker, finding);
    this.element.classList.toggle('dark', pageIsDark(checker.editor));
    if (!this.element.matches(':popover-open')) this.element.showPopover();
    this.place(checker.surface.rects(finding)[0] ?? checker.editor.getBoundingClientRect());
    if (openedBy === 'keyboard') this.element.querySelector<HTMLElement>('button.action')?.focus();
  }

  /** The same finding (rule, span, text) from a newer check: nothing to redraw. */
  retarget(finding: Finding): void {
    if (this.finding) this.finding = finding;
  }

  close(): void {
    if (!this.finding) return;
    this.finding = undefined;
    if (this.element.matches(':popover-open')) this.element.hidePopover();
    const restore = this.savedCaret;
    this.savedCaret = undefined;
    restore?.();
  }

  private render(checker: EditorChecker, finding: Finding): void {
    const e = (tag: string, className = '', text = '') => {
      const node = document.createElement(tag);
      if (className) node.className = className;
      if (text) node.textContent = text;
      return node;
    };
    const header = e('header');
    header.append(e('span', 'chip', CATEGORY_LABEL[finding.category]), e('span', `severity ${finding.severity}`, SEVERITY_LABEL[finding.severity]));
    const close = e('button', 'close', '×');
    close.setAttribute('aria-label', 'Close');
    close.addEventListener('click', () => this.close());
    header.append(close);

    const message = e('p', 'message', finding.message);
    message.id = 'impartial-card-message';
    this.element.setAttribute('aria-describedby', message.id);
    const why = e('p', 'why', finding.explanation);
    const source = e('p', 'source', 'Source: ');
    const link = e('a', '', finding.source.title) as HTMLAnchorElement;
    link.href = finding.source.url;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    source.append(link, document.createTextNode(finding.source.section ? `, ${finding.source.section}` : ''));

    const status = e('p', 'status');
    status.setAttribute('role', 'status');
    const actions = e('div', 'actions');
    const button = (label: string, run: () => Promise<string | void> | void, primary = false) => {
      const b = e('button', primary ? 'action primary' : 'action', label) as HTMLButtonElement;
      b.type = 'button';
      b.addEventListener('click', async () => {
        try {
          const problem = await run();
          if (problem) status.textContent = problem;
        } catch (error) {
          status.textContent = `That did not work: ${String(error)}`;
        }
      });
      actions.append(b);
    };
    for (const suggestion of finding.suggestions) {
      const label = suggestion.label || (suggestion.replacement ? `Replace with “${suggestion.replacement}”` : 'Remove');
      button(label, async () => {
        this.savedCaret = undefined; // applying puts the caret after the new text on purpose
        this.close();
        await applySuggestion(checker, finding, suggestion.replacement);
      }, true);
    }
    button('Ignore once', () => {
      checker.ignore(finding);
      this.close();
    });
    button(`Always allow “${finding.text}”`, () => this.act({ kind: 'allow-phrase', phrase: finding.text }));
    button('Turn off this rule', () => this.act({ kind: 'disable-rule', rule: finding.rule }));
    if (checker.strictness !== 'off' && checker.strictness !== 'relaxed') {
      button('Relax this site', () => this.act({ kind: 'relax-site' }));
    }
    this.element.replaceChildren(header, message, why, source, actions, status);
  }

  /** Sends a settings decision to the background; the change comes back as a re-check. */
  private async act(action: CardAction): Promise<string | void> {
    const response = (await chrome.runtime.sendMessage(action)) as ActionResponse | undefined;
    if (!response?.ok) return `Could not save that: ${response?.error ?? 'no answer'}`;
    this.close();
  }

  private place(anchor: DOMRect): void {
    const width = this.element.offsetWidth;
    const height = this.element.offsetHeight;
    const below = anchor.bottom + 6;
    const top = below + height <= innerHeight - 8 ? below : Math.max(8, anchor.top - 6 - height);
    const left = Math.min(Math.max(8, anchor.left), innerWidth - width - 8);
    this.element.style.left = `${left}px`;
    this.element.style.top = `${top}px`;
  }
}
