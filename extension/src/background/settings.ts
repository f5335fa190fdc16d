// Changes to the settings: every one is validated in Rust before it is stored, is checked
// against the organisation policy's locks and minimums, and goes through one queue so two
// quick changes (popup and options page) never overwrite each other.

import {
  SettingsEngine, check_custom_terms, list_rules, relaxed_strictness, settings_to_json, site_for_host, validate_settings,
} from 'impartial-engine';
import type {
  CardAction, CustomTerm, Finding, OrgPolicy, PolicyId, Profile, Settings, SettingsState,
} from '../shared/messages';
import { STRICTNESS_LEVELS, type Strictness } from '../shared/sites';
import { adopt, coldStartMs, coldStartParts, compile, message, newEngine, release, state, type Loaded } from './engine';
import { writeSettings } from './store';

export const PAUSE_ALARM = 'impartial-pause-end';
const MAX_PAUSE_MINUTES = 7 * 24 * 60;
const MAX_PHRASE_CHARS = 200;

type Result = { ok: true } | { ok: false; error: string };
type Change = (settings: Settings, loaded: Loaded) => Settings | string;

let queue: Promise<unknown> = Promise.resolve();

/** Applies `change` to the current settings and stores the result if it validates. */
export function mutate(change: Change, onboarded?: boolean): Promise<Result> {
  const run = queue.then(async (): Promise<Result> => {
    const loaded = await state();
    const next = change(structuredClone(loaded.settings), loaded);
    if (typeof next === 'string') return { ok: false, error: next };
    return store(next, loaded, onboarded);
  });
  queue = run.catch(() => undefined);
  return run;
}

async function store(next: Settings, loaded: Loaded, onboarded?: boolean): Promise<Result> {
  let compiled: Loaded;
  try {
    // Validated and compiled under the organisation policy, so what is stored always runs.
    compiled = compile(next, loaded.policy, loaded.policyError, loaded.onboarded || onboarded === true, undefined);
  } catch (error) {
    return { ok: false, error: message(error) };
  }
  // In force before it is stored: tabs re-check as soon as storage.onChanged reaches them,
  // which can be before the write below has returned here.
  adopt({ ...compiled, json: JSON.stringify(compiled.settings) }, false);
  try {
    await writeSettings(compiled.settings, onboarded);
  } catch (error) {
    adopt(loaded); // e.g. over the sync quota: nothing changed
    return { ok: false, error: `could not store the settings: ${message(error)}` };
  }
  if (loaded.engine !== compiled.engine) release(loaded.engine);
  await schedulePauseEnd(compiled.settings.pause_until);
  return { ok: true };
}

export async function settingsState(): Promise<SettingsState> {
  const loaded = await state();
  return {
    ok: true, settings: loaded.settings, effective: loaded.effective, policy: loaded.policy,
    ...(loaded.policyError ? { policyError: loaded.policyError } : {}), onboarded: loaded.onboarded,
    ...(coldStartMs !== undefined ? { coldStartMs } : {}),
    ...(coldStartParts !== undefined ? { coldStartParts } : {}),
  };
}

/** Replaces the settings (options page, onboarding). Locked fields may not change. */
export function saveSettings(settings: Settings, onboarded?: boolean): Promise<Result> {
  if (typeof settings !== 'object' || settings === null) return Promise.resolve({ ok: false, error: 'settings: expected an object' });
  return mutate((previous, loaded) => lockedChange(previous, settings, loaded.policy) ?? settings, onboarded === true);
}

/** Reads a settings file; nothing changes unless it is entirely valid. */
export function importSettings(json: string): Promise<Result> {
  let imported: Settings;
  try {
    imported = validate_settings(json) as Settings;
  } catch (error) {
    return Promise.resolve({ ok: false, error: message(error) });
  }
  // Locked fields stay as the organisation set them whatever the file says.
  return mutate(() => imported);
}

export async function exportSettings(): Promise<{ ok: true; json: string }> {
  const { settings } = await state();
  return { ok: true, json: settings_to_json(settings) + '\n' };
}

export function setStrictness(site: string, strictness: Strictness): Promise<Result> {
  if (!STRICTNESS_LEVELS.includes(strictness)) return Promise.resolve({ ok: false, error: `strictness: unknown value ${JSON.stringify(strictness)}` });
  return mutate((s, loaded) => {
    const id = site_for_host(site);
    const minimum = loaded.policy?.minimum_strictness[id] ?? 'off';
    if (rank(strictness) < rank(minimum)) return `Your organisation requires at least “${minimum}” on this site.`;
    s.sites[id] = strictness;
    if (!s.enabled_sites.includes(id)) s.enabled_sites.push(id);
    return s;
  });
}

export function pause(minutes: number): Promise<Result> {
  if (!Number.isFinite(minutes) || minutes <= 0 || minutes > MAX_PAUSE_MINUTES) {
    return Promise.resolve({ ok: false, error: `pause: minutes must be between 0 and ${MAX_PAUSE_MINUTES}` });
  }
  return mutate((s, loaded) => {
    if (isLocked(loaded.policy, 'pause')) return 'Your organisation does not allow pausing.';
    s.pause_until = Math.round(Date.now() + minutes * 60_000);
    return s;
  });
}

export function resume(): Promise<Result> {
  return mutate((s) => {
    s.pause_until = null;
    return s;
  });
}

/** Clears a pause that has ended (alarm or start-up), or re-arms the alarm for one that has not. */
export async function endPauseIfDue(): Promise<void> {
  const { settings } = await state();
  if (settings.pause_until === null) return;
  if (Date.now() >= settings.pause_until) {
    await mutate((s) => {
      if (s.pause_until !== null && Date.now() >= s.pause_until) s.pause_until = null;
      return s;
    });
  } else {
    await schedulePauseEnd(settings.pause_until);
  }
}

async function schedulePauseEnd(until: number | null): Promise<void> {
  await chrome.alarms.clear(PAUSE_ALARM);
  if (until !== null && until > Date.now()) await chrome.alarms.create(PAUSE_ALARM, { when: until });
}

/** The explanation card's decisions, for the site (host) the card was shown on. */
export function cardAction(action: CardAction, host: string): Promise<Result> {
  switch (action.kind) {
    case 'allow-phrase': {
      const phrase = action.phrase.trim();
      if (!phrase || phrase.length > MAX_PHRASE_CHARS) return Promise.resolve({ ok: false, error: `a phrase must have 1 to ${MAX_PHRASE_CHARS} characters` });
      return mutate((s, loaded) => {
        if (isLocked(loaded.policy, 'allowed_phrases')) return 'Your organisation manages the allowed phrases.';
        if (!s.profile.allowed_phrases.includes(phrase)) s.profile.allowed_phrases.push(phrase);
        return s;
      });
    }
    case 'disable-rule': {
      const rule = action.rule.trim();
      return mutate((s, loaded) => {
        if (isLocked(loaded.policy, 'disabled_rules')) return 'Your organisation does not allow turning rules off.';
        if (!s.profile.disabled_rules.includes(rule)) s.profile.disabled_rules.push(rule);
        return s;
      });
    }
    case 'relax-site':
      return mutate((s, loaded) => {
        const site = site_for_host(host);
        const current = loaded.effective.sites[site] ?? 'standard';
        const lower = relaxed_strictness(site, current, loaded.policy ?? undefined);
        if (!lower) {
          const minimum = loaded.policy?.minimum_strictness[site];
          return minimum ? `Your organisation requires at least “${minimum}” on this site.` : 'This site is already as relaxed as it goes.';
        }
        s.sites[site] = lower as Strictness;
        return s;
      });
  }
}

export async function listRules(policy?: PolicyId): Promise<{ ok: true; rules: unknown[] }> {
  const loaded = await state();
  return { ok: true, rules: list_rules(policy ?? loaded.effective.profile.policy) as unknown[] };
}

export async function checkTerms(terms: CustomTerm[]): Promise<{ ok: true; verdicts: (string | null)[] }> {
  await state(); // the wasm module is ready
  return { ok: true, verdicts: check_custom_terms(Array.isArray(terms) ? terms : []) as (string | null)[] };
}

let trial: { key: string; engine: SettingsEngine } | undefined;

/** The "try it" box: checks with the profile being edited, at the chosen strictness. */
export async function tryCheck(text: string, strictness: Strictness, profile?: Profile): Promise<{ ok: true; findings: Finding[] } | { ok: false; error: string }> {
  const loaded = await state();
  if (!STRICTNESS_LEVELS.includes(strictness)) return { ok: false, error: 'strictness: unknown value' };
  if (!profile) return { ok: true, findings: loaded.engine.check(text, strictness) as Finding[] };
  const key = JSON.stringify([profile, loaded.policy]);
  if (trial?.key !== key) {
    try {
      const engine = newEngine({ ...loaded.settings, profile }, loaded.policy);
      release(trial?.engine);
      trial = { key, engine };
    } catch (error) {
      return { ok: false, error: message(error) };
    }
  }
  return { ok: true, findings: trial.engine.check(text, strictness) as Finding[] };
}

function isLocked(policy: OrgPolicy | null, field: string): boolean {
  return policy?.locked.includes(field) ?? false;
}

/** An error if `next` changes a field the organisation locked. */
function lockedChange(previous: Settings, next: Settings, policy: OrgPolicy | null): string | undefined {
  if (!policy) return undefined;
  const profileFields = ['policy', 'employer', 'aliases', 'role', 'allowed_phrases', 'disabled_rules'] as const;
  for (const field of profileFields) {
    if (isLocked(policy, field) && JSON.stringify(previous.profile?.[field]) !== JSON.stringify(next.profile?.[field])) {
      return `profile.${field}: set by your organisation`;
    }
  }
  if (isLocked(policy, 'pause') && next.pause_until !== previous.pause_until && next.pause_until !== null) return 'pause_until: your organisation does not allow pausing';
  for (const [site, minimum] of Object.entries(policy.minimum_strictness)) {
    const chosen = next.sites?.[site];
    if (chosen && chosen !== previous.sites?.[site] && rank(chosen) < rank(minimum)) return `sites.${site}: your organisation requires at least “${minimum}”`;
  }
  return undefined;
}

function rank(s: Strictness): number {
  return STRICTNESS_LEVELS.indexOf(s);
}
