// Firefox ESR: the same built extension underlines and applies suggestions in Draft.js,
// Lexical and a textarea, with the editor's own model following.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { By, Key, until } from 'selenium-webdriver';
import { launchFirefox } from './lib/firefox.mjs';
import { colourBox, countWarmPixels } from './lib/pixels.mjs';

let firefox;
before(async () => { firefox = await launchFirefox(); });
// Bounded: a close that never returns must fail this suite, not hang the whole run.
after(async () => { await firefox?.close(); }, { timeout: 60_000 });

const POST = 'I work at HMRC and love it';

async function open(host, selector) {
  const { driver } = firefox;
  await driver.get(`https://${host}/`);
  await driver.wait(async () => driver.executeScript('return window.__ready === true'), 10000);
  const editor = await driver.wait(until.elementLocated(By.css(selector)), 5000);
  await editor.click();
  return editor;
}

/** Texts under Impartial's highlights (contenteditable) as the page sees the registry. */
function highlighted(driver) {
  return driver.executeScript(`
    const out = {};
    for (const [name, h] of CSS.highlights) if (name.startsWith('impartial-')) out[name] = [...h].map((r) => { const x = document.createRange(); x.setStart(r.startContainer, r.startOffset); x.setEnd(r.endContainer, r.endOffset); return x.toString(); });
    return out;`);
}

for (const [name, host, selector] of [
  ['Draft.js', 'x.com', '.public-DraftEditor-content'],
  ['Lexical', 'www.threads.com', '[data-lexical-editor="true"]'],
]) {
  test(`Firefox ${name}: typing underlines the employer alias; the model is what was typed`, async () => {
    const { driver } = firefox;
    await open(host, selector);
    await firefox.driver.actions().sendKeys(POST).perform();
    await driver.wait(async () => (await warmPixelsUnder(driver, 'HMRC', selector)) > 20, 5000)
      .catch(async () => assert.fail(`no mark under HMRC; registry: ${JSON.stringify(await highlighted(driver))}`));
    assert.equal(await warmPixelsUnder(driver, 'love', selector), 0);
    assert.equal(await driver.executeScript('return window.__model()'), POST);
  });
}

test('Firefox textarea: typing draws a mark over the employer alias only', async () => {
  const { driver } = firefox;
  await open('mastodon.social', 'textarea.autosuggest-textarea__textarea');
  await firefox.driver.actions().sendKeys(POST).perform();
  assert.equal(await driver.executeScript('return window.__model()'), POST);
  // The overlay is in a closed shadow root: look at the pixels where HMRC is drawn.
  await driver.wait(async () => (await warmPixelsUnder(driver, 'HMRC')) > 20, 5000);
  assert.equal(await warmPixelsUnder(driver, 'love'), 0);
});

/** Warm (mark-coloured) pixels in a screenshot around `word` in the editor at `selector`. */
async function warmPixelsUnder(driver, word, selector = 'textarea') {
  const box = await driver.executeScript(`
    const field = document.querySelector(arguments[1]);
    if (!(field instanceof HTMLTextAreaElement)) {
      const walker = document.createTreeWalker(field, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const at = n.data.indexOf(arguments[0]);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(n, at);
        range.setEnd(n, at + arguments[0].length);
        const r = range.getBoundingClientRect();
        return { x: r.left, y: r.top, width: r.width, height: r.height, dpr: devicePixelRatio };
      }
      return null;
    }
    const style = getComputedStyle(field);
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = style.fontStyle + ' ' + style.fontWeight + ' ' + style.fontSize + ' ' + style.fontFamily;
    const at = field.value.indexOf(arguments[0]);
    const r = field.getBoundingClientRect();
    const x = r.left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft) + ctx.measureText(field.value.slice(0, at)).width;
    const y = r.top + parseFloat(style.borderTopWidth) + parseFloat(style.paddingTop);
    return { x, y, width: ctx.measureText(arguments[0]).width, height: parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2, dpr: devicePixelRatio };`, word, selector);
  if (!box) return 0;
  const png = Buffer.from(await driver.takeScreenshot(), 'base64');
  return countWarmPixels(png, { x: box.x * box.dpr, y: box.y * box.dpr, width: box.width * box.dpr, height: (box.height + 6) * box.dpr });
}

/** Waits until the page's editor model equals `expected`. */
async function waitForModel(driver, expected) {
  let last;
  await driver.wait(async () => (last = await driver.executeScript('return window.__model()')) === expected, 5000)
    .catch(() => assert.equal(last, expected));
}

/** The card's primary action (its one #1d4ed8 button) in a screenshot, in CSS pixels. */
async function primaryButtonCentre(driver) {
  const box = colourBox(Buffer.from(await driver.takeScreenshot(), 'base64'), [0x1d, 0x4e, 0xd8]);
  if (!box) return null;
  const dpr = await driver.executeScript('return devicePixelRatio');
  return { x: Math.round((box.x + box.width / 2) / dpr), y: Math.round((box.y + box.height / 2) / dpr) };
}

for (const [name, host, selector] of [
  ['Draft.js', 'x.com', '.public-DraftEditor-content'],
  ['Lexical', 'www.threads.com', '[data-lexical-editor="true"]'],
  ['textarea', 'mastodon.social', 'textarea.autosuggest-textarea__textarea'],
]) {
  // WebDriver in Firefox sends keys to document.activeElement, which for focus inside a
  // closed shadow root is the root's host, so a key cannot reach the card's focused button
  // (a person's key does). The test asserts that Ctrl+. moved the focus into the card, then
  // presses the suggestion with the pointer, as a mouse user would.
  test(`Firefox ${name}: Ctrl+. opens the card with the focus in it; its suggestion changes the model; typing continues`, async () => {
    const { driver } = firefox;
    await open(host, selector);
    await driver.actions().sendKeys('Great walk today. Views my own.').perform();
    await driver.wait(async () => (await warmPixelsUnder(driver, 'Views', selector)) > 20, 10000)
      .catch(() => assert.fail('no mark under the disclaimer'));
    await driver.actions().keyDown(Key.CONTROL).sendKeys('.').keyUp(Key.CONTROL).perform();
    let centre;
    await driver.wait(async () => (centre = await primaryButtonCentre(driver)) !== null, 5000)
      .catch(() => assert.fail('the card did not open'));
    const focus = await driver.executeScript(`const a = document.activeElement;
      return { inEditor: a === document.querySelector(arguments[0]) || !!document.querySelector(arguments[0])?.contains(a), host: a?.parentNode === document.documentElement };`, selector);
    assert.deepEqual(focus, { inEditor: false, host: true }, 'the focus moved from the editor into the card');
    await driver.actions().move({ x: centre.x, y: centre.y, origin: 'viewport' }).click().perform();
    await waitForModel(driver, 'Great walk today.');
    await driver.actions().sendKeys(Key.END, ' Back home!').perform();
    await waitForModel(driver, 'Great walk today. Back home!');
    await driver.wait(async () => (await primaryButtonCentre(driver)) === null, 2000)
      .catch(() => assert.fail('the card stayed open'));
  });
}
