// The learning-curve model's speed in WebAssembly (Node's V8, as in Chromium): 20 runs x
// 1,000 steps of the 10-armed testbed, each run's observed rewards fitted once, the same
// work as build/curvelab_curve_bench natively.
// usage: node tests/web/bench-curve-wasm.mjs [runs] [steps]     (needs the wasm build; with
// build/curvelab_curve_bench present, also the native figure of the same run and the ratio)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadCurvelab, root } from './wasm-node.mjs';

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
let bestCpu = Infinity;
for (let r = 0; r < repeats; r++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (const c of curves) {
    const fit = JSON.parse(m.fitCurve(c, 2 * steps));
    if (fit.error) throw new Error(fit.error.message);
  }
  const cpu = process.cpuUsage(c0);
  best = Math.min(best, performance.now() - t0);
  bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1000);
}
console.log(`curve model, ${runs} runs x ${steps} steps fitted (best of ${repeats})`);
console.log(`wasm:   ${best.toFixed(1)} ms wall, ${bestCpu.toFixed(1)} ms CPU`);
const native = path.join(root, 'build/curvelab_curve_bench');
if (fs.existsSync(native) && runs === 20) {
  const out = JSON.parse(
    execFileSync(native, [`--benchmark_filter=fit_twenty_runs/${steps}$`, '--benchmark_format=json'], {
      encoding: 'utf8',
    }),
  );
  const b = out.benchmarks[0];
  const scale = { ns: 1e-6, us: 1e-3, ms: 1, s: 1e3 }[b.time_unit] ?? 1;
  const wall = b.real_time * scale;
  const cpu = b.cpu_time * scale;
  console.log(`native: ${wall.toFixed(1)} ms wall, ${cpu.toFixed(1)} ms CPU`);
  console.log(`wasm / native time (CPU): ${(bestCpu / cpu).toFixed(2)}`);
}
