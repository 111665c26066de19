// The curve model in WebAssembly gives the native build's bits: the same fit of the same
// rewards as the golden test in tests/core/curve_model.test.cpp, and refusals as values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCurvelab } from './wasm-node.mjs';

const m = await loadCurvelab();

function rewards(config, count) {
  const run = m.createRun(JSON.stringify(config), -1);
  try {
    run.finish();
    return run.rewards().slice(0, count);
  } finally {
    run.delete();
  }
}

test('the fit of the golden curve has the native bits', () => {
  // tests/core/curve_model.test.cpp "a fit of a simulated curve is pinned to the bit".
  const fit = JSON.parse(m.fitCurve(rewards({ seed: 11 }, 300), 1000)).ok;
  assert.ok(Object.is(fit.final.mean, 2.0155513550214827), `mean ${fit.final.mean}`);
  assert.ok(Object.is(fit.final.q10, 1.8759186339039702), `q10 ${fit.final.q10}`);
  assert.ok(Object.is(fit.noise_sd, 1.2741565249721014), `noise ${fit.noise_sd}`);
  assert.equal(fit.values_used, 300);
  assert.ok(fit.final.q05 < fit.final.q10 && fit.final.q10 < fit.final.q50 && fit.final.q50 < fit.final.q90);
  const weights = fit.families.reduce((s, f) => s + f.weight, 0);
  assert.ok(Math.abs(weights - 1) < 1e-9, `family weights sum to ${weights}`);
});

test('a fit the model cannot make is an error value naming the field', () => {
  assert.equal(JSON.parse(m.fitCurve([1, 2, 3], 100)).error.field, 'values');
  assert.equal(JSON.parse(m.fitCurve([NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN], 100)).error.field, 'values');
  assert.equal(JSON.parse(m.fitCurve(rewards({ seed: 1 }, 50), 0)).error.field, 'horizon');
});
