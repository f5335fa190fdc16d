// Privacy and safety of the shipped extension, end to end in Chromium: every request of
// every context is recorded while the user works (and must be for the extension's own
// files only); a hostile page that instruments everything never sees the profile; storage
// never holds post text; a page and a content script cannot drive the backend's settings.
// Then the test build's fault switches: a panic in the engine and an exception in the
// content script stop checking on one editor only, with a quiet notice, and posting works.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT, launch, openSite } from './lib/browser.mjs';
import { axNodes, waitForAx } from './lib/ax.mjs';
import { installHostileProbe } from './lib/hostile.mjs';
import { HOSTS } from './lib/server.mjs';
import { baseSettings, markedTexts, openExtensionPage, openPopupFor, send, storedSettings, until, waitForMarks } from './lib/shell.mjs';
import { EDITORS } from './lib/editors.mjs';

const byId = Object.fromEntries(EDITORS.map((e) => [e.site, e]));
const FIXTURES = path.join(ROOT, 'tests/e2e/.build/fixtures');

// The profile. The alias and one custom term get typed; the rest must never reach a page.
const EMPLOYER = 'Department for Widget Standards';
const ROLE = 'Deputy Director';
const UNTYPED_TERM = 'Project Nightjar';
const NEVER_IN_PAGE = [EMPLOYER, 'Widget Standards', ROLE, UNTYPED_TERM, 'Nightjar'];
// A word of the post that no rule or setting contains: it must never be stored.
const POST_ONLY = 'quokkas';
const POST = `I work at DWS. The Kestrel Review slipped again. Picnic with the ${POST_ONLY} later.`;

const profileSettings = () => baseSettings((s) => {
  s.sites.facebook = 'standard';
  s.profile = {
    ...s.profile, employer: EMPLOYER, aliases: ['DWS'], role: ROLE,
    custom_terms: [{ pattern: UNTYPED_TERM, category: 'confidential' }, { pattern: 'Kestrel Review', category: 'confidential' }],
  };
});

/** Files under `dir`, as paths relative to it with forward slashes. */
function filesUnder(dir, prefix = '') {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

/** Every string in `value` with its path; strings holding JSON are read as JSON too. */
function stringLeaves(value, at = '') {
  if (typeof value === 'string') {
    if (/^\s*[[{]/.test(value)) {
      try { return stringLeaves(JSON.parse(value), at); } catch { /* just text */ }
    }
    return [{ path: at, value }];
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, at ? `${at}.${k}` : k));
  }
  return [];
}

/** The requests that are not for the extension's own files or a fixture page's own files. */
function violations(requests, extensionId, extensionDir) {
  const own = new Set(filesUnder(extensionDir).map((f) => `chrome-extension://${extensionId}/${f}`));
  const pageFiles = new Set(Object.entries(HOSTS).flatMap(([host, fixture]) => [
    `https://${host}/`, ...filesUnder(path.join(FIXTURES, fixture)).map((f) => `https://${host}/${f}`),
  ]));
  return requests.filter(({ url, fromExtension }) => {
    const bare = url.split('#')[0];
    // The extension's own pages may carry a query (popup.html?tab=…): still its own file.
    if (own.has(bare.split('?')[0])) return false;
    // A fixture page loading its own files is the page's traffic, not the extension's.
    return fromExtension || !pageFiles.has(bare);
  });
}

describe('privacy in the shipped extension (dist/chrome)', () => {
  let browser;
  let control;
  const requests = [];
  let recording = true;

  before(async () => {
    browser = await launch();
    browser.context.on('request', (request) => {
      if (!recording) return;
      const worker = request.serviceWorker();
      let pageUrl = '';
      try { pageUrl = request.frame().url(); } catch { /* a worker's request has no frame */ }
      requests.push({
        url: request.url(), type: request.resourceType(), pageUrl,
        fromExtension: Boolean(worker) || pageUrl.startsWith('chrome-extension://'),
      });
    });
    control = await openExtensionPage(browser.context, browser.extensionId, 'options.html');
    assert.ok((await send(control, { kind: 'save-settings', settings: profileSettings(), onboarded: true })).ok);
  });
  after(async () => { await browser?.close(); });

  test('the request recorder sees the service worker and pages, and flags what is not the extension\'s own', async () => {
    const before = requests.length;
    await browser.worker.evaluate(() => fetch('https://probe.invalid/from-the-worker').catch(() => 'failed'));
    const x = await openSite(browser.context, 'x.com');
    await x.evaluate(() => fetch('https://x.com/probe-from-the-page').catch(() => 'failed'));
    await until(() => requests.slice(before).some((r) => r.url.includes('probe-from-the-page')), { what: 'the page probe' });
    const flagged = violations(requests.slice(before), browser.extensionId, path.join(ROOT, 'dist/chrome')).map((r) => r.url);
    assert.deepEqual(flagged.sort(), ['https://probe.invalid/from-the-worker', 'https://x.com/probe-from-the-page']);
    await x.close();
    requests.length = 0; // the probes are not the extension's traffic
  });

  test('typing, checking, cards, the popup, the options page and settings changes make no request but for the extension\'s own files', async () => {
    const { context, extensionId } = browser;
    for (const site of ['x', 'facebook', 'linkedin', 'bluesky', 'mastodon']) {
      const { host, editor } = byId[site];
      const page = await openSite(context, host);
      await page.click(editor);
      await page.keyboard.type(POST);
      if (!byId[site].textarea) await until(async () => JSON.stringify(await markedTexts(page)).includes('DWS'), { what: `underlines on ${site}` });
      else await page.waitForTimeout(400);
      await page.keyboard.press('Control+.');
      await page.waitForTimeout(150);
      await page.keyboard.press('Escape');
      if (site === 'x') {
        const { popup } = await openPopupFor(context, extensionId, control, page);
        await popup.getByLabel('Strict', { exact: true }).check();
        await until(async () => (await storedSettings(control)).sites.x === 'strict', { what: 'the popup change' });
        await popup.close();
      }
      await page.close();
    }
    const options = await openExtensionPage(context, extensionId, 'options.html');
    await options.fill('#try-text', POST);
    await until(async () => /DWS|Kestrel/.test(await options.textContent('#try-results')), { what: 'the try-it box' });
    await options.close();
    assert.ok((await send(control, { kind: 'save-settings', settings: profileSettings() })).ok);
    await send(control, { kind: 'export-settings' });

    const bad = violations(requests, extensionId, path.join(ROOT, 'dist/chrome'));
    assert.deepEqual(bad, [], `requests that are not the extension's own files: ${JSON.stringify(bad, null, 1)}`);
    assert.ok(requests.some((r) => r.url.startsWith(`chrome-extension://${extensionId}/`)) || requests.length > 0,
      'the recorder saw the stretch');
  });

  test('a hostile page (strict CSP, Trusted Types) sees the post it was typed into, never the profile; the extension\'s elements are closed to it', async () => {
    const { context, extensionId } = browser;
    const page = await context.newPage();
    await page.addInitScript(installHostileProbe);
    await page.goto('https://x.com/');
    await page.waitForFunction(() => window.__ready === true);
    // The page runs under a strict CSP with Trusted Types enforced (like x.com), and the
    // extension works there all the same.
    assert.equal(await page.evaluate(() => {
      try { document.createElement('div').innerHTML = '<b>x</b>'; return 'allowed'; } catch (error) { return error.name; }
    }), 'TypeError', 'Trusted Types are enforced on the page');
    await page.click(byId.x.editor);
    await page.keyboard.type(POST);
    await waitForMarks(page, { 'impartial-medium': ['I work at DWS'], 'impartial-high': ['Kestrel Review'] }).catch(async () => {
      // The exact severities belong to the rules; what matters here is that marks exist.
      await until(async () => JSON.stringify(await markedTexts(page)).includes('DWS'), { what: 'underlines' });
    });
    // The card and the badge list, open, while the page scans.
    await page.keyboard.press('Control+.');
    await waitForAx(page, 'dialog', /.+/);
    const highlights = await page.evaluate(() => window.__scan());
    await page.keyboard.press('Escape');
    const driven = await page.evaluate(([id, settings]) => window.__driveBackend(id, { kind: 'save-settings', settings }),
      [extensionId, baseSettings((s) => { s.profile.employer = 'Pwned by the page'; })]);
    await page.evaluate(() => window.__scan());
    const seen = await page.evaluate(() => window.__seen.join('\n'));
    const shadowModes = await page.evaluate(() => window.__shadowModes);
    // The instruments work: they saw the typed post and the extension's highlights.
    assert.ok(seen.includes('I work at DWS'), 'the probe saw the typed text');
    assert.ok(Object.keys(highlights).some((name) => name.startsWith('impartial-')), 'the probe read CSS.highlights');
    for (const secret of NEVER_IN_PAGE) assert.ok(!seen.includes(secret), `the page saw "${secret}"`);
    // The patched attachShadow was never the extension's (it runs in its own world), and no
    // element outside the page's own tree has an open shadow root.
    assert.deepEqual(shadowModes, []);
    const hosts = await page.evaluate(() => [...document.documentElement.children]
      .filter((e) => e !== document.head && e !== document.body)
      .map((e) => ({ tag: e.tagName, open: e.shadowRoot !== null, text: e.textContent, attributes: e.getAttributeNames() })));
    assert.ok(hosts.length >= 1, 'the extension drew something outside the editor');
    for (const host of hosts) {
      assert.equal(host.open, false, 'closed shadow root');
      assert.equal(host.text, '', 'nothing readable in the light DOM');
      assert.deepEqual(host.attributes, ['style']);
    }
    // The page cannot reach the background.
    assert.match(driven, /^(no chrome\.runtime\.sendMessage in the page|refused: )/);
    assert.equal((await storedSettings(control)).profile.employer, EMPLOYER);
    await page.close();
  });

  test('a content script may check and nothing else: settings and the profile are for the extension\'s pages', async () => {
    const { context } = browser;
    const page = await openSite(context, 'x.com');
    const cdp = await context.newCDPSession(page);
    const contexts = [];
    cdp.on('Runtime.executionContextCreated', ({ context: c }) => contexts.push(c));
    await cdp.send('Runtime.enable');
    const isolated = await until(() => contexts.find((c) => c.auxData?.type === 'isolated' && c.name === 'Impartial'), { what: "the content script's world" });
    const sendFromContentScript = async (message) => {
      const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
        contextId: isolated.id, awaitPromise: true, returnByValue: true,
        expression: `chrome.runtime.sendMessage(${JSON.stringify(message)}).then((a) => ({ answer: a ?? null }), (e) => ({ refused: e.message }))`,
      });
      if (exceptionDetails) throw new Error(exceptionDetails.text);
      return result.value;
    };
    // The request recorder sees the content script's world too (the control for the
    // no-network test above, whose stretch ran in these worlds).
    const before = requests.length;
    await cdp.send('Runtime.evaluate', { contextId: isolated.id, awaitPromise: true, expression: "fetch('https://probe.invalid/from-the-content-script').catch(() => 0)" });
    await until(() => requests.slice(before).some((r) => r.url.includes('from-the-content-script')), { what: "the content script's probe" });
    assert.deepEqual(violations(requests.slice(before), browser.extensionId, path.join(ROOT, 'dist/chrome')).map((r) => r.url), ['https://probe.invalid/from-the-content-script']);
    requests.length = before;
    // The channel works: a check is answered.
    const checked = await sendFromContentScript({ kind: 'check', text: 'I work at DWS' });
    assert.equal(checked.answer?.ok, true);
    assert.ok(checked.answer.findings.length > 0);
    // Everything else is not: no settings, no profile, no changes.
    for (const kind of ['get-settings', 'export-settings', 'save-settings', 'import-settings', 'pause', 'set-site-strictness', 'enable-site']) {
      const reply = await sendFromContentScript({ kind, settings: baseSettings(), json: '{}', minutes: 60, site: 'x', strictness: 'off', origin: 'https://evil.example' });
      assert.ok(reply.refused || reply.answer === null, `${kind} from a content script was answered: ${JSON.stringify(reply)}`);
      assert.ok(!JSON.stringify(reply).includes(EMPLOYER), `${kind} leaked the profile`);
    }
    const stored = await storedSettings(control);
    assert.equal(stored.profile.employer, EMPLOYER);
    assert.equal(stored.pause_until, null);
    await cdp.detach();
    await page.close();
  });

  test('storage holds settings only: no post text after a stretch of typing; an allowed phrase is the one thing kept', async () => {
    const { context } = browser;
    const page = await openSite(context, 'www.linkedin.com');
    await page.click(byId.linkedin.editor);
    await page.keyboard.type(POST);
    await until(async () => JSON.stringify(await markedTexts(page)).includes('DWS'), { what: 'underlines' });
    // "Always allow" from the card on the disclosure: that phrase is kept, on purpose.
    // Pressed again until the card shows, as in apply.test.mjs: under load the answer that
    // drew the underline can be followed by a re-check the shortcut meets half-way.
    let allow;
    for (let i = 0; i < 20 && !allow; i++) {
      await page.keyboard.press('Control+.');
      allow = await waitForAx(page, 'button', /Always allow/, { timeout: 500 }).catch(() => undefined);
    }
    assert.ok(allow, 'the card opened from the keyboard');
    const session = await context.newCDPSession(page);
    const { object } = await session.send('DOM.resolveNode', { backendNodeId: allow.backendDOMNodeId });
    await session.send('Runtime.callFunctionOn', { objectId: object.objectId, functionDeclaration: 'function () { this.click(); }' });
    await until(async () => (await storedSettings(control)).profile.allowed_phrases.length > 0, { what: 'the allowed phrase' });
    const pageStorage = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }));
    await page.close();

    const dump = await control.evaluate(async () => ({
      local: await chrome.storage.local.get(null),
      sync: await chrome.storage.sync.get(null),
      session: await chrome.storage.session.get(null),
      localStorage: { ...localStorage },
      indexedDB: (await indexedDB.databases()).map((d) => d.name),
      caches: await caches.keys(),
    }));
    const allowed = (await storedSettings(control)).profile.allowed_phrases;
    const text = JSON.stringify(dump);
    assert.ok(text.includes(EMPLOYER), 'the dump holds the settings (so it would hold anything else)');
    assert.ok(!text.includes(POST_ONLY), `post text in extension storage: ${text}`);
    assert.ok(!pageStorage.includes(POST_ONLY) && !pageStorage.includes(EMPLOYER), 'nothing in the page origin\'s storage');
    // The only words of the post kept are the allowed phrase itself, as an allowed phrase.
    const holding = stringLeaves(dump).filter(({ value }) => value.includes('I work at DWS')).map((l) => l.path);
    assert.ok(holding.length > 0 && holding.every((p) => /allowed_phrases\.\d+$/.test(p)), `where the phrase is kept: ${holding}`);
    assert.ok(allowed.every((p) => POST.includes(p)), `allowed: ${JSON.stringify(allowed)}`);
    assert.deepEqual(dump.indexedDB, []);
    assert.deepEqual(dump.caches, []);
  });
});

describe('fault switches (the test build, dist/chrome-test)', { skip: !existsSync(path.join(ROOT, 'dist/chrome-test')) && 'run ./build.sh test (builds dist/chrome-test)' }, () => {
  let browser;
  const notice = /^Impartial stopped checking this box after an internal error/;

  before(async () => {
    browser = await launch({ extension: path.join(ROOT, 'dist/chrome-test') });
    const control = await openExtensionPage(browser.context, browser.extensionId, 'options.html');
    assert.ok((await send(control, { kind: 'save-settings', settings: baseSettings(), onboarded: true })).ok);
    await control.close();
  });
  after(async () => { await browser?.close(); });

  test('the shipped build has no fault switch in it', () => {
    for (const file of filesUnder(path.join(ROOT, 'dist/chrome'))) {
      const bytes = readFileSync(path.join(ROOT, 'dist/chrome', file));
      assert.ok(!bytes.includes('impartial:test:'), `dist/chrome/${file} has a fault switch`);
    }
    assert.ok(readFileSync(path.join(ROOT, 'dist/chrome-test/content.js')).includes('impartial:test:throw-content'));
    assert.ok(readFileSync(path.join(ROOT, 'dist/chrome-test/engine/impartial_wasm_bg.wasm')).includes('impartial:test:panic-engine'));
  });

  for (const [fault, site, other] of [['panic-engine', 'x', 'bluesky'], ['throw-content', 'facebook', 'x']]) {
    test(`${fault === 'panic-engine' ? 'a panic in the engine' : 'an exception in the content script'} stops checking on that ${byId[site].library} editor only; typing and posting go on`, async () => {
      const { context } = browser;
      const page = await openSite(context, byId[site].host);
      await page.click(byId[site].editor);
      await page.keyboard.type(`Note impartial:test:${fault} here. I work at HMRC`);
      await waitForAx(page, 'button', notice);
      await page.keyboard.type(' and more text');
      await page.waitForTimeout(200);
      assert.deepEqual(await markedTexts(page), {}, 'no marks on the stopped editor');
      assert.equal((await axNodes(page)).filter((n) => notice.test(n.name)).length, 1, 'one quiet notice');
      assert.equal(await page.evaluate(() => window.__model()), `Note impartial:test:${fault} here. I work at HMRC and more text`);
      await page.click(byId[site].post);
      await until(async () => (await page.evaluate(() => window.__posted)).length === 1, { what: 'the post' });
      // Another editor, in another tab, is still checked (the engine recovered).
      const second = await openSite(context, byId[other].host);
      await second.click(byId[other].editor);
      await second.keyboard.type('I work at HMRC');
      await until(async () => JSON.stringify(await markedTexts(second)).includes('HMRC'), { what: `checks on ${other}`, timeout: 8000 });
      assert.deepEqual(browser.pageErrors, [], 'no uncaught error in any page');
      await second.close();
      await page.close();
    });
  }
});
