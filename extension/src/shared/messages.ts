// Messages between content scripts / extension pages and the background engine.
// Plain data only; the background validates every field it reads.

import type { Strictness } from './sites';

export type Category =
  | 'disclosure' | 'disclaimer' | 'partisan' | 'solicitation' | 'government' | 'confidential' | 'conduct';
export type Severity = 'low' | 'medium' | 'high';

export interface Finding {
  rule: string;
  category: Category;
  severity: Severity;
  /** UTF-16 code units into the checked text: index JS strings directly. */
  start: number;
  end: number;
  text: string;
  message: string;
  explanation: string;
  source: { title: string; section: string; url: string };
  suggestions: { replacement: string; label: string }[];
}

/** Content script -> background: check the text of one compose box. */
export interface CheckRequest {
  kind: 'check';
  text: string;
}

export type CheckResponse =
  | { ok: true; findings: Finding[]; strictness: Strictness }
  | { ok: false; error: string };

/** Upper bound on text sent for one check; longer posts are checked up to here. */
export const MAX_CHECK_CHARS = 1_000_000;

/**
 * Content script -> background: a user's decision from the explanation card, stored in the
 * settings (so it applies on every device the settings sync to). The background answers
 * `{ ok: true }` or `{ ok: false, error }`; a change reaches open tabs through storage.onChanged.
 */
export type CardAction =
  | { kind: 'allow-phrase'; phrase: string }
  | { kind: 'disable-rule'; rule: string }
  | { kind: 'relax-site' };

export type ActionResponse = { ok: true } | { ok: false; error: string };
