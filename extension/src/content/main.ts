// Content script entry: finds the site's compose boxes and keeps each one checked.

import { GENERIC_EDITORS, siteForHost } from '../shared/sites';
import { EditorChecker } from './checker';
import { highlightsSupported } from './highlights';

const site = siteForHost(location.hostname);
const selectors = [...(site?.editors ?? []), ...GENERIC_EDITORS].join(', ');
const checkers = new Map<HTMLElement, EditorChecker>();

/** Editors we can check: visible, writable, and not a nested part of another editor. */
function isCheckable(element: HTMLElement): boolean {
  if (element instanceof HTMLTextAreaElement) return !element.disabled && !element.readOnly;
  if (!element.isContentEditable) return false;
  if (!highlightsSupported()) return false;
  // Only the outermost editable element is an editor root.
  return !element.parentElement?.isContentEditable;
}

function scan(): void {
  for (const [editor, checker] of checkers) {
    if (!editor.isConnected) {
      checker.dispose();
      checkers.delete(editor);
    }
  }
  for (const element of document.querySelectorAll<HTMLElement>(selectors)) {
    if (checkers.has(element) || !isCheckable(element)) continue;
    checkers.set(element, new EditorChecker(element));
  }
}

// Compose boxes appear long after load on these single-page apps; rescans are batched to
// one per frame however many mutations arrive.
let scanQueued = false;
const observer = new MutationObserver(() => {
  if (scanQueued) return;
  scanQueued = true;
  requestAnimationFrame(() => {
    scanQueued = false;
    scan();
  });
});
observer.observe(document.documentElement, { childList: true, subtree: true });
scan();
