// Changing the post's text, only ever the way a person would: select the words, then
// `execCommand('insertText')`, so the editor's own model and undo stack follow (the one
// method that worked in every editor in both browsers; platform.md §7).

import type { Finding } from '../shared/messages';
import type { EditorChecker } from './checker';

/** Editors sync their model selection from the DOM on a tick; wait one before typing. */
const SELECTION_SETTLE_MS = 30;

/**
 * Replaces `finding`'s text with `replacement` (empty: removes it tidily, see `removalSpan`).
 * Resolves to false when the text has moved on since the check.
 */
export async function applySuggestion(checker: EditorChecker, finding: Finding, replacement: string): Promise<boolean> {
  if (!checker.isCurrent()) return false;
  const target = replacement === '' ? removalSpan(checker.checkedText ?? '', finding) : finding;
  if (!checker.surface.select(target.start, target.end)) return false;
  await new Promise((resolve) => setTimeout(resolve, SELECTION_SETTLE_MS));
  return replacement === ''
    ? document.execCommand('delete', false)
    : document.execCommand('insertText', false, replacement);
}

const SPACE = /[ \u00a0]/;
const SENTENCE_END = /[.!?]/;

/**
 * What to delete so that removing a phrase leaves tidy text: a phrase that is a sentence of
 * its own ("… today. Views my own.") goes with its full stop; then one neighbouring space
 * goes too, so no double space or space before punctuation is left.
 */
export function removalSpan(text: string, span: { start: number; end: number }): { start: number; end: number } {
  let { start, end } = span;
  const before = text.slice(0, start).trimEnd();
  const startsSentence = before === '' || SENTENCE_END.test(before[before.length - 1]) || text[start - 1] === '\n';
  if (startsSentence && SENTENCE_END.test(text[end] ?? '')) end++;
  if (SPACE.test(text[end] ?? '') && (start === 0 || SPACE.test(text[start - 1]) || text[start - 1] === '\n')) end++;
  else if (SPACE.test(text[start - 1] ?? '')) start--;
  return { start, end };
}
