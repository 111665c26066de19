// The samples a new user loads in one click, on the built pages in Chromium: the quiz page's
// labels panel imports public/samples/labels.jsonl through the same path as a chosen file,
// and the download links of both pages serve the bytes of public/samples/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openPage, servedSite } from './browser.mjs';
import { root } from './wasm-node.mjs';

const site = servedSite({ prefix: '/some/folder/' });
const samples = path.join(root, 'public/samples');
const sampleLabels = fs
  .readFileSync(path.join(samples, 'labels.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '');

/** The quiz page, once its labels panel shows what is stored. */
async function openQuiz() {
  const page = await site.browser.context.newPage();
  page.setDefaultTimeout(60000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${site.server.url}quiz.html`);
  await page.waitForFunction(() => window.curvelabQuiz?.summary() !== undefined);
  return { page, errors };
}

/** Each link to `samples/` on `page`: its file name, and the status and bytes the page's server gives for it. */
const sampleLinks = (page) =>
  page.evaluate(async () =>
    Promise.all(
      Array.from(document.querySelectorAll('a[href^="samples/"]'), async (a) => {
        const response = await fetch(a.href);
        return {
          file: a.getAttribute('href').slice('samples/'.length),
          download: a.hasAttribute('download'),
          status: response.status,
          bytes: Array.from(new Uint8Array(await response.arrayBuffer())),
        };
      }),
    ),
  );

test('one click loads the sample labels, as Import JSONL imports them; again, every one is a duplicate', async () => {
  assert.ok(sampleLabels.length > 0, 'the sample holds labels');
  const { page, errors } = await openQuiz();
  try {
    assert.equal(await page.evaluate(() => window.curvelabQuiz.summary().labels), 0, 'a fresh browser stores none');
    await page.getByRole('button', { name: 'Load the sample labels' }).click();
    await page.waitForFunction((n) => window.curvelabQuiz.summary()?.labels === n, sampleLabels.length);
    assert.equal(
      await page.locator('#labels-status').textContent(),
      `Imported ${sampleLabels.length} new labels from samples/labels.jsonl.`,
    );
    assert.equal(await page.locator('#labels-error').isHidden(), true);
    assert.deepEqual(await page.evaluate(() => window.curvelabQuiz.storedLines()), sampleLabels, 'stored as given');
    assert.equal(
      await page.locator('#labels-total').textContent(),
      `${sampleLabels.length} labels from 1 annotator, stored in this browser.`,
    );
    // The same labels again: the core's merge skips them by id, as for a file.
    await page.getByRole('button', { name: 'Load the sample labels' }).click();
    await page.waitForFunction(() => /already stored/.test(document.getElementById('labels-status').textContent));
    assert.equal(
      await page.locator('#labels-status').textContent(),
      `Imported 0 new labels from samples/labels.jsonl; ${sampleLabels.length} already stored (same id) were skipped.`,
    );
    assert.equal(await page.evaluate(() => window.curvelabQuiz.summary().labels), sampleLabels.length);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test("the quiz page's links to the samples serve the bytes of public/samples", async () => {
  const { page, errors } = await openQuiz();
  try {
    const links = await sampleLinks(page);
    assert.deepEqual(
      links.map((l) => l.file),
      ['quiz.json', 'study.json'],
    );
    for (const link of links) {
      assert.equal(link.status, 200, link.file);
      assert.ok(link.download, `${link.file} is downloaded`);
      assert.deepEqual(Buffer.from(link.bytes), fs.readFileSync(path.join(samples, link.file)), link.file);
    }
    assert.match(await page.locator('#labels').textContent(), /curvelab score --quiz quiz\.json/);
    assert.match(await page.locator('#labels').textContent(), /curvelab prune study\.json/);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test("the playground's pruner panel links the sample study, served as public/samples/study.json", async () => {
  const { page, errors } = await openPage(site.browser.context, `${site.server.url}#runs=2&steps=200&seed=3`);
  try {
    const links = await sampleLinks(page);
    assert.deepEqual(
      links.map((l) => l.file),
      ['study.json'],
    );
    assert.equal(links[0].status, 200);
    assert.ok(links[0].download);
    assert.deepEqual(Buffer.from(links[0].bytes), fs.readFileSync(path.join(samples, 'study.json')));
    assert.match(await page.locator('#pruner-panel').textContent(), /curvelab prune study\.json/);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
