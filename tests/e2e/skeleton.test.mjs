// The walking skeleton, end to end: a person types into a compose box and the engine
// (Rust compiled to wasm, in the extension's background) underlines the statement that
// names the employer ("I work at HMRC"), and nothing else, without touching the model.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { editableWordBox, highlightedTexts, launch, markPixels, openSite, textareaWordBox, waitForHighlights } from './lib/browser.mjs';

const POST = 'I work at HMRC and love it';
let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('X (Draft.js): typing underlines the statement naming the employer and only it; the model is untouched', async () => {
  const page = await openSite(browser.context, 'x.com');
  const editor = '.public-DraftEditor-content';
  await page.click(editor);
  await page.keyboard.type(POST);
  await waitForHighlights(page, { 'impartial-medium': ['I work at HMRC'] });
  await page.mouse.move(0, 0);

  const inHmrc = await markPixels(page, await editableWordBox(page, editor, 'HMRC'), 'skeleton-x-hmrc.png');
  const inAnd = await markPixels(page, await editableWordBox(page, editor, 'and'));
  const inLove = await markPixels(page, await editableWordBox(page, editor, 'love'));
  await page.screenshot({ path: 'tests/e2e/artifacts/skeleton-x.png' });
  assert.ok(inHmrc > 20, `expected a visible mark under HMRC, found ${inHmrc} marked pixels`);
  assert.equal(inAnd, 0, 'no mark under "and"');
  assert.equal(inLove, 0, 'no mark under "love"');

  assert.equal(await page.evaluate(() => window.__model()), POST);
  assert.deepEqual(browser.pageErrors, []);
  await page.close();
});

test('Mastodon (textarea): the overlay marks the statement naming the employer and only it', async () => {
  const page = await openSite(browser.context, 'mastodon.social');
  const field = 'textarea.autosuggest-textarea__textarea';
  await page.click(field);
  await page.keyboard.type(POST);
  await page.mouse.move(0, 0);
  const box = await textareaWordBox(page, field, 'HMRC');
  await page.waitForFunction(() => true);
  let inHmrc = 0;
  for (let i = 0; i < 100 && inHmrc <= 20; i++) {
    inHmrc = await markPixels(page, box);
    if (inHmrc <= 20) await page.waitForTimeout(25);
  }
  await markPixels(page, box, 'skeleton-mastodon-hmrc.png');
  await page.screenshot({ path: 'tests/e2e/artifacts/skeleton-mastodon.png' });
  assert.ok(inHmrc > 20, `expected a visible mark under HMRC, found ${inHmrc} marked pixels`);
  assert.equal(await markPixels(page, await textareaWordBox(page, field, 'and')), 0, 'no mark under "and"');
  assert.equal(await markPixels(page, await textareaWordBox(page, field, 'love')), 0, 'no mark under "love"');
  // A textarea is drawn by the overlay, never by the highlight registry.
  assert.deepEqual(await highlightedTexts(page), {});
  assert.equal(await page.evaluate(() => window.__model()), POST);
  assert.deepEqual(browser.pageErrors, []);
  await page.close();
});
