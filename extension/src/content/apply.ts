// Changing the post's text, only ever the way a person would: select the words, then
// `execCommand('insertText')`, so the editor's own model and undo stack follow (the one
// method that worked in every editor in both browsers; platform.md §7).

import type { Finding } from '../shared/messages';
import type { EditorChecker } from './checker';

/** Editors sync their model selection from the DOM on a tick; wait one before typing. */
const SELECTION_SETTLE_MS = 30;

/**
 * Replaces `finding`'s text with `replacement` (empty: removes it, with one neighbouring
 * space so no double space is left). Resolves to false when the text has moved on.
 */
export async function applySuggestion(checker: EditorChecker, finding: Finding, replacement: string): Promise<boolean> {
  if (!checker.isCurrent()) return false;
  const target = replacement === '' ? withOneSpace(checker.checkedText ?? '', finding) : finding;
  if (!checker.surface.select(target.start, target.end)) return false;
  await new Promise((resolve) => setTimeout(resolve, SELECTION_SETTLE_MS));
  return replacement === ''
    ? document.execCommand('delete', false)
    : document.execCommand('insertText', false, replacement);
}

/** The finding's span, widened over one adjacent space when removing it. */
function withOneSpace(text: string, finding: Finding): Finding {
  if (text[finding.end] === ' ' || text[finding.end] === '\u00a0') return { ...finding, end: finding.end + 1 };
  if (text[finding.start - 1] === ' ') return { ...finding, start: finding.start - 1 };
  return finding;
}
