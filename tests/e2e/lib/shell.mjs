// Helpers for the extension shell's tests (tests/e2e/shell.test.mjs): the extension's own
// pages, a site that is not built in, a copy of the extension with its own id (for a
// managed policy), and axe-core.
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync, mkdirSync, existsSync, unlinkSync } from 'node:fs';
import { createHash } from 'node:crypto';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { highlightedTexts, ROOT } from './browser.mjs';
import { buildFixtures } from '../build-fixtures.mjs';
import { startServer } from './server.mjs';

/** Opens an extension page (popup.html, options.html…) in a tab and waits for it to render. */
export async function openExtensionPage(context, extensionId, file) {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/${file}`);
  if (file.startsWith('options')) await page.waitForSelector('html[data-ready="true"]');
  else await page.waitForFunction(() => document.getElementById('site-line')?.textContent !== 'Loading…');
  return page;
}

/** Sends a message to the background from an extension page and returns the answer. */
export function send(page, message) {
  return page.evaluate((m) => chrome.runtime.sendMessage(m), message);
}

/**
 * The tab id of `page` (made the active tab for the moment), as the extension sees it,
 * asked from the extension page `control`. (Not from Playwright's Worker: after the service
 * worker has been stopped that object is stale, and evaluating in it ends the browser.)
 */
export async function tabIdOf(page, control) {
  await page.bringToFront();
  return control.evaluate(async () => (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.id);
}

/** Opens the popup in a tab, about the tab of `sitePage`. */
export async function openPopupFor(context, extensionId, control, sitePage) {
  const tabId = await tabIdOf(sitePage, control);
  const popup = await openExtensionPage(context, extensionId, `popup.html?tab=${tabId}`);
  return { popup, tabId };
}

/** Settings as the user stored them (not the effective ones). */
export async function storedSettings(page) {
  const state = await send(page, { kind: 'get-settings' });
  if (!state.ok) throw new Error(state.error);
  return state.settings;
}

/** The settings the walking skeleton's tests assume, with `change` applied. */
export function baseSettings(change = (s) => s) {
  const s = {
    version: 1,
    profile: { policy: 'uk-civil-service', employer: 'HM Revenue and Customs', aliases: ['HMRC'], role: null, custom_terms: [], allowed_phrases: [], disabled_rules: [] },
    sites: { bluesky: 'standard', facebook: 'relaxed', linkedin: 'strict', mastodon: 'standard', reddit: 'standard', threads: 'standard', x: 'standard' },
    enabled_sites: ['x', 'facebook', 'linkedin', 'mastodon', 'bluesky', 'threads', 'reddit'],
    pause_until: null,
  };
  return change(s) ?? s;
}

/**
 * An HTTPS server for a site the extension does not know (a forum with a plain textarea),
 * answering any host; map its host with launch({ extraHostRules }).
 */
export async function startForumServer() {
  const certDir = path.join(ROOT, 'tests/e2e/.build/cert');
  if (!existsSync(path.join(certDir, 'cert.pem'))) {
    // The fixture server makes (and caches) the self-signed certificate on first start.
    await buildFixtures();
    await (await startServer()).close();
  }
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Forum (Impartial fixture)</title>
<style>body{font:16px/1.4 system-ui,sans-serif;margin:2em}textarea{width:30em;height:6em;font:inherit;padding:8px}</style></head>
<body><h1>Community forum</h1><label>Reply<br><textarea id="reply" spellcheck="true"></textarea></label>
<script src="/main.js"></script></body></html>`;
  const js = `window.__model = () => document.getElementById('reply').value; window.__posted = []; window.__ready = true;`;
  const server = https.createServer({ key: readFileSync(path.join(certDir, 'key.pem')), cert: readFileSync(path.join(certDir, 'cert.pem')) }, (req, res) => {
    const isJs = req.url.startsWith('/main.js');
    res.writeHead(200, { 'Content-Type': isJs ? 'text/javascript' : 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(isJs ? js : html);
  });
  server.on('tlsClientError', () => {});
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    port,
    rules: (host) => `MAP ${host} 127.0.0.1:${port}`,
    close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

/** The id Chromium gives an unpacked extension loaded from `dir` (hash of its real path). */
export function unpackedExtensionId(dir) {
  const hex = createHash('sha256').update(realpathSync(dir)).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

/**
 * Copies dist/chrome to a temporary folder (a different path, so a different extension id),
 * editing its manifest with `editManifest`. Returns { dir, id, remove }.
 */
export function copyExtension(editManifest = (m) => m) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'impartial-ext-'));
  cpSync(path.join(ROOT, 'dist/chrome'), dir, { recursive: true });
  const file = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(file, JSON.stringify(editManifest(manifest) ?? manifest, null, 2));
  return { dir, id: unpackedExtensionId(dir), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Installs a machine-wide Chromium policy giving extension `id` the managed storage
 * `values` (Linux reads /etc/chromium/policies/managed/*.json at start-up). It names only
 * this extension id, a temporary copy's, so other browsers on the machine are unaffected.
 * Returns a function removing it, or undefined when the folder is not writable here.
 */
export function installManagedPolicy(id, values) {
  const dir = '/etc/chromium/policies/managed';
  try {
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `impartial-e2e-${process.pid}.json`);
    writeFileSync(file, JSON.stringify({ '3rdparty': { extensions: { [id]: values } } }, null, 2));
    return () => { if (existsSync(file)) unlinkSync(file); };
  } catch {
    return undefined;
  }
}

const AXE = path.join(ROOT, 'node_modules/axe-core/axe.min.js');

/** Runs axe-core (WCAG 2.x A and AA rules) on `page`; returns its violations. */
export async function axeViolations(page) {
  // Evaluated through the DevTools protocol, so the extension page's CSP does not apply.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(readFileSync(AXE, 'utf8'));
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** Waits until `fn()` (async) returns something truthy; returns it. */
export async function until(fn, { timeout = 8000, interval = 25, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, interval));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/**
 * Firefox ESR with dist/firefox whose optional-permission requests are granted without a
 * prompt (extensions.webextOptionalPermissionPrompts = false: Firefox's own switch for
 * this), a known moz-extension UUID, and every HTTPS connection proxied to `forum`.
 * Returns { driver, base, close }.
 */
export async function launchFirefoxForForum(forum) {
  const { launchFirefox } = await import('./firefox.mjs');
  const uuid = '6f1d3a52-8c1e-4b7a-9d55-0e2a4b1c7f10';
  const firefox = await launchFirefox({
    upstream: { port: forum.port, allowHost: () => true },
    prefs: {
      'extensions.webextOptionalPermissionPrompts': false,
      'extensions.webextensions.uuids': JSON.stringify({ 'impartial@impartial.invalid': uuid }),
    },
  });
  return { driver: firefox.driver, base: `moz-extension://${uuid}/`, close: () => firefox.close() };
}

/** The texts under each Impartial highlight (name -> texts): the launcher's reader. */
export const markedTexts = highlightedTexts;

/** Waits until the highlights hold exactly `expected` (name -> texts, in any order). */
export async function waitForMarks(page, expected, timeout = 5000) {
  const norm = (m) => JSON.stringify(Object.fromEntries(Object.entries(m).sort().map(([k, v]) => [k, [...v].sort()])));
  let last;
  await until(async () => norm(last = await markedTexts(page)) === norm(expected), { timeout, what: `highlights ${JSON.stringify(expected)}` })
    .catch(() => { throw new Error(`highlights: expected ${JSON.stringify(expected)}, got ${JSON.stringify(last)}`); });
  return last;
}
