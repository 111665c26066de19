// Page figures in headless Chromium (software rendering, no GPU): time to first curve,
// frame times while 20 runs × 1000 steps grow, long tasks, and the gzipped size of what
// the page loads. usage: node tests/web/bench-page.mjs   (after npm run build)
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { launch, openPage } from './browser.mjs';
import { serveStatic } from './static-server.mjs';
import { root } from './wasm-node.mjs';

const dist = path.join(root, 'dist');
const server = await serveStatic(dist);
const browser = await launch();
try {
  const { page } = await openPage(browser.context, server.url);
  const firstCurve = await page.evaluate(
    () => performance.getEntriesByName('curvelab:first-curve')[0]?.startTime ?? NaN,
  );
  await page.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => e.duration))).observe({
      type: 'longtask',
    });
  });
  await page.evaluate(() => (location.hash = 'runs=20&steps=1000&speed=300&at=0'));
  await page.waitForFunction(() => !window.curvelab.busy() && window.curvelab.curves() === 20);
  const frames = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const times = [];
        let last = performance.now();
        const tick = (now) => {
          times.push(now - last);
          last = now;
          if (window.curvelab.stepsDone() < 1000) requestAnimationFrame(tick);
          else resolve(times.slice(1));
        };
        document.getElementById('play').click();
        requestAnimationFrame(tick);
      }),
  );
  const longTasks = await page.evaluate(() => window.longTasks);
  const work = await page.evaluate(() => window.curvelab.workTimes());
  const meanOf = (k) => work.reduce((a, w) => a + w[k], 0) / work.length;
  frames.sort((a, b) => a - b);
  const mean = frames.reduce((a, b) => a + b, 0) / frames.length;
  const p95 = frames[Math.floor(frames.length * 0.95)];
  console.log(`time to first curve after load: ${firstCurve.toFixed(0)} ms`);
  console.log(
    `20 runs × 1000 steps growing (300 steps/s): ${frames.length} frames, mean ${mean.toFixed(1)} ms (${(1000 / mean).toFixed(0)} fps), p95 ${p95.toFixed(1)} ms`,
  );
  console.log(
    `  JavaScript: simulate and read ${meanOf(0).toFixed(1)} ms per draw, Chart.js update and draw ${meanOf(1).toFixed(1)} ms, ${work.length} draws`,
  );
  console.log(
    `long tasks over 50 ms while growing: ${longTasks.length}${longTasks.length ? ` (longest ${Math.max(...longTasks).toFixed(0)} ms)` : ''}`,
  );
  let total = 0;
  const files = [];
  const walk = (dir) => {
    for (const name of fs.readdirSync(dir)) {
      const file = path.join(dir, name);
      if (fs.statSync(file).isDirectory()) walk(file);
      else files.push(file);
    }
  };
  walk(dist);
  for (const file of files) {
    const gz = zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
    total += gz;
    console.log(`  ${path.relative(dist, file)}: ${(gz / 1024).toFixed(1)} KiB gzipped`);
  }
  console.log(`everything the page loads: ${(total / 1024).toFixed(1)} KiB gzipped`);
} finally {
  await browser.close();
  await server.close();
}
