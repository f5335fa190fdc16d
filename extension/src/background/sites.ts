// Sites beyond the built-in ones (a Mastodon instance, an intranet): the popup asks for the
// host permission at the moment the user clicks "Check posts on this site"; with it granted,
// the content script is registered for that host (chrome.scripting, kept across restarts)
// and injected into the open tab, so its compose boxes are checked without a reload.

import { is_valid_site_id, site_for_host } from 'impartial-engine';
import { SITES } from '../shared/sites';
import { state } from './engine';
import { mutate } from './settings';

const SCRIPT_PREFIX = 'impartial-site:';
const KNOWN = new Set(SITES.map((site) => site.id));

type Result = { ok: true; site: string } | { ok: false; error: string };

function patternsFor(host: string): string[] {
  return [`https://${host}/*`, `http://${host}/*`];
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Turns checking on for the site of `origin`, once its host permission is granted: called
 * by the popup and by permissions.onAdded (Chrome closes the popup while its permission
 * prompt shows, so the popup may never see the answer). Serialised: both may arrive.
 */
export function enableSite(origin: string, tabId?: number): Promise<Result> {
  const run = queue.then(() => enable(origin, tabId));
  queue = run.catch(() => undefined);
  return run;
}

async function enable(origin: string, tabId?: number): Promise<Result> {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return { ok: false, error: `not a web address: ${origin}` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, error: 'Impartial only runs on web pages (http and https).' };
  await state(); // the wasm module is ready
  const site = site_for_host(url.hostname);
  if (!is_valid_site_id(site)) return { ok: false, error: `Impartial cannot be turned on for “${url.hostname}”: it needs a dotted host name.` };
  if (!KNOWN.has(site)) {
    const pattern = `${url.protocol}//${url.hostname}/*`;
    if (!(await chrome.permissions.contains({ origins: [pattern] }))) {
      return { ok: false, error: `permission for ${url.hostname} was not granted` };
    }
    const fresh = await register(site, [pattern]);
    if (fresh) {
      // Open tabs of the site get the content script now; later loads get it from the
      // registration.
      const tabIds = tabId !== undefined ? [tabId] : (await chrome.tabs.query({ url: pattern })).map((t) => t.id);
      for (const id of tabIds) {
        if (id === undefined) continue;
        await chrome.scripting.executeScript({ target: { tabId: id, allFrames: false }, files: ['content.js'] }).catch(() => undefined);
      }
    }
  }
  const saved = await mutate((s) => {
    if (!s.enabled_sites.includes(site)) s.enabled_sites.push(site);
    s.sites[site] ??= 'standard';
    return s;
  });
  return saved.ok ? { ok: true, site } : saved;
}

/** Stops checking a site; for added sites, also drops the script and the host permission. */
export async function removeSite(site: string): Promise<Result> {
  const saved = await mutate((s) => {
    s.enabled_sites = s.enabled_sites.filter((id) => id !== site);
    if (!KNOWN.has(site)) delete s.sites[site];
    return s;
  });
  if (!saved.ok) return saved;
  if (!KNOWN.has(site)) {
    await chrome.scripting.unregisterContentScripts({ ids: [SCRIPT_PREFIX + site] }).catch(() => undefined);
    await chrome.permissions.remove({ origins: patternsFor(site) }).catch(() => false);
  }
  return { ok: true, site };
}

/** Returns true if the script was not registered before. */
async function register(site: string, matches: string[]): Promise<boolean> {
  const id = SCRIPT_PREFIX + site;
  const existing = await chrome.scripting.getRegisteredContentScripts({ ids: [id] });
  if (existing.length > 0) {
    const known = new Set(existing[0].matches ?? []);
    if (matches.every((m) => known.has(m))) return false;
    await chrome.scripting.updateContentScripts([{ id, js: ['content.js'], matches: [...new Set([...known, ...matches])] }]);
    return true;
  }
  await chrome.scripting.registerContentScripts([{ id, matches, js: ['content.js'], runAt: 'document_idle', persistAcrossSessions: true }]);
  return true;
}

/**
 * Makes the registered scripts agree with the settings and the granted permissions (at
 * install, start-up and after settings synced from another device).
 */
export async function reconcileScripts(): Promise<void> {
  const { effective } = await state();
  const wanted = new Set(effective.enabled_sites.filter((id) => !KNOWN.has(id)));
  const registered = await chrome.scripting.getRegisteredContentScripts();
  for (const script of registered) {
    if (!script.id.startsWith(SCRIPT_PREFIX)) continue;
    const site = script.id.slice(SCRIPT_PREFIX.length);
    if (!wanted.has(site)) await chrome.scripting.unregisterContentScripts({ ids: [script.id] }).catch(() => undefined);
    wanted.delete(site);
  }
  for (const site of wanted) {
    const granted: string[] = [];
    for (const pattern of patternsFor(site)) if (await chrome.permissions.contains({ origins: [pattern] })) granted.push(pattern);
    if (granted.length) await register(site, granted).catch(() => undefined);
  }
}
