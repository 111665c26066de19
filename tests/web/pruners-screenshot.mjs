// docs/pruners.png: the pruner race preset with a marker's reason in its tooltip, the chart
// and the pruner panel (after `npm run build`). usage: node tests/web/pruners-screenshot.mjs [out.png]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { launch, openPage, waitIdle } from './browser.mjs';
import { serveStatic } from './static-server.mjs';
import { root } from './wasm-node.mjs';

const out = process.argv[2] ?? path.join(root, 'docs/pruners.png');
const server = await serveStatic(path.join(root, 'dist'));
const browser = await launch({ viewport: { width: 1280, height: 1100 } });
try {
  const { page } = await openPage(browser.context, server.url, { origin: server.url });
  await page.selectOption('#preset', 'pruner-race');
  await waitIdle(page);
  await page.waitForTimeout(300);
  // Hover successive halving's stop of the best run: the tooltip gives the core's reason.
  const marks = await page.evaluate(() => window.curvelab.marks());
  const best = (await page.evaluate(() => window.curvelab.pruners()))[0].summary.best_trial;
  const mark = marks[1].marks.find((m) => m.curve === best) ?? marks[1].marks[0];
  const chart = await page.locator('#chart').boundingBox();
  await page.mouse.move(chart.x + mark.px, chart.y + mark.py);
  await page.waitForTimeout(200);
  const top = await page.locator('.chart-panel').boundingBox();
  const bottom = await page.locator('#pruner-table').boundingBox();
  const clip = { x: top.x - 8, y: top.y - 8, width: top.width + 16, height: bottom.y + bottom.height - top.y + 24 };
  await page.screenshot({ path: out, type: 'png', clip, fullPage: true });
  if (fs.existsSync('/usr/bin/pngquant')) {
    execFileSync('/usr/bin/pngquant', ['--quality', '70-95', '--speed', '1', '--force', '--output', out, out]);
  }
  console.log(`screenshot: ${out} (${Math.round(fs.statSync(out).size / 1024)} KiB)`);
} finally {
  await browser.close();
  await server.close();
}
