// The quiz page resumes after a reload: the same items from the same seed, at the first
// item this session has not answered, with the labels already given counted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servedSite } from './browser.mjs';

const site = servedSite();

test('a reload in the middle of a session resumes at the same item of the same items', async () => {
  const page = await site.browser.context.newPage();
  page.setDefaultTimeout(60000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    const phase = (want) => page.waitForFunction((p) => window.curvelabQuiz?.phase() === p, want);
    await page.goto(`${site.server.url}quiz.html`);
    await phase('setup');
    await page.getByLabel('Kind', { exact: true }).selectOption('pairwise');
    await page.getByLabel('Items', { exact: true }).fill('4');
    await page.getByLabel('Seed', { exact: true }).fill('5');
    await page.getByRole('button', { name: /Start/ }).click();
    await phase('answer');
    const first = await page.evaluate(() => window.curvelabQuiz.item().id);
    await page.keyboard.press('1');
    await page.keyboard.press('Enter');
    await phase('feedback');
    await page.keyboard.press('Enter');
    await phase('answer');
    const second = await page.evaluate(() => window.curvelabQuiz.item().id);
    assert.notEqual(second, first);
    await assert.doesNotReject(page.getByRole('heading', { name: /Item 2 of 4/ }).waitFor());

    await page.reload();
    await phase('answer');
    assert.equal(await page.evaluate(() => window.curvelabQuiz.item().id), second, 'the same item after the reload');
    await assert.doesNotReject(page.getByRole('heading', { name: /Item 2 of 4/ }).waitFor());
    assert.equal(
      (await page.evaluate(() => window.curvelabQuiz.sessionLines())).length,
      1,
      'the answer before the reload counts',
    );
    assert.equal(await page.getByLabel('Seed', { exact: true }).inputValue(), '5');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
