// Launches Debian's Chromium with the built extension (dist/chrome) and the fixture server,
// so the shipped manifest's match patterns decide where the content script runs.
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { countWarmPixels } from './pixels.mjs';
import { buildFixtures } from '../build-fixtures.mjs';
import { startServer } from './server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../../..');
export const ARTIFACTS = path.join(ROOT, 'tests/e2e/artifacts');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/lib/chromium/chromium';

/**
 * Starts the fixture server and a Chromium with the extension loaded.
 * Returns { context, server, worker, extensionId, pageErrors, close }.
 * `pageErrors` collects every console error and uncaught exception of every page.
 * `extraHostRules` ("MAP forum.example.org 127.0.0.1:1234") maps more hosts, e.g. to a
 * test's own server.
 */
export async function launch({ extension = path.join(ROOT, 'dist/chrome'), extraHostRules = '' } = {}) {
  await buildFixtures();
  const server = await startServer();
  const profile = mkdtempSync(path.join(os.tmpdir(), 'impartial-e2e-'));
  mkdirSync(ARTIFACTS, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 900, height: 600 },
    args: [
      `--disable-extensions-except=${extension}`,
      `--load-extension=${extension}`,
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--ignore-certificate-errors',
      `--host-resolver-rules=${server.hostResolverRules}${extraHostRules ? `, ${extraHostRules}` : ''}`,
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  const pageErrors = [];
  context.on('page', (page) => watchErrors(page, pageErrors));
  for (const page of context.pages()) watchErrors(page, pageErrors);
  return {
    context, server, worker, extensionId, pageErrors,
    async close() {
      await context.close();
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

function watchErrors(page, errors) {
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${page.url()}: console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
}

/** Opens https://<host>/ and waits until its editor is mounted. */
export async function openSite(context, host) {
  const page = await context.newPage();
  await page.goto(`https://${host}/`);
  await page.waitForFunction(() => window.__ready === true);
  return page;
}

/**
 * The texts under each Impartial highlight, read from the page's highlight registry. The
 * registry holds StaticRanges, which have no toString: each becomes a Range to be read.
 */
export function highlightedTexts(page) {
  return page.evaluate(() => {
    const text = (r) => {
      const range = document.createRange();
      try {
        range.setStart(r.startContainer, r.startOffset);
        range.setEnd(r.endContainer, r.endOffset);
      } catch {
        return '';
      }
      return range.toString();
    };
    const out = {};
    for (const [name, highlight] of CSS.highlights) {
      if (name.startsWith('impartial-')) out[name] = [...highlight].map(text);
    }
    return out;
  });
}

/** Waits until the highlight registry holds exactly `expected` (name -> texts). */
export async function waitForHighlights(page, expected, timeout = 5000) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await highlightedTexts(page);
    if (JSON.stringify(sorted(last)) === JSON.stringify(sorted(expected))) return last;
    await page.waitForTimeout(25);
  }
  throw new Error(`highlights: expected ${JSON.stringify(expected)}, got ${JSON.stringify(last)}`);
}

function sorted(byName) {
  return Object.fromEntries(Object.entries(byName).sort().map(([k, v]) => [k, [...v].sort()]));
}

/** Viewport boxes of each occurrence of `word` in the contenteditable at `selector`. */
export function editableWordBox(page, selector, word) {
  return page.evaluate(([selector, word]) => {
    const root = document.querySelector(selector);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.data.indexOf(word);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + word.length);
      const r = range.getBoundingClientRect();
      return { x: r.left, y: r.top, width: r.width, height: r.height };
    }
    return null;
  }, [selector, word]);
}

/**
 * Viewport box of `word` in a one-line <textarea>, measured with the field's own font on a
 * canvas (a textarea's text has no DOM ranges).
 */
export function textareaWordBox(page, selector, word) {
  return page.evaluate(([selector, word]) => {
    const field = document.querySelector(selector);
    const style = getComputedStyle(field);
    const context = document.createElement('canvas').getContext('2d');
    context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const at = field.value.indexOf(word);
    const box = field.getBoundingClientRect();
    const left = box.left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft)
      + context.measureText(field.value.slice(0, at)).width - field.scrollLeft;
    const top = box.top + parseFloat(style.borderTopWidth) + parseFloat(style.paddingTop);
    const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2;
    return { x: left, y: top, width: context.measureText(word).width, height: lineHeight };
  }, [selector, word]);
}

/**
 * Counts "ink" pixels of Impartial's marks (warm colours: red or amber, never the page's
 * grey text) in a screenshot of `box`, extended a few pixels down to catch the underline.
 */
export async function markPixels(page, box, screenshotName) {
  const clip = { x: Math.max(0, box.x), y: Math.max(0, box.y), width: box.width, height: box.height + 6 };
  const png = await page.screenshot({ clip, path: screenshotName ? path.join(ARTIFACTS, screenshotName) : undefined });
  return countWarmPixels(png);
}

