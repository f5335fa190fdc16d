// The footprint audit's messages between the options page and its worker, and the report's
// shape (impartial-audit's `Report`, serialised by crate/wasm/src/audit.rs).

import type { Category, Finding, Severity } from './messages';

export type AuditPlatform = 'x' | 'facebook' | 'linkedin' | 'mastodon' | 'bluesky' | 'text';

export interface AuditProgress {
  /** The file being read, inside the archive. */
  file: string;
  files_done: number;
  files_total: number;
  /** Uncompressed bytes. */
  bytes_done: number;
  bytes_total: number;
  posts_read: number;
  posts_flagged: number;
}

export interface AuditCount { posts: number; findings: number }

export interface AuditFinding extends Finding { byte_start: number; byte_end: number }

export interface AuditedPost {
  platform: AuditPlatform;
  kind: 'post' | 'reply' | 'repost' | 'comment';
  id: string;
  /** RFC 3339, UTC, or null when the archive gives no date. */
  date: string | null;
  /** Always http(s) when present (the audit drops other links); checked again before use. */
  url: string | null;
  file: string;
  text: string;
  risk: number;
  max_severity: Severity;
  attributable: boolean;
  /** UTF-16 offsets into `text`. */
  findings: AuditFinding[];
}

export interface AuditBio {
  platform: AuditPlatform;
  field: string;
  file: string;
  text: string;
  findings: AuditFinding[];
  names_employer: boolean;
}

export interface AuditReport {
  tool: string;
  context: string;
  sources: { platform: AuditPlatform; account: string | null; files: string[]; posts: number }[];
  bios: AuditBio[];
  posts_read: number;
  posts_skipped: number;
  posts_failed: number;
  failures: { file: string; location: string; reason: string }[];
  problems: string[];
  posts_flagged: number;
  by_category: Partial<Record<Category, AuditCount>>;
  by_severity: Partial<Record<Severity, AuditCount>>;
  by_month: { month: string; posts: number; flagged: number }[];
  /** Riskiest first; at most the engine's cap (10,000), the rest only counted. */
  flagged: AuditedPost[];
  /** Every flagged post, listed or not, by its worst finding. */
  flagged_by_worst: Record<Severity, number>;
  /** Flagged posts counted above but not in `flagged` (the least risky). */
  flagged_not_listed: number;
}

export type AuditWorkerRequest =
  /** `bytes` is transferred; `settings` and `policy` as the background's get-settings gives them. */
  | { kind: 'audit'; name: string; bytes: ArrayBuffer; settings: unknown; policy: unknown }
  | { kind: 'render'; format: 'html' | 'csv' };

export type AuditWorkerMessage =
  | { kind: 'progress'; progress: AuditProgress }
  | { kind: 'done'; report: AuditReport; ms: number }
  | { kind: 'error'; message: string }
  | { kind: 'rendered'; format: 'html' | 'csv'; text: string }
  | { kind: 'render-error'; format: 'html' | 'csv'; message: string };
