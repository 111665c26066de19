// The module's API as the page uses it: errors as values, views, mid-run agent changes,
// the typed facade and the simulation replaying a link's changes exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadCurvelab } from './wasm-node.mjs';
import { compilePage } from './compile-page.mjs';

const m = await loadCurvelab();
const out = compilePage();
const { Core } = await import(path.join(out, 'src/core.js'));
const { Simulation, checkState } = await import(path.join(out, 'src/simulation.js'));
const { defaultState, defaultAgent, withAgent, rewound } = await import(path.join(out, 'src/state.js'));
/** An agent: the table's defaults with `kind`, `epsilon` and `more`; a change: the same at a step. */
const ag = (kind, epsilon, more = {}) => ({ ...defaultAgent(), agent: kind, epsilon, ...more });
const ch = (step, kind, epsilon, more = {}) => ({ step, ...ag(kind, epsilon, more) });
const eps = (...values) => values.map((epsilon) => ({ epsilon }));
const { Player } = await import(path.join(out, 'src/player.js'));
const { AverageSet } = await import(path.join(out, 'src/averages.js'));
const core = new Core(m);

/**
 * The members an interface of web/src/curvelab-wasm.d.ts declares, read from the file
 * itself: `name(...)` are methods, `readonly NAME: number` constants.
 */
function declaredMembers(interfaceName) {
  const dts = fs.readFileSync(new URL('../../web/src/curvelab-wasm.d.ts', import.meta.url), 'utf8');
  const start = dts.indexOf(`export interface ${interfaceName} `);
  assert.ok(start >= 0, `interface ${interfaceName} in the .d.ts`);
  const body = dts.slice(dts.indexOf('{', start) + 1, dts.indexOf('\n}', start));
  const code = body.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const methods = [...code.matchAll(/^\s*(\w+)\s*\(/gm)].map((m) => m[1]);
  const numbers = [...code.matchAll(/^\s*readonly\s+(\w+)\s*:\s*number/gm)].map((m) => m[1]);
  return { methods, numbers };
}

test('every function the .d.ts declares exists in the module', () => {
  const module = declaredMembers('CurvelabModule');
  assert.ok(module.methods.length >= 16, `${module.methods.length} module functions read from the .d.ts`);
  for (const name of module.methods) assert.equal(typeof m[name], 'function', name);
  for (const name of module.numbers) assert.equal(typeof m[name], 'number', name);
  const run = m.createRun('{}', -1);
  try {
    const methods = declaredMembers('WasmRun').methods;
    assert.ok(methods.length >= 16, `${methods.length} Run methods read from the .d.ts`);
    for (const name of methods) assert.equal(typeof run[name], 'function', `Run.${name}`);
  } finally {
    run.delete();
  }
});

test('refused configs come back as the core error, never a crash', () => {
  assert.deepEqual(core.parseExperiment({ epsilon: 1.5 }).error, {
    field: 'epsilon',
    message: 'epsilon must be in [0, 1], got 1.5',
  });
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
    assert.deepEqual(
      Array.from(run.smoothedRewards('moving-average', 0, 0)),
      Array.from(m.movingAverage(rewards, m.defaultSmoothingWindow(300))),
    );
    assert.deepEqual(Array.from(run.smoothedRewards('ema', 0.9, 0)), Array.from(m.emaDebiased(rewards, 0.9)));
    assert.deepEqual(Array.from(run.smoothedRewards('none', 0, 0)), rewards);
    const truth = core.truth(run);
    assert.deepEqual(
      JSON.parse(m.runTruth(Array.from(run.trueValues()), rewards, run.baseline(), run.bestPossible())),
      truth,
    );
  });
});

test('a link with changes replays exactly the curves that were played live', () => {
  const start = { ...defaultState(), runs: 3, steps: 800, at: 0, seed: 12 };
  // Live: play to 250, move epsilon, play to 600, switch to random, play to the end.
  const live = new Simulation(core, start);
  let state = start;
  try {
    live.advance(250);
    state = withAgent(state, ag('epsilon-greedy', 0.5), 250, true);
    assert.equal(live.applyNow(ag('epsilon-greedy', 0.5)), undefined);
    live.advance(350);
    state = withAgent(state, ag('random', 0.5), 600, true);
    assert.equal(live.applyNow(ag('random', 0.5)), undefined);
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
  assert.equal(checkState(core, { ...ok, compare: eps(0, 2) }, 20, 100000).field, 'epsilon');
  assert.equal(checkState(core, { ...ok, changes: [ch(5, 'random', -1)] }, 20, 100000).field, 'epsilon');
});

/** A player on a hand-driven clock: frames run when the test says, at the times it says. */
function manualPlayer(state) {
  const frames = [];
  let now = 0;
  const timer = { frame: (cb) => frames.push(cb), now: () => now };
  const drawn = { begins: 0, points: new Map(), settled: 0 };
  const screen = {
    begin: () => {
      drawn.begins++;
      drawn.points = new Map();
    },
    append: (i, series) => drawn.points.set(i, [...(drawn.points.get(i) ?? []), ...series.smooth]),
    show: (settled) => (drawn.settled += settled ? 1 : 0),
    progress: () => {},
  };
  const holder = { state };
  const player = new Player(
    core,
    screen,
    () => holder.state,
    (at) => (holder.state = { ...holder.state, at }),
    timer,
  );
  const tick = async (ms) => {
    now += ms;
    for (const cb of frames.splice(0)) cb(now);
    await Promise.resolve();
  };
  return { player, holder, drawn, tick };
}

test('the player advances by the speed in steps per second, and stops at the horizon', async () => {
  const { player, holder, drawn, tick } = manualPlayer({ ...defaultState(), runs: 2, steps: 1000, speed: 100, at: 0 });
  await player.rebuild();
  assert.equal(player.stepsDone, 0);
  player.play(() => {});
  await tick(16); // the first frame only starts the clock
  for (let i = 0; i < 60; i++) await tick(1000 / 60);
  // 100 steps per second: about a second of frames is about 100 steps.
  assert.ok(player.stepsDone >= 95 && player.stepsDone <= 101, `a second at 100 steps/s: ${player.stepsDone}`);
  assert.equal(holder.state.at, player.stepsDone, 'the position is recorded in the state');
  await tick(60_000); // a long pause (a hidden tab) advances at most a tenth of a second
  assert.ok(player.stepsDone <= 112, `no jump after a long pause: ${player.stepsDone}`);
  holder.state = { ...holder.state, speed: 100_000 };
  for (let i = 0; i < 20 && player.playing; i++) await tick(100);
  assert.equal(player.stepsDone, 1000);
  assert.equal(player.playing, false, 'finished: paused');
  assert.equal(drawn.points.get(0).length, 1000);
  assert.ok(drawn.settled > 0);
});

test('Reset and Play replay the same experiment, a change made while playing included', async () => {
  const start = { ...defaultState(), compare: eps(0, 0.01, 0.1), runs: 3, steps: 600, seed: 6, speed: 1000, at: 0 };
  const { player, holder, drawn, tick } = manualPlayer(start);
  await player.rebuild();
  player.play(() => {});
  await tick(16);
  while (player.stepsDone < 200) await tick(50);
  // The person sets epsilon 0.3 while it plays: every run changes from this step on.
  const at = player.stepsDone;
  holder.state = withAgent(holder.state, ag('epsilon-greedy', 0.3), at, player.live);
  assert.equal(player.applyNow(ag('epsilon-greedy', 0.3)), undefined);
  while (player.playing) await tick(50);
  const first = [0, 1, 2].map((i) => drawn.points.get(i));
  assert.equal(first[0].length, 600);
  // Play at the end: back to step 0 of the same experiment.
  player.play(() => {
    holder.state = rewound(holder.state);
    void player.rebuild();
  });
  await tick(16);
  assert.equal(
    player.curves.map((c) => c.label).join(', '),
    'run 1 · ε 0, run 1 · ε 0.01, run 1 · ε 0.1',
    'the compared epsilons are kept',
  );
  while (player.playing) await tick(50);
  assert.deepEqual(
    [0, 1, 2].map((i) => drawn.points.get(i)),
    first,
    'the same curves, the change replayed at its step',
  );
  assert.deepEqual(holder.state.changes, [ch(at, 'epsilon-greedy', 0.3)]);
});

test("the average view: the core's mean of N runs with its 95% band, matching simulateAverage", async () => {
  const state = { ...defaultState(), compare: eps(0, 0.1), average: 50, steps: 300, seed: 2018, smoothing: 'none' };
  const set = new AverageSet(core, state);
  try {
    while (set.runsDone < set.runsWanted) set.add(7);
    assert.equal(set.runsDone, 100);
    for (const [i, epsilon] of [0, 0.1].entries()) {
      const series = set.series(i, 1);
      const reference = m.simulateAverage(JSON.stringify({ epsilon, steps: 300, seed: 2018 }), 50);
      assert.equal(series.smooth.length, 300);
      series.smooth.forEach((y, t) =>
        assert.ok(Math.abs(y - reference.meanReward[t]) < 1e-12, `ε ${epsilon} step ${t + 1}`),
      );
      series.truth.forEach((y, t) => assert.ok(Math.abs(y - reference.meanTrueValue[t]) < 1e-12));
      for (let t = 0; t < 300; t++)
        assert.ok(series.lower[t] <= series.smooth[t] && series.smooth[t] <= series.upper[t]);
      assert.ok(series.upper[299] - series.lower[299] > 0, 'a band with width');
      assert.equal(set.curves[i].label, `ε ${epsilon} · mean of 50 runs`);
      assert.ok(Number.isFinite(set.curves[i].baseline) && set.curves[i].bestPossible > set.curves[i].baseline);
    }
  } finally {
    set.dispose();
  }
  assert.match(
    core.averageProblem({
      config: { steps: 10 },
      changes: [{ step: 20, agent: 'random', epsilon: 0.1 }],
      smoothing: 'none',
      param: 0,
    }).message,
    /step must be in \[1, 10\]/,
  );
  assert.match(
    core.averageProblem({ config: {}, changes: [], smoothing: 'box', param: 0 }).message,
    /smoothing must be/,
  );
  assert.match(core.averageProblem({ config: {}, changes: [], smoothing: 7, param: 0 }).message, /smoothing must be/);
  assert.match(
    core.averageProblem({ config: { epsilon: 3 }, changes: [], smoothing: 'none', param: 0 }).message,
    /epsilon must be in \[0, 1\]/,
  );
  assert.deepEqual(core.rankDescending([0.5, 2, NaN, 2, -1]), [2, 0, 4, 1, 3]);
});

test("the parameter study in slices equals `curvelab sweep` bit for bit; pruners cut it with the core's figures", async () => {
  const { execFileSync } = await import('node:child_process');
  const { nativeCli } = await import('./wasm-node.mjs');
  const spec = { runs: 37, steps: 200, seed: 3 };
  const created = core.createSweep(spec);
  assert.ok(!('message' in created), 'the study is accepted');
  const sweep = created;
  try {
    const points = JSON.parse(sweep.points());
    assert.equal(points.length, 25);
    assert.deepEqual(
      points.map((p) => p.method).filter((x, i, a) => a.indexOf(x) === i),
      ['epsilon-greedy', 'gradient', 'ucb', 'optimistic'],
    );
    let calls = 0;
    let progress = 0;
    while (!sweep.done()) {
      assert.ok(sweep.advance(8) > 0);
      assert.ok(sweep.progress() > progress);
      progress = sweep.progress();
      calls++;
    }
    assert.equal(calls, 25 * 5, '37 runs in slices of 8: 5 calls per setting');
    assert.equal(sweep.advance(8), 0);
    const native = JSON.parse(
      execFileSync(nativeCli(), ['sweep', '--runs', '37', '--steps', '200', '--seed', '3', '--format', 'json'], {
        encoding: 'utf8',
      }),
    );
    const nativePoints = native.methods.flatMap((m) =>
      m.points.map((p) => ({ method: m.method, parameter: m.parameter, ...p })),
    );
    assert.deepEqual(JSON.parse(sweep.results()), nativePoints, 'the same numbers as the CLI, bit for bit');

    const nop = core.pruneSweep(sweep, { name: 'nop' }).ok;
    assert.equal(nop.share_saved, 0);
    assert.equal(nop.agent_steps_total, 25 * 200 * 37);
    assert.equal(nop.found_every_best, true);
    for (const m of native.methods) {
      assert.equal(
        nop.methods.find((x) => x.method === m.method).best.log2,
        m.best.log2,
        `${m.method}: the CLI's best`,
      );
    }
    const median = core.pruneSweep(sweep, { name: 'median', params: { n_startup_trials: 1 } }).ok;
    assert.ok(median.share_saved > 0 && median.share_saved < 1, `median saves ${median.share_saved}`);
    // The saving is the studies' own steps, times the runs of each setting.
    const stepsRun = median.methods.reduce((n, m) => n + m.study.summary.steps_run, 0);
    assert.equal(median.agent_steps_run, stepsRun * 37);
    assert.ok(Math.abs(median.share_saved - (1 - median.agent_steps_run / median.agent_steps_total)) < 1e-12);
    for (const m of median.methods) {
      const kept = m.study.states.map((st, i) => [st, i]).filter(([st]) => st === 'COMPLETE');
      assert.equal(m.found_best, m.best_kept !== null && m.best_kept.log2 === m.best.log2, m.method);
      assert.ok(kept.length >= 1, `${m.method}: the first setting always finishes`);
    }
    assert.equal(
      median.found_every_best,
      median.methods.every((m) => m.found_best),
    );
    assert.match(
      core.pruneSweep(sweep, { name: 'percentile', params: { percentile: 150 } }).error.message,
      /percentile/,
    );
  } finally {
    sweep.delete();
  }
  assert.equal(core.createSweep({ runs: 0 }).message, 'runs must be in [1, 100000], got 0');
  assert.equal(core.createSweep({ steps: 2.5 }).field, 'steps');
  assert.equal(core.createSweep({ seed: -1 }).field, 'seed');
});
