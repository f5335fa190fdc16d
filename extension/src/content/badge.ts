// A small counter at the compose box's corner: findings by severity, and a list of them all
// on click. Hidden while the post is clean.

import type { Finding, Severity } from '../shared/messages';
import type { EditorChecker } from './checker';
import { CATEGORY_LABEL, SEVERITY_LABEL } from './labels';
import { pageIsDark } from './theme';
import { addStyle, uiElement } from './ui-root';

const BADGE_CSS = `
.badge { position: fixed; display: none; align-items: center; gap: 6px; padding: 2px 8px; border-radius: 999px;
  border: 1px solid #c5ccd8; background: #fff; color: #1d2330; pointer-events: auto; cursor: pointer;
  font: 600 12px/18px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
.badge.dark { background: #1f2430; color: #e8eaf0; border-color: #465063; }
.badge.shown { display: inline-flex; }
.badge .count::before { content: ""; display: inline-block; width: 8px; height: 8px; margin-right: 3px; border-radius: 50%; vertical-align: baseline; }
.badge .count.high::before { background: rgb(220, 38, 38); }
.badge .count.medium::before { background: rgb(217, 119, 6); border-radius: 1px; }
.badge .count.low::before { background: rgb(71, 110, 160); border-radius: 0; width: 6px; height: 6px; }
.badge.stopped { color: #5b6472; font-weight: 500; border-style: dashed; box-shadow: none; cursor: default; }
.badge.stopped.dark { color: #aab2c0; }
.badge:focus-visible { outline: 2px solid #2563eb; outline-offset: 2px; }
.list { position: fixed; margin: 0; inset: auto; width: min(340px, calc(100vw - 16px)); max-height: 50vh; overflow: auto; padding: 6px;
  border: 1px solid #d0d5dd; border-radius: 10px; background: #fff; color: #1d2330; pointer-events: auto;
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; box-shadow: 0 8px 28px rgba(0,0,0,.18); }
.list.dark { background: #1f2430; color: #e8eaf0; border-color: #3a4150; }
.list button { display: block; width: 100%; text-align: left; font: inherit; color: inherit; background: none; border: 0; border-radius: 6px; padding: 6px 8px; cursor: pointer; }
.list button:hover, .list button:focus-visible { background: rgba(37, 99, 235, .12); outline: none; }
.list .what { font-weight: 600; }
`;

const ORDER: Severity[] = ['high', 'medium', 'low'];

export class Badge {
  private readonly element: HTMLButtonElement;
  /** One counter per severity, updated in place: no node is removed while the user types. */
  private readonly counts: Record<Severity, { element: HTMLSpanElement; text: Text }>;
  private readonly list: HTMLDivElement;
  /** Shown instead of the counts once checking stopped on this editor after an error. */
  private readonly stoppedLabel: HTMLSpanElement;
  private readonly reposition = () => this.place();

  constructor(private readonly checker: EditorChecker, private readonly openCard: (finding: Finding) => void) {
    addStyle('badge', BADGE_CSS);
    this.element = uiElement('button', 'badge');
    this.element.type = 'button';
    this.counts = Object.fromEntries(ORDER.map((severity) => {
      const element = document.createElement('span');
      element.className = `count ${severity}`;
      const text = document.createTextNode('');
      element.append(text);
      this.element.append(element);
      return [severity, { element, text }];
    })) as Badge['counts'];
    this.stoppedLabel = document.createElement('span');
    this.stoppedLabel.hidden = true;
    this.stoppedLabel.textContent = 'Not checked';
    this.element.append(this.stoppedLabel);
    this.list = uiElement('div', 'list');
    this.list.setAttribute('popover', 'auto');
    this.list.setAttribute('role', 'menu');
    this.element.addEventListener('click', () => this.toggleList());
    window.addEventListener('scroll', this.reposition, { passive: true, capture: true });
    window.addEventListener('resize', this.reposition, { passive: true });
  }

  update(): void {
    if (this.checker.disabled) {
      this.showStopped();
      return;
    }
    const findings = this.checker.findings;
    const counts = new Map<Severity, number>();
    for (const f of findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
    for (const severity of ORDER) {
      const n = counts.get(severity) ?? 0;
      const { element, text } = this.counts[severity];
      element.hidden = n === 0;
      if (text.data !== String(n)) text.data = String(n);
    }
    const summary = ORDER.filter((s) => counts.get(s)).map((s) => `${counts.get(s)} ${SEVERITY_LABEL[s].toLowerCase()}`).join(', ');
    this.element.setAttribute('aria-label', `Impartial: ${summary}. Show the list.`);
    this.element.classList.toggle('shown', findings.length > 0);
    this.element.classList.toggle('dark', pageIsDark(this.checker.editor));
    if (findings.length === 0 && this.list.matches(':popover-open')) this.list.hidePopover();
    this.place();
  }

  dispose(): void {
    window.removeEventListener('scroll', this.reposition, { capture: true });
    window.removeEventListener('resize', this.reposition);
    this.element.remove();
    this.list.remove();
  }

  /** The quiet notice: checking stopped here after an internal error; the page is unaffected. */
  private showStopped(): void {
    for (const severity of ORDER) this.counts[severity].element.hidden = true;
    this.stoppedLabel.hidden = false;
    const notice = 'Impartial stopped checking this box after an internal error. Your text is untouched and you can post as usual; reload the page to check again.';
    this.element.setAttribute('aria-label', notice);
    this.element.title = notice;
    this.element.classList.add('shown', 'stopped');
    this.element.classList.toggle('dark', pageIsDark(this.checker.editor));
    if (this.list.matches(':popover-open')) this.list.hidePopover();
    this.place();
  }

  private place(): void {
    if (!this.element.classList.contains('shown')) return;
    // Inside the editor's bottom-right corner, where it covers no site control.
    const box = this.checker.editor.getBoundingClientRect();
    const { offsetWidth: width, offsetHeight: height } = this.element;
    this.element.style.left = `${Math.max(0, box.right - width - 4)}px`;
    this.element.style.top = `${Math.max(box.top, box.bottom - height - 4)}px`;
  }

  private toggleList(): void {
    if (this.checker.disabled) return;
    if (this.list.matches(':popover-open')) {
      this.list.hidePopover();
      return;
    }
    // Within a severity, the scorer's surer judgements first (a rule's finding counts as sure).
    const items = [...this.checker.findings].sort(
      (a, b) => ORDER.indexOf(a.severity) - ORDER.indexOf(b.severity) || (b.score ?? 1) - (a.score ?? 1) || a.start - b.start,
    );
    this.list.replaceChildren(...items.map((finding) => {
      const item = document.createElement('button');
      item.type = 'button';
      item.setAttribute('role', 'menuitem');
      const what = document.createElement('span');
      what.className = 'what';
      what.textContent = `${SEVERITY_LABEL[finding.severity]} · ${CATEGORY_LABEL[finding.category]}: `;
      item.append(what, document.createTextNode(`“${finding.text}” — ${finding.message}`));
      item.addEventListener('click', () => {
        this.list.hidePopover();
        this.openCard(finding);
      });
      return item;
    }));
    this.list.classList.toggle('dark', pageIsDark(this.checker.editor));
    this.list.showPopover();
    const box = this.element.getBoundingClientRect();
    this.list.style.left = `${Math.max(8, Math.min(box.right - this.list.offsetWidth, innerWidth - this.list.offsetWidth - 8))}px`;
    this.list.style.top = `${Math.min(box.bottom + 4, innerHeight - this.list.offsetHeight - 8)}px`;
    this.list.querySelector('button')?.focus();
  }
}
