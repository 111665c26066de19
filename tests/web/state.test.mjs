// The URL state: parsing and serialising are pure and round-trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { compilePage } from './compile-page.mjs';

const out = compilePage();
const s = await import(path.join(out, 'src/state.js'));

test('the default state round-trips through the hash', () => {
  const state = s.defaultState();
  const hash = s.serializeState(state);
  assert.deepEqual(s.parseState(`#${hash}`), { state, problems: [] });
  assert.match(hash, /^arms=10&arm_mean=0&arm_spread=1&noise=1&agent=epsilon-greedy&epsilon=0\.1&steps=1000&seed=1&runs=4/);
});

test('every property round-trips, lists and changes included', () => {
  const state = {
    ...s.defaultState(),
    arms: 37, arm_mean: -0.25, arm_spread: 2.5, noise: 0.001, agent: 'random', epsilon: 0.015, steps: 5000,
    seed: 9007199254740991, runs: 7, compare: [0, 0.01, 0.1],
    changes: [{ step: 10, agent: 'epsilon-greedy', epsilon: 0.3 }, { step: 400, agent: 'random', epsilon: 0.3 }],
    at: 420, smoothing: 'moving-average', window: 50, weight: 0.9, raw: false, baseline: false, truth: false,
    speed: 500, top: 3, hidden: [1, 4], hide: ['noise', 'seed'], embed: true, play: true, theme: 'dark',
  };
  const parsed = s.parseState(s.serializeState(state));
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(parsed.state, state);
});

test('missing properties keep their defaults; a horizon without a position shows whole curves', () => {
  const { state, problems } = s.parseState('#arms=5&steps=300');
  assert.deepEqual(problems, []);
  assert.equal(state.arms, 5);
  assert.equal(state.epsilon, 0.1);
  assert.equal(state.at, 300);
});

test('unreadable values are reported and left at their defaults; unknown keys are ignored', () => {
  const { state, problems } = s.parseState('#arms=ten&epsilon=&agent=ucb&compare=0,x&changes=5:q:1&raw=maybe&whatever=1&seed=1.5');
  assert.equal(state.arms, 10);
  assert.equal(state.agent, 'epsilon-greedy');
  assert.deepEqual(state.compare, []);
  assert.deepEqual(problems.map((p) => p.key), ['arms', 'agent', 'epsilon', 'seed', 'compare', 'changes', 'raw']);
  assert.match(problems[0].message, /arms must be an integer, got "ten"/);
  assert.match(problems[1].message, /agent must be one of epsilon-greedy, random, got "ucb"/);
});

test('out-of-range numbers are parsed as given: the core refuses them where they are used', () => {
  const { state, problems } = s.parseState('#arms=500&epsilon=1.5');
  assert.deepEqual(problems, []);
  assert.equal(state.arms, 500);
  assert.equal(state.epsilon, 1.5);
});

test('a change made while playing is recorded at its step; one made while paused rewrites the setting', () => {
  const base = { ...s.defaultState(), at: 0 };
  const live = s.withAgent(base, 'epsilon-greedy', 0.5, 300, true);
  assert.deepEqual(live.changes, [{ step: 300, agent: 'epsilon-greedy', epsilon: 0.5 }]);
  assert.equal(live.epsilon, 0.1, 'the starting epsilon is kept');
  assert.deepEqual(s.currentAgent(live), { agent: 'epsilon-greedy', epsilon: 0.5 });
  const again = s.withAgent(live, 'epsilon-greedy', 0.2, 300, true);
  assert.deepEqual(again.changes, [{ step: 300, agent: 'epsilon-greedy', epsilon: 0.2 }], 'same step: replaced');
  const back = s.withAgent(live, 'epsilon-greedy', 0.1, 300, true);
  assert.deepEqual(back.changes, [], 'back to the setting before: no change');
  const paused = s.withAgent(again, 'random', 0.2, 600, false);
  assert.deepEqual(paused.changes, [{ step: 300, agent: 'random', epsilon: 0.2 }]);
  const first = s.withAgent({ ...base, compare: [0, 0.1] }, 'epsilon-greedy', 0.05, 0, false);
  assert.equal(first.epsilon, 0.05);
  assert.deepEqual(first.compare, []);
});

test('rewinding starts again from step 0 with the agent in force', () => {
  const live = s.withAgent({ ...s.defaultState(), at: 500 }, 'random', 0.1, 300, true);
  const r = s.rewound(live);
  assert.equal(r.at, 0);
  assert.equal(r.agent, 'random');
  assert.deepEqual(r.changes, []);
});

test('compared epsilons share bandits: curve i uses compare[i % n] on bandit floor(i / n)', () => {
  const state = { ...s.defaultState(), compare: [0, 0.01, 0.1], runs: 6 };
  assert.deepEqual([0, 1, 2, 3, 5].map((i) => s.curvePlan(state, i)), [
    { runIndex: 0, epsilon: 0 }, { runIndex: 0, epsilon: 0.01 }, { runIndex: 0, epsilon: 0.1 },
    { runIndex: 1, epsilon: 0 }, { runIndex: 1, epsilon: 0.1 },
  ]);
  assert.deepEqual(s.curvePlan(s.defaultState(), 3), { runIndex: 3, epsilon: 0.1 });
});

test('classroom flags hide the controls they name, or all', () => {
  const state = s.parseState('#hide=noise,seed').state;
  assert.equal(s.isHidden(state, 'noise'), true);
  assert.equal(s.isHidden(state, 'epsilon'), false);
  assert.equal(s.isHidden(s.parseState('#hide=all').state, 'epsilon'), true);
});

test('chosen pruners and their parameters round-trip through the hash, a wrapped pruner included', () => {
  const pruners = [
    { name: 'median', params: { n_startup_trials: 3, n_warmup_steps: 10 } },
    { name: 'hyperband', params: { max_resource: 'auto', reduction_factor: 2 } },
    { name: 'threshold', params: { lower: -0.5, upper: null } },
    { name: 'patient', params: { patience: 4, wrapped: { name: 'percentile', params: { percentile: 25 } }, min_delta: 0.001 } },
    { name: 'successive_halving', params: {} },
    { name: 'percentile', params: { percentile: 1e-7, n_min_trials: 2 } },
  ];
  const state = { ...s.defaultState(), pruners, pview: 'hyperband' };
  const hash = s.serializeState(state);
  assert.match(hash, /pruners=median\(n_startup_trials%3A3%3Bn_warmup_steps%3A10\)%2Chyperband\(/);
  assert.match(hash, /pview=hyperband/);
  const parsed = s.parseState(hash);
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(parsed.state, state);
  assert.equal(s.formatPruners([{ name: 'patient', params: { patience: 1, wrapped: { name: 'median', params: {} } } }]), 'patient(patience:1;wrapped:median)');
  assert.deepEqual(s.parsePruners('patient(wrapped:median;patience:1)'), [{ name: 'patient', params: { wrapped: { name: 'median', params: {} }, patience: 1 } }]);
  assert.deepEqual(s.parsePruners('threshold(lower:-inf;upper:inf)'), [{ name: 'threshold', params: { lower: '-inf', upper: 'inf' } }]);
});

test('no pruners by default, and nothing about them in the hash until chosen', () => {
  const hash = s.serializeState(s.defaultState());
  assert.doesNotMatch(hash, /pruners|pview/);
  assert.deepEqual(s.defaultState().pruners, []);
  assert.equal(s.defaultState().pview, 'all');
});

test('unreadable pruners are reported and left at none; names and values are the core\'s to judge', () => {
  for (const bad of ['median(', 'median(n_startup_trials)', 'median(:3)', 'Median', 'median,,hyperband', 'median(a:1)x', 'median(a:(1))']) {
    const { state, problems } = s.parseState(`#pruners=${encodeURIComponent(bad)}`);
    assert.deepEqual(state.pruners, [], bad);
    assert.equal(problems[0]?.key, 'pruners', bad);
    assert.match(problems[0].message, /pruners must be pruners name\(key:value;\.\.\.\)/);
  }
  // Unknown names and out-of-range values parse: the core refuses them where they are used.
  assert.deepEqual(s.parseState('#pruners=wilcoxon(n_startup_trials:-5)').state.pruners, [{ name: 'wilcoxon', params: { n_startup_trials: -5 } }]);
  assert.equal(s.parseState('#pview=Median!').problems[0].key, 'pview');
});
