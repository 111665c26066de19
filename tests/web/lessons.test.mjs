// The playground as a learner meets it, in Debian's Chromium, through accessible names:
// lessons that look the same however they are reached, Reset that replays the same
// experiment, edits that apply only when committed, a first impression that invites Play,
// the average view, the phone layout, the keyboard, and the smaller things.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openPage, servedSite, waitIdle } from './browser.mjs';

const site = servedSite({ acceptDownloads: true });

const hashOf = (page) => page.evaluate(() => window.curvelab.hash());
const stepsDone = (page) => page.evaluate(() => window.curvelab.stepsDone());
const curves = (page) =>
  page.evaluate(() => Array.from({ length: window.curvelab.curves() }, (_, i) => window.curvelab.points(i, 'main')));
const presetIds = (page) =>
  page
    .getByLabel('Teaching preset')
    .evaluate((select) => Array.from(select.options, (o) => o.value).filter((v) => v !== ''));

async function choose(page, id) {
  await page.getByLabel('Teaching preset').selectOption(id);
  await waitIdle(page);
}

/** A closed walk through every ordered pair of `ids` (an Euler circuit of the complete directed graph). */
function everyOrderedPair(ids) {
  const unused = new Map(ids.map((a) => [a, ids.filter((b) => b !== a)]));
  const stack = [ids[0]];
  const walk = [];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const next = unused.get(top).shift();
    if (next === undefined) walk.push(stack.pop());
    else stack.push(next);
  }
  return walk.reverse();
}

test('every preset, reached from any other, gives the same link and shows what its lesson says', async () => {
  const { page, errors } = await openPage(site.browser.context, site.server.url);
  try {
    const ids = await presetIds(page);
    assert.ok(ids.length >= 7, `presets: ${ids}`);
    // Each preset's link from a fresh page.
    const fresh = new Map();
    for (const id of ids) {
      const p = await openPage(site.browser.context, site.server.url);
      await choose(p.page, id);
      fresh.set(id, await hashOf(p.page));
      await p.page.close();
    }
    const walk = everyOrderedPair(ids);
    assert.equal(walk.length, ids.length * (ids.length - 1) + 1);
    for (let k = 0; k < walk.length; k++) {
      await choose(page, walk[k]);
      assert.equal(await hashOf(page), fresh.get(walk[k]), `${walk[k - 1] ?? 'a fresh page'} then ${walk[k]}`);
      assert.equal(
        await page.getByRole('button', { name: 'Back to the lesson' }).count(),
        0,
        'the lesson text, not a changed-experiment note',
      );
    }
    // Crossing curves after the pruner race: the dashed true values are drawn, no pruner dims a run.
    await choose(page, 'pruner-race');
    await choose(page, 'crossing');
    await assert.doesNotReject(page.getByText('Watch the dashed true values cross').waitFor());
    assert.equal(await page.getByRole('checkbox', { name: /^true value/ }).isChecked(), true);
    assert.equal(await page.getByRole('checkbox', { name: /^raw rewards/ }).isChecked(), true);
    assert.equal(await page.getByRole('checkbox', { name: /^random baseline/ }).isChecked(), true);
    for (const name of ['median', 'successive halving', 'hyperband']) {
      assert.equal(await page.getByRole('checkbox', { name, exact: true }).isChecked(), false, `${name} is not ticked`);
    }
    // New random experiment after the race: no pruner either.
    await choose(page, 'pruner-race');
    await page.getByRole('button', { name: 'New random experiment' }).click();
    await waitIdle(page);
    assert.doesNotMatch(await hashOf(page), /pruners=/);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('Reset replays the same experiment, the change made while playing kept; a stale lesson text is never shown', async () => {
  const { page, errors } = await openPage(site.browser.context, site.server.url);
  try {
    await choose(page, 'testbed');
    const lesson = "Sutton and Barto's testbed on one bandit";
    await assert.doesNotReject(page.getByText(lesson).waitFor());
    // Faster than the lesson's speed, so the test is short: the speed is a view setting.
    await page.getByLabel('Speed').fill('6');
    await page.getByRole('button', { name: /Play/ }).click();
    await page.waitForFunction(() => window.curvelab.stepsDone() > 300);
    await page.getByLabel('Epsilon', { exact: true }).fill('0.3');
    await page.getByLabel('Epsilon', { exact: true }).press('Enter');
    await page.waitForFunction(() => /changes=/.test(window.curvelab.hash()));
    const changed = Number(/changes=(\d+)/.exec(await hashOf(page))[1]);
    await page.waitForFunction((n) => window.curvelab.stepsDone() > n + 200, changed);
    await page.getByRole('button', { name: /Pause/ }).click();
    const paused = await stepsDone(page);
    const seen = await curves(page);
    // The experiment is no longer the lesson's: the text is replaced by a note and a way back.
    assert.equal(await page.getByText(lesson).count(), 0, 'no stale lesson text');
    await assert.doesNotReject(page.getByRole('button', { name: 'Back to the lesson' }).waitFor());

    await page.getByRole('button', { name: 'Reset' }).click();
    await waitIdle(page);
    assert.equal(await stepsDone(page), 0);
    const legend = page.getByRole('group', { name: /Runs: press one/ });
    assert.deepEqual(
      await legend.getByRole('button').allInnerTexts(),
      ['run 1 · ε 0', 'run 1 · ε 0.01', 'run 1 · ε 0.1'],
      'still the comparison',
    );
    await page.getByRole('button', { name: /Play/ }).click();
    await page.waitForFunction((n) => window.curvelab.stepsDone() >= n, paused);
    await page.getByRole('button', { name: /Pause/ }).click();
    const replay = await curves(page);
    seen.forEach((points, i) =>
      assert.deepEqual(replay[i].slice(0, points.length), points, `curve ${i}: the same points again`),
    );
    assert.match(await hashOf(page), new RegExp(`changes=${changed}%3Ae%3A0\\.3`));

    // Play at the end starts the same experiment again.
    await page.getByLabel('Speed').fill('12');
    await page.getByRole('button', { name: /Play/ }).click();
    await page.waitForFunction(() => !window.curvelab.playing() && window.curvelab.stepsDone() === 2000);
    const whole = await curves(page);
    await page.getByLabel('Speed').fill('6');
    await page.getByRole('button', { name: /Play/ }).click();
    await page.waitForFunction((n) => window.curvelab.stepsDone() > n + 100, changed);
    await page.getByRole('button', { name: /Pause/ }).click();
    const again = await curves(page);
    again.forEach((points, i) =>
      assert.deepEqual(points, whole[i].slice(0, points.length), `curve ${i}: replayed after the end`),
    );

    // Back to the lesson: the lesson's own experiment and text.
    await page.getByRole('button', { name: 'Back to the lesson' }).click();
    await waitIdle(page);
    await assert.doesNotReject(page.getByText(lesson).waitFor());
    assert.doesNotMatch(await hashOf(page), /changes=/);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('edits apply on Enter, on leaving the box or on releasing the slider; refused text is reverted with one limit', async () => {
  const { page, errors } = await openPage(site.browser.context, `${site.server.url}#runs=4&steps=500&at=500`);
  try {
    const runs = page.getByLabel('Runs', { exact: true });
    const hash = await hashOf(page);
    await runs.fill('');
    await runs.pressSequentially('21');
    assert.equal(await page.evaluate(() => window.curvelab.curves()), 4, 'nothing applies while typing');
    assert.equal(await hashOf(page), hash);
    await runs.press('Enter');
    await assert.doesNotReject(page.getByText('runs must be in [1, 20], got 21 (kept 4)').waitFor());
    assert.equal(await runs.inputValue(), '4', 'the refused text is reverted');
    assert.equal(await page.evaluate(() => window.curvelab.curves()), 4);
    await runs.fill('2');
    await runs.press('Tab');
    await waitIdle(page);
    assert.equal(await page.evaluate(() => window.curvelab.curves()), 2, 'leaving the box commits');

    const arms = page.getByLabel('Arms', { exact: true });
    await arms.fill('100000');
    await arms.press('Enter');
    await assert.doesNotReject(page.getByText(/arms must be in \[2, 100\], got 100000/).waitFor());
    assert.equal(await arms.inputValue(), '10');
    assert.match(await hashOf(page), /arms=10&/);

    const steps = page.getByLabel('Steps', { exact: true });
    await steps.fill('10000000');
    await steps.press('Enter');
    const message = await page.locator('#steps-error').textContent();
    assert.equal(message, 'steps must be in [1, 100000], got 10000000 (kept 500)', 'the page limit, stated once');
    assert.match(await hashOf(page), /steps=500&/);
    await steps.fill('2000000');
    await steps.press('Enter');
    assert.match(await page.locator('#steps-error').textContent(), /\[1, 100000\]/, "never the core's wider limit");

    // A slider applies on release (a key press is a release).
    await page.getByLabel('Runs slider').focus();
    await page.keyboard.press('ArrowRight');
    await waitIdle(page);
    assert.equal(await page.evaluate(() => window.curvelab.curves()), 3);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('a first visit opens at step 0 on a lesson, invites Play, and the y axis fits the learning curves and never jumps', async () => {
  const { page, errors } = await openPage(site.browser.context, site.server.url);
  try {
    assert.equal(await stepsDone(page), 0);
    await assert.doesNotReject(page.getByText('Press ▶ Play to watch the runs learn').waitFor());
    await assert.doesNotReject(
      page.getByText(/Press Play: each curve starts near its dotted random baseline/).waitFor(),
    );
    assert.equal(await page.locator('#speed-out').textContent(), '100 steps/s', '1,000 steps in 10 seconds');
    const axis = await page.evaluate(() => window.curvelab.yRange());
    assert.ok(
      axis.min > -2.5 && axis.max < 3,
      `fitted to the baselines and best arms, not to raw spikes: ${JSON.stringify(axis)}`,
    );
    await page.getByRole('button', { name: /Play/ }).click();
    assert.equal(
      await page.getByText('Press ▶ Play to watch the runs learn').isVisible(),
      false,
      'the invitation goes once playing',
    );
    await page.waitForFunction(() => window.curvelab.stepsDone() > 20);
    assert.deepEqual(
      await page.evaluate(() => window.curvelab.yRange()),
      axis,
      'the axis does not jump when Play starts',
    );
    await page.getByLabel('Speed').fill('12');
    await page.waitForFunction(() => !window.curvelab.playing() && window.curvelab.stepsDone() === 1000);
    // Curves climb: the smoothed reward ends well above where it started, for every run.
    for (const points of await curves(page)) {
      const mean = (a) => a.reduce((s, p) => s + p.y, 0) / a.length;
      assert.ok(mean(points.slice(-200)) > mean(points.slice(0, 30)) + 0.3, 'the curve rises');
    }
    await page.getByRole('button', { name: 'Reset' }).click();
    await waitIdle(page);
    assert.deepEqual(await page.evaluate(() => window.curvelab.yRange()), axis, 'Reset keeps the axis');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('the average of 2000 runs with its 95% band is computed by the core and shared by link', async () => {
  const { page, errors } = await openPage(
    site.browser.context,
    `${site.server.url}#compare=0,0.01,0.1&steps=1000&seed=2018&smoothing=none`,
  );
  try {
    await page.getByLabel('Curves', { exact: true }).selectOption('2000');
    await waitIdle(page);
    assert.match(await hashOf(page), /average=2000/);
    assert.equal(await page.evaluate(() => window.curvelab.curves()), 3);
    const band = await page.evaluate(() =>
      [0, 1, 2].map((i) => ['main', 'lower', 'upper'].map((k) => window.curvelab.points(i, k))),
    );
    for (const [main, lower, upper] of band) {
      assert.equal(main.length, 1000);
      main.forEach((p, t) => assert.ok(lower[t].y <= p.y && p.y <= upper[t].y));
      assert.ok(upper[999].y - lower[999].y < 0.15, 'the interval of a mean of 2000 is narrow');
    }
    // Figure 2.2: over the last 100 steps ε 0.1 earns most, greedy least.
    const tail = band.map(([main]) => main.slice(900).reduce((s, p) => s + p.y, 0) / 100);
    assert.ok(tail[2] > tail[1] && tail[1] > tail[0], `tails ${tail}`);
    assert.ok(tail[2] > 1.3 && tail[2] < 1.45);
    assert.equal(await page.getByRole('button', { name: /Play/ }).isDisabled(), true, 'an average is shown whole');
    const link = page.url();
    const copy = await openPage(site.browser.context, link);
    try {
      const copied = await copy.page.evaluate(() =>
        [0, 1, 2].map((i) => ['main', 'lower', 'upper'].map((k) => window.curvelab.points(i, k))),
      );
      assert.deepEqual(copied, band, 'the link reproduces the average and its band');
      assert.equal(await copy.page.getByLabel('Curves', { exact: true }).inputValue(), '2000');
    } finally {
      await copy.page.close();
    }
    await page.getByLabel('Curves', { exact: true }).selectOption('0');
    await waitIdle(page);
    assert.doesNotMatch(await hashOf(page), /average=/);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('on a phone the chart stays in view while a setting changes, and the pruner table scrolls with a hint', async () => {
  const phone = await site.browser.context.newPage();
  try {
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${site.server.url}#runs=4&steps=500&at=500&pruners=median,hyperband`);
    await waitIdle(phone);
    const seed = phone.getByLabel('Seed', { exact: true });
    await seed.focus();
    const chart = await phone.getByRole('img', { name: /Reward per step/ }).boundingBox();
    const box = await seed.boundingBox();
    assert.ok(chart.y >= 0 && chart.y + chart.height <= 844, `the chart is in view: ${JSON.stringify(chart)}`);
    assert.ok(box.y >= chart.y + chart.height, 'the setting is visible below it');
    assert.ok(box.y + box.height <= 844);
    await seed.fill('9');
    await seed.press('Enter');
    await waitIdle(phone);
    const after = await phone.getByRole('img', { name: /Reward per step/ }).boundingBox();
    assert.ok(after.y >= 0 && after.y + after.height <= 844, 'still in view after the change');
    const table = await phone
      .locator('#pruner-results .table-box')
      .evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    if (table.scroll > table.client)
      assert.equal(await phone.getByText('The table scrolls sideways →').isVisible(), true);
  } finally {
    await phone.close();
  }
});

test('the keyboard: Play and Pause hand the focus to each other, legend and read-out by keys', async () => {
  const { page, errors } = await openPage(site.browser.context, `${site.server.url}#runs=3&steps=1000&speed=100`);
  try {
    await page.getByRole('button', { name: /Play/ }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'pause');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'play');
    assert.equal(await page.evaluate(() => window.curvelab.playing()), false);
    // The legend: a button per run, pressed while shown.
    const first = page.getByRole('group', { name: /Runs: press one/ }).getByRole('button', { name: 'run 1 · ε 0.1' });
    assert.equal(await first.getAttribute('aria-pressed'), 'true');
    await first.focus();
    await page.keyboard.press('Space');
    await page.waitForFunction(() => /hidden=0/.test(window.curvelab.hash()));
    assert.equal(await first.getAttribute('aria-pressed'), 'false');
    // The read-out: focus the chart, arrows move along the steps.
    await page.getByRole('button', { name: 'Step' }).click();
    await page.getByRole('img', { name: /Reward per step/ }).focus();
    await page.keyboard.press('End');
    const end = await page.locator('#readout').textContent();
    const done = await stepsDone(page);
    assert.match(end, new RegExp(`^step ${done}`));
    assert.match(end, /run 2 · ε 0\.1: -?\d/);
    assert.doesNotMatch(end, /run 1 ·/, 'a hidden run is not read out');
    await page.keyboard.press('ArrowLeft');
    assert.notEqual(await page.locator('#readout').textContent(), end);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('the smaller things: rounded random settings, no epsilon for random, live smoothing sliders, why median stops none, a titled PNG', async () => {
  const { page, errors } = await openPage(
    site.browser.context,
    `${site.server.url}#runs=4&steps=300&at=300&pruners=median`,
  );
  try {
    await page.getByRole('button', { name: 'New random experiment' }).click();
    await waitIdle(page);
    for (const label of ['Arm mean', 'Arm spread', 'Noise', 'Epsilon']) {
      assert.match(
        await page.getByLabel(label, { exact: true }).inputValue(),
        /^-?\d+(\.\d{1,2})?$/,
        `${label} is rounded to what the slider shows`,
      );
    }
    await page.getByLabel('Agent', { exact: true }).selectOption('random');
    await waitIdle(page);
    assert.equal(await page.getByLabel('Epsilon', { exact: true }).isDisabled(), true);
    assert.equal(await page.getByLabel('Epsilon slider').isDisabled(), true);
  } finally {
    await page.close();
  }
  const second = await openPage(
    site.browser.context,
    `${site.server.url}#runs=4&steps=300&at=300&smoothing=ema&pruners=median`,
  );
  const p = second.page;
  try {
    // The EMA weight redraws while the slider moves, before release.
    const before = await p.evaluate(() => window.curvelab.points(0, 'main'));
    await p.getByLabel('EMA weight').evaluate((el) => {
      el.value = '0.8';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await p.waitForFunction(() => /weight=0\.8/.test(window.curvelab.hash()));
    assert.notDeepEqual(await p.evaluate(() => window.curvelab.points(0, 'main')), before);
    // Median with its default 5 startup trials on 4 runs stops none, and says why.
    await p.getByText('Every stop and why').click();
    await assert.doesNotReject(p.getByText(/n_startup_trials = 5 runs have finished, and there are 4 runs/).waitFor());
    // A refused parameter marks the table's results as the last accepted ones.
    await p.getByLabel('median n_startup_trials').fill('x');
    await assert.doesNotReject(p.getByText('(results of the last accepted parameters)').waitFor());
    // The saved PNG has a title and a caption above and below the chart.
    const [download] = await Promise.all([
      p.waitForEvent('download'),
      p.getByRole('button', { name: 'Save PNG' }).click(),
    ]);
    const png = fs.readFileSync(await download.path());
    const height = png.readUInt32BE(20);
    const canvas = await p.locator('#chart').evaluate((c) => c.height);
    assert.ok(height > canvas + 40, `title and caption rows: ${height} vs ${canvas}`);
    assert.deepEqual(second.errors, []);
  } finally {
    await p.close();
  }
  assert.deepEqual(errors, []);
});

test('the theme and the playground state are shared with the quiz page', async () => {
  const { page, errors } = await openPage(site.browser.context, `${site.server.url}#runs=2&steps=400&seed=8`);
  try {
    await page.getByLabel('Colour scheme').selectOption('dark');
    await page.waitForFunction(() => /theme=dark/.test(window.curvelab.hash()));
    const hash = await hashOf(page);
    await page.getByRole('link', { name: /quiz/i }).click();
    await page.waitForURL(/quiz\.html/);
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    assert.equal(await page.getByLabel('Colour scheme').inputValue(), 'dark');
    const back = page.getByRole('link', { name: 'Playground' });
    assert.equal(new URL(await back.getAttribute('href'), page.url()).hash, `#${hash}`);
    await back.click();
    await page.waitForFunction(() => window.curvelab !== undefined && !window.curvelab.busy());
    assert.equal(await hashOf(page), hash, 'back where the person was');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
