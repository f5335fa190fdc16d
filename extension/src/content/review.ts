// Review before posting: on Strict sites, and anywhere a high-risk finding remains, the
// site's post button (or its Ctrl/Cmd+Enter shortcut) first shows what remains, with "Edit"
// as the default and "Post anyway", which lets the original action through exactly once.
// Any failure in here lets the post through: the extension must never block posting.

import type { Finding } from '../shared/messages';
import { saveCaret } from './caret';
import type { EditorChecker } from './checker';
import { CATEGORY_LABEL, SEVERITY_LABEL } from './labels';
import { pageIsDark } from './theme';
import { addStyle, uiElement } from './ui-root';

const REVIEW_CSS = `
dialog.review { box-sizing: border-box; width: min(440px, calc(100vw - 24px)); padding: 18px 20px; border: 1px solid #d0d5dd;
  border-radius: 12px; background: #fff; color: #1d2330; pointer-events: auto;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; box-shadow: 0 12px 40px rgba(0,0,0,.25); }
dialog.review.dark { background: #1f2430; color: #e8eaf0; border-color: #3a4150; }
dialog.review::backdrop { background: rgba(0,0,0,.35); }
dialog.review h2 { font-size: 16px; margin: 0 0 8px; }
dialog.review ul { margin: 0 0 14px; padding-left: 18px; }
dialog.review li { margin: 4px 0; }
dialog.review .buttons { display: flex; justify-content: flex-end; gap: 8px; }
dialog.review button { font: inherit; padding: 6px 14px; border-radius: 6px; border: 1px solid #c5ccd8; background: #f7f8fa; color: inherit; cursor: pointer; }
dialog.review.dark button { background: #2a303c; border-color: #465063; }
dialog.review button.edit { background: #1d4ed8; border-color: #1d4ed8; color: #fff; }
dialog.review button:focus-visible { outline: 2px solid #2563eb; outline-offset: 2px; }
`;

export class PostReview {
  private readonly dialog: HTMLDialogElement;
  /** Set while "Post anyway" replays the user's action, so it passes once. */
  private replaying = false;

  constructor(
    private readonly postButtons: string,
    private readonly checkerNear: (element: Element) => EditorChecker | undefined,
  ) {
    addStyle('review', REVIEW_CSS);
    this.dialog = uiElement('dialog', 'review');
    this.dialog.setAttribute('aria-labelledby', 'impartial-review-title');
    // Capture on window: we see the click before the page's own (React root) listeners.
    window.addEventListener('click', this.onClick, true);
    window.addEventListener('keydown', this.onKeydown, true);
  }

  private readonly onClick = (event: MouseEvent) => {
    if (this.replaying || !this.postButtons) return;
    try {
      const button = event.target instanceof Element ? event.target.closest(this.postButtons) : null;
      if (!button) return;
      const checker = this.checkerNear(button);
      const remaining = checker ? toReview(checker) : [];
      if (remaining.length === 0 || !checker) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      this.ask(checker, remaining, () => (button as HTMLElement).click());
    } catch (error) {
      console.debug('Impartial: review skipped:', error);
    }
  };

  private readonly onKeydown = (event: KeyboardEvent) => {
    if (this.replaying || event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
    try {
      const target = event.target instanceof Element ? event.target : null;
      const checker = target ? this.checkerNear(target) : undefined;
      if (!checker || !checker.editor.contains(target)) return;
      const remaining = toReview(checker);
      if (remaining.length === 0) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      const init: KeyboardEventInit = { key: 'Enter', code: 'Enter', ctrlKey: event.ctrlKey, metaKey: event.metaKey, bubbles: true, cancelable: true };
      this.ask(checker, remaining, () => {
        // Prefer the site's own post button: replayed key events lack legacy keyCode in Firefox.
        const button = this.postButtonNear(checker.editor);
        if (button) button.click();
        else target?.dispatchEvent(new KeyboardEvent('keydown', init));
      });
    } catch (error) {
      console.debug('Impartial: review skipped:', error);
    }
  };

  private postButtonNear(editor: HTMLElement): HTMLElement | undefined {
    for (let node = editor.parentElement; node; node = node.parentElement) {
      const button = node.querySelector<HTMLElement>(this.postButtons);
      if (button) return button;
    }
    return undefined;
  }

  private ask(checker: EditorChecker, remaining: Finding[], post: () => void): void {
    const title = document.createElement('h2');
    title.id = 'impartial-review-title';
    title.textContent = 'Before you post';
    const intro = document.createElement('p');
    intro.textContent = remaining.length === 1 ? 'One thing in this post could breach your impartiality rules:' : `${remaining.length} things in this post could breach your impartiality rules:`;
    const list = document.createElement('ul');
    for (const finding of remaining) {
      const item = document.createElement('li');
      item.textContent = `${SEVERITY_LABEL[finding.severity]} · ${CATEGORY_LABEL[finding.category]}: “${finding.text}” — ${finding.message}`;
      list.append(item);
    }
    const edit = document.createElement('button');
    edit.type = 'button';
    edit.className = 'edit';
    edit.textContent = 'Edit';
    edit.autofocus = true;
    const anyway = document.createElement('button');
    anyway.type = 'button';
    anyway.textContent = 'Post anyway';
    const buttons = document.createElement('div');
    buttons.className = 'buttons';
    buttons.append(anyway, edit);
    this.dialog.replaceChildren(title, intro, list, buttons);
    this.dialog.classList.toggle('dark', pageIsDark(checker.editor));

    // Both ways out put the editor's caret back first: the dialog returns focus to the
    // editor, and an editor that then reads a selection left on the dialog's button (a
    // mouse press moves it there) can throw (Draft.js did, after Ctrl+Enter).
    const restoreCaret = saveCaret(checker.editor);
    const listeners = new AbortController();
    const done = (postIt: boolean) => {
      listeners.abort();
      this.dialog.close();
      restoreCaret();
      if (!postIt) return;
      this.replaying = true;
      try {
        post();
      } finally {
        this.replaying = false;
      }
    };
    const { signal } = listeners;
    edit.addEventListener('click', () => done(false), { signal });
    anyway.addEventListener('click', () => done(true), { signal });
    this.dialog.addEventListener('cancel', () => done(false), { signal });
    this.dialog.showModal();
    edit.focus();
  }
}

/** What must be reviewed: everything on a Strict site, otherwise only high-risk findings. */
function toReview(checker: EditorChecker): Finding[] {
  if (checker.disabled || checker.strictness === 'off') return [];
  return checker.strictness === 'strict' ? checker.findings : checker.findings.filter((f) => f.severity === 'high');
}
