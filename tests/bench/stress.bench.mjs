// Hostile sizes in a real page (issue #8): a 1 MB paste into a textarea, 10,000 emoji in
// Draft.js, and a compose box with deeply nested DOM. For each: how long until the findings
// are drawn, the longest main-thread task in the page meanwhile (what a user would feel
// as a freeze), and whether the page still answers. Bounded and measured; no targets.
// Run: ./build.sh bench   (or node tests/bench/stress.bench.mjs after ./build.sh)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { highlightedTexts, launch, openSite } from '../e2e/lib/browser.mjs';
import { baseSettings, openExtensionPage, send, until } from '../e2e/lib/shell.mjs';

const SENTENCE = 'Quiet Sunday with the family, then a long walk by the canal. ';

/** Runs `action` in `page` and returns its longest main-thread task (ms) from a DevTools trace. */
async function longestTask(page, action) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['toplevel', 'devtools.timeline'] }, transferMode: 'ReportEvents' });
  const result = await action();
  await cdp.send('Tracing.end');
  await done;
  await cdp.detach();
  // Tasks on renderer main threads (the page's, and the extension pages' own).
  const main = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const tasks = events.filter((e) => e.name === 'ThreadControllerImpl::RunTask' && e.ph === 'X' && main.has(`${e.pid}:${e.tid}`)).map((e) => e.dur / 1000);
  return { ...result, longestTaskMs: Math.max(0, ...tasks) };
}

/** The findings count the background recorded for the page's tab (the popup's figure). */
async function findingsIn(control, page) {
  await page.bringToFront();
  const tabId = await control.evaluate(async () => (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.id);
  return (await send(control, { kind: 'popup-state', tabId })).findings ?? 0;
}

/** A contenteditable's findings, read from the highlight registry. */
async function highlighted(page) {
  return Object.values(await highlightedTexts(page)).flat().length;
}

/** Time from `run` until findings are drawn: highlights, or (a textarea) the tab's count. */
async function timeToFindings(control, page, run, { textarea = false } = {}) {
  const count = () => (textarea ? findingsIn(control, page) : highlighted(page));
  const started = Date.now();
  await run();
  await until(async () => (await count()) >= 1, { what: 'findings', timeout: 60_000, interval: 50 });
  return { toFindingsMs: Date.now() - started, findings: await count() };
}

async function stillAnswers(page) {
  const started = Date.now();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve())));
  return Date.now() - started;
}

/**
 * Runs every case in a browser with `extension` and returns rows of
 * [name, { toFindingsMs, findings, longestTaskMs }, nextFrameMs]. With `baseline`, the
 * extension is an empty one: the same page work without Impartial, for comparison.
 */
async function runCases(extension, baseline) {
  const browser = await launch({ extension });
  const rows = [];
  try {
    const control = baseline ? undefined : await openExtensionPage(browser.context, browser.extensionId, 'options.html');
    if (control) await send(control, { kind: 'save-settings', settings: baseSettings(), onboarded: true });
    const drawn = (page, run, options) => (baseline ? timed(run) : timeToFindings(control, page, run, options));
    // 1. A 1 MB paste into Mastodon's textarea, with a finding at the very end.
    const mastodon = await openSite(browser.context, 'mastodon.social');
    const field = 'textarea.autosuggest-textarea__textarea';
    await mastodon.click(field);
    const mega = SENTENCE.repeat(Math.ceil(1_000_000 / SENTENCE.length)).slice(0, 1_000_000 - 20) + ' I work at HMRC.';
    const paste = await longestTask(mastodon, () => drawn(mastodon, () => mastodon.keyboard.insertText(mega), { textarea: true }));
    rows.push(['1 MB paste into a textarea', paste, await stillAnswers(mastodon)]);
    const key = await longestTask(mastodon, async () => {
      const started = Date.now();
      await mastodon.keyboard.type(' ok');
      return { toFindingsMs: Date.now() - started, findings: baseline ? 0 : await findingsIn(control, mastodon) };
    });
    rows.push(['  then typing 3 keys at its end', key, await stillAnswers(mastodon)]);
    await mastodon.close();

    // 2. 10,000 emoji (ZWJ families, tag-sequence flags) around a finding, in Draft.js.
    const x = await openSite(browser.context, 'x.com');
    await x.click('.public-DraftEditor-content');
    const emoji = '👨‍👩‍👧‍👦🏴󠁧󠁢󠁳󠁣󠁴󠁿🇬🇧😀'.repeat(2500) + ' I work at HMRC ';
    const emojiRun = await longestTask(x, () => drawn(x, () => x.keyboard.insertText(emoji)));
    rows.push(['10,000 emoji, then a finding (Draft.js)', emojiRun, await stillAnswers(x)]);
    await x.close();

    // 3. A compose box whose text sits 500 elements deep (a generic contenteditable on a
    // supported site, found by the content script's editor selector).
    const deep = await openSite(browser.context, 'x.com');
    const deepRun = await longestTask(deep, () => drawn(deep, () => deep.evaluate(() => {
      const box = document.createElement('div');
      box.className = 'public-DraftEditor-content';
      box.contentEditable = 'true';
      let at = box;
      for (let i = 0; i < 500; i++) {
        const span = document.createElement(i % 2 ? 'span' : 'div');
        span.append(document.createTextNode(i % 50 === 0 ? 'word ' : ''));
        at.append(span);
        at = span;
      }
      at.append(document.createTextNode('I work at HMRC'));
      document.body.prepend(box);
      box.focus();
      box.dispatchEvent(new Event('input', { bubbles: true }));
    })));
    rows.push(['editor text 500 elements deep', deepRun, await stillAnswers(deep)]);
    await deep.close();
  } finally {
    await browser.close();
  }
  return rows;
}

/** The case's own work, without waiting for findings (the baseline has no engine). */
async function timed(run) {
  const started = Date.now();
  await run();
  return { toFindingsMs: Date.now() - started, findings: 0 };
}

/** An extension that does nothing, so the baseline browser starts the same way. */
function emptyExtension() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'impartial-empty-ext-'));
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ manifest_version: 3, name: 'Empty', version: '1', background: { service_worker: 'background.js' } }));
  writeFileSync(path.join(dir, 'background.js'), '');
  return dir;
}

const withImpartial = await runCases(undefined, false);
const empty = emptyExtension();
const without = await runCases(empty, true);
rmSync(empty, { recursive: true, force: true });

console.log('\nHostile sizes in Chromium (one run each; longest main-thread task with Impartial, and the same page work without it):');
console.log(`  ${'case'.padEnd(40)} ${'to findings'.padStart(12)} ${'longest task'.padStart(13)} ${'without'.padStart(10)} ${'next frame'.padStart(11)}  findings`);
withImpartial.forEach(([name, r, frameMs], i) => {
  const base = without[i][1];
  console.log(`  ${name.padEnd(40)} ${`${r.toFindingsMs} ms`.padStart(12)} ${`${r.longestTaskMs.toFixed(1)} ms`.padStart(13)} ${`${base.longestTaskMs.toFixed(1)} ms`.padStart(10)} ${`${frameMs} ms`.padStart(11)}  ${r.findings}`);
});
