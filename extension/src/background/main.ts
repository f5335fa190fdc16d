// Background entry (Chrome service worker, Firefox event page): serves check requests.
// Listeners are registered synchronously at the top level so a worker woken by a message
// receives it.

import { engine } from './engine';
import { MAX_CHECK_CHARS, type CheckRequest, type CheckResponse, type Finding } from '../shared/messages';
import { siteForHost, type Strictness } from '../shared/sites';

chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
  // Only our own content scripts and pages may use the engine.
  if (sender.id !== chrome.runtime.id || !isCheckRequest(message)) return false;
  answer(message, sender).then(sendResponse, (error: unknown) =>
    sendResponse({ ok: false, error: String(error) } satisfies CheckResponse));
  return true; // keeps the channel open for the asynchronous answer
});

async function answer(request: CheckRequest, sender: chrome.runtime.MessageSender): Promise<CheckResponse> {
  const strictness = strictnessFor(sender);
  const text = request.text.slice(0, MAX_CHECK_CHARS);
  const findings = (await engine()).check(text, strictness) as Finding[];
  return { ok: true, findings, strictness };
}

/** The strictness of the site the request came from, decided here, never by the page. */
function strictnessFor(sender: chrome.runtime.MessageSender): Strictness {
  const url = sender.tab ? sender.url ?? sender.tab.url : undefined;
  if (!url) return 'strict'; // extension pages (options "try it") show everything
  const site = siteForHost(new URL(url).hostname);
  return site?.defaultStrictness ?? 'standard';
}

function isCheckRequest(message: unknown): message is CheckRequest {
  const m = message as Partial<CheckRequest> | null;
  return typeof m === 'object' && m !== null && m.kind === 'check' && typeof m.text === 'string';
}
