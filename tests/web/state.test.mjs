// The URL state: parsing and serialising are pure and round-trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { compilePage } from './compile-page.mjs';

const out = compilePage();
const s = await import(path.join(out, 'src/state.js'));
const { PRESETS } = await import(path.join(out, 'src/presets.js'));

test('the default state round-trips through the hash', () => {
  const state = s.defaultState();
  const hash = s.serializeState(state);
  assert.deepEqual(s.parseState(`#${hash}`), { state, problems: [] });
  assert.match(hash, /^arms=10&arm_mean=0&arm_spread=1&noise=1&agent=epsilon-greedy&epsilon=0\.1&steps=1000&seed=121&runs=4/);
});

test('every property round-trips, lists and changes included', () => {
  const state = {
    ...s.defaultState(),
    arms: 37, arm_mean: -0.25, arm_spread: 2.5, noise: 0.001, agent: 'random', epsilon: 0.015, steps: 5000,
    seed: 9007199254740991, runs: 7, compare: [0, 0.01, 0.1],
    changes: [{ step: 10, agent: 'epsilon-greedy', epsilon: 0.3 }, { step: 400, agent: 'random', epsilon: 0.3 }],
    at: 420, smoothing: 'moving-average', window: 50, weight: 0.9, raw: false, baseline: false, truth: false,
    speed: 500, top: 3, hidden: [1, 4], hide: ['noise', 'seed'], embed: true, play: true, theme: 'dark', average: 2000, lesson: 'late-bloomer',
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

test('rewinding goes back to step 0 of the same experiment, the changes made while playing kept', () => {
  const start = { ...s.defaultState(), compare: [0, 0.01, 0.1], runs: 3, at: 500 };
  const live = s.withAgent(start, 'epsilon-greedy', 0.3, 300, true);
  const r = s.rewound(live);
  assert.equal(r.at, 0);
  assert.equal(r.agent, 'epsilon-greedy');
  assert.equal(r.epsilon, 0.1, 'the starting agent is kept');
  assert.deepEqual(r.compare, [0, 0.01, 0.1], 'the compared epsilons are kept');
  assert.deepEqual(r.changes, [{ step: 300, agent: 'epsilon-greedy', epsilon: 0.3 }], 'the recorded change is replayed');
  assert.deepEqual(s.rewound(r), r, 'rewinding twice is rewinding once');
});

test('every property has its default in the table, and the default state is fresh each time', () => {
  const state = s.defaultState();
  assert.deepEqual(Object.keys(state), Object.keys(s.PROPERTIES));
  for (const [key, p] of Object.entries(s.PROPERTIES)) assert.deepEqual(state[key], p.default, key);
  const role = (r) => Object.keys(s.PROPERTIES).filter((k) => s.PROPERTIES[k].role === r);
  assert.deepEqual(role('personal'), ['hide', 'embed', 'theme'], 'kept across lessons');
  assert.deepEqual(role('experiment'), ['arms', 'arm_mean', 'arm_spread', 'noise', 'agent', 'epsilon', 'steps', 'seed', 'runs', 'compare', 'changes', 'average', 'pruners']);
  state.compare.push(1);
  assert.deepEqual(s.defaultState().compare, [], 'a default list is never shared');
  assert.equal(state.at, 0, 'a bare page opens at step 0');
  assert.equal(s.parseState('').state.lesson, 'first-steps', 'a bare page opens on the first lesson');
  assert.deepEqual({ ...s.parseState('').state, lesson: '' }, s.defaultState(), 'whose experiment is the defaults');
  assert.equal(s.parseState('#runs=2').state.lesson, '', 'a link that names no lesson shows none');
  assert.equal(s.parseState('#runs=2&lesson=testbed').state.lesson, 'testbed');
});

/** A state where every setting differs from the defaults (the worst "before"). */
function everythingChanged() {
  return {
    ...s.defaultState(),
    arms: 37, arm_mean: -0.25, arm_spread: 2.5, noise: 0.001, agent: 'random', epsilon: 0.015, steps: 5000, seed: 99, runs: 7,
    compare: [0, 0.5], changes: [{ step: 10, agent: 'epsilon-greedy', epsilon: 0.3 }], at: 420, average: 100,
    smoothing: 'moving-average', window: 50, weight: 0.9, raw: false, baseline: false, truth: false, speed: 5000, top: 3,
    hidden: [1, 4], pruners: [{ name: 'median', params: { n_startup_trials: 1 } }], pview: 'median', lesson: 'noisy',
    hide: ['noise'], embed: true, theme: 'dark',
  };
}

test('each preset is a complete state: the same link whatever came before, over every ordered pair', () => {
  const fresh = new Map(PRESETS.map((p) => [p.id, s.serializeState(s.withLesson(s.defaultState(), p.id, p.state))]));
  for (const a of PRESETS) {
    for (const b of PRESETS) {
      const before = s.withLesson(s.defaultState(), a.id, a.state);
      const after = s.withLesson(before, b.id, b.state);
      assert.equal(s.serializeState(after), fresh.get(b.id), `${a.id} then ${b.id}`);
      assert.deepEqual(s.changedFromLesson(after, b.state), [], `${b.id} is its own lesson`);
    }
    const worst = s.withLesson(everythingChanged(), a.id, a.state);
    assert.deepEqual(worst.hide, ['noise'], 'classroom flags are the person\'s');
    assert.equal(worst.theme, 'dark', 'so is the colour scheme');
    assert.equal(s.serializeState({ ...worst, hide: [], embed: false, theme: 'auto' }), fresh.get(a.id), `${a.id} after everything changed`);
  }
  // The lessons say what their state shows.
  const crossing = s.withLesson(everythingChanged(), 'crossing', PRESETS.find((p) => p.id === 'crossing').state);
  assert.equal(crossing.truth, true, 'crossing curves: the dashed true values are drawn');
  assert.deepEqual(crossing.pruners, [], 'crossing curves: no pruner dims a run');
  assert.equal(crossing.average, 0);
});

test('a changed experiment is no longer the lesson; the view is', () => {
  const testbed = PRESETS.find((p) => p.id === 'testbed');
  const lesson = s.withLesson(s.defaultState(), 'testbed', testbed.state);
  assert.deepEqual(s.changedFromLesson({ ...lesson, smoothing: 'none', raw: false, at: 700 }, testbed.state), [], 'view settings and position keep the lesson');
  const live = s.withAgent({ ...lesson, at: 500 }, 'epsilon-greedy', 0.3, 500, true);
  assert.deepEqual(s.changedFromLesson(live, testbed.state), ['changes']);
  assert.deepEqual(s.changedFromLesson(s.rewound(live), testbed.state), ['changes'], 'Reset keeps the change, so the lesson stays changed');
  assert.deepEqual(s.changedFromLesson(s.withSetting(lesson, 'arms', 5), testbed.state), ['arms']);
});

test('a setting changed while paused keeps the position; a shorter horizon drops later changes', () => {
  const state = { ...s.defaultState(), steps: 1000, at: 600, changes: [{ step: 200, agent: 'random', epsilon: 0.1 }, { step: 500, agent: 'epsilon-greedy', epsilon: 0.2 }], hidden: [2] };
  const shorter = s.withSetting(state, 'steps', 400);
  assert.equal(shorter.at, 400);
  assert.deepEqual(shorter.changes.map((c) => c.step), [200]);
  assert.equal(s.withSetting({ ...state, at: 1000 }, 'steps', 3000).at, 3000, 'finished curves stay finished');
  assert.deepEqual(s.withSetting(state, 'seed', 4).hidden, [], 'new runs: nothing hidden');
  assert.deepEqual(s.withSetting(state, 'noise', 2).hidden, [2]);
  assert.deepEqual(s.toggledHidden(s.toggledHidden(state, 0), 2).hidden, [0]);
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
