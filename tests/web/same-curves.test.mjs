// Same curves everywhere: the wasm module under Node and the native CLI, on the same
// seeds, give bit-identical per-step values (compared value by value, with Object.is,
// so -0 and NaN count too). The CLI prints shortest round-trip doubles, which JSON.parse
// reads back exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCurvelab, nativeCli } from './wasm-node.mjs';

const m = await loadCurvelab();
const cli = nativeCli();

function native(args) {
  return execFileSync(cli, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
}

function assertSameArray(actual, expected, what) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      assert.fail(`${what}: step ${i + 1} differs: wasm ${actual[i]} native ${expected[i]}`);
    }
  }
}

/** Runs `curvelab generate` with these ranges and replays every experiment in wasm. */
function compareGenerated(ranges, count, seed) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'curvelab-'));
  const file = path.join(dir, 'ranges.json');
  fs.writeFileSync(file, JSON.stringify(ranges));
  const lines = native([
    'generate',
    '--count',
    String(count),
    '--seed',
    String(seed),
    '--ranges',
    file,
    '--format',
    'jsonl',
  ])
    .trim()
    .split('\n');
  fs.rmSync(dir, { recursive: true });
  assert.equal(lines.length, count);
  let steps = 0;
  for (const [i, line] of lines.entries()) {
    const expected = JSON.parse(line);
    // The generator agrees.
    const sampled = JSON.parse(m.sampleExperiment(JSON.stringify(ranges), seed, i));
    assert.deepEqual(sampled.ok, expected.config, `experiment ${i}: config`);
    // The run agrees, step by step.
    const run = m.createRun(JSON.stringify(expected.config), -1);
    assert.ok(run, `experiment ${i}: run created`);
    try {
      run.finish();
      assertSameArray(run.rewards(), expected.rewards, `experiment ${i} rewards`);
      assertSameArray(run.trueValues(), expected.true_values, `experiment ${i} true values`);
      // Ground truth agrees.
      assert.deepEqual(JSON.parse(run.truth()), expected.truth, `experiment ${i}: truth`);
      steps += run.stepsDone();
    } finally {
      run.delete();
    }
  }
  return steps;
}

test('the generator default ranges give the same experiments, curves and truth', () => {
  const defaults = JSON.parse(m.defaultRanges());
  assert.ok(compareGenerated(defaults, 40, 7) >= 40 * 1000);
});

test('100-armed bandits give the same curves', () => {
  const ranges = { arms: [100, 100], steps: [5000, 5000], epsilon: [0, 0.2], random_share: 0.2 };
  compareGenerated(ranges, 6, 11);
});

test('a 100,000-step run gives the same curve', () => {
  const ranges = { arms: [10, 10], steps: [100000, 100000], epsilon: [0.01, 0.1], random_share: 0 };
  assert.equal(compareGenerated(ranges, 2, 3), 200000);
});

test('ties (identical arms, no noise) and greedy agents give the same curves', () => {
  const ranges = {
    arms: [2, 30],
    arm_spread: [0, 0],
    noise: [0, 0],
    epsilon: [0, 0],
    steps: [500, 2000],
    random_share: 0,
  };
  compareGenerated(ranges, 5, 5);
  const ranges2 = {
    arms: [2, 100],
    arm_mean: [-100, 100],
    arm_spread: [0, 100],
    noise: [0, 100],
    epsilon: [0, 1],
    initial_value: [-1000, 1000],
    steps: [1, 3000],
    random_share: 0.5,
  };
  compareGenerated(ranges2, 20, 99);
});

test('curvelab simulate averages are the same in wasm', () => {
  for (const args of [
    { agent: 'epsilon-greedy', arms: 10, epsilon: 0.1, steps: 1000, runs: 200, seed: 1 },
    { agent: 'epsilon-greedy', arms: 100, epsilon: 0.01, steps: 2000, runs: 20, seed: 42 },
    { agent: 'random', arms: 7, epsilon: 0, steps: 300, runs: 30, seed: 9007199254740991 },
  ]) {
    const expected = JSON.parse(
      native([
        'simulate',
        '--agent',
        args.agent,
        '--arms',
        String(args.arms),
        '--epsilon',
        String(args.epsilon),
        '--steps',
        String(args.steps),
        '--runs',
        String(args.runs),
        '--seed',
        String(args.seed),
        '--format',
        'json',
      ]),
    );
    const config = { agent: args.agent, arms: args.arms, epsilon: args.epsilon, steps: args.steps, seed: args.seed };
    const got = m.simulateAverage(JSON.stringify(config), args.runs);
    assert.equal(got.error, undefined);
    assertSameArray(got.meanReward, expected.mean_reward, `simulate ${JSON.stringify(args)} mean reward`);
    assertSameArray(got.optimalShare, expected.optimal_share, `simulate ${JSON.stringify(args)} optimal share`);
    assertSameArray(got.meanTrueValue, expected.mean_true_value, `simulate ${JSON.stringify(args)} true value`);
  }
});

test('run i of a cohort is run i of curvelab simulate (derive_seed)', () => {
  const config = JSON.stringify({ arms: 10, steps: 400, seed: 5 });
  const expected = JSON.parse(native(['simulate', '--steps', '400', '--runs', '1', '--seed', '5', '--format', 'json']));
  const run = m.createRun(config, 0);
  try {
    run.finish();
    assertSameArray(run.trueValues(), expected.mean_true_value, 'run 0 true values');
  } finally {
    run.delete();
  }
});
