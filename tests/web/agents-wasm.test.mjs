// Every agent and the drifting bandit, native against wasm: `curvelab simulate` and the
// module's simulateAverage give bit-identical averages; generated single runs of each kind
// replay bit for bit; the new config fields cross the boundary (defaults, refusals with
// the core's messages, mid-run changes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCurvelab, nativeCli } from './wasm-node.mjs';
import { compilePage } from './compile-page.mjs';

const m = await loadCurvelab();
const { Core } = await import(path.join(compilePage(), 'src/core.js'));
const core = new Core(m);
const cli = nativeCli();
const native = (args) => execFileSync(cli, args, { encoding: 'utf8', maxBuffer: 1 << 30 });

function assertSameArray(actual, expected, what) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      assert.fail(`${what}: step ${i + 1} differs: wasm ${actual[i]} native ${expected[i]}`);
    }
  }
}

const cases = [
  { name: 'epsilon-greedy, constant step size', flags: ['--step-size', '0.1'], config: { step_size: 0.1 } },
  {
    name: 'optimistic greedy',
    flags: ['--epsilon', '0', '--initial-value', '5', '--step-size', '0.1'],
    config: { epsilon: 0, initial_value: 5, step_size: 0.1 },
  },
  { name: 'UCB', flags: ['--agent', 'ucb', '--ucb-c', '2'], config: { agent: 'ucb', ucb_c: 2 } },
  {
    name: 'UCB, constant step size',
    flags: ['--agent', 'ucb', '--ucb-c', '0.5', '--step-size', '0.2'],
    config: { agent: 'ucb', ucb_c: 0.5, step_size: 0.2 },
  },
  {
    name: 'gradient with baseline',
    flags: ['--agent', 'gradient', '--step-size', '0.4', '--arm-mean', '4'],
    config: { agent: 'gradient', step_size: 0.4, arm_mean: 4 },
  },
  {
    name: 'gradient without baseline',
    flags: ['--agent', 'gradient', '--baseline', 'off'],
    config: { agent: 'gradient', baseline: false },
  },
  {
    name: 'epsilon-greedy on a drifting bandit',
    flags: ['--walk', '0.01', '--arm-spread', '0'],
    config: { walk: 0.01, arm_spread: 0 },
  },
  {
    name: 'UCB on a drifting bandit',
    flags: ['--agent', 'ucb', '--walk', '0.05'],
    config: { agent: 'ucb', walk: 0.05 },
  },
  {
    name: 'gradient on a drifting bandit',
    flags: ['--agent', 'gradient', '--walk', '0.05'],
    config: { agent: 'gradient', walk: 0.05 },
  },
  {
    name: 'random on a drifting bandit',
    flags: ['--agent', 'random', '--walk', '0.1'],
    config: { agent: 'random', walk: 0.1 },
  },
];

for (const c of cases) {
  test(`${c.name}: the same averages natively and in wasm`, () => {
    const expected = JSON.parse(
      native(['simulate', ...c.flags, '--runs', '60', '--steps', '700', '--seed', '9', '--format', 'json']),
    );
    const config = { ...c.config, steps: 700, seed: 9 };
    const parsed = JSON.parse(m.parseExperiment(JSON.stringify(config)));
    assert.deepEqual(parsed.ok, expected.config, 'the config, every field');
    const got = m.simulateAverage(JSON.stringify(config), 60);
    assert.equal(got.error, undefined);
    assertSameArray(got.meanReward, expected.mean_reward, `${c.name} mean reward`);
    assertSameArray(got.optimalShare, expected.optimal_share, `${c.name} optimal share`);
    assertSameArray(got.meanTrueValue, expected.mean_true_value, `${c.name} true value`);
  });
}

test('generated runs of every kind, with drift, replay bit for bit with the same ground truth', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'curvelab-agents-'));
  try {
    const shares = [
      { ucb_share: 1, random_share: 0, gradient_share: 0 },
      { gradient_share: 1, random_share: 0, ucb_share: 0, baseline_off_share: 0.5 },
      { ucb_share: 0, gradient_share: 0, random_share: 0, optimistic_share: 0.5, constant_step_share: 1 },
    ];
    const kinds = new Set();
    for (const [k, share] of shares.entries()) {
      const ranges = { ...share, walk_share: 0.5, steps: [800, 800] };
      const file = path.join(dir, `ranges${k}.json`);
      fs.writeFileSync(file, JSON.stringify(ranges));
      const lines = native(['generate', '--count', '8', '--seed', '5', '--ranges', file])
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      for (const [i, expected] of lines.entries()) {
        kinds.add(`${expected.config.agent}${expected.config.walk > 0 ? '+walk' : ''}`);
        const sampled = JSON.parse(m.sampleExperiment(JSON.stringify(ranges), 5, i));
        assert.deepEqual(sampled.ok, expected.config, `ranges ${k} experiment ${i}: config`);
        const run = m.createRun(JSON.stringify(expected.config), -1);
        try {
          run.finish();
          assertSameArray(run.rewards(), expected.rewards, `ranges ${k} experiment ${i} rewards`);
          assertSameArray(run.trueValues(), expected.true_values, `ranges ${k} experiment ${i} true values`);
          assert.deepEqual(JSON.parse(run.truth()), expected.truth, `ranges ${k} experiment ${i}: truth`);
        } finally {
          run.delete();
        }
      }
    }
    for (const kind of ['ucb', 'ucb+walk', 'gradient', 'gradient+walk', 'epsilon-greedy', 'epsilon-greedy+walk']) {
      assert.ok(kinds.has(kind), `the generated runs include ${kind}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

test('the new fields have the core defaults and its refusals', () => {
  assert.deepEqual(JSON.parse(m.agentKinds()), ['epsilon-greedy', 'ucb', 'gradient', 'random']);
  const defaults = JSON.parse(m.parseExperiment('{}')).ok;
  assert.equal(defaults.step_size, null);
  assert.equal(defaults.ucb_c, 2);
  assert.equal(defaults.baseline, true);
  assert.equal(defaults.walk, 0);
  const refused = (config) => JSON.parse(m.parseExperiment(JSON.stringify(config))).error.message;
  assert.equal(refused({ step_size: 0 }), 'step_size must be in (0, 1] for epsilon-greedy, got 0');
  assert.equal(refused({ agent: 'gradient', step_size: 101 }), 'step_size must be in (0, 100] for gradient, got 101');
  assert.equal(refused({ ucb_c: -1 }), 'ucb_c must be in [0, 100], got -1');
  assert.equal(refused({ walk: 11 }), 'walk must be in [0, 10], got 11');
  assert.equal(refused({ baseline: 1 }), 'baseline must be true or false, got 1');
  assert.equal(
    refused({ agent: 'softmax' }),
    'agent must be "epsilon-greedy", "ucb", "gradient" or "random", got "softmax"',
  );
  const ranges = JSON.parse(m.defaultRanges());
  for (const key of [
    'ucb_share',
    'gradient_share',
    'constant_step_share',
    'optimistic_share',
    'baseline_off_share',
    'walk_share',
  ]) {
    assert.equal(typeof ranges[key], 'number', key);
  }
  assert.equal(
    JSON.parse(m.sampleExperiment(JSON.stringify({ ucb_share: 0.6, random_share: 0.5 }), 1, 0)).error.message,
    'random_share + ucb_share + gradient_share must not exceed 1, got 1.25',
  );
});

test('an agent change mid-run carries the new fields and the run continues as the core says', () => {
  const run = m.createRun(JSON.stringify({ seed: 4, steps: 400 }), -1);
  const twin = m.createRun(JSON.stringify({ seed: 4, steps: 400 }), -1);
  try {
    run.step(200);
    twin.step(200);
    assert.equal(run.setAgent(JSON.stringify({ agent: 'gradient', step_size: 0.2, baseline: false })), '');
    assert.equal(JSON.parse(run.config()).agent, 'gradient');
    assert.equal(JSON.parse(run.config()).step_size, 0.2);
    assert.equal(twin.setAgent(JSON.stringify({ agent: 'ucb', ucb_c: 1 })), '');
    run.finish();
    twin.finish();
    assert.ok(
      Array.from(run.preferences()).some((h) => h !== 0),
      'the gradient bandit moved its preferences',
    );
    assert.ok(
      Array.from(twin.preferences()).every((h) => h === 0),
      'UCB leaves them',
    );
    const bad = JSON.parse(twin.setAgent(JSON.stringify({ ucb_c: 500 })));
    assert.equal(bad.error.message, 'ucb_c must be in [0, 100], got 500');
    const frozen = JSON.parse(twin.setAgent(JSON.stringify({ walk: 0.1 })));
    assert.equal(frozen.error.field, 'walk');
  } finally {
    run.delete();
    twin.delete();
  }
});

test('the facade lists the agents, and samples the playground only among the agents it shows', () => {
  assert.deepEqual(core.agentKinds(), ['epsilon-greedy', 'ucb', 'gradient', 'random']);
  const seen = new Set();
  for (let i = 0; i < 200; i++) {
    const c = core.sampleExperiment(3, i).ok;
    seen.add(c.agent);
    assert.ok(c.agent === 'epsilon-greedy' || c.agent === 'random', `experiment ${i}: ${c.agent}`);
    assert.equal(c.step_size, null);
    assert.equal(c.walk, 0);
  }
  assert.deepEqual([...seen].sort(), ['epsilon-greedy', 'random']);
  const ucb = core.sampleFromRanges({ ucb_share: 1, random_share: 0, gradient_share: 0 }, 3, 0).ok;
  assert.equal(ucb.agent, 'ucb');
  assert.equal(core.sampleFromRanges({ walk: [0, 20] }, 3, 0).error.message, 'walk.hi must be in [0, 10], got 20');
  core.withRun({ seed: 2, steps: 50, agent: 'ucb' }, 0, (run) => {
    run.step(10);
    assert.equal(core.setAgent(run, { agent: 'gradient', step_size: 0.3, baseline: false }), undefined);
    assert.equal(core.setAgent(run, { step_size: 0 }).message, 'step_size must be in (0, 100] for gradient, got 0');
    run.finish();
    assert.equal(JSON.parse(run.config()).baseline, false);
  });
});
