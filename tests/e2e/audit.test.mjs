// "Audit my past posts" on the options page, end to end in Chromium with the shipped
// extension (dist/chrome): an X archive (a zip made here) and a JSON Lines file are picked
// in the page's file input, audited in the audit worker (wasm), and the report is checked as
// rendered: risk order, categories, the marks, the bio note, the filters, saving as HTML and
// CSV (the HTML opened with the network blocked), bad input, cancel, and no request but for
// the extension's own files. Then, in Firefox ESR, that a worker started from the options
// page gets the extension pages' CSP ('wasm-unsafe-eval') and audits.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, ROOT, launch } from './lib/browser.mjs';
import { axeViolations, baseSettings, openExtensionPage, send, until } from './lib/shell.mjs';
import { zip } from './lib/zip.mjs';

const EXTENSION_DIR = path.join(ROOT, 'dist/chrome');

const tweet = (id, text, created) => ({ tweet: { id_str: id, full_text: text, created_at: created, retweeted: false, lang: 'en' } });
const ytd = (name, value) => `window.YTD.${name}.part0 = ${JSON.stringify(value, null, 2)}`;

/** An X archive as X lays it out: data/tweets.js, data/account.js, data/profile.js. */
function xArchive() {
  return zip([
    ['data/tweets.js', ytd('tweets', [
      tweet('1001', 'Lovely walk along the river this morning, the herons were out in force', 'Sun Apr 07 08:00:00 +0000 2024'),
      tweet('1002', 'Honestly the Tories are a disgrace, vote Labour!', 'Tue Mar 05 19:30:00 +0000 2024'),
      tweet('1003', "The Chancellor's budget is a shambles", 'Thu Nov 17 12:00:00 +0000 2022'),
      tweet('1004', 'Fish &amp; chips tonight <3', 'Fri Jun 03 18:00:00 +0000 2022'),
      tweet('1005', 'Donate to the Labour campaign today, every pound helps', 'Mon Oct 07 09:00:00 +0000 2019'),
    ])],
    ['data/account.js', ytd('account', [{ account: { username: 'jo_example', accountId: '42' } }])],
    ['data/profile.js', ytd('profile', [{ profile: { description: { bio: 'Policy adviser at HMRC. Views my own.', location: 'London' } } }])],
    ['data/tweets_media/1001-photo.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46])],
  ]);
}

function filesUnder(dir, prefix = '') {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

/** What the rendered report shows, read from the page. */
function renderedPosts(page) {
  return page.$$eval('#audit-posts > li', (lis) => lis.map((li) => ({
    visible: !li.hidden,
    rank: Number(li.dataset.rank),
    severity: li.className,
    categories: li.dataset.categories.split(' '),
    text: li.querySelector('.post-text').textContent,
    marks: [...li.querySelectorAll('.post-text mark')].map((m) => m.textContent),
    link: li.querySelector('.meta a')?.getAttribute('href') ?? null,
    rel: li.querySelector('.meta a')?.getAttribute('rel') ?? null,
    findings: li.querySelectorAll('.findings > li').length,
    guidance: [...li.querySelectorAll('.findings a')].map((a) => a.getAttribute('href')),
  })));
}

async function pick(page, name, buffer, mimeType = 'application/octet-stream') {
  await page.setInputFiles('#audit-file', { name, mimeType, buffer });
}

async function waitForReport(page) {
  await page.waitForSelector('#audit-report:not([hidden])[data-ms]', { timeout: 30_000 });
}

describe('audit my past posts (options page, dist/chrome)', () => {
  let browser;
  let page;
  const requests = [];

  before(async () => {
    browser = await launch();
    browser.context.on('request', (request) => requests.push(request.url()));
    page = await openExtensionPage(browser.context, browser.extensionId, 'options.html');
    const saved = await send(page, { kind: 'save-settings', settings: baseSettings(), onboarded: true });
    assert.ok(saved.ok, JSON.stringify(saved));
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    await page.waitForSelector('#audit:visible');
  });
  after(async () => { await browser?.close(); });

  test('an X archive: the report in risk order with categories, marks, the bio note, links and guidance', async () => {
    requests.length = 0;
    await pick(page, 'twitter-2024-05-01.zip', xArchive(), 'application/zip');
    await waitForReport(page);
    await page.locator('#audit').screenshot({ path: path.join(ARTIFACTS, 'audit-report.png') });
    const posts = await renderedPosts(page);
    assert.deepEqual(posts.map((p) => p.text), [
      'Donate to the Labour campaign today, every pound helps',
      'Honestly the Tories are a disgrace, vote Labour!',
      "The Chancellor's budget is a shambles",
    ], 'flagged posts, riskiest first (clean posts are not listed)');
    assert.deepEqual(posts.map((p) => p.rank), [1, 2, 3]);
    assert.deepEqual(posts.map((p) => p.severity), ['high', 'medium', 'medium']);
    assert.deepEqual(posts.map((p) => p.categories), [['partisan', 'solicitation'], ['partisan'], ['government']]);
    assert.deepEqual(posts[0].marks, ['Donate', 'Labour campaign', 'every pound helps']);
    assert.deepEqual(posts[1].marks, ['Tories are a disgrace', 'vote Labour']);
    assert.deepEqual(posts[2].marks, ["The Chancellor's budget is a shambles"]);
    assert.equal(posts[0].link, 'https://x.com/jo_example/status/1005');
    assert.equal(posts[0].rel, 'noopener noreferrer');
    assert.ok(posts.every((p) => p.findings > 0 && p.guidance.every((u) => /^https?:\/\//.test(u))));
    assert.ok(posts.every((p) => p.guidance.length > 0), 'each finding links its guidance');

    const note = await page.textContent('#audit-notes .bio-note');
    assert.match(note, /Your X \(Twitter\) bio names your employer/);
    assert.match(note, /2 posts marked “attributable”/);
    assert.match(await page.textContent('#audit-summary'), /5 posts checked; 3 posts have findings/);
    assert.match(await page.textContent('#audit-status'), /Audited twitter-2024-05-01\.zip/);
    const categoryRows = await page.$$eval('#audit-by-category tr', (rows) => rows.map((r) => r.textContent));
    assert.deepEqual(categoryRows, ['Party politics25', 'Asking for money or votes12', 'Criticising the government11']);
    assert.equal(await page.locator('#audit-chart svg rect.bar-flagged').count(), 3, 'three months with findings');
    assert.ok(await page.locator('#audit-chart svg rect.bar-all').count() > 50, 'every month from 2019-10 to 2024-04');
    assert.equal(await page.locator('#audit-problems').isHidden(), true);
    // axe-core on the page with the report, light and dark.
    assert.deepEqual(await axeViolations(page), []);
    await page.emulateMedia({ colorScheme: 'dark' });
    assert.deepEqual(await axeViolations(page), []);
    await page.locator('#audit').screenshot({ path: path.join(ARTIFACTS, 'audit-report-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  test('the filters hide what does not match (category, severity, year)', async () => {
    const visibleTexts = async () => (await renderedPosts(page)).filter((p) => p.visible).map((p) => p.text);
    await page.selectOption('#audit-filter-category', 'government');
    assert.deepEqual(await visibleTexts(), ["The Chancellor's budget is a shambles"]);
    assert.match(await page.textContent('#audit-shown'), /Showing 1 of 3 posts/);
    await page.selectOption('#audit-filter-category', '');
    await page.selectOption('#audit-filter-severity', 'high');
    assert.deepEqual(await visibleTexts(), ['Donate to the Labour campaign today, every pound helps']);
    await page.selectOption('#audit-filter-severity', '');
    const years = await page.$$eval('#audit-filter-year option', (o) => o.map((x) => x.value));
    assert.deepEqual(years, ['', '2024', '2022', '2019']);
    await page.selectOption('#audit-filter-year', '2024');
    assert.deepEqual(await visibleTexts(), ['Honestly the Tories are a disgrace, vote Labour!']);
    await page.selectOption('#audit-filter-year', '2022');
    await page.selectOption('#audit-filter-category', 'partisan');
    assert.deepEqual(await visibleTexts(), []);
    assert.match(await page.textContent('#audit-shown'), /No post matches/);
    // By keyboard: the filters are ordinary labelled selects.
    await page.focus('#audit-filter-category');
    await page.keyboard.press('Home');
    await page.selectOption('#audit-filter-year', '');
    await page.selectOption('#audit-filter-category', '');
    assert.equal((await visibleTexts()).length, 3);
    assert.equal(await page.getByLabel('Category', { exact: true }).count(), 1);
  });

  test('Save as HTML: a self-contained file that renders with the network blocked; Save as CSV', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#audit-save-html')]);
    assert.match(download.suggestedFilename(), /^impartial-audit-twitter-2024-05-01\.html$/);
    const html = readFileSync(await download.path(), 'utf8');
    const postText = html.replace(/<sup>[^<]*<\/sup>/g, '').replace(/<[^>]+>/g, '');
    assert.ok(postText.includes('Donate to the Labour campaign today, every pound helps'), 'the post is in the report');
    assert.ok(html.includes('<mark class="medium" title="[3] common.partisan.party-stance">Labour campaign</mark>'), 'with its spans marked');
    assert.ok(html.includes('Content-Security-Policy'));
    assert.doesNotMatch(html, /<script|<link|<img|<iframe|\bsrc\s*=|url\(|@import/i, 'no external resources');
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    assert.ok(hrefs.every((h) => /^https?:\/\//.test(h) || h.startsWith('#')), `only links out: ${hrefs.filter((h) => !/^https?:/.test(h))}`);

    const offline = await browser.context.newPage();
    const attempted = [];
    await offline.route('**', (route) => { attempted.push(route.request().url()); return route.abort(); });
    await offline.setContent(html, { waitUntil: 'load' });
    assert.deepEqual(attempted, [], 'the report loads nothing');
    assert.equal(await offline.locator('article').count(), 5, 'the two bio fields and the three flagged posts');
    assert.match(await offline.textContent('body'), /The Chancellor's budget is a shambles/);
    assert.ok((await offline.locator('mark').count()) >= 6);
    assert.match(await offline.textContent('body'), /names your employer|attributable/i);
    await offline.screenshot({ path: path.join(ARTIFACTS, 'audit-saved-html.png'), fullPage: true });
    await offline.close();

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.click('#audit-save-csv')]);
    assert.match(csvDownload.suggestedFilename(), /\.csv$/);
    const csv = readFileSync(await csvDownload.path(), 'utf8');
    assert.match(csv.split('\n')[0], /^rank,risk,date,platform/);
    assert.ok(csv.includes('Tories are a disgrace'));
  });

  test('the audit and saving made no request but for the extension\'s own files', async () => {
    const own = new Set(filesUnder(EXTENSION_DIR).map((f) => `chrome-extension://${browser.extensionId}/${f}`));
    const blobs = `blob:chrome-extension://${browser.extensionId}/`;
    const foreign = requests.filter((url) => !own.has(url.split(/[?#]/)[0]) && !url.startsWith(blobs));
    assert.deepEqual(foreign, []);
    assert.ok(requests.some((u) => u.endsWith('/audit-worker.js')), 'the worker was loaded from the extension');
  });

  test('a JSON Lines file: a broken line is counted and listed, the rest audited', async () => {
    const lines = [
      JSON.stringify({ id: 'a', text: 'Vote Green on Thursday, the planet can\'t wait', date: '2023-05-01', url: 'https://example.org/posts/a' }),
      '{"id": "b", "text": broken',
      JSON.stringify({ id: 'c', text: 'Finished the book club pick at last', date: '2023-06-01' }),
      JSON.stringify({ id: 'd', text: 'Sign the petition to scrap the policy now', date: '2021-02-03', url: 'javascript:alert(1)' }),
    ].join('\n');
    await pick(page, 'posts.jsonl', Buffer.from(lines), 'application/jsonl');
    await waitForReport(page);
    const posts = await renderedPosts(page);
    assert.ok(posts.length >= 1);
    assert.ok(posts.some((p) => p.text.startsWith('Vote Green')));
    assert.ok(posts.every((p) => p.link === null || /^https?:/.test(p.link)), 'only http(s) links');
    assert.match(await page.textContent('#audit-summary'), /3 posts checked/);
    assert.match(await page.textContent('#audit-summary'), /1 post could not be read/);
    assert.equal(await page.locator('#audit-problems').isVisible(), true);
    assert.match(await page.textContent('#audit-problem-list'), /posts\.jsonl, line 2/);
    assert.equal(await page.locator('#audit-notes .bio-note').count(), 0);
  });

  test('bad input: a corrupt zip and a wrong file get a message naming the file and what was expected', async () => {
    const corrupt = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(64, 7)]);
    await pick(page, 'twitter-broken.zip', corrupt, 'application/zip');
    await until(async () => (await page.textContent('#audit-error')).length > 0, { what: 'an error', timeout: 15_000 });
    const error = await page.textContent('#audit-error');
    assert.match(error, /twitter-broken\.zip/);
    assert.match(error, /zip/i);
    assert.match(error, /expected/);
    assert.equal(await page.locator('#audit-report').isHidden(), true);
    assert.equal(await page.locator('#audit-running').isHidden(), true);

    const truncated = xArchive().subarray(0, 400);
    await pick(page, 'twitter-partial.zip', truncated, 'application/zip');
    await until(async () => /twitter-partial\.zip/.test(await page.textContent('#audit-error')), { what: 'the truncated zip error', timeout: 15_000 });

    await pick(page, 'tweets.js', Buffer.from('{"foo": 1}'), 'text/javascript');
    await until(async () => /tweets\.js/.test(await page.textContent('#audit-error')), { what: 'the wrong file error', timeout: 15_000 });
    assert.match(await page.textContent('#audit-error'), /expected/);
  });

  test('Cancel stops a long audit and keeps nothing', async () => {
    const lines = [];
    for (let i = 0; i < 150_000; i++) lines.push(JSON.stringify({ id: String(i), text: `Post number ${i}: lovely walk along the river this morning, vote Labour`, date: '2022-01-01' }));
    // Cancel as soon as the first progress report lands: a fast machine can finish this audit
    // between a test's waitForSelector and its click (CI did). The observer runs in the same
    // task as the progress message, so the worker's 'done' cannot be handled before the click.
    const cancelled = page.evaluate(() => new Promise((resolve) => {
      const bar = document.getElementById('audit-bar');
      const observer = new MutationObserver(() => {
        if (!(bar.value > 0)) return;
        observer.disconnect();
        document.getElementById('audit-cancel').click();
        resolve(bar.value);
      });
      observer.observe(bar, { attributes: true, attributeFilter: ['value'] });
    }));
    await pick(page, 'many.jsonl', Buffer.from(lines.join('\n')), 'application/jsonl');
    const percentAtCancel = await cancelled;
    assert.ok(percentAtCancel > 0 && percentAtCancel < 100, `cancelled mid-audit, at ${percentAtCancel}%`);
    assert.match(await page.textContent('#audit-status'), /Cancelled/);
    await page.waitForTimeout(1500);
    assert.equal(await page.locator('#audit-report').isHidden(), true, 'no report after cancel');
    assert.equal(await page.locator('#audit-running').isHidden(), true);
    assert.equal(await page.isEnabled('#audit-file'), true);
    // Nothing about the audit was stored.
    const stored = await page.evaluate(async () => JSON.stringify([await chrome.storage.local.get(null), await chrome.storage.sync.get(null)]));
    assert.doesNotMatch(stored, /Post number|Tories|Chancellor|herons/);
  });

  test('no page errors', () => {
    assert.deepEqual(browser.pageErrors, []);
  });
});

describe('audit worker in Firefox ESR (dist/firefox)', () => {
  const FIREFOX = process.env.FIREFOX ?? '/usr/lib/firefox-esr/firefox-esr';

  test('a worker started from the options page instantiates the wasm under the extension CSP and audits', { skip: !existsSync(FIREFOX) && 'no Firefox ESR here' }, async () => {
    const { launchFirefox } = await import('./lib/firefox.mjs');
    const uuid = '0b7c2f4e-5a61-4d8e-9e3b-2c1f6a7d8e90';
    const firefox = await launchFirefox({ prefs: { 'extensions.webextensions.uuids': JSON.stringify({ 'impartial@impartial.invalid': uuid }) } });
    try {
      const { driver } = firefox;
      const base = `moz-extension://${uuid}/`;
      // geckodriver does not navigate to moz-extension: pages; the onboarding tab is one.
      await driver.wait(async () => {
        for (const handle of await driver.getAllWindowHandles()) {
          await driver.switchTo().window(handle);
          if ((await driver.getCurrentUrl()).startsWith(`${base}options.html`)) return true;
        }
        return false;
      }, 15_000);
      const result = await driver.executeAsyncScript(`
        const done = arguments[arguments.length - 1];
        const worker = new Worker('audit-worker.js');
        const text = JSON.stringify({ id: 'a', text: 'Vote Labour on Thursday!', date: '2023-01-02' });
        const bytes = new TextEncoder().encode(text).buffer;
        const kinds = [];
        worker.onmessage = (e) => {
          kinds.push(e.data.kind);
          if (e.data.kind === 'done') done({ kinds, marks: e.data.report.flagged.flatMap((p) => p.findings.map((f) => p.text.slice(f.start, f.end))) });
          if (e.data.kind === 'error') done({ kinds, error: e.data.message });
        };
        worker.onerror = (e) => done({ workerError: e.message || 'worker error' });
        worker.postMessage({ kind: 'audit', name: 'posts.jsonl', bytes, settings: undefined, policy: null }, [bytes]);
      `);
      assert.equal(result.error, undefined);
      assert.equal(result.workerError, undefined);
      assert.equal(result.kinds.at(-1), 'done');
      assert.ok(result.marks.includes('Vote Labour'), JSON.stringify(result));
    } finally {
      await firefox.close();
    }
  });
});
