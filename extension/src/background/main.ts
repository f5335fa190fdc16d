// Background entry (Chrome service worker, Firefox event page): serves check requests from
// content scripts and settings requests from the extension's own pages. Listeners are
// registered synchronously at the top level so a worker woken by an event receives it.
//
// Trust: every message must come from this extension (`sender.id`); settings may only be
// changed by the extension's pages, never by a content script (which runs inside web pages),
// except for the three card actions, which only ever make checking less strict for the
// sender's own site or phrase and are bounded by the organisation policy.

import { invalidate, loadWasm, message, recoverFromTrap, state } from './engine';
import { enableSite, reconcileScripts, removeSite } from './sites';
import {
  cardAction, exportSettings, importSettings, pause, resume, saveSettings, settingsState, setStrictness,
  listRules, checkTerms, tryCheck, PAUSE_ALARM, endPauseIfDue,
} from './settings';
import { popupState, recordCheck, forgetTab } from './tabs';
import {
  MAX_CHECK_CHARS, type CardAction, type CheckRequest, type CheckResponse, type Finding, type SettingsRequest,
} from '../shared/messages';
import type { Strictness } from '../shared/sites';
import { touchesSettings } from './store';

chrome.runtime.onMessage.addListener((request: unknown, sender, sendResponse) => {
  // Only our own content scripts and pages may use the engine.
  if (sender.id !== chrome.runtime.id || typeof request !== 'object' || request === null) return false;
  const handler = route(request as { kind?: unknown }, sender);
  if (!handler) return false;
  handler().then(sendResponse, (error: unknown) => {
    // A panic in the engine fails this request only: the next one gets a fresh instance.
    recoverFromTrap(error);
    sendResponse({ ok: false, error: message(error) });
  });
  return true; // keeps the channel open for the asynchronous answer
});

function route(request: { kind?: unknown }, sender: chrome.runtime.MessageSender): (() => Promise<unknown>) | undefined {
  if (isCheckRequest(request)) return () => answer(request, sender);
  // A compose box got focus: have the engine ready before the first check (no data either way).
  if (request.kind === 'warm') return () => state().then(() => ({ ok: true }));
  if (isCardAction(request)) {
    const host = senderHost(sender);
    if (!host) return () => Promise.resolve({ ok: false, error: 'card actions come from a web page' });
    return () => cardAction(request, host);
  }
  if (!fromExtensionPage(sender)) return undefined; // content scripts may not change settings
  const r = request as SettingsRequest;
  switch (r.kind) {
    case 'get-settings': return settingsState;
    case 'save-settings': return () => saveSettings(r.settings, r.onboarded);
    case 'import-settings': return () => importSettings(String(r.json));
    case 'export-settings': return exportSettings;
    case 'set-site-strictness': return () => setStrictness(String(r.site), r.strictness);
    case 'pause': return () => pause(Number(r.minutes));
    case 'resume': return resume;
    case 'popup-state': return () => popupState(r.tabId, r.url);
    case 'enable-site': return () => enableSite(String(r.origin), r.tabId);
    case 'remove-site': return () => removeSite(String(r.site));
    case 'list-rules': return () => listRules(r.policy);
    case 'check-terms': return () => checkTerms(r.terms);
    case 'try-check': return () => tryCheck(String(r.text).slice(0, MAX_CHECK_CHARS), r.strictness, r.profile);
    default: return undefined;
  }
}

async function answer(request: CheckRequest, sender: chrome.runtime.MessageSender): Promise<CheckResponse> {
  const text = request.text.slice(0, MAX_CHECK_CHARS);
  const { engine } = await state();
  const host = senderHost(sender);
  if (!host) {
    // An extension page (the options page's "try it" box) sees everything.
    return { ok: true, findings: engine.check(text, 'strict') as Finding[], strictness: 'strict' };
  }
  // The strictness is decided here from the sender's URL and the settings, never by the page.
  const result = engine.checkFor(text, host, Date.now()) as { findings: Finding[]; strictness: Strictness; site: string };
  if (sender.tab?.id !== undefined) recordCheck(sender.tab.id, host, result.site, result.findings.length, sender.frameId === 0);
  return { ok: true, findings: result.findings, strictness: result.strictness };
}

/** The host of the web page a message came from, or undefined for the extension's pages. */
function senderHost(sender: chrome.runtime.MessageSender): string | undefined {
  if (fromExtensionPage(sender) || !sender.tab) return undefined;
  const url = sender.url ?? sender.tab.url;
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.hostname : undefined;
  } catch {
    return undefined;
  }
}

function fromExtensionPage(sender: chrome.runtime.MessageSender): boolean {
  return typeof sender.url === 'string' && sender.url.startsWith(chrome.runtime.getURL(''));
}

function isCheckRequest(message: unknown): message is CheckRequest {
  const m = message as Partial<CheckRequest> | null;
  return typeof m === 'object' && m !== null && m.kind === 'check' && typeof m.text === 'string';
}

function isCardAction(m: { kind?: unknown } & Record<string, unknown>): m is CardAction & Record<string, unknown> {
  return (m.kind === 'allow-phrase' && typeof m.phrase === 'string')
    || (m.kind === 'disable-rule' && typeof m.rule === 'string')
    || m.kind === 'relax-site';
}

// Settings changed (here, in another window, or synced from another device): recompile at
// the next request. Content scripts listen to the same event and re-check.
chrome.storage.onChanged.addListener((changes, area) => {
  if (touchesSettings(changes, area)) invalidate(area === 'managed');
});

// The end of a pause: clear it so open tabs re-check (the check itself already compares
// the time, so a late alarm never extends a pause).
chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === PAUSE_ALARM) void endPauseIfDue();
});

// A host permission granted (from the popup's "Check posts on this site", or in the
// browser's own extension settings): check that site.
chrome.permissions.onAdded.addListener((permissions) => {
  for (const pattern of permissions.origins ?? []) {
    const match = /^(https?):\/\/([^/*]+)\/\*$/.exec(pattern);
    if (match) void enableSite(`${match[1]}://${match[2]}`);
  }
});

chrome.tabs.onRemoved.addListener((tabId) => forgetTab(tabId));

chrome.runtime.onInstalled.addListener((details) => {
  void reconcileScripts();
  if (details.reason === 'install') {
    void chrome.tabs.create({ url: chrome.runtime.getURL('options.html#welcome') });
  }
});

chrome.runtime.onStartup.addListener(() => {
  void reconcileScripts();
  void endPauseIfDue();
});

// Instantiate the engine as soon as the worker starts, so the first check after a cold
// start only waits for what is left of it.
void loadWasm().then(() => state()).catch((error: unknown) => console.warn('Impartial: engine start failed:', message(error)));
