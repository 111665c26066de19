// The built page in Debian's Chromium: it loads offline from a static server, responds to
// Epsilon and Arms, grows curves when playing, reproduces them from a copied link, and
// refuses bad values with the core's message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, servedSite, waitIdle } from './browser.mjs';

const site = servedSite({ prefix: '/some/folder/' });

const curvePoints = (page, i = 0, kind = 'main') => page.evaluate(([c, k]) => window.curvelab.points(c, k), [i, kind]);
const allCurves = (page) =>
  page.evaluate(() =>
    Array.from({ length: window.curvelab.curves() }, (_, i) => [
      window.curvelab.points(i, 'main'),
      window.curvelab.points(i, 'truth'),
    ]),
  );

test('the page loads, draws its default curves and asks nothing of the network', async () => {
  const { page, outside, errors } = await openPage(site.browser.context, site.server.url, {
    origin: site.server.url.replace('/some/folder/', ''),
  });
  try {
    assert.equal(await page.evaluate(() => window.curvelab.curves()), 4);
    assert.equal((await curvePoints(page)).length, 0, 'a first visit opens at step 0, inviting Play');
    await assert.doesNotReject(page.getByRole('button', { name: /Play/ }).isVisible());
    for (const label of [
      'Arms',
      'Arm mean',
      'Arm spread',
      'Noise',
      'Drift',
      'Epsilon',
      'Step size α',
      'Initial value Q1',
      'UCB c',
      'Baseline (gradient)',
      'Agent',
      'Steps',
      'Runs',
      'Seed',
    ]) {
      assert.equal(await page.getByLabel(label, { exact: true }).count(), 1, `control labelled ${label}`);
    }
    for (const name of ['Play', 'Pause', 'Step', 'Reset']) {
      assert.equal(await page.getByRole('button', { name: new RegExp(name) }).count(), 1, `button ${name}`);
    }
    assert.deepEqual(outside, []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('Epsilon and Arms change the curves; the slider works too', async () => {
  const { page, errors } = await openPage(site.browser.context, `${site.server.url}#runs=2&steps=500`);
  try {
    const before = await curvePoints(page);
    await page.getByLabel('Epsilon', { exact: true }).fill('0.4');
    await page.getByLabel('Epsilon', { exact: true }).press('Enter');
    await waitIdle(page);
    const afterEpsilon = await curvePoints(page);
    assert.equal(afterEpsilon.length, 500);
    assert.notDeepEqual(afterEpsilon, before, 'epsilon 0.4 draws other curves');
    assert.match(page.url(), /epsilon=0\.4/);

    await page.getByLabel('Arms', { exact: true }).fill('25');
    await page.getByLabel('Arms', { exact: true }).press('Enter');
    await waitIdle(page);
    const afterArms = await curvePoints(page);
    assert.notDeepEqual(afterArms, afterEpsilon, '25 arms draw other curves');
    assert.match(page.url(), /arms=25/);

    await page.getByLabel('Epsilon slider').focus();
    await page.keyboard.press('ArrowLeft');
    await waitIdle(page);
    assert.match(page.url(), /epsilon=0\.39/);
    assert.notDeepEqual(await curvePoints(page), afterArms, 'the slider redraws');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('Play grows the curves, Pause stops them, and a copied link reproduces them exactly', async () => {
  const { page, errors } = await openPage(
    site.browser.context,
    `${site.server.url}#runs=3&steps=3000&speed=200&seed=7`,
  );
  try {
    await page.getByRole('button', { name: /Play/ }).click();
    await page.waitForFunction(() => window.curvelab.stepsDone() > 100 && window.curvelab.stepsDone() < 3000);
    const early = (await curvePoints(page, 1)).length;
    await page.waitForFunction((n) => window.curvelab.stepsDone() > n + 200, early);
    const later = (await curvePoints(page, 1)).length;
    assert.ok(later > early, `the curve grew from ${early} to ${later} points`);
    // Change epsilon while playing: recorded at its step and marked on the chart.
    await page.getByLabel('Epsilon', { exact: true }).fill('0.6');
    await page.getByLabel('Epsilon', { exact: true }).press('Enter');
    await page.waitForFunction((n) => window.curvelab.stepsDone() > n + 300, later);
    await page.getByRole('button', { name: /Pause/ }).click();
    const paused = await page.evaluate(() => window.curvelab.stepsDone());
    await page.waitForTimeout(200);
    assert.equal(await page.evaluate(() => window.curvelab.stepsDone()), paused, 'paused means paused');
    assert.equal(await page.evaluate(() => window.curvelab.playing()), false);
    assert.match(page.url(), /changes=\d+%3Ae%3A0\.6/);
    const seen = await allCurves(page);
    const link = page.url();

    const copy = await openPage(site.browser.context, link);
    try {
      assert.equal(await copy.page.evaluate(() => window.curvelab.stepsDone()), paused);
      assert.deepEqual(await allCurves(copy.page), seen, 'the same curves, point for point');
      assert.deepEqual(copy.errors, []);
    } finally {
      await copy.page.close();
    }
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('out-of-range values are refused inline with the allowed range, and nothing changes', async () => {
  const { page, errors } = await openPage(site.browser.context, `${site.server.url}#steps=1000`);
  try {
    const before = await curvePoints(page);
    const hash = new URL(page.url()).hash;
    const epsilon = page.getByLabel('Epsilon', { exact: true });
    await epsilon.fill('1.5');
    await epsilon.press('Enter');
    await assert.doesNotReject(page.getByText('epsilon must be in [0, 1], got 1.5').waitFor());
    assert.equal(await epsilon.getAttribute('aria-invalid'), 'true');
    await page.getByLabel('Arms', { exact: true }).fill('500');
    await page.getByLabel('Arms', { exact: true }).press('Enter');
    await assert.doesNotReject(page.getByText(/arms must be in \[2, .*got/).waitFor());
    await page.getByLabel('Noise', { exact: true }).fill('loud');
    await page.getByLabel('Noise', { exact: true }).press('Enter');
    await assert.doesNotReject(page.getByText(/noise must be a number/).waitFor());
    await page.getByLabel('Runs', { exact: true }).fill('50');
    await page.getByLabel('Runs', { exact: true }).press('Enter');
    await assert.doesNotReject(page.getByText(/runs must be in \[1, /).waitFor());
    await waitIdle(page);
    assert.deepEqual(await curvePoints(page), before, 'the curves are unchanged');
    assert.equal(new URL(page.url()).hash, hash, 'the link is unchanged');
    // Correcting the value clears the message.
    await epsilon.fill('0.2');
    await epsilon.press('Enter');
    await waitIdle(page);
    assert.equal(await page.getByText('epsilon must be in [0, 1], got 1.5').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('a bad link is drawn as far as it can be, with the core message', async () => {
  const { page, errors } = await openPage(site.browser.context, `${site.server.url}#epsilon=3`);
  try {
    await assert.doesNotReject(page.getByText('Not drawn: epsilon must be in [0, 1], got 3').waitFor());
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('presets, smoothing, the random experiment and the top-K filter', async () => {
  const { page, errors } = await openPage(site.browser.context, site.server.url);
  try {
    await page.selectOption('#preset', 'testbed');
    await waitIdle(page);
    assert.equal(await page.evaluate(() => window.curvelab.curves()), 3);
    await page.getByRole('button', { name: 'Step' }).click();
    assert.match(page.url(), /compare=0%2C0\.01%2C0\.1/);
    const ema = await curvePoints(page);
    await page.getByLabel('Smoothing').selectOption('none');
    const raw = await curvePoints(page);
    assert.notDeepEqual(raw, ema);
    assert.deepEqual(raw, await curvePoints(page, 0, 'raw'), 'no smoothing: the main line is the raw rewards');
    await page.getByLabel('Runs shown').selectOption('1');
    assert.match(page.url(), /top=1/);
    await page.getByRole('button', { name: 'New random experiment' }).click();
    await waitIdle(page);
    assert.match(await page.locator('#lesson').textContent(), /generator/);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('classroom mode hides the controls a link names', async () => {
  const { page, errors } = await openPage(
    site.browser.context,
    `${site.server.url}#hide=noise,seed,arm_mean,presets&embed=1`,
  );
  try {
    assert.equal(await page.getByLabel('Noise', { exact: true }).isVisible(), false);
    assert.equal(await page.getByLabel('Seed', { exact: true }).isVisible(), false);
    assert.equal(await page.getByLabel('Epsilon', { exact: true }).isVisible(), true);
    assert.equal(await page.locator('header').isVisible(), false);
    assert.deepEqual(errors, []);
    // A lesson hidden by the teacher stays hidden.
    const lesson = await openPage(
      site.browser.context,
      `${site.server.url}#lesson=testbed&compare=0,0.01,0.1&runs=3&steps=2000&seed=6&weight=0.98&speed=200&hide=lesson`,
    );
    assert.equal(await lesson.page.getByText("Sutton and Barto's testbed").count(), 0);
    await lesson.page.close();
  } finally {
    await page.close();
  }
});

test('a long run is computed in slices without blocking the page', async () => {
  const { page, errors } = await openPage(site.browser.context, site.server.url);
  try {
    // Record the progress bar and the frames drawn while 2,000,000 steps are computed.
    await page.evaluate(() => {
      window.progressShown = false;
      window.framesWhileBusy = 0;
      const bar = document.getElementById('progress');
      new MutationObserver(() => (window.progressShown ||= !bar.hidden)).observe(bar, { attributes: true });
      const count = () => {
        if (window.curvelab.busy()) window.framesWhileBusy++;
        requestAnimationFrame(count);
      };
      requestAnimationFrame(count);
      location.hash = 'runs=20&steps=100000';
    });
    await page.waitForFunction(() => window.curvelab.busy() === false && window.curvelab.stepsDone() === 100000, null, {
      timeout: 120000,
    });
    assert.equal(await page.evaluate(() => window.curvelab.curves()), 20);
    assert.equal(await page.evaluate(() => window.progressShown), true, 'a progress bar while computing');
    assert.ok((await page.evaluate(() => window.framesWhileBusy)) > 1, 'frames kept coming while computing');
    assert.ok((await curvePoints(page)).length <= 1500, 'long curves are drawn every few steps');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
