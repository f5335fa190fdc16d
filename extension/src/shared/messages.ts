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
