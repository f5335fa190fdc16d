// Random edits with the extension on must leave every editor's model exactly as the same
// edits leave it with the extension off: Impartial may draw, never disturb.
//   SOAK_EDITS=2000 node --test tests/e2e/soak.test.mjs   (default 200 per editor)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { launch, openSite } from './lib/browser.mjs';
import { EDITORS } from './lib/editors.mjs';

const EDITS = Number(process.env.SOAK_EDITS ?? 200);
const WORDS = ['HMRC', 'I', 'work', 'at', 'the', 'Tories', 'vote', 'Labour', 'views', 'my', 'own', '👩‍💻', '🇬🇧',
  '#VoteLabour', '@someone', 'https://example.org/a', 'café', 'שלום', 'and', 'love', 'it', 'disgrace'];

/** A small deterministic PRNG (mulberry32): the same seed gives the same edits in both runs. */
function prng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function editScript(seed, count) {
  const random = prng(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const edits = [];
  for (let i = 0; i < count; i++) {
    const r = random();
    if (r < 0.45) edits.push({ type: 'type', text: `${pick(WORDS)} ` });
    else if (r < 0.6) edits.push({ type: 'key', key: 'Backspace', times: 1 + Math.floor(random() * 4) });
    else if (r < 0.7) edits.push({ type: 'insert', text: `${pick(WORDS)} ${pick(WORDS)} ` });
    else if (r < 0.78) edits.push({ type: 'key', key: pick(['ArrowLeft', 'ArrowRight', 'Home', 'End']), times: 1 + Math.floor(random() * 3) });
    else if (r < 0.84) edits.push({ type: 'key', key: 'Enter', times: 1 });
    else if (r < 0.9) edits.push({ type: 'key', key: 'Control+z', times: 1 });
    else edits.push({ type: 'key', key: 'Shift+ArrowLeft', times: 2, then: 'Delete' });
  }
  return edits;
}

/**
 * Both runs must see the same clock and the same pace.
 * - Quill, Lexical and ProseMirror group undo steps by Date.now(), so the page's Date is
 *   fixed (Playwright's clock, main world only; timers keep running) and moved by the same
 *   step before every edit.
 * - After every key the page settles (a frame, then a task) before the next one. Lexical
 *   reads the DOM selection on `selectionchange`, a task of its own: a key that arrives
 *   before it ran edits at the old selection. With a fixed 10 ms gap instead, Lexical's
 *   model differed between two runs *without* the extension (seen 2026-12-02: one "V" of
 *   200 edits), which is what this test used to report as the extension's divergence.
 * What differs between the runs after that is what the extension does to the editor.
 */
const CLOCK_STEP_MS = 50;

async function play(page, selector, edits) {
  let now = Date.parse('2026-06-01T09:00:00Z');
  const tick = async () => {
    now += CLOCK_STEP_MS;
    await page.clock.setFixedTime(now);
  };
  /** A frame, then a task: every event the last key queued (selectionchange too) has run. */
  const settle = () => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
  await tick();
  await page.click(selector);
  const press = async (key, typed = false) => {
    if (typed) await page.keyboard.type(key);
    else await page.keyboard.press(key);
    await settle();
  };
  for (const edit of edits) {
    await tick();
    if (edit.type === 'type') {
      for (const char of edit.text) await press(char, true);
    } else if (edit.type === 'insert') {
      await page.keyboard.insertText(edit.text); // as a paste lands
      await settle();
    } else {
      for (let i = 0; i < edit.times; i++) await press(edit.key);
      if (edit.then) await press(edit.then);
    }
  }
  await page.waitForTimeout(200);
  return page.evaluate(() => window.__model());
}

let withExtension;
let plain;
before(async () => {
  withExtension = await launch();
  plain = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/lib/chromium/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', '--ignore-certificate-errors', `--host-resolver-rules=${withExtension.server.hostResolverRules}`],
  });
});
after(async () => {
  await plain?.close();
  await withExtension?.close();
});

for (const [index, { site, host, editor, library }] of EDITORS.entries()) {
  test(`${library} (${site}): ${EDITS} random edits give the same model with the extension on and off`, async () => {
    const edits = editScript(1000 + index, EDITS);
    const off = await plain.newPage({ viewport: { width: 900, height: 600 } });
    await off.goto(`https://${host}/`);
    await off.waitForFunction(() => window.__ready === true);
    const expected = await play(off, editor, edits);
    await off.close();

    const on = await openSite(withExtension.context, host);
    const actual = await play(on, editor, edits);
    await on.screenshot({ path: `tests/e2e/artifacts/soak-${site}.png` });
    await on.close();
    assert.ok(expected.length > 0);
    assert.equal(actual, expected);
    assert.deepEqual(withExtension.pageErrors, []);
  });
}
