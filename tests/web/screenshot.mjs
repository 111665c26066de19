// Screenshots of the built page: docs/screenshot.png (1280x800, for the README) and a
// phone-sized one. usage: node tests/web/screenshot.mjs [out.png] [phone-out.png]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { launch, openPage } from './browser.mjs';
import { serveStatic } from './static-server.mjs';
import { root } from './wasm-node.mjs';

const out = process.argv[2] ?? path.join(root, 'docs/screenshot.png');
const phoneOut = process.argv[3];
const server = await serveStatic(path.join(root, 'dist'));
const browser = await launch();
try {
  const { page } = await openPage(browser.context, server.url, { origin: server.url });
  await page.selectOption('#preset', process.env.PRESET ?? 'testbed');
  await page.waitForFunction(() => !window.curvelab.busy());
  await page.waitForTimeout(300);
  const box = await page.locator('#chart').boundingBox();
  if (box) await page.mouse.move(box.x + box.width * 0.62, box.y + box.height * 0.4);
  await page.waitForTimeout(200);
  await page.screenshot({ path: out, type: 'png' });
  // Palette PNG when pngquant is installed (apt-get install pngquant): a third of the size.
  if (fs.existsSync('/usr/bin/pngquant')) {
    execFileSync('/usr/bin/pngquant', ['--quality', '70-95', '--speed', '1', '--force', '--output', out, out]);
  }
  console.log(`screenshot: ${out} (${Math.round(fs.statSync(out).size / 1024)} KiB)`);
  if (phoneOut) {
    const phone = await browser.context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(page.url());
    await phone.waitForFunction(() => window.curvelab !== undefined && !window.curvelab.busy());
    await phone.screenshot({ path: phoneOut, type: 'png', fullPage: true });
    console.log(`phone screenshot: ${phoneOut}`);
  }
} finally {
  await browser.close();
  await server.close();
}
