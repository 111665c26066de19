// The pruner panel's work in WebAssembly (Node's V8, as in Chromium): a study of the
// playground's largest size (20 runs x 100,000 steps of the 10-armed testbed, the reward
// curves as trials) judged by each pruner through `runStudies`, and the extrapolation
// pruner's continuation past each run it stops on a 20 x 1,000-step study.
// usage: node tests/web/bench-pruners-wasm.mjs [runs] [steps]     (needs the wasm build)
import { performance } from 'node:perf_hooks';
import { loadCurvelab } from './wasm-node.mjs';

const runs = Number(process.argv[2] ?? 20);
const steps = Number(process.argv[3] ?? 100000);
const repeats = 3;
const m = await loadCurvelab();

function study(count, horizon) {
  const trials = [];
  for (let i = 0; i < count; i++) {
    const run = m.createRun(JSON.stringify({ steps: horizon, seed: i + 1, epsilon: (i % 5) / 20 }), -1);
    try {
      run.finish();
      trials.push({ values: run.rewards().slice() });
    } finally {
      run.delete();
    }
  }
  return trials;
}

function judge(trials, pruners) {
  const answer = JSON.parse(
    m.runStudies(JSON.stringify({ study_name: 'bench', direction: 'maximize', pruners }), trials),
  );
  if (answer.error) throw new Error(answer.error.message);
  return answer.results;
}

function best(fn) {
  let wall = Infinity;
  let out;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    out = fn();
    wall = Math.min(wall, performance.now() - t0);
  }
  return { wall, out };
}

const big = study(runs, steps);
console.log(`one study of ${runs} runs x ${steps} steps, judged by each pruner (best of ${repeats}, ms wall)`);
for (const name of JSON.parse(m.prunerNames()).filter((n) => n !== 'nop')) {
  const params = { percentile: { percentile: 25 }, threshold: { lower: 0 }, patient: { patience: 20 } }[name] ?? {};
  const { wall, out } = best(() => judge(big, [{ name, params }]));
  const stopped = out[0].pruned_at.filter((at) => at !== null).length;
  console.log(`${name.padEnd(20)} ${wall.toFixed(0).padStart(6)} ms  (${stopped} of ${runs} runs stopped)`);
}

const small = study(20, 1000);
const [result] = judge(small, [{ name: 'extrapolation', params: {} }]);
const stops = result.pruned_at
  .map((at, i) => ({ at, i, reason: result.reasons[i] }))
  .filter((s) => s.at !== null && s.reason?.rule === 'unlikely_to_beat_best');
const { wall } = best(() => {
  for (const s of stops) {
    const c = JSON.parse(
      m.extrapolationContinuation(small[s.i].values.subarray(0, s.at + 1), s.at, s.reason.horizon, s.reason.p, 100),
    );
    if (c.error) throw new Error(c.error.message);
  }
});
console.log(
  `extrapolation continuations, 20 x 1000 steps: ${stops.length} stopped runs, ` +
    `${(wall / Math.max(1, stops.length)).toFixed(1)} ms per run (best of ${repeats})`,
);
