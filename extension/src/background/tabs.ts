// What the popup shows about one tab. The background remembers, per tab and in memory only,
// the host and the number of findings of the last check (never any text); after a worker
// restart that is unknown until the next check.

import { is_valid_site_id, site_for_host } from 'impartial-engine';
import type { PopupState } from '../shared/messages';
import { SITES, siteName, type Strictness } from '../shared/sites';
import { state } from './engine';

interface TabRecord { host: string; site: string; findings: number }
const tabs = new Map<number, TabRecord>();

export function recordCheck(tabId: number, host: string, site: string, findings: number, topFrame: boolean): void {
  const known = tabs.get(tabId);
  if (!topFrame && known && known.host !== host) return; // an iframe does not speak for the tab
  tabs.set(tabId, { host, site, findings });
}

export function forgetTab(tabId: number): void {
  tabs.delete(tabId);
}

export async function popupState(tabId?: number, url?: string): Promise<PopupState> {
  const loaded = await state();
  const record = tabId !== undefined ? tabs.get(tabId) : undefined;
  let host: string | null = null;
  let origin: string | null = null;
  if (url) {
    try {
      const parsed = new URL(url);
      if (parsed.protocol === 'https:' || parsed.protocol === 'http:') {
        host = parsed.hostname;
        origin = parsed.origin;
      }
    } catch { /* not a web page */ }
  } else if (record) {
    host = record.host;
    origin = `https://${record.host}`;
  }
  const now = Date.now();
  const { effective, policy, engine } = loaded;
  const pausedUntil = effective.pause_until !== null && effective.pause_until > now ? effective.pause_until : null;
  const pauseLocked = policy?.locked.includes('pause') ?? false;
  if (!host) {
    return {
      ok: true, host: null, origin: null, site: null, siteName: null, strictness: 'off', effectiveStrictness: 'off', minimum: 'off',
      enabled: false, canEnable: false, pausedUntil, pauseLocked, findings: null,
    };
  }
  const site = site_for_host(host);
  const known = SITES.find((s) => s.id === site);
  const enabled = effective.enabled_sites.includes(site);
  const strictness: Strictness = effective.sites[site] ?? known?.defaultStrictness ?? 'standard';
  return {
    ok: true, host, origin, site, siteName: known ? known.name : siteName(site),
    strictness, effectiveStrictness: engine.strictnessFor(host, now) as Strictness,
    minimum: policy?.minimum_strictness[site] ?? 'off',
    enabled, canEnable: !enabled && is_valid_site_id(site), pausedUntil, pauseLocked,
    findings: record && record.host === host ? record.findings : null,
  };
}
