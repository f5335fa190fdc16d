// Where the settings live: chrome.storage.sync, so they follow the user to every browser
// they sign in to. No post text is ever stored: only the settings object (profile, sites,
// terms, phrases, rules, pause) and an "onboarded" flag.
//
// Layout (storage schema 1): the settings object's JSON text is split into parts of at most
// PART_CHARS characters under `settings.0`, `settings.1`, … (sync allows 8 KB per item), and
// `settings.meta` = { schema, parts }. Everything is written in one `set` call, so a reader
// never sees half a change. `impartial.onboarded` = true once the first-run setup is done.
//
// storage.local keeps `impartial.lastGood`: the last settings that compiled, so a worker that
// restarts while sync holds something this build cannot read (a newer version synced from
// another device) still checks with the user's previous rules.

import type { Settings } from '../shared/messages';

export const STORAGE_SCHEMA = 1;
const META = 'settings.meta';
const PART = 'settings.';
const ONBOARDED = 'impartial.onboarded';
const LAST_GOOD = 'impartial.lastGood';
/** Characters per sync item; the quota is 8192 bytes including the key and JSON quoting. */
const PART_CHARS = 6000;

interface Meta {
  schema: number;
  parts: number;
}

/** Storage schema migrations: each takes the items of schema n-1 and returns schema n. */
const MIGRATIONS: Record<number, (items: Record<string, unknown>) => Record<string, unknown>> = {
  // Schema 0 (early development builds) kept the object whole under `settings`.
  1: (items) => {
    const legacy = items.settings;
    return legacy && typeof legacy === 'object' ? layout(JSON.stringify(legacy)) : {};
  },
};

function layout(json: string): Record<string, unknown> {
  const items: Record<string, unknown> = {};
  let parts = 0;
  for (let at = 0; at < json.length || parts === 0; at += PART_CHARS) items[`${PART}${parts++}`] = json.slice(at, at + PART_CHARS);
  items[META] = { schema: STORAGE_SCHEMA, parts } satisfies Meta;
  return items;
}

export interface Stored {
  /** The settings JSON text as stored (not yet validated), or undefined if none. */
  json: string | undefined;
  onboarded: boolean;
}

/** Reads the stored settings text, migrating an older layout in place. */
export async function readStored(): Promise<Stored> {
  let items = await chrome.storage.sync.get(null);
  let meta = items[META] as Meta | undefined;
  const schema = meta?.schema ?? (items.settings !== undefined ? 0 : STORAGE_SCHEMA);
  if (schema < STORAGE_SCHEMA) {
    for (let s = schema + 1; s <= STORAGE_SCHEMA; s++) items = { ...items, ...MIGRATIONS[s](items) };
    await chrome.storage.sync.set(pick(items, (k) => k === META || k.startsWith(PART)));
    await chrome.storage.sync.remove('settings');
    meta = items[META] as Meta | undefined;
  }
  const onboarded = items[ONBOARDED] === true;
  if (!meta || typeof meta.parts !== 'number' || meta.parts < 1) return { json: undefined, onboarded };
  let json = '';
  for (let i = 0; i < meta.parts; i++) {
    const part = items[`${PART}${i}`];
    if (typeof part !== 'string') return { json: '', onboarded }; // torn by a partial sync: invalid
    json += part;
  }
  return { json, onboarded };
}

/** Writes validated settings (and optionally the onboarded flag) in one operation. */
export async function writeSettings(settings: Settings, onboarded?: boolean): Promise<string> {
  const json = JSON.stringify(settings);
  const items = layout(json);
  if (onboarded) items[ONBOARDED] = true;
  const old = await chrome.storage.sync.get(META);
  const oldParts = (old[META] as Meta | undefined)?.parts ?? 0;
  await chrome.storage.local.set({ [LAST_GOOD]: json });
  await chrome.storage.sync.set(items);
  const stale: string[] = [];
  for (let i = (items[META] as Meta).parts; i < oldParts; i++) stale.push(`${PART}${i}`);
  if (stale.length) await chrome.storage.sync.remove(stale);
  return json;
}

export async function rememberGood(json: string): Promise<void> {
  const { [LAST_GOOD]: previous } = await chrome.storage.local.get(LAST_GOOD);
  if (previous !== json) await chrome.storage.local.set({ [LAST_GOOD]: json });
}

export async function lastGood(): Promise<string | undefined> {
  const { [LAST_GOOD]: json } = await chrome.storage.local.get(LAST_GOOD);
  return typeof json === 'string' ? json : undefined;
}

/** True if a storage change touches the settings (so the compiled engine is stale). */
export function touchesSettings(changes: Record<string, unknown>, area: string): boolean {
  if (area === 'managed') return true;
  if (area !== 'sync') return false;
  return Object.keys(changes).some((k) => k === META || k.startsWith(PART) || k === ONBOARDED || k === 'settings');
}

/** The organisation policy from storage.managed: {} when there is none (or no support). */
export async function readManaged(): Promise<Record<string, unknown>> {
  try {
    return (await chrome.storage.managed.get(null)) ?? {};
  } catch {
    return {}; // Firefox without a policies.json entry rejects; that means "no policy"
  }
}

function pick(items: Record<string, unknown>, keep: (key: string) => boolean): Record<string, unknown> {
  return Object.fromEntries(Object.entries(items).filter(([k]) => keep(k)));
}
