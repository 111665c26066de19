// The URL state: parsing and serialising are pure and round-trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { compilePage } from './compile-page.mjs';

const out = compilePage();
const s = await import(path.join(out, 'src/state.js'));
const { PRESETS } = await import(path.join(out, 'src/presets.js'));

/** An agent: the table's defaults with `kind` and `epsilon`; a change: the same at a step. */
const ag = (kind, epsilon, more = {}) => ({ ...s.defaultAgent(), agent: kind, epsilon, ...more });
const ch = (step, kind, epsilon, more = {}) => ({ step, ...ag(kind, epsilon, more) });
const eps = (...values) => values.map((epsilon) => ({ epsilon }));
/** The default state with `patch` applied. */
const stateWith = (patch = {}) => ({ ...s.defaultState(), ...patch });

test('the default state round-trips through the hash', () => {
  const state = s.defaultState();
  const hash = s.serializeState(state);
  assert.deepEqual(s.parseState(`#${hash}`), { state, problems: [] });
  assert.match(
    hash,
    /^arms=10&arm_mean=0&arm_spread=1&noise=1&agent=epsilon-greedy&epsilon=0\.1&steps=1000&seed=121&runs=4/,
  );
});

/** A state where every setting differs from the defaults (the worst "before"). */
function everythingChanged() {
  return stateWith({
    arms: 37,
    arm_mean: -0.25,
    arm_spread: 2.5,
    noise: 0.001,
    agent: 'random',
    epsilon: 0.015,
    steps: 5000,
    seed: 99,
    runs: 7,
    compare: eps(0, 0.5),
    changes: [ch(10, 'epsilon-greedy', 0.3)],
    at: 420,
    average: 100,
    smoothing: 'moving-average',
    window: 50,
    weight: 0.9,
    raw: false,
    baseline: false,
    truth: false,
    speed: 5000,
    top: 3,
    hidden: [1, 4],
    pruners: [{ name: 'median', params: { n_startup_trials: 1 } }],
    pview: 'median',
    lesson: 'noisy',
    hide: ['noise'],
    embed: true,
    theme: 'dark',
  });
}

test('every property round-trips, lists and changes included', () => {
  const state = {
    ...everythingChanged(),
    seed: 9007199254740991,
    compare: eps(0, 0.01, 0.1),
    changes: [ch(10, 'epsilon-greedy', 0.3), ch(400, 'random', 0.3)],
    speed: 500,
    hide: ['noise', 'seed'],
    play: true,
    average: 2000,
    lesson: 'late-bloomer',
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
  const { state, problems } = s.parseState(
    '#arms=ten&epsilon=&agent=sarsa&compare=0,x&changes=5:q:1&raw=maybe&whatever=1&seed=1.5',
  );
  assert.equal(state.arms, 10);
  assert.equal(state.agent, 'epsilon-greedy');
  assert.deepEqual(state.compare, []);
  assert.deepEqual(
    problems.map((p) => p.key),
    ['arms', 'agent', 'epsilon', 'seed', 'compare', 'changes', 'raw'],
  );
  assert.match(problems[0].message, /arms must be an integer, got "ten"/);
  assert.match(problems[1].message, /agent must be one of epsilon-greedy, ucb, gradient, random, got "sarsa"/);
});

test('out-of-range numbers are parsed as given: the core refuses them where they are used', () => {
  const { state, problems } = s.parseState('#arms=500&epsilon=1.5');
  assert.deepEqual(problems, []);
  assert.equal(state.arms, 500);
  assert.equal(state.epsilon, 1.5);
});

test('a change made while playing is recorded at its step; one made while paused rewrites the setting', () => {
  const base = stateWith({ at: 0 });
  const live = s.withAgent(base, ag('epsilon-greedy', 0.5), 300, true);
  assert.deepEqual(live.changes, [ch(300, 'epsilon-greedy', 0.5)]);
  assert.equal(live.epsilon, 0.1, 'the starting epsilon is kept');
  assert.deepEqual(s.currentAgent(live), ag('epsilon-greedy', 0.5));
  const again = s.withAgent(live, ag('epsilon-greedy', 0.2), 300, true);
  assert.deepEqual(again.changes, [ch(300, 'epsilon-greedy', 0.2)], 'same step: replaced');
  const back = s.withAgent(live, ag('epsilon-greedy', 0.1), 300, true);
  assert.deepEqual(back.changes, [], 'back to the setting before: no change');
  const paused = s.withAgent(again, ag('random', 0.2), 600, false);
  assert.deepEqual(paused.changes, [ch(300, 'random', 0.2)]);
  const first = s.withAgent({ ...base, compare: eps(0, 0.1) }, ag('epsilon-greedy', 0.05), 0, false);
  assert.equal(first.epsilon, 0.05);
  assert.deepEqual(first.compare, []);
});

test('rewinding goes back to step 0 of the same experiment, the changes made while playing kept', () => {
  const start = stateWith({ compare: eps(0, 0.01, 0.1), runs: 3, at: 500 });
  const live = s.withAgent(start, ag('epsilon-greedy', 0.3), 300, true);
  const r = s.rewound(live);
  assert.equal(r.at, 0);
  assert.equal(r.agent, 'epsilon-greedy');
  assert.equal(r.epsilon, 0.1, 'the starting agent is kept');
  assert.deepEqual(r.compare, eps(0, 0.01, 0.1), 'the compared agents are kept');
  assert.deepEqual(r.changes, [ch(300, 'epsilon-greedy', 0.3)], 'the recorded change is replayed');
  assert.deepEqual(s.rewound(r), r, 'rewinding twice is rewinding once');
});

test('every property has its default in the table, and the default state is fresh each time', () => {
  const state = s.defaultState();
  assert.deepEqual(Object.keys(state), Object.keys(s.PROPERTIES));
  for (const [key, p] of Object.entries(s.PROPERTIES)) assert.deepEqual(state[key], p.default, key);
  const role = (r) => Object.keys(s.PROPERTIES).filter((k) => s.PROPERTIES[k].role === r);
  assert.deepEqual(role('personal'), ['hide', 'embed', 'theme'], 'kept across lessons');
  assert.deepEqual(role('experiment'), [
    'arms',
    'arm_mean',
    'arm_spread',
    'noise',
    'agent',
    'epsilon',
    'step_size',
    'initial_value',
    'ucb_c',
    'gradient_baseline',
    'walk',
    'steps',
    'seed',
    'runs',
    'compare',
    'sweep',
    'changes',
    'average',
    'pruners',
  ]);
  state.compare.push({ epsilon: 1 });
  assert.deepEqual(s.defaultState().compare, [], 'a default list is never shared');
  assert.equal(state.at, 0, 'a bare page opens at step 0');
  assert.equal(s.parseState('').state.lesson, 'first-steps', 'a bare page opens on the first lesson');
  assert.deepEqual({ ...s.parseState('').state, lesson: '' }, s.defaultState(), 'whose experiment is the defaults');
  assert.equal(s.parseState('#runs=2').state.lesson, '', 'a link that names no lesson shows none');
  assert.equal(s.parseState('#runs=2&lesson=testbed').state.lesson, 'testbed');
});

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
    assert.deepEqual(worst.hide, ['noise'], "classroom flags are the person's");
    assert.equal(worst.theme, 'dark', 'so is the colour scheme');
    assert.equal(
      s.serializeState({ ...worst, hide: [], embed: false, theme: 'auto' }),
      fresh.get(a.id),
      `${a.id} after everything changed`,
    );
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
  assert.deepEqual(
    s.changedFromLesson({ ...lesson, smoothing: 'none', raw: false, at: 700 }, testbed.state),
    [],
    'view settings and position keep the lesson',
  );
  const live = s.withAgent({ ...lesson, at: 500 }, ag('epsilon-greedy', 0.3), 500, true);
  assert.deepEqual(s.changedFromLesson(live, testbed.state), ['changes']);
  assert.deepEqual(
    s.changedFromLesson(s.rewound(live), testbed.state),
    ['changes'],
    'Reset keeps the change, so the lesson stays changed',
  );
  assert.deepEqual(s.changedFromLesson(s.withSetting(lesson, 'arms', 5), testbed.state), ['arms']);
});

test('a setting changed while paused keeps the position; a shorter horizon drops later changes', () => {
  const state = stateWith({
    steps: 1000,
    at: 600,
    changes: [ch(200, 'random', 0.1), ch(500, 'epsilon-greedy', 0.2)],
    hidden: [2],
  });
  const shorter = s.withSetting(state, 'steps', 400);
  assert.equal(shorter.at, 400);
  assert.deepEqual(
    shorter.changes.map((c) => c.step),
    [200],
  );
  assert.equal(s.withSetting({ ...state, at: 1000 }, 'steps', 3000).at, 3000, 'finished curves stay finished');
  assert.deepEqual(s.withSetting(state, 'seed', 4).hidden, [], 'new runs: nothing hidden');
  assert.deepEqual(s.withSetting(state, 'noise', 2).hidden, [2]);
  assert.deepEqual(s.toggledHidden(s.toggledHidden(state, 0), 2).hidden, [0]);
});

test('compared agents share bandits: curve i uses compare[i % n] on bandit floor(i / n)', () => {
  const state = stateWith({ compare: eps(0, 0.01, 0.1), runs: 6 });
  const e = (epsilon) => ag('epsilon-greedy', epsilon);
  assert.deepEqual(
    [0, 1, 2, 3, 5].map((i) => s.curvePlan(state, i)),
    [
      { runIndex: 0, agent: e(0) },
      { runIndex: 0, agent: e(0.01) },
      { runIndex: 0, agent: e(0.1) },
      { runIndex: 1, agent: e(0) },
      { runIndex: 1, agent: e(0.1) },
    ],
  );
  assert.deepEqual(s.curvePlan(s.defaultState(), 3), { runIndex: 3, agent: e(0.1) });
  // A compared agent overrides only the fields it names.
  const mixed = stateWith({
    initial_value: 1,
    compare: [
      { agent: 'ucb', ucb_c: 0.5 },
      { epsilon: 0, step_size: 0.1 },
    ],
    runs: 2,
  });
  assert.deepEqual(s.curvePlan(mixed, 0).agent, ag('ucb', 0.1, { ucb_c: 0.5, initial_value: 1 }));
  assert.deepEqual(s.curvePlan(mixed, 1).agent, ag('epsilon-greedy', 0, { step_size: 0.1, initial_value: 1 }));
  assert.equal(s.describeAgent(s.curvePlan(mixed, 0).agent), 'UCB c 0.5 · Q1 1');
  assert.equal(
    s.describeAgent(ag('gradient', 0.1, { step_size: 0.4, gradient_baseline: false })),
    'gradient α 0.4 · no baseline',
  );
});

test('every agent field round-trips through the hash, in compared agents and mid-run changes too', () => {
  const state = stateWith({
    agent: 'gradient',
    step_size: 0.25,
    initial_value: -2,
    ucb_c: 0.5,
    gradient_baseline: false,
    walk: 0.01,
    sweep: 500,
    compare: [
      { agent: 'ucb', ucb_c: 2 },
      { epsilon: 0.1 },
      { epsilon: 0, initial_value: 5, step_size: 0.1 },
      { step_size: null, gradient_baseline: true },
    ],
    changes: [
      ch(10, 'ucb', 0.1, { ucb_c: 4, step_size: 0.5 }),
      ch(20, 'gradient', 0.1, { gradient_baseline: false }),
      ch(30, 'epsilon-greedy', 0.2, { initial_value: 3 }),
    ],
  });
  const hash = s.serializeState(state);
  assert.match(hash, /step_size=0\.25&initial_value=-2&ucb_c=0\.5&gradient_baseline=0&walk=0\.01/);
  assert.match(hash, /compare=agent%3Aucb%3Bucb_c%3A2%2C0\.1%2C/, 'an epsilon alone is a bare number, as before');
  assert.match(hash, /changes=10%3Au%3A0\.1%3As0\.5%3Ac4%2C20%3Ag%3A0\.1%3Ab0%2C30%3Ae%3A0\.2%3Aq3/);
  const parsed = s.parseState(hash);
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(parsed.state, state);
  // Sample averages are the default: left out of the hash, `avg` when given.
  assert.equal(s.parseState('#step_size=avg').state.step_size, null);
  assert.doesNotMatch(s.serializeState(s.defaultState()), /step_size|initial_value|ucb_c|gradient_baseline|walk|sweep/);
  // Old links: `step:e:epsilon` and `step:r:epsilon` read as before.
  assert.deepEqual(s.parseState('#changes=500:e:0.01,800:r:0.01').state.changes, [
    ch(500, 'epsilon-greedy', 0.01),
    ch(800, 'random', 0.01),
  ]);
  for (const bad of ['5:e:0.1:x1', '5:e:0.1:bmaybe', '5:z:0.1'])
    assert.equal(s.parseState(`#changes=${bad}`).problems[0]?.key, 'changes', bad);
  assert.equal(s.parseState('#compare=agent:sarsa').problems[0]?.key, 'compare');
});

test('a change of any agent field while playing is recorded; the same settings again are no change', () => {
  const base = stateWith({ agent: 'ucb' });
  const live = s.withAgent(base, ag('ucb', 0.1, { ucb_c: 0.5 }), 100, true);
  assert.deepEqual(live.changes, [ch(100, 'ucb', 0.1, { ucb_c: 0.5 })]);
  assert.equal(live.ucb_c, 2, 'the starting c is kept');
  assert.deepEqual(s.withAgent(live, ag('ucb', 0.1), 100, true).changes, [], 'back to the starting agent');
  const paused = s.withAgent(base, ag('gradient', 0.1, { gradient_baseline: false }), 0, false);
  assert.equal(paused.agent, 'gradient');
  assert.equal(paused.gradient_baseline, false);
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
    {
      name: 'patient',
      params: { patience: 4, wrapped: { name: 'percentile', params: { percentile: 25 } }, min_delta: 0.001 },
    },
    { name: 'successive_halving', params: {} },
    { name: 'percentile', params: { percentile: 1e-7, n_min_trials: 2 } },
  ];
  const state = stateWith({ pruners, pview: 'hyperband' });
  const hash = s.serializeState(state);
  assert.match(hash, /pruners=median\(n_startup_trials%3A3%3Bn_warmup_steps%3A10\)%2Chyperband\(/);
  assert.match(hash, /pview=hyperband/);
  const parsed = s.parseState(hash);
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(parsed.state, state);
  assert.equal(
    s.formatPruners([{ name: 'patient', params: { patience: 1, wrapped: { name: 'median', params: {} } } }]),
    'patient(patience:1;wrapped:median)',
  );
  assert.deepEqual(s.parsePruners('patient(wrapped:median;patience:1)'), [
    { name: 'patient', params: { wrapped: { name: 'median', params: {} }, patience: 1 } },
  ]);
  assert.deepEqual(s.parsePruners('threshold(lower:-inf;upper:inf)'), [
    { name: 'threshold', params: { lower: '-inf', upper: 'inf' } },
  ]);
});

test('no pruners by default, and nothing about them in the hash until chosen', () => {
  const hash = s.serializeState(s.defaultState());
  assert.doesNotMatch(hash, /pruners|pview/);
  assert.deepEqual(s.defaultState().pruners, []);
  assert.equal(s.defaultState().pview, 'all');
});

test("unreadable pruners are reported and left at none; names and values are the core's to judge", () => {
  for (const bad of [
    'median(',
    'median(n_startup_trials)',
    'median(:3)',
    'Median',
    'median,,hyperband',
    'median(a:1)x',
    'median(a:(1))',
  ]) {
    const { state, problems } = s.parseState(`#pruners=${encodeURIComponent(bad)}`);
    assert.deepEqual(state.pruners, [], bad);
    assert.equal(problems[0]?.key, 'pruners', bad);
    assert.match(problems[0].message, /pruners must be pruners name\(key:value;\.\.\.\)/);
  }
  // Unknown names and out-of-range values parse: the core refuses them where they are used.
  assert.deepEqual(s.parseState('#pruners=wilcoxon(n_startup_trials:-5)').state.pruners, [
    { name: 'wilcoxon', params: { n_startup_trials: -5 } },
  ]);
  assert.equal(s.parseState('#pview=Median!').problems[0].key, 'pview');
});

test('a sampled experiment becomes a lesson: each setting rounded to its slider step, at most the page steps, played to the end', () => {
  const drawn = {
    arms: 7,
    arm_mean: 0.337,
    arm_spread: 1.2649,
    noise: 0.951,
    walk: 0.0123456,
    agent: 'ucb',
    epsilon: 0.12345,
    step_size: 0.0987654,
    initial_value: 5.55555,
    ucb_c: 1.23456,
    baseline: true,
    steps: 2_000_000,
    seed: 42,
  };
  assert.deepEqual(s.sampledLesson(drawn, 100_000), {
    arms: 7,
    arm_mean: 0.3,
    arm_spread: 1.3,
    noise: 1,
    walk: 0.0123,
    agent: 'ucb',
    epsilon: 0.12,
    step_size: 0.0988,
    initial_value: 5.56,
    ucb_c: 1.23,
    gradient_baseline: true,
    steps: 100_000,
    seed: 42,
    at: 100_000,
  });
  const short = s.sampledLesson({ ...drawn, steps: 500, step_size: null }, 100_000);
  assert.equal(short.steps, 500);
  assert.equal(short.at, 500);
  assert.equal(short.step_size, null);
});

test('a speed is shown as its place among the speeds, else the next faster one, else the first', () => {
  const speeds = [1, 10, 100, 1000];
  assert.equal(s.speedIndex(100, speeds), 2);
  assert.equal(s.speedIndex(50, speeds), 2);
  assert.equal(s.speedIndex(0, speeds), 0);
  assert.equal(s.speedIndex(5000, speeds), 0);
});

test('a top-N filter shows every run it ranks again; all runs shown is the filter at 0', () => {
  const state = stateWith({ runs: 6, hidden: [1, 4], at: 300 });
  const top = s.withTop(state, 3);
  assert.equal(top.top, 3);
  assert.deepEqual(top.hidden, [], 'runs hidden by hand are shown again');
  assert.equal(top.at, 300, 'the position is kept');
  assert.deepEqual(state.hidden, [1, 4], 'the state given is not changed');
  assert.deepEqual(s.withTop(top, 0), { ...state, top: 0, hidden: [] });
});

test('the average view is shown whole; back to single runs keeps the position', () => {
  const state = stateWith({ steps: 800, at: 120 });
  const averaged = s.withAverage(state, 500);
  assert.equal(averaged.average, 500);
  assert.equal(averaged.at, 800, 'the whole horizon');
  const single = s.withAverage({ ...state, average: 500 }, 0);
  assert.equal(single.average, 0);
  assert.equal(single.at, 120);
});

test('a link without a colour scheme takes the one last chosen; a link that names one keeps it', () => {
  assert.equal(s.loadedState('#runs=2', 'dark').state.theme, 'dark');
  assert.equal(s.loadedState('', 'light').state.theme, 'light');
  assert.equal(s.loadedState('#runs=2&theme=light', 'dark').state.theme, 'light');
  assert.equal(s.loadedState('#theme=auto', 'dark').state.theme, 'auto');
  const { state, problems } = s.loadedState('#runs=x&steps=300', 'dark');
  assert.deepEqual(
    problems.map((p) => p.key),
    ['runs'],
    'the problems of the link are kept',
  );
  assert.deepEqual(state, { ...s.parseState('#runs=x&steps=300').state, theme: 'dark' });
});
