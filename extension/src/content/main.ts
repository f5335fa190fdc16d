// Content script entry: finds the site's compose boxes, keeps each one checked, and wires
// the card, the badge and the review before posting. Everything here is defensive: an
// exception stops Impartial on one editor, never the page.

import type { Finding } from '../shared/messages';
import { GENERIC_EDITORS, siteForHost } from '../shared/sites';
import { Badge } from './badge';
import { Card } from './card';
import { EditorChecker } from './checker';
import { PostReview } from './review';

/** Opens the card for the finding at the caret (Ctrl+. or ⌘+.). */
const SHORTCUT_KEY = '.';
/** Hover intent: how long the pointer rests on an underline before the card opens. */
const HOVER_OPEN_MS = 250;

const site = siteForHost(location.hostname);
const selectors = [...(site?.editors ?? []), ...GENERIC_EDITORS].join(', ');
const editors = new Map<HTMLElement, { checker: EditorChecker; badge: Badge }>();
const card = new Card();
let lastActive: EditorChecker | undefined;

new PostReview((site?.postButtons ?? []).join(', '), checkerNear);

/** Editors we can check: writable, and the outermost of nested editable elements. */
function isCheckable(element: HTMLElement): boolean {
  if (element instanceof HTMLTextAreaElement) return !element.disabled && !element.readOnly;
  return element.isContentEditable && !element.parentElement?.isContentEditable;
}

function attach(editor: HTMLElement): void {
  try {
    const checker = new EditorChecker(editor);
    const badge = new Badge(checker, (finding) => card.open(checker, finding, 'keyboard'));
    checker.onChange = () => {
      badge.update();
      // A re-check (after any storage change, say) brings new finding objects: the card stays
      // open while the same finding is still there, and closes when it is gone.
      const shown = card.shown;
      if (!shown || !card.isOpen || checker.findings.includes(shown)) return;
      const same = checker.findings.find((f) => f.rule === shown.rule && f.start === shown.start && f.end === shown.end && f.text === shown.text);
      if (same) card.retarget(same);
      else card.close();
    };
    editor.addEventListener('focusin', () => {
      lastActive = checker;
      keepEngineWarm(editor);
    });
    editors.set(editor, { checker, badge });
  } catch (error) {
    console.debug('Impartial: cannot check this editor:', error);
  }
}

function scan(): void {
  for (const [editor, { checker, badge }] of editors) {
    if (editor.isConnected) continue;
    checker.dispose();
    badge.dispose();
    editors.delete(editor);
  }
  for (const element of document.querySelectorAll<HTMLElement>(selectors)) {
    if (!editors.has(element) && isCheckable(element)) attach(element);
  }
}

/** The checker of the compose box that `element` (e.g. a post button) belongs to. */
function checkerNear(element: Element): EditorChecker | undefined {
  for (let node: Element | null = element; node; node = node.parentElement) {
    for (const [editor, { checker }] of editors) if (node.contains(editor)) return checker;
  }
  return lastActive;
}

/** The shown finding under a viewport point, with a little slack below for the underline. */
function findingAt(x: number, y: number): { checker: EditorChecker; finding: Finding } | undefined {
  for (const { checker } of editors.values()) {
    for (const finding of checker.findings) {
      for (const r of checker.surface.rects(finding)) {
        if (x >= r.left && x <= r.right && y >= r.top && y <= r.bottom + 3) return { checker, finding };
      }
    }
  }
  return undefined;
}

// Hover: open after a short rest; a pointer leaving both underline and card closes it.
let hoverTimer: ReturnType<typeof setTimeout> | undefined;
let pointerQueued = false;
let pointer = { x: 0, y: 0, target: null as EventTarget | null };
document.addEventListener('pointermove', (event) => {
  pointer = { x: event.clientX, y: event.clientY, target: event.composedPath()[0] ?? null };
  if (pointerQueued) return;
  pointerQueued = true;
  requestAnimationFrame(() => {
    pointerQueued = false;
    try {
      onPointer();
    } catch (error) {
      console.debug('Impartial: hover failed:', error);
    }
  });
}, { passive: true });

function onPointer(): void {
  if (card.contains(pointer.target)) return;
  const hit = findingAt(pointer.x, pointer.y);
  clearTimeout(hoverTimer);
  if (hit && hit.finding === card.shown) return;
  if (!hit) {
    if (card.isOpen && !card.contains(document.activeElement) && !card.hasFocus()) hoverTimer = setTimeout(() => card.close(), 400);
    return;
  }
  hoverTimer = setTimeout(() => card.open(hit.checker, hit.finding, 'pointer'), HOVER_OPEN_MS);
}

// Click on an underline opens its card at once, leaving the caret where the click put it.
document.addEventListener('click', (event) => {
  try {
    const hit = findingAt(event.clientX, event.clientY);
    if (hit) card.open(hit.checker, hit.finding, 'pointer');
    else if (card.isOpen && !card.contains(event.composedPath()[0] ?? null)) card.close();
  } catch (error) {
    console.debug('Impartial: click failed:', error);
  }
}, { passive: true });

// Keyboard: Ctrl+. (⌘+. on macOS) opens the card for the finding at or after the caret.
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && card.isOpen) {
    card.close();
    return;
  }
  if (event.key !== SHORTCUT_KEY || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
  const entry = [...editors.values()].find(({ checker }) => checker.editor.contains(document.activeElement) || checker.editor === document.activeElement);
  if (!entry || entry.checker.findings.length === 0) return;
  event.preventDefault();
  const { checker } = entry;
  const caret = checker.surface.caret() ?? 0;
  const finding = checker.findings.find((f) => f.end >= caret) ?? checker.findings[0];
  card.open(checker, finding, 'keyboard');
}, true);

// A Chrome service worker stops after 30 s without events, and waking it costs the first
// check a few hundred milliseconds (instantiating wasm, compiling the rules). So when a
// compose box gets focus the background is woken at once, while the user is still placing
// the caret, and kept awake only while the focus stays in a compose box.
const WARM_EVERY_MS = 20_000;
let warmTimer: ReturnType<typeof setInterval> | undefined;

function keepEngineWarm(editor: HTMLElement): void {
  const warm = () => {
    if (!editor.isConnected || !editor.contains(document.activeElement)) {
      clearInterval(warmTimer);
      warmTimer = undefined;
      return;
    }
    chrome.runtime.sendMessage({ kind: 'warm' }).catch(() => { /* the extension went away: nothing to warm */ });
  };
  warm(); // one small message per focus: the worker may have been stopped meanwhile
  clearInterval(warmTimer);
  warmTimer = setInterval(warm, WARM_EVERY_MS);
}

// Settings changed (strictness, allowed phrases, profile): check every box again, live.
chrome.storage.onChanged.addListener(() => {
  for (const { checker } of editors.values()) checker.recheck();
});

// Compose boxes appear long after load on these single-page apps; rescans are batched to
// one per frame however many mutations arrive.
let scanQueued = false;
new MutationObserver(() => {
  if (scanQueued) return;
  scanQueued = true;
  requestAnimationFrame(() => {
    scanQueued = false;
    scan();
  });
}).observe(document.documentElement, { childList: true, subtree: true });
scan();
