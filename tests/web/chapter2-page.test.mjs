// Chapter 2 of Sutton and Barto on the page, in Debian's Chromium: each lesson shows what
// its text says (read from the curves the core computed), every agent's controls round-trip
// through the link, and the parameter study draws its four lines, their best parameters and
// what a pruner saves, as the core computes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, servedSite, waitIdle } from './browser.mjs';
import { loadCurvelab } from './wasm-node.mjs';

const site = servedSite();

const hashOf = (page) => page.evaluate(() => window.curvelab.hash());
/** Curve i's drawn points as values by step (1-based). */
async function curveByStep(page, i) {
  const points = await page.evaluate((k) => window.curvelab.points(k, 'main'), i);
  const out = [];
  for (const p of points) out[p.x] = p.y;
  return out;
}
/** The mean of the drawn points at steps from..to (long curves are drawn every few steps). */
const mean = (curve, from, to) => {
  let s = 0;
  let n = 0;
  for (let t = from; t <= to; t++) {
    if (curve[t] === undefined) continue;
    s += curve[t];
    n++;
  }
  assert.ok(n > 0, `points between steps ${from} and ${to}`);
  return s / n;
};

async function lesson(page, id) {
  await page.getByLabel('Teaching preset').selectOption(id);
  await waitIdle(page);
  assert.equal((await page.evaluate(() => window.curvelab.curves())) > 0, true);
}

test('each chapter 2 lesson loads and shows what its text says', async () => {
  const { page, errors } = await openPage(site.browser.context, site.server.url);
  try {
    // Fig. 2.3: optimistic greedy is worse early, better late, with a spike at step 11.
    await lesson(page, 'optimistic');
    await page.getByText('Every estimate starts far too high').waitFor();
    const [optimistic, realistic] = [await curveByStep(page, 0), await curveByStep(page, 1)];
    assert.equal(optimistic.length - 1, 1000, 'every step drawn');
    assert.ok(mean(optimistic, 1, 50) < mean(realistic, 1, 50) - 0.1, 'worse early');
    assert.ok(mean(optimistic, 801, 1000) > mean(realistic, 801, 1000) + 0.05, 'better late');
    assert.ok(optimistic[11] > Math.max(...optimistic.slice(1, 11)) + 0.3, 'the spike at step 11');
    assert.ok(optimistic[11] > Math.max(...optimistic.slice(12, 21)), 'then a dip');

    // Fig. 2.4: UCB near zero on steps 1-10, spikes at step 11 and leads from then on.
    await lesson(page, 'ucb');
    const [ucb, greedy] = [await curveByStep(page, 0), await curveByStep(page, 1)];
    assert.match(await page.evaluate(() => window.curvelab.hash()), /compare=agent%3Aucb%3Bucb_c%3A2%2C/);
    assert.ok(Math.abs(mean(ucb, 1, 10)) < 0.1, `UCB earns about the average arm on steps 1-10: ${mean(ucb, 1, 10)}`);
    assert.ok(ucb[11] > ucb[10] + 0.8, 'the spike at step 11');
    assert.ok(mean(ucb, 12, 1000) > mean(greedy, 12, 1000) + 0.05, 'UCB ahead after step 11');
    let ahead = 0;
    for (let t = 101; t <= 1000; t++) ahead += ucb[t] > greedy[t] ? 1 : 0;
    assert.ok(ahead / 900 > 0.9, `UCB ahead on ${ahead} of steps 101-1000`);

    // Fig. 2.5: the baseline matters a great deal.
    await lesson(page, 'gradient-baseline');
    const g = await Promise.all([0, 1, 2, 3].map((i) => curveByStep(page, i)));
    const late = g.map((c) => mean(c, 901, 1000));
    assert.ok(
      Math.min(late[0], late[1]) > Math.max(late[2], late[3]) + 0.2,
      `with the baseline above without: ${late}`,
    );
    const labels = await page
      .getByRole('group', { name: /Runs: press one/ })
      .getByRole('button')
      .allTextContents();
    assert.ok(
      labels.some((l) => /gradient α 0\.4 · no baseline/.test(l)),
      labels.join(' | '),
    );

    // Ex. 2.5: on a drifting bandit the constant step size wins.
    await lesson(page, 'drift');
    const [averages, constant] = [await curveByStep(page, 0), await curveByStep(page, 1)];
    assert.ok(averages.length > 9900, 'drawn to the end of the 10,000 steps');
    assert.ok(mean(constant, 9001, 10000) > mean(averages, 9001, 10000) + 0.1, 'α 0.1 ends above sample averages');
    assert.ok(mean(constant, 9001, 10000) > mean(constant, 1001, 2000), 'the constant step size keeps climbing');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test("every agent control round-trips through the link, and refused values get the core's message", async () => {
  const { page, errors } = await openPage(site.browser.context, `${site.server.url}#steps=300&runs=2`);
  try {
    const commit = async (label, value) => {
      const box = page.getByLabel(label, { exact: true });
      await box.fill(value);
      await box.press('Enter');
      await waitIdle(page);
    };
    await page.getByLabel('Agent', { exact: true }).selectOption('ucb');
    await waitIdle(page);
    assert.equal(await page.getByLabel('Epsilon', { exact: true }).isDisabled(), true, 'UCB has no epsilon');
    assert.equal(await page.getByLabel('Baseline (gradient)').isDisabled(), true);
    await commit('UCB c', '0.5');
    await commit('Step size α', '0.2');
    await commit('Initial value Q1', '3');
    await commit('Drift', '0.02');
    await commit('UCB c', '-1');
    await page.getByText('ucb_c must be in [0, 100], got -1 (kept 0.5)').waitFor();
    assert.equal(await page.getByLabel('UCB c', { exact: true }).inputValue(), '0.5');
    const ucbHash = await hashOf(page);
    assert.match(ucbHash, /agent=ucb/);
    assert.match(ucbHash, /step_size=0\.2&initial_value=3&ucb_c=0\.5/);
    assert.match(ucbHash, /walk=0\.02/);
    const ucbCurve = await curveByStep(page, 0);

    await page.getByLabel('Agent', { exact: true }).selectOption('gradient');
    await waitIdle(page);
    await page.getByLabel('Baseline (gradient)').selectOption('off');
    await waitIdle(page);
    await commit('Step size α', '');
    assert.equal(
      await page.getByLabel('Step size α', { exact: true }).inputValue(),
      '',
      'empty: sample averages (the default α)',
    );
    const gradientHash = await hashOf(page);
    assert.match(gradientHash, /agent=gradient/);
    assert.match(gradientHash, /gradient_baseline=0/);
    assert.doesNotMatch(gradientHash, /step_size=/);
    assert.equal(await page.getByLabel('UCB c', { exact: true }).isDisabled(), true);
    const gradientCurve = await curveByStep(page, 0);
    assert.notDeepEqual(gradientCurve, ucbCurve);

    // Each link, opened afresh, shows the same controls and the same curves.
    for (const [hash, curve, agent] of [
      [ucbHash, ucbCurve, 'ucb'],
      [gradientHash, gradientCurve, 'gradient'],
    ]) {
      const fresh = await openPage(site.browser.context, `${site.server.url}#${hash}`);
      try {
        assert.equal(await hashOf(fresh.page), hash);
        assert.equal(await fresh.page.getByLabel('Agent', { exact: true }).inputValue(), agent);
        assert.deepEqual(await curveByStep(fresh.page, 0), curve, `${agent}: the same curve`);
        if (agent === 'ucb') {
          assert.equal(await fresh.page.getByLabel('UCB c', { exact: true }).inputValue(), '0.5');
          assert.equal(await fresh.page.getByLabel('Step size α', { exact: true }).inputValue(), '0.2');
          assert.equal(await fresh.page.getByLabel('Drift', { exact: true }).inputValue(), '0.02');
        } else {
          assert.equal(await fresh.page.getByLabel('Baseline (gradient)').inputValue(), 'off');
        }
        assert.deepEqual(fresh.errors, []);
      } finally {
        await fresh.page.close();
      }
    }
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('a change of UCB c while playing is recorded in the link and replayed exactly', async () => {
  const { page, errors } = await openPage(
    site.browser.context,
    `${site.server.url}#agent=ucb&runs=2&steps=3000&seed=8&speed=300&at=0`,
  );
  try {
    await page.getByRole('button', { name: /Play/ }).click();
    await page.waitForFunction(() => window.curvelab.stepsDone() >= 300);
    const box = page.getByLabel('UCB c', { exact: true });
    await box.fill('0.25');
    await box.press('Enter');
    await page.waitForFunction(() => /changes=/.test(window.curvelab.hash()));
    await page.getByRole('button', { name: /Pause/ }).click();
    await page.waitForFunction(() => !window.curvelab.playing());
    const hash = await hashOf(page);
    assert.match(hash, /changes=\d+%3Au%3A0\.1%3Ac0\.25/);
    const curve = await curveByStep(page, 1);
    const fresh = await openPage(site.browser.context, `${site.server.url}#${hash}`);
    try {
      assert.deepEqual(await curveByStep(fresh.page, 1), curve, 'the link replays the change at its step');
    } finally {
      await fresh.page.close();
    }
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test("the parameter study draws four lines with their best parameters, and the pruned sweep's saved compute, all from the core", async () => {
  const { page, errors } = await openPage(site.browser.context, site.server.url);
  try {
    await lesson(page, 'parameter-study');
    await page.getByRole('heading', { name: /Parameter study/ }).waitFor();
    await page.waitForFunction(() => window.curvelab.sweep().done && window.curvelab.sweep().pruned.length > 0, null, {
      timeout: 600000,
    });
    const sweep = await page.evaluate(() => window.curvelab.sweep());
    assert.equal(sweep.runs, 2000);
    assert.deepEqual(
      sweep.lines.map((l) => [l.method, l.points.length]),
      [
        ['epsilon-greedy', 6],
        ['gradient', 7],
        ['ucb', 7],
        ['optimistic', 5],
      ],
    );
    // The same study in the core under Node: the page draws exactly its numbers.
    const m = await loadCurvelab();
    const reference = m.createSweep(JSON.stringify({ runs: 2000, steps: 1000, seed: 1 }));
    try {
      while (!reference.done()) reference.advance(400);
      const results = JSON.parse(reference.results());
      assert.deepEqual(sweep.results, results);
      for (const line of sweep.lines) {
        const mine = results.filter((r) => r.method === line.method);
        assert.deepEqual(
          line.points,
          mine.map((r) => ({ x: r.log2, y: r.average_reward })),
          `${line.method} as the core computed it`,
        );
      }
      const nop = JSON.parse(reference.prune(JSON.stringify({ name: 'nop' })));
      assert.deepEqual(
        sweep.best.map((b) => [b.method, b.best.log2]),
        nop.methods.map((b) => [b.method, b.best.log2]),
      );
      const median = JSON.parse(
        reference.prune(
          JSON.stringify({
            name: 'median',
            params: { n_startup_trials: 2, n_warmup_steps: 0, interval_steps: 1, n_min_trials: 1 },
          }),
        ),
      );
      assert.equal(sweep.pruned[0].name, 'median');
      assert.equal(sweep.pruned[0].share_saved, median.share_saved);
      assert.deepEqual(sweep.pruned[0].found, Object.fromEntries(median.methods.map((x) => [x.method, x.found_best])));
    } finally {
      reference.delete();
    }
    // Each method peaks inside its range, UCB is best overall (the figure's finding).
    for (const b of sweep.best) {
      const line = sweep.lines.find((l) => l.method === b.method).points;
      assert.ok(b.best.log2 > line[0].x && b.best.log2 < line[line.length - 1].x, `${b.method} peaks inside its range`);
    }
    const ucbBest = sweep.best.find((b) => b.method === 'ucb').best.average_reward;
    assert.ok(
      sweep.best.every((b) => b.method === 'ucb' || b.best.average_reward < ucbBest),
      'UCB is best',
    );
    // What the page says: the bests, and the median pruner's saving and verdicts in its row.
    const bestText = await page.locator('#sweep-best').textContent();
    assert.match(bestText, /UCB c = 1\b|UCB c = 1\/2|UCB c = 2/);
    const row = page.getByRole('table', { name: /The sweep as a study/ }).getByRole('row', { name: /median/ });
    const saved = `${(sweep.pruned[0].share_saved * 100).toFixed(1)}%`;
    assert.ok(sweep.pruned[0].share_saved > 0.05, `the median pruner saves compute: ${saved}`);
    await assert.doesNotReject(row.getByText(saved).waitFor());
    assert.equal((await row.getByText('✓').count()) + (await row.getByText('✗').count()), 4, 'a verdict per method');
    // Another pruner chosen in the pruner panel cuts the sweep too.
    await page.getByRole('checkbox', { name: 'successive halving', exact: true }).check();
    await page.waitForFunction(() => window.curvelab.sweep().pruned.length === 2);
    const two = await page.evaluate(() => window.curvelab.sweep().pruned);
    assert.equal(two[1].name, 'successive_halving');
    assert.ok(two[1].share_saved > 0);
    assert.equal(
      await page.locator('#sweep-progress').isHidden(),
      true,
      'the progress bar is gone once the study is done',
    );
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('the parameter study shows its progress while it computes, and the page stays usable', async () => {
  const { page, errors } = await openPage(site.browser.context, `${site.server.url}#sweep=200&seed=4`);
  try {
    // The bar and the state are read in one frame: a study that ends right after would hide
    // the bar before a second look.
    const seen = await page.waitForFunction(() => {
      const s = window.curvelab.sweep();
      const bar = document.querySelector('#sweep-progress');
      return s.shown && s.progress > 0 && !s.done ? { visible: bar !== null && bar.checkVisibility() } : null;
    });
    assert.deepEqual(await seen.jsonValue(), { visible: true });
    // The page answers while the study computes: a setting applies and redraws.
    const arms = page.getByLabel('Arms', { exact: true });
    await arms.fill('5');
    await arms.press('Enter');
    await waitIdle(page);
    assert.match(await hashOf(page), /arms=5/);
    const during = await page.evaluate(() => window.curvelab.sweep());
    await page.waitForFunction(() => window.curvelab.sweep().done, null, { timeout: 600000 });
    const after = await page.evaluate(() => window.curvelab.sweep());
    assert.ok(after.progress === 1 && after.results.length === 25);
    assert.ok(during.results.length <= after.results.length);
    assert.match(
      await page.locator('#sweep-status').textContent(),
      /25 settings × 200 runs × 1,000 steps, computed in [\d.]+ s/,
    );
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
