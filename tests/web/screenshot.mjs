// Screenshots of the built page: docs/screenshot.png (1280x800, light, for the README), or
// with --review DIR the four a review looks at: desktop (1280x800) and phone (390x844),
// light and dark. The first lesson is played to its end, as a visitor would.
// usage: node tests/web/screenshot.mjs [out.png] | --review DIR
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { launch, waitIdle } from './browser.mjs';
import { serveStatic } from './static-server.mjs';
import { root } from './wasm-node.mjs';

const review = process.argv[2] === '--review' ? process.argv[3] : undefined;
const out = review ? undefined : (process.argv[2] ?? path.join(root, 'docs/screenshot.png'));
const hash = process.env.HASH ?? '';
const server = await serveStatic(path.join(root, 'dist'));

async function shoot(file, { width, height, scheme, fullPage = false }) {
  const browser = await launch({ viewport: { width, height }, colorScheme: scheme });
  try {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}${hash ? `#${hash}` : ''}`);
    await waitIdle(page);
    if (!process.env.AT_START) {
      await page.getByLabel('Speed').fill('9');
      await page.getByRole('button', { name: /Play/ }).click();
      await page.waitForFunction(() => !window.curvelab.playing() && window.curvelab.stepsDone() > 0);
      await page.getByLabel('Speed').fill('3'); // back to the lesson's 100 steps/s
      await page.waitForTimeout(300); // let the last frame paint
    }
    const box = await page.locator('#chart').boundingBox();
    if (box && width > 600) await page.mouse.move(box.x + box.width * 0.62, box.y + box.height * 0.4);
    await page.waitForTimeout(200);
    await page.screenshot({ path: file, type: 'png', fullPage });
    // Palette PNG when pngquant is installed (apt-get install pngquant): a third of the size.
    if (fs.existsSync('/usr/bin/pngquant')) {
      execFileSync('/usr/bin/pngquant', ['--quality', '70-95', '--speed', '1', '--force', '--output', file, file]);
    }
    console.log(`screenshot: ${file} (${Math.round(fs.statSync(file).size / 1024)} KiB)`);
  } finally {
    await browser.close();
  }
}

try {
  if (review) {
    fs.mkdirSync(review, { recursive: true });
    for (const scheme of ['light', 'dark']) {
      await shoot(path.join(review, `desktop-${scheme}.png`), { width: 1280, height: 800, scheme });
      await shoot(path.join(review, `phone-${scheme}.png`), { width: 390, height: 844, scheme });
    }
  } else {
    await shoot(out, { width: 1280, height: 800, scheme: 'light' });
  }
} finally {
  await server.close();
}
