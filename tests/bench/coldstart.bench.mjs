// The first check after the service worker was stopped (a cold start), in Chromium. Two
// ways to meet a stopped worker: typing at the instant the compose box gets focus, and the
// usual way, typing a moment (300 ms) after placing the caret, by which time the focus has
// woken the background (content/main.ts keepEngineWarm). Prints each round and the medians.
// Run: ./build.sh bench   (or node tests/bench/coldstart.bench.mjs after ./build.sh)
import { launch, openSite } from '../e2e/lib/browser.mjs';
import { baseSettings, openExtensionPage, send, until, markedTexts } from '../e2e/lib/shell.mjs';
console.log('Cold start of the background (service worker stopped through the DevTools protocol before each round):');
const browser = await launch();
try {
  const { context } = browser;
  const control = await openExtensionPage(context, browser.extensionId, 'options.html');
  await send(control, { kind: 'save-settings', settings: baseSettings(), onboarded: true });
  const x = await openSite(context, 'x.com');
  await x.click('.public-DraftEditor-content');
  await x.keyboard.type('Lovely weather today.');
  await x.waitForTimeout(500);
  const cdp = await context.newCDPSession(x);
  const versions = [];
  cdp.on('ServiceWorker.workerVersionUpdated', (event) => versions.push(...event.versions));
  await cdp.send('ServiceWorker.enable');
  const results = { now: [], later: [], ready: [] };
  for (let round = 0; round < 8; round++) {
    // An empty box first (this edit wakes the worker), so each round waits for a new mark.
    await x.keyboard.press('Control+A');
    await x.keyboard.press('Backspace');
    await until(async () => Object.values(await markedTexts(x)).flat().length === 0, { what: 'marks gone' });
    await x.waitForTimeout(200);
    const running = await until(() => versions.findLast((v) => v.scriptURL.endsWith('/background.js') && v.runningStatus === 'running'), { what: 'running' });
    await cdp.send('ServiceWorker.stopWorker', { versionId: running.versionId });
    await until(() => versions.at(-1)?.runningStatus === 'stopped', { what: 'stopped' });
    await x.evaluate(() => document.activeElement?.blur());
    await x.waitForTimeout(300);
    if (round % 2 === 1) { await x.click('.public-DraftEditor-content'); await x.waitForTimeout(300); }
    else await x.focus('.public-DraftEditor-content');
    const typed = Date.now();
    await x.keyboard.insertText(' I work at HMRC.');
    await until(async () => Object.values(await markedTexts(x)).flat().length > 0, { what: 'check', timeout: 15000, interval: 5 });
    const ms = Date.now() - typed;
    const { coldStartMs, coldStartParts: parts } = await send(control, { kind: 'get-settings' });
    (round % 2 ? results.later : results.now).push(ms);
    results.ready.push(coldStartMs);
    console.log(`  round ${round} (${round % 2 ? 'focus, 300 ms, then type' : 'type at once after focus'}): typing -> underline ${ms} ms; worker start -> engine ready ${coldStartMs} ms (wasm ${parts?.wasm}, storage ${parts?.storage}, compile ${parts?.compile})`);
  }
  const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  console.log(`\nCold start (median of ${results.now.length} each): typing at the instant of focus ${median(results.now)} ms to the underline;`
    + ` typing 300 ms after focus ${median(results.later)} ms; worker start to engine ready ${median(results.ready)} ms (target: first check within 100 ms)`);
} finally { await browser.close(); }
