// Debian's Chromium driven by playwright-core (never `npx playwright install`): headless,
// no network beyond the page's own server, a fresh profile per launch.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { serveStatic } from './static-server.mjs';
import { root } from './wasm-node.mjs';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A persistent context on a fresh user-data dir; `close()` removes it. */
export async function launch(options = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'curvelab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 800 },
    ...options,
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens `url` and waits until the page has drawn its curves. */
export async function openPage(context, url, { origin } = {}) {
  const page = await context.newPage();
  // Generous: CI machines are small and may be busy building.
  page.setDefaultTimeout(60000);
  const outside = [];
  page.on('request', (request) => {
    const u = request.url();
    if (!u.startsWith('data:') && !u.startsWith('blob:') && origin && !u.startsWith(origin)) {
      outside.push(u);
    }
  });
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(url);
  await waitIdle(page);
  return { page, outside, errors };
}

/** Waits until the simulator is loaded and no rebuild is in progress. */
export async function waitIdle(page) {
  await page.waitForFunction(() => window.curvelab !== undefined && !window.curvelab.busy(), null, { timeout: 60000 });
}

/**
 * For a test file: the built site (dist/) served on a local port (under `prefix`, to check
 * it assumes no host root) and one browser, started before the tests and closed after.
 * Returns `{server, browser}`, filled in once `before` has run.
 */
export function servedSite({ prefix, ...options } = {}) {
  const site = {};
  const dist = path.join(root, 'dist');
  before(async () => {
    assert.ok(fs.existsSync(path.join(dist, 'index.html')), 'dist/ is missing: run npm run build first');
    site.server = await serveStatic(dist, prefix ? { prefix } : {});
    site.browser = await launch(options);
  });
  after(async () => {
    await site.browser?.close();
    await site.server?.close();
  });
  return site;
}
