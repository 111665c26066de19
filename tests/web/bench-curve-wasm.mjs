// The learning-curve model's speed in WebAssembly (Node's V8, as in Chromium): 20 runs x
// 1,000 steps of the 10-armed testbed, each run's observed rewards fitted once, the same
// work as build/curvelab_curve_bench natively.
// usage: node tests/web/bench-curve-wasm.mjs [runs] [steps]     (needs the wasm build)
import { performance } from 'node:perf_hooks';
import { loadCurvelab } from './wasm-node.mjs';

const runs = Number(process.argv[2] ?? 20);
const steps = Number(process.argv[3] ?? 1000);
const repeats = 5;
const m = await loadCurvelab();
const curves = [];
for (let i = 0; i < runs; i++) {
  const run = m.createRun(JSON.stringify({ steps, seed: i + 1 }), -1);
  try {
    run.finish();
    curves.push(run.rewards().slice());
  } finally {
    run.delete();
  }
}
let best = Infinity;
for (let r = 0; r < repeats; r++) {
  const t0 = performance.now();
  for (const c of curves) {
    const fit = JSON.parse(m.fitCurve(c, 2 * steps));
    if (fit.error) throw new Error(fit.error.message);
  }
  best = Math.min(best, performance.now() - t0);
}
console.log(`curve model: ${runs} runs x ${steps} steps fitted in ${best.toFixed(1)} ms (wasm, best of ${repeats})`);
