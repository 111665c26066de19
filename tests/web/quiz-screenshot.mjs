// The quiz page's feedback view for the README: docs/quiz.png. A stop-point item answered
// by clicking the chart, then the truth, the score and the pruners' board.
// usage: node tests/web/quiz-screenshot.mjs [out.png]   (after `vite build`)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { launch } from './browser.mjs';
import { serveStatic } from './static-server.mjs';
import { root } from './wasm-node.mjs';

const out = process.argv[2] ?? path.join(root, 'docs/quiz.png');
const server = await serveStatic(path.join(root, 'dist'));
const browser = await launch({ viewport: { width: 1280, height: 1000 } });
try {
  const page = await browser.context.newPage();
  await page.goto(`${server.url}quiz.html`);
  await page.waitForFunction(() => window.curvelabQuiz?.phase() === 'setup', null, { timeout: 60000 });
  // A short mixed session: the first five answered, then the stop-point item by a click.
  await page.fill('#seed', '3');
  await page.focus('#count');
  await page.keyboard.press('Enter');
  const keys = {
    'stop-early': ['3', '4', 'Enter'],
    'rank-max': ['4', '2', '3', '1', 'Enter'],
    'rank-fastest': ['4', '3', '1', '2', 'Enter'],
    'rank-slowest': ['2', '1', '3', '4', 'Enter'],
    onset: ['ArrowRight', 'Shift+ArrowLeft', 'Shift+ArrowLeft', 'Enter'],
  };
  for (;;) {
    await page.waitForFunction(() => window.curvelabQuiz.phase() === 'answer');
    const item = await page.evaluate(() => window.curvelabQuiz.item());
    if (item.kind === 'stop-point') break;
    for (const key of keys[item.kind] ?? ['s']) await page.keyboard.press(key);
    await page.waitForFunction(() => window.curvelabQuiz.phase() === 'feedback');
    await page.keyboard.press('Enter');
  }
  const box = await page.locator('#chart-main').boundingBox();
  await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.5);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.curvelabQuiz.phase() === 'feedback');
  await page.evaluate(() => document.activeElement?.blur());
  await page.waitForTimeout(200);
  await page.screenshot({ path: out, type: 'png' });
  if (fs.existsSync('/usr/bin/pngquant')) {
    execFileSync('/usr/bin/pngquant', ['--quality', '70-95', '--speed', '1', '--force', '--output', out, out]);
  }
  console.log(`screenshot: ${out} (${Math.round(fs.statSync(out).size / 1024)} KiB)`);
} finally {
  await browser.close();
  await server.close();
}
