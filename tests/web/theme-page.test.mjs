// The colour schemes on the built pages in Chromium: the CSS writes each colour once as
// light-dark(light, dark), and the charts draw with the colours of the scheme in use (the
// browser's, or the one chosen), resolved, never the light-dark() text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, servedSite } from './browser.mjs';

// The browser prefers dark.
const site = servedSite({ colorScheme: 'dark' });

/** The CSS's colours of each scheme, as the chart and the page use them. */
const SCHEMES = {
  light: { ticks: '#5a6270', grid: 'rgba(0, 0, 0, 0.08)', rawAlpha: 0.09, background: 'rgb(247, 247, 244)' },
  dark: { ticks: '#a4acb9', grid: 'rgba(255, 255, 255, 0.09)', rawAlpha: 0.08, background: 'rgb(21, 24, 28)' },
};

/** What the page draws with now: the chart's colours and the page's background. */
const drawn = (page) =>
  page.evaluate(() => ({
    ...window.curvelab.colors(),
    background: getComputedStyle(document.body).backgroundColor,
  }));

/** Waits until the chart draws with the colours of `scheme`, then checks every one of them. */
async function expectScheme(page, scheme) {
  const want = SCHEMES[scheme];
  await page.waitForFunction((ticks) => window.curvelab.colors().ticks === ticks, want.ticks);
  assert.deepEqual(await drawn(page), want, scheme);
}

test('the chart follows the browser, the scheme chosen, and the browser again on auto', async () => {
  const { page, errors } = await openPage(site.browser.context, `${site.server.url}#runs=2&steps=200&seed=3`);
  try {
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), undefined, 'auto');
    await expectScheme(page, 'dark');
    await page.getByLabel('Colour scheme').selectOption('light');
    await expectScheme(page, 'light');
    await page.getByLabel('Colour scheme').selectOption('dark');
    await expectScheme(page, 'dark');
    await page.getByLabel('Colour scheme').selectOption('auto');
    await expectScheme(page, 'dark');
    // The browser turns light while the page is open: the chart follows.
    await page.emulateMedia({ colorScheme: 'light' });
    await expectScheme(page, 'light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectScheme(page, 'dark');
    // A chosen scheme holds whatever the browser prefers.
    await page.getByLabel('Colour scheme').selectOption('light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectScheme(page, 'light');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('a link naming a scheme opens in it, whatever the browser prefers', async () => {
  const { page, errors } = await openPage(
    site.browser.context,
    `${site.server.url}#runs=2&steps=200&seed=3&theme=light`,
  );
  try {
    await expectScheme(page, 'light');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test("the quiz page's chart follows the scheme chosen there and the browser's", async () => {
  const page = await site.browser.context.newPage();
  page.setDefaultTimeout(60000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${site.server.url}quiz.html`);
  await page.waitForFunction(() => window.curvelabQuiz !== undefined);
  const expectQuiz = async (scheme) => {
    const { ticks, grid, background } = SCHEMES[scheme];
    await page.waitForFunction((want) => window.curvelabQuiz.chartColors().ticks === want, ticks);
    assert.deepEqual(
      await page.evaluate(() => ({
        ...window.curvelabQuiz.chartColors(),
        background: getComputedStyle(document.body).backgroundColor,
      })),
      { ticks, grid, background },
      scheme,
    );
  };
  try {
    await page.getByLabel('Colour scheme').selectOption('dark');
    await expectQuiz('dark');
    await page.getByLabel('Colour scheme').selectOption('light');
    await expectQuiz('light');
    await page.getByLabel('Colour scheme').selectOption('auto');
    await expectQuiz('dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expectQuiz('light');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
