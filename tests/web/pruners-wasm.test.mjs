// The study bindings against the native CLI: the same study JSON gives the same verdicts,
// reasons and summary from `runStudy` (wasm) as from `curvelab prune`; the array path the
// page uses (`runStudies`) gives what `runStudy` gives for the study it exports; refusals
// are the core's messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { loadCurvelab, nativeCli } from './wasm-node.mjs';
import { compilePage } from './compile-page.mjs';

const m = await loadCurvelab();
const cli = nativeCli();
const out = compilePage();
const { Core } = await import(path.join(out, 'src/core.js'));
const { Simulation } = await import(path.join(out, 'src/simulation.js'));
const { defaultState } = await import(path.join(out, 'src/state.js'));
const pruners = await import(path.join(out, 'src/pruners.js'));
const core = new Core(m);

/** `curvelab prune` on a study (or a batch) given as an object: its parsed output, or its error line. */
function prune(study) {
  const r = spawnSync(cli, ['prune', '-'], { input: JSON.stringify(study), encoding: 'utf8', maxBuffer: 1 << 28 });
  return r.status === 0 ? JSON.parse(r.stdout) : { status: r.status, stderr: r.stderr.trim() };
}

/** A study the CLI generates from its own generator (true-value or reward curves). */
function generated(n, seed, pruner, params = [], extra = []) {
  const args = ['prune', '--generate', String(n), '--seed', String(seed), '--pruner', pruner, '--emit-study', ...extra];
  for (const p of params) args.push('--param', p);
  return JSON.parse(execFileSync(cli, args, { encoding: 'utf8', maxBuffer: 1 << 28 }));
}

test("every pruner the core has, with Optuna's defaults", () => {
  assert.deepEqual(core.prunerNames(), [
    'nop',
    'median',
    'percentile',
    'successive_halving',
    'hyperband',
    'threshold',
    'patient',
    'extrapolation',
  ]);
  assert.deepEqual(core.prunerDefaults('extrapolation').params, {
    p: 0.05,
    n_startup_trials: 1,
    n_warmup_steps: 100,
    interval_steps: 10,
    horizon: 'auto',
    max_checks: 200,
  });
  assert.deepEqual(core.prunerDefaults('median'), {
    name: 'median',
    params: { n_startup_trials: 5, n_warmup_steps: 0, interval_steps: 1, n_min_trials: 1 },
  });
  assert.deepEqual(core.prunerDefaults('hyperband').params, {
    min_resource: 1,
    max_resource: 'auto',
    reduction_factor: 3,
    bootstrap_count: 0,
  });
  assert.deepEqual(core.prunerDefaults('successive_halving').params, {
    min_resource: 'auto',
    reduction_factor: 4,
    min_early_stopping_rate: 0,
    bootstrap_count: 0,
  });
  assert.equal(JSON.parse(m.prunerDefaults('wilcoxon')).error.field, 'pruner.name');
});

test('refused parameters come back with the message the CLI prints', () => {
  const cases = [
    { name: 'median', params: { n_startup_trials: -1 } },
    { name: 'percentile', params: { percentile: 120 } },
    { name: 'successive_halving', params: { reduction_factor: 1 } },
    { name: 'hyperband', params: { reduction_factor: 'x' } },
    { name: 'threshold', params: {} },
    { name: 'patient', params: { patience: -2 } },
    { name: 'median', params: { percentile: 10 } },
    { name: 'extrapolation', params: { p: 1 } },
    { name: 'extrapolation', params: { horizon: 0 } },
  ];
  for (const pruner of cases) {
    const error = core.validatePruner(pruner);
    assert.ok(error, `${JSON.stringify(pruner)} is refused`);
    const native = prune({ direction: 'maximize', pruner, trials: [{ values: [1] }] });
    assert.equal(native.status, 2);
    assert.equal(native.stderr, `curvelab prune: ${error.message}`);
    assert.deepEqual(core.runStudy({ pruner, trials: [] }).error, error);
  }
  assert.equal(core.validatePruner({ name: 'median', params: { n_startup_trials: 2 } }), undefined);
  assert.equal(
    core.validatePruner({ name: 'patient', params: { patience: 3, wrapped: { name: 'median', params: {} } } }),
    undefined,
  );
  assert.equal(JSON.parse(m.validatePruner('not json')).error.field !== undefined, true);
});

test('runStudy gives what curvelab prune gives, on generated studies and every pruner', () => {
  const studies = [
    generated(12, 3, 'median', ['n_startup_trials=3']),
    generated(12, 3, 'percentile', ['percentile=25', 'n_warmup_steps=50', 'interval_steps=7']),
    generated(20, 5, 'successive_halving', [], ['--steps', '300']),
    generated(
      20,
      5,
      'successive_halving',
      ['min_resource=5', 'reduction_factor=3', 'bootstrap_count=2'],
      ['--steps', '300'],
    ),
    generated(30, 8, 'hyperband', [], ['--steps', '400', '--study-name', 'race']),
    generated(15, 9, 'hyperband', ['max_resource=200', 'reduction_factor=2'], ['--steps', '200', '--curve', 'reward']),
    generated(10, 2, 'threshold', ['lower=0.5'], ['--steps', '300']),
    generated(
      12,
      4,
      'patient',
      ['patience=20', 'wrapped=median', 'wrapped.n_startup_trials=2'],
      ['--steps', '300', '--curve', 'reward'],
    ),
    generated(6, 1, 'nop', [], ['--steps', '100']),
    // curvelab's own pruner: the curve model's fits, bit for bit in both builds.
    generated(20, 3, 'extrapolation'),
    generated(
      15,
      6,
      'extrapolation',
      ['p=0.2', 'n_warmup_steps=30', 'interval_steps=7'],
      ['--steps', '400', '--curve', 'reward'],
    ),
    generated(
      12,
      2,
      'patient',
      ['patience=30', 'wrapped=extrapolation', 'wrapped.p=0.3'],
      ['--steps', '300', '--curve', 'reward'],
    ),
    {
      study_name: 'gaps',
      direction: 'minimize',
      pruner: { name: 'median', params: { n_startup_trials: 1 } },
      trials: [
        { values: [1, 0.5, null, 0.2], steps: [0, 5, 10, 20] },
        { values: [2, 'inf', 3], steps: [0, 5, 10] },
        { values: [null, null], final: 0.1 },
        { values: [0.1, 3, 4, 5] },
      ],
    },
  ];
  for (const study of studies) {
    const wasm = core.runStudy(study);
    assert.equal(wasm.error, undefined, JSON.stringify(wasm.error));
    assert.deepEqual(wasm.ok, prune(study), `${study.pruner.name} on ${study.study_name}`);
  }
  // A batch, as the page exports for several pruners.
  const batch = { studies: studies.slice(0, 3) };
  assert.deepEqual(
    prune(batch).results,
    batch.studies.map((s) => core.runStudy(s).ok),
  );
});

test('runStudies on arrays is runStudy on the same study, one result per pruner', () => {
  const study = generated(25, 11, 'median', [], ['--steps', '300', '--curve', 'reward', '--study-name', 'arrays']);
  const trials = study.trials.map((t, i) => ({
    values: Float64Array.from(t.values),
    final: i % 3 === 0 ? -i : undefined,
  }));
  const list = [
    { name: 'median', params: {} },
    { name: 'hyperband', params: { reduction_factor: 2 } },
    { name: 'successive_halving', params: {} },
    { name: 'threshold', params: {} },
  ];
  const outcomes = core.runStudies({ study_name: 'arrays', direction: 'maximize' }, list, trials);
  assert.equal(outcomes.length, 4);
  for (let k = 0; k < 3; k++) {
    const json = {
      study_name: 'arrays',
      direction: 'maximize',
      pruner: list[k],
      trials: study.trials.map((t, i) => (i % 3 === 0 ? { values: t.values, final: -i } : { values: t.values })),
    };
    assert.deepEqual(outcomes[k].ok, core.runStudy(json).ok);
    assert.deepEqual(outcomes[k].ok, prune(json));
  }
  assert.match(outcomes[3].error.message, /threshold/);
  assert.ok(outcomes[0].ok.summary.pruned > 0, 'the median stops some runs');
});

test('the playground study: what the page judges is what the CLI says for the study it exports', () => {
  const state = { ...defaultState(), runs: 10, steps: 600, seed: 5, smoothing: 'ema', weight: 0.95 };
  const sim = new Simulation(core, state);
  try {
    sim.advance(600);
    const trials = sim.studyTrials(state.smoothing, state.weight);
    assert.equal(trials.length, 10);
    assert.equal(trials[0].values.length, 600);
    assert.deepEqual(
      Array.from(trials[2].values.slice(0, 5)),
      Array.from(sim.series(2, 0, 1, 'ema', 0.95).smooth.slice(0, 5)),
      'values as drawn',
    );
    const choices = [
      { name: 'median', params: { n_startup_trials: 3 } },
      { name: 'hyperband', params: {} },
      { name: 'successive_halving', params: { min_resource: 10 } },
    ];
    const verdicts = pruners.judge(core, choices, trials);
    const exported = pruners.exportStudies(
      core,
      verdicts.map((v) => v.pruner),
      trials,
    ).ok;
    assert.equal(exported.studies.length, 3);
    // One pruner: the study itself, as the core writes it; a refused pruner names its field.
    const one = pruners.exportStudies(core, [verdicts[0].pruner], trials).ok;
    assert.deepEqual(one, exported.studies[0]);
    assert.equal(one.trials.length, 10);
    assert.equal(one.trials[0].values.length, 600);
    assert.equal(one.trials[3].final, trials[3].final);
    const refused = pruners.exportStudies(core, [{ name: 'wilcoxon', params: {} }], trials);
    assert.equal(refused.ok, undefined);
    assert.match(refused.error.message, /wilcoxon/);
    assert.equal(exported.studies[0].study_name, pruners.STUDY_NAME);
    assert.equal(exported.studies[0].direction, 'maximize');
    assert.deepEqual(exported.studies[0].pruner, {
      name: 'median',
      params: { n_startup_trials: 3, n_warmup_steps: 0, interval_steps: 1, n_min_trials: 1 },
    });
    const native = prune(JSON.parse(JSON.stringify(exported))).results;
    assert.deepEqual(
      verdicts.map((v) => v.result),
      native,
    );
    assert.ok(
      verdicts.some((v) => v.result.summary.pruned > 0),
      'someone stops something',
    );
    // The best trial is judged by ground truth: each trial's final is its final performance.
    const finals = trials.map((t) => t.final);
    assert.equal(verdicts[0].result.summary.best_trial, finals.indexOf(Math.max(...finals)));
  } finally {
    sim.dispose();
  }
});

test('extrapolationContinuation: the stop forecast of curvelab prune, continued; bad requests are refused naming the field', () => {
  // A generated study through the extrapolation pruner: each stop's continuation starts at
  // the stop and averages, over the horizon's last tenth, to about the reason's predicted final.
  const study = JSON.parse(
    execFileSync(cli, ['prune', '--generate', '12', '--seed', '3', '--pruner', 'extrapolation', '--emit-study'], {
      encoding: 'utf8',
    }),
  );
  const result = JSON.parse(m.runStudy(JSON.stringify(study)));
  let checked = 0;
  result.pruned_at.forEach((at, i) => {
    const reason = result.reasons[i];
    if (at === null || reason.rule !== 'unlikely_to_beat_best') return;
    const values = Float64Array.from(study.trials[i].values.slice(0, at + 1));
    const c = JSON.parse(m.extrapolationContinuation(values, at, reason.horizon, reason.p, 1000)).ok;
    assert.equal(c.steps[0], at);
    assert.equal(c.steps.at(-1), reason.horizon - 1);
    const tail = c.mean.filter((_, k) => c.steps[k] >= 0.9 * reason.horizon);
    const mean = tail.reduce((a, b) => a + b, 0) / tail.length;
    assert.ok(
      Math.abs(mean - reason.predicted) < 0.02 * (reason.upper - reason.lower) + 1e-9,
      `trial ${i}: ${mean} vs ${reason.predicted}`,
    );
    checked++;
  });
  assert.ok(checked >= 1, 'the study has an extrapolation stop');
  const v = new Float64Array(50).map((_, t) => Math.log(t + 2));
  const refused = (args) => JSON.parse(m.extrapolationContinuation(v, ...args)).error;
  assert.equal(refused([50, 100, 0.05, 10]).field, 'step');
  assert.equal(refused([2.5, 100, 0.05, 10]).field, 'step');
  assert.equal(refused([49, 50, 0.05, 10]).field, 'horizon');
  assert.equal(refused([49, 0, 0.05, 10]).field, 'horizon');
  assert.equal(refused([49, 100, 0.5, 10]).field, 'p');
  assert.equal(refused([49, 100, Number.NaN, 10]).field, 'p');
  assert.equal(refused([49, 100, 0.05, 1]).field, 'points');
  assert.equal(refused([49, 100, 0.05, 1001]).field, 'points');
  assert.equal(JSON.parse(m.extrapolationContinuation(new Float64Array(3), 2, 100, 0.05, 10)).error.field, 'values');
});
