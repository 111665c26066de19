// The simulator's speed in WebAssembly (Node's V8, as in Chromium) against the native
// build, on the same work: `curvelab simulate` (runs × steps, averaged per step).
// usage: node tests/web/bench-wasm.mjs [runs] [steps] [agent]   (agent: epsilon-greedy, the default, ucb,
// gradient or random; needs build/curvelab and the wasm build)
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { loadCurvelab, nativeCli } from './wasm-node.mjs';

const runs = Number(process.argv[2] ?? 2000);
const steps = Number(process.argv[3] ?? 5000);
const repeats = 3;
const m = await loadCurvelab();
const cli = nativeCli();
const agent = process.argv[4] ?? 'epsilon-greedy';
const config = { arms: 10, agent, epsilon: 0.1, steps, seed: 1 };

function best(fn) {
  let t = Infinity;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    fn();
    t = Math.min(t, performance.now() - t0);
  }
  return t;
}

// Native: the whole process, so subtract the start-up and output of a tiny run.
const args = (r, s) => [
  'simulate',
  '--agent',
  agent,
  '--arms',
  '10',
  '--epsilon',
  '0.1',
  '--steps',
  String(s),
  '--runs',
  String(r),
  '--seed',
  '1',
  '--format',
  'json',
];
const nativeOverhead = best(() => execFileSync(cli, args(1, steps), { maxBuffer: 1 << 28 }));
const nativeMs = best(() => execFileSync(cli, args(runs, steps), { maxBuffer: 1 << 28 })) - nativeOverhead;
const wasmMs = best(() => {
  const out = m.simulateAverage(JSON.stringify(config), runs);
  if (out.error) throw new Error(out.error);
});
const total = runs * steps;
const rate = (ms) => `${(((total / ms) * 1000) / 1e6).toFixed(1)} M steps/s`;
console.log(`simulate ${runs} runs × ${steps} steps (10 arms, ${agent}, defaults), best of ${repeats}`);
console.log(`native: ${nativeMs.toFixed(0)} ms (${rate(nativeMs)})`);
console.log(`wasm:   ${wasmMs.toFixed(0)} ms (${rate(wasmMs)})`);
console.log(`wasm / native speed: ${(nativeMs / wasmMs).toFixed(2)}`);

// The average view's work: 2000 runs of the 10-armed testbed, 1000 steps, with the 95% band.
const averageMs = best(() => {
  const a = m.createAverager(
    JSON.stringify({
      config: { arms: 10, epsilon: 0.1, steps: 1000, seed: 1 },
      changes: [],
      smoothing: 'none',
      param: 0,
    }),
  );
  try {
    a.add(2000);
    if (a.average().reward.upper.length !== 1000) throw new Error('no band');
  } finally {
    a.delete();
  }
});
console.log(
  `average of 2000 runs × 1000 steps with its 95% band (wasm): ${averageMs.toFixed(0)} ms (${rate((averageMs * total) / 2e6)})`,
);
