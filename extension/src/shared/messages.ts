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
  /** The trained scorer's probability (0–1) on its findings (`*.judgement.*` rules); absent on rule findings. */
  score?: number;
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

// ---- Settings (the same JSON object `impartial check --settings` reads) --------------------
// Validated in Rust (crate/wasm `validate_settings`); these types only describe the shape.

export type PolicyId = 'uk-civil-service' | 'us-hatch-act' | 'journalist' | 'generic';

export interface CustomTerm {
  pattern: string;
  category: Category;
  severity?: Severity;
  regex?: boolean;
  match_case?: boolean;
  note?: string;
}

export interface Profile {
  policy: PolicyId;
  employer: string;
  aliases: string[];
  role: string | null;
  custom_terms: CustomTerm[];
  allowed_phrases: string[];
  disabled_rules: string[];
}

export interface Settings {
  version: number;
  profile: Profile;
  /** Strictness per site id ("x", "linkedin", or a host name such as "forum.example.org"). */
  sites: Record<string, Strictness>;
  enabled_sites: string[];
  /** Milliseconds since 1970, or null when not paused. */
  pause_until: number | null;
}

/** What an organisation pushes through storage.managed (see managed_schema.json). */
export interface OrgPolicy {
  policy: PolicyId | null;
  employer: string | null;
  aliases: string[] | null;
  role: string | null;
  extra_terms: CustomTerm[];
  minimum_strictness: Record<string, Strictness>;
  /** Fields the user cannot change: policy, employer, aliases, role, allowed_phrases, disabled_rules, pause. */
  locked: string[];
}

export interface RuleInfo {
  id: string;
  pack: string;
  category: Category | null;
  severity: Severity;
  kind: 'rule' | 'combination';
  message: string;
  explanation: string;
  source: { title: string; section: string; url: string };
}

/** Extension pages -> background. Only extension pages may send these (not content scripts). */
export type SettingsRequest =
  | { kind: 'get-settings' }
  /** Replaces the user's settings; `onboarded` marks the first-run setup as done. */
  | { kind: 'save-settings'; settings: Settings; onboarded?: boolean }
  /** A settings file's text; nothing changes unless all of it is valid. */
  | { kind: 'import-settings'; json: string }
  | { kind: 'export-settings' }
  | { kind: 'set-site-strictness'; site: string; strictness: Strictness }
  /** Pauses checking everywhere for `minutes` (the popup sends 60). */
  | { kind: 'pause'; minutes: number }
  | { kind: 'resume' }
  /** The popup's view of one tab; `url` when the popup could read it (activeTab). */
  | { kind: 'popup-state'; tabId?: number; url?: string }
  /** After the popup obtained the host permission for `origin` (e.g. "https://forum.example.org"). */
  | { kind: 'enable-site'; origin: string; tabId?: number }
  | { kind: 'remove-site'; site: string }
  | { kind: 'list-rules'; policy?: PolicyId }
  | { kind: 'check-terms'; terms: CustomTerm[] }
  /** The options page's "try it" box, with the profile being edited (unsaved). */
  | { kind: 'try-check'; text: string; strictness: Strictness; profile?: Profile };

export interface SettingsState {
  ok: true;
  /** The user's own settings. */
  settings: Settings;
  /** What is in force after the organisation policy. */
  effective: Settings;
  policy: OrgPolicy | null;
  /** Why the organisation policy was ignored, if it was invalid. */
  policyError?: string;
  onboarded: boolean;
  /** Diagnostics: milliseconds from the background's start until its engine was ready. */
  coldStartMs?: number;
  /** Where that time went: instantiating the wasm, reading storage, compiling the rules. */
  coldStartParts?: { wasm: number; storage: number; compile: number };
}

export interface PopupState {
  ok: true;
  /** Host of the tab, or null for pages the extension cannot see (chrome://, new tab). */
  host: string | null;
  origin: string | null;
  site: string | null;
  siteName: string | null;
  /** The site's configured strictness (what the four-way control shows). */
  strictness: Strictness;
  /** What applies right now (off while paused). */
  effectiveStrictness: Strictness;
  minimum: Strictness;
  enabled: boolean;
  /** A site the extension can be turned on for by asking for its host permission. */
  canEnable: boolean;
  pausedUntil: number | null;
  pauseLocked: boolean;
  /** Findings in the compose box last checked in that tab, if any. */
  findings: number | null;
}

export type SettingsResponse<T = object> = ({ ok: true } & T) | { ok: false; error: string };
