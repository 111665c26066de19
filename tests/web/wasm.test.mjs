// The module's API as the page uses it: errors as values, views, mid-run agent changes,
// the typed facade and the simulation replaying a link's changes exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadCurvelab } from './wasm-node.mjs';
import { compilePage } from './compile-page.mjs';

const m = await loadCurvelab();
const out = compilePage();
const { Core } = await import(path.join(out, 'src/core.js'));
const { Simulation, checkState } = await import(path.join(out, 'src/simulation.js'));
const { defaultState, withAgent } = await import(path.join(out, 'src/state.js'));
const core = new Core(m);

test('every function the .d.ts declares exists in the module', () => {
  for (const name of ['parseExperiment', 'outOfRangeMessage', 'formatNumber', 'createRun', 'movingAverage', 'emaDebiased',
    'defaultSmoothingWindow', 'runTruth', 'simulateAverage', 'defaultRanges', 'sampleExperiment',
    'prunerNames', 'prunerDefaults', 'validatePruner', 'runStudy', 'runStudies', 'fitCurve']) {
    assert.equal(typeof m[name], 'function', name);
  }
  for (const name of ['MIN_ARMS', 'MAX_ARMS', 'MAX_STEPS', 'MAX_RUNS']) {
    assert.equal(typeof m[name], 'number', name);
  }
  const run = m.createRun('{}', -1);
  try {
    for (const name of ['step', 'finish', 'setAgent', 'stepsDone', 'horizon', 'done', 'config', 'rewards', 'trueValues', 'optimal',
      'armValues', 'estimates', 'baseline', 'bestPossible', 'truth', 'smoothedRewards']) {
      assert.equal(typeof run[name], 'function', `Run.${name}`);
    }
  } finally {
    run.delete();
  }
});

test('refused configs come back as the core error, never a crash', () => {
  assert.deepEqual(core.parseExperiment({ epsilon: 1.5 }).error, { field: 'epsilon', message: 'epsilon must be in [0, 1], got 1.5' });
  assert.equal(core.parseExperiment({ arms: 'ten' }).error.field, 'arms');
  assert.match(core.parseExperiment({ runs: 3 }).error.message, /unknown field "runs"/);
  assert.equal(m.createRun('{"noise": -1}', -1), null);
  assert.equal(m.createRun('not json', -1), null);
  assert.equal(core.parseExperiment({ arms: 3 }).ok.noise, 1);
  assert.match(JSON.parse(m.sampleExperiment('', -1, 0)).error.message, /seed must be an integer/);
  assert.match(JSON.parse(m.sampleExperiment('{"arms": [5, 2]}', 1, 0)).error.message, /must not exceed/);
  assert.equal(core.outOfRange('runs', 1, 20, 5), undefined);
  assert.match(core.outOfRange('runs', 1, 20, 50).message, /^runs must be in \[1, /);
});

test('a run steps incrementally and its views show the steps so far', () => {
  core.withRun(core.parseExperiment({ steps: 50, seed: 4 }).ok, -1, (run) => {
    assert.equal(run.step(20), 20);
    assert.equal(run.rewards().length, 20);
    assert.equal(run.step(100), 30, 'never past the horizon');
    assert.equal(run.done(), true);
    assert.equal(run.optimal().length, 50);
    assert.equal(run.armValues().length, 10);
    const whole = core.withRun(core.parseExperiment({ steps: 50, seed: 4 }).ok, -1, (r) => {
      r.finish();
      return Array.from(r.rewards());
    });
    assert.deepEqual(Array.from(run.rewards()), whole, 'stepping in pieces gives the same curve');
  });
});

test('set_agent mid-run validates, applies from the next step, and refuses non-agent fields', () => {
  core.withRun(core.parseExperiment({ steps: 100, seed: 2 }).ok, -1, (run) => {
    run.step(10);
    assert.equal(core.setAgent(run, { epsilon: 7 }).message, 'epsilon must be in [0, 1], got 7');
    assert.match(JSON.parse(run.setAgent('{"arms": 3}')).error.message, /cannot change during a run/);
    assert.equal(core.setAgent(run, { agent: 'random' }), undefined);
    assert.equal(JSON.parse(run.config()).agent, 'random');
    run.step(5);
    const values = run.trueValues();
    assert.equal(values[14], run.baseline(), 'the random agent is worth the baseline');
  });
});

test('smoothing comes from the core and a slice from `from` equals the tail of the whole', () => {
  core.withRun(core.parseExperiment({ steps: 300, seed: 8 }).ok, -1, (run) => {
    run.finish();
    const rewards = Array.from(run.rewards());
    const ma = Array.from(m.movingAverage(rewards, 15));
    assert.deepEqual(Array.from(run.smoothedRewards('moving-average', 15, 0)), ma);
    assert.deepEqual(Array.from(run.smoothedRewards('moving-average', 15, 200)), ma.slice(200));
    assert.deepEqual(Array.from(run.smoothedRewards('moving-average', 0, 0)), Array.from(m.movingAverage(rewards, m.defaultSmoothingWindow(300))));
    assert.deepEqual(Array.from(run.smoothedRewards('ema', 0.9, 0)), Array.from(m.emaDebiased(rewards, 0.9)));
    assert.deepEqual(Array.from(run.smoothedRewards('none', 0, 0)), rewards);
    const truth = core.truth(run);
    assert.deepEqual(JSON.parse(m.runTruth(Array.from(run.trueValues()), rewards, run.baseline(), run.bestPossible())), truth);
  });
});

test('a link with changes replays exactly the curves that were played live', () => {
  const start = { ...defaultState(), runs: 3, steps: 800, at: 0, seed: 12 };
  // Live: play to 250, move epsilon, play to 600, switch to random, play to the end.
  const live = new Simulation(core, start);
  let state = start;
  try {
    live.advance(250);
    state = withAgent(state, 'epsilon-greedy', 0.5, 250, true);
    assert.equal(live.applyNow({ agent: 'epsilon-greedy', epsilon: 0.5 }), undefined);
    live.advance(350);
    state = withAgent(state, 'random', 0.5, 600, true);
    assert.equal(live.applyNow({ agent: 'random', epsilon: 0.5 }), undefined);
    live.advance(1000);
    assert.equal(checkState(core, state, 20, 100000), undefined);
    // Replay from the state the URL holds.
    const replay = new Simulation(core, { ...state, at: 800 });
    try {
      replay.advance(800);
      for (let i = 0; i < 3; i++) {
        const curve = replay.series(i, 0, 1, 'ema', 0.9);
        assert.deepEqual(curve, live.series(i, 0, 1, 'ema', 0.9), `curve ${i}`);
        assert.equal(new Set(curve.truth.slice(600)).size, 1, 'random from step 600: the true value is the baseline');
        assert.equal(curve.truth[700], replay.curves[i].baseline);
      }
    } finally {
      replay.dispose();
    }
  } finally {
    live.dispose();
  }
});

test('series are drawn every `stride` steps, from where the chart left off', () => {
  const sim = new Simulation(core, { ...defaultState(), runs: 1, steps: 100, at: 0 });
  try {
    sim.advance(45);
    const a = sim.series(0, 0, 10, 'none', 0);
    assert.deepEqual(a.x, [10, 20, 30, 40]);
    sim.advance(30);
    const b = sim.series(0, 45, 10, 'moving-average', 5);
    assert.deepEqual(b.x, [50, 60, 70]);
    const all = sim.series(0, 0, 1, 'moving-average', 5);
    assert.deepEqual(b.smooth, [all.smooth[49], all.smooth[59], all.smooth[69]]);
  } finally {
    sim.dispose();
  }
});

test('checkState reports the first refused field, compared epsilons and changes included', () => {
  const ok = defaultState();
  assert.equal(checkState(core, ok, 20, 100000), undefined);
  assert.equal(checkState(core, { ...ok, arms: 1 }, 20, 100000).field, 'arms');
  assert.equal(checkState(core, { ...ok, runs: 21 }, 20, 100000).field, 'runs');
  assert.equal(checkState(core, { ...ok, compare: [0, 2] }, 20, 100000).field, 'epsilon');
  assert.equal(checkState(core, { ...ok, changes: [{ step: 5, agent: 'random', epsilon: -1 }] }, 20, 100000).field, 'epsilon');
});
