// The parameter study of Figure 2.6 (4 methods, 25 settings, 2000 runs × 1000 steps): how
// long the page takes to compute it in Chromium (sliced between frames, as it runs there),
// the same study in WebAssembly under Node in one go, and natively (`curvelab sweep`).
// usage: node tests/web/bench-sweep.mjs [runs]     (needs build/curvelab, the wasm build and dist/)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { launch, openPage } from './browser.mjs';
import { serveStatic } from './static-server.mjs';
import { loadCurvelab, nativeCli, root } from './wasm-node.mjs';

const runs = Number(process.argv[2] ?? 2000);

const t0 = performance.now();
execFileSync(nativeCli(), ['sweep', '--runs', String(runs), '--format', 'json'], { encoding: 'utf8' });
const nativeS = (performance.now() - t0) / 1000;

const m = await loadCurvelab();
const t1 = performance.now();
const sweep = m.createSweep(JSON.stringify({ runs, steps: 1000, seed: 1 }));
while (!sweep.done()) sweep.advance(8);
sweep.delete();
const nodeS = (performance.now() - t1) / 1000;

let pageS = NaN;
const dist = path.join(root, 'dist');
if (fs.existsSync(path.join(dist, 'index.html'))) {
  const server = await serveStatic(dist);
  const browser = await launch();
  try {
    const { page } = await openPage(browser.context, `${server.url}#sweep=${runs}&seed=1`);
    await page.waitForFunction(() => window.curvelab.sweep().done, null, { timeout: 600000 });
    pageS = await page.evaluate(() => window.curvelab.sweep().seconds);
  } finally {
    await browser.close();
    await server.close();
  }
}
console.log(`parameter study, 25 settings × ${runs} runs × 1000 steps`);
console.log(`native (curvelab sweep, whole process): ${nativeS.toFixed(1)} s`);
console.log(`wasm under Node, slices of 8 runs:      ${nodeS.toFixed(1)} s`);
console.log(
  `the page in Chromium, between frames:   ${Number.isFinite(pageS) ? `${pageS.toFixed(1)} s` : 'dist/ missing'}`,
);
