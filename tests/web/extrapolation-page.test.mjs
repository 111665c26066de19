// The extrapolation pruner on the page, in Debian's Chromium: past each stop the chart
// draws what the pruner expected, the core's predicted curve and its band to the horizon
// of the stop's reason, point for point what the core gives for the study the page
// exports (its stops checked against `curvelab prune`). Waits on the page's state only.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { openPage, servedSite, waitIdle } from './browser.mjs';
import { loadCurvelab, nativeCli } from './wasm-node.mjs';

const cli = nativeCli();
const site = servedSite();
let m;
before(async () => {
  m = await loadCurvelab();
});

test("an extrapolation stop draws the continuation the pruner expected: the core's line and band past the stop", async () => {
  const { page, errors } = await openPage(
    site.browser.context,
    `${site.server.url}#runs=10&steps=600&seed=5&pruners=extrapolation`,
  );
  try {
    await waitIdle(page);
    await page.waitForFunction(
      () => window.curvelab.pruners().length === 1 && window.curvelab.pruners()[0].pruned_at !== undefined,
    );
    // The study on screen, and what the native core makes of it.
    const study = await page.evaluate(() => window.curvelab.study());
    const run = spawnSync(cli, ['prune', '-'], { input: JSON.stringify(study), encoding: 'utf8', maxBuffer: 1 << 28 });
    assert.equal(run.status, 0, run.stderr);
    const native = JSON.parse(run.stdout);
    const [shown] = await page.evaluate(() => window.curvelab.pruners());
    assert.deepEqual(shown.pruned_at, native.pruned_at, 'the page stops what curvelab prune stops');
    const stops = native.pruned_at.flatMap((at, i) =>
      at === null || native.reasons[i].rule !== 'unlikely_to_beat_best' ? [] : [{ i, at, reason: native.reasons[i] }],
    );
    assert.ok(stops.length >= 1, 'the study has at least one extrapolation stop');

    await page.waitForFunction((n) => window.curvelab.continuations().length === n, stops.length);
    const drawn = await page.evaluate(() => window.curvelab.continuations());
    assert.deepEqual(
      drawn.map((c) => c.curve),
      stops.map((s) => s.i),
      'one continuation per stopped run, in run order',
    );
    stops.forEach(({ i, at, reason }, k) => {
      const c = drawn[k];
      // The core's continuation of the values the pruner judged, from the wasm module.
      const values = Float64Array.from(study.trials[i].values.slice(0, at + 1));
      const expected = JSON.parse(m.extrapolationContinuation(values, at, reason.horizon, reason.p, 100)).ok;
      assert.ok(expected, `run ${i + 1}: the core gives a continuation`);
      assert.equal(c.hidden, false, `run ${i + 1}: the band is drawn`);
      assert.deepEqual(
        c.x,
        expected.steps.map((s) => s + 1),
        `run ${i + 1}: chart steps from the stop to the horizon`,
      );
      assert.equal(c.x[0], at + 1);
      assert.equal(c.x[c.x.length - 1], reason.horizon);
      assert.equal(c.mean.length, Math.min(100, reason.horizon - at));
      assert.deepEqual(c.mean, expected.mean, `run ${i + 1}: the predicted line is the core's`);
      assert.deepEqual(c.lower, expected.lower, `run ${i + 1}: the band's lower edge is the core's`);
      assert.deepEqual(c.upper, expected.upper, `run ${i + 1}: the band's upper edge is the core's`);
      c.mean.forEach((y, j) =>
        assert.ok(c.lower[j] < y && y < c.upper[j], `run ${i + 1}: inside its band at step ${c.x[j]}`),
      );
      assert.match(
        c.label,
        new RegExp(`expected by extrapolation \\(${Math.round(100 * (1 - 2 * reason.p))}% band\\)$`),
      );
    });

    // A second pruner chosen (every pruner's stops in view): the continuations stay.
    await page.getByRole('checkbox', { name: 'median', exact: true }).check();
    await waitIdle(page);
    await page.waitForFunction(() => window.curvelab.pruners().length === 2);
    await page.waitForFunction((n) => window.curvelab.continuations().length === n, stops.length);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
