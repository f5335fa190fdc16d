// The toolbar popup: the current site's strictness (applies to open tabs at once, through
// storage.onChanged), "Pause for 1 hour", "Check posts on this site" for sites that are not
// enabled, and the number of findings in the compose box last checked in the tab.
//
// Tests open this page in a tab as popup.html?tab=<id>[&url=<its address>], naming the tab.

import type { PopupState } from '../shared/messages';
import type { Strictness } from '../shared/sites';
import { $, ask, STRICTNESS_HELP, STRICTNESS_LABEL } from '../options/api';

let tabId: number | undefined;
let url: string | undefined;
let current: PopupState | undefined;

async function findTab(): Promise<void> {
  const named = Number(new URLSearchParams(location.search).get('tab'));
  const tab = Number.isInteger(named) && named > 0
    ? await chrome.tabs.get(named).catch(() => undefined)
    : (await chrome.tabs.query({ active: true, currentWindow: true }))[0];
  tabId = tab?.id;
  // Present thanks to activeTab (clicking the toolbar button) or a host permission. A tab
  // opened by a test has neither: the test names its address (?url=); the background checks
  // the permission itself before enabling anything, so this grants nothing.
  url = tab?.url ?? (named ? new URLSearchParams(location.search).get('url') ?? undefined : undefined);
}

async function refresh(): Promise<void> {
  const state = await ask<PopupState>({ kind: 'popup-state', tabId, url });
  if (!state.ok) {
    $('site-line').textContent = `Impartial could not start: ${state.error}`;
    return;
  }
  current = state;
  render(state);
}

function render(state: PopupState): void {
  const siteLine = $('site-line');
  const controls = $('site-controls');
  const enable = $('enable-controls');
  if (!state.host) {
    siteLine.textContent = 'Impartial checks posts on social media sites. Open one to adjust it here.';
    controls.hidden = true;
    enable.hidden = true;
  } else if (state.enabled) {
    siteLine.textContent = state.host;
    controls.hidden = false;
    enable.hidden = true;
    $('site-name').textContent = state.siteName ?? state.host;
    const levels: Strictness[] = ['off', 'relaxed', 'standard', 'strict'];
    const minimum = levels.indexOf(state.minimum);
    for (const input of document.querySelectorAll<HTMLInputElement>('input[name="strictness"]')) {
      input.checked = input.value === state.strictness;
      input.disabled = levels.indexOf(input.value as Strictness) < minimum;
    }
    $('strictness-help').textContent = STRICTNESS_HELP[state.strictness];
    const note = $('minimum-note');
    note.hidden = minimum <= 0;
    note.textContent = minimum > 0 ? `Your organisation requires at least ${STRICTNESS_LABEL[state.minimum]} here (locked).` : '';
    const findings = $('findings');
    if (state.effectiveStrictness === 'off' && state.pausedUntil) findings.textContent = 'Paused: nothing is underlined.';
    else if (state.findings === null) findings.textContent = 'No compose box checked in this tab yet.';
    else findings.textContent = state.findings === 1 ? '1 finding in the compose box.' : `${state.findings} findings in the compose box.`;
  } else {
    siteLine.textContent = state.host;
    controls.hidden = true;
    enable.hidden = !state.canEnable;
    $('enable-text').textContent = `Impartial is not checking posts on ${state.host}.`;
  }
  const paused = state.pausedUntil !== null;
  $('pause').hidden = paused;
  ($('pause') as HTMLButtonElement).disabled = state.pauseLocked;
  $('pause-locked').hidden = !state.pauseLocked;
  $('paused').hidden = !paused;
  if (paused) $('paused-text').textContent = `Paused until ${new Date(state.pausedUntil!).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}.`;
}

function say(text: string, error = false): void {
  const status = $('status');
  status.textContent = text;
  status.className = error ? 'small error' : 'small';
}

$('strictness').addEventListener('change', async (event) => {
  const input = event.target as HTMLInputElement;
  if (!current?.site) return;
  const result = await ask({ kind: 'set-site-strictness', site: current.site, strictness: input.value as Strictness });
  if (!result.ok) say(result.error, true);
  else say(`${STRICTNESS_LABEL[input.value]} on ${current.siteName ?? current.host}.`);
  await refresh();
});

$('pause').addEventListener('click', async () => {
  const result = await ask({ kind: 'pause', minutes: 60 });
  say(result.ok ? 'Paused for an hour on every site.' : result.error, !result.ok);
  await refresh();
  if (result.ok) $('resume').focus();
});

$('resume').addEventListener('click', async () => {
  const result = await ask({ kind: 'resume' });
  say(result.ok ? 'Checking again.' : result.error, !result.ok);
  await refresh();
  if (result.ok) $('pause').focus();
});

$('enable-site').addEventListener('click', () => {
  const origin = current?.origin;
  if (!origin) return;
  // Ask first, inside the click (the browser needs the user's gesture). Chrome may close
  // this popup while its prompt shows; the background then finishes from permissions.onAdded.
  const known = current?.site && ['x', 'facebook', 'linkedin', 'mastodon', 'bluesky', 'threads', 'reddit'].includes(current.site);
  const granted = known ? Promise.resolve(true) : chrome.permissions.request({ origins: [`${origin}/*`] });
  void granted.then(async (ok) => {
    if (!ok) {
      say('Impartial was not given access to this site, so it cannot check posts here.', true);
      return;
    }
    const result = await ask({ kind: 'enable-site', origin, tabId });
    say(result.ok ? `Impartial now checks posts on ${current?.host}.` : result.error, !result.ok);
    await refresh();
  }, (error: unknown) => say(String(error), true));
});

$('open-options').addEventListener('click', (event) => {
  event.preventDefault();
  void chrome.runtime.openOptionsPage();
});

chrome.storage.onChanged.addListener(() => void refresh());

void findTab().then(refresh);
