// Applying a suggestion from the card, on every fixture editor: the editor's own model
// becomes the expected text, and typing carries on normally afterwards.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openSite } from './lib/browser.mjs';
import { waitForAx } from './lib/ax.mjs';
import { EDITORS } from './lib/editors.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Facebook is Relaxed by default, so it shows only high-risk findings: there the post ties
// the job to politics, and the fix removes the reference to the job.
const CASES = {
  default: { post: 'Great walk today. Views my own.', action: /Remove the disclaimer/, after: 'Great walk today.' },
  facebook: { post: 'I work at HMRC. Vote Labour!', action: /Remove the reference to your job/, after: 'Vote Labour!' },
};

async function waitForModel(page, expected) {
  let last;
  for (let i = 0; i < 100; i++) {
    last = await page.evaluate(() => window.__model());
    if (last === expected) return;
    await page.waitForTimeout(30);
  }
  assert.equal(last, expected);
}

for (const { site, host, editor, library } of EDITORS) {
  const { post, action, after: fixed } = CASES[site] ?? CASES.default;
  test(`${library} (${site}): applying the card's suggestion changes the editor's model, and typing continues`, async () => {
    const page = await openSite(browser.context, host);
    await page.click(editor);
    await page.keyboard.type(post);
    // The card opens from the caret once the engine has answered.
    let opened = false;
    for (let i = 0; i < 60 && !opened; i++) {
      await page.keyboard.press('Control+.');
      opened = await waitForAx(page, 'dialog', 'Impartial', { timeout: 150 }).then(() => true, () => false);
    }
    assert.ok(opened, 'the card opened from the keyboard');
    const button = await waitForAx(page, 'button', action);
    assert.ok(button.focused, `the suggestion is the focused, first action (focused: ${JSON.stringify(button)})`);
    await page.keyboard.press('Enter');
    await waitForModel(page, fixed);
    await page.keyboard.press('End');
    await page.keyboard.type(' Back home!');
    await waitForModel(page, `${fixed} Back home!`);
    await page.screenshot({ path: `tests/e2e/artifacts/apply-${site}.png` });
    assert.deepEqual(browser.pageErrors, []);
    await page.close();
  });
}
