// The quiz page with a collector (`curvelab serve`) in Debian's Chromium: answers reach
// the server; while it is gone (SIGKILL) they wait in the browser, survive the tab being
// closed, and arrive once it is back, each exactly once. Opened with #collect=URL from
// another origin, the page sends there (CORS allowed by --allow-origin). The static page
// without a collector sends nothing. Every wait is on the page's or the server's state.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch } from './browser.mjs';
import { serveStatic } from './static-server.mjs';
import { nativeCli, root } from './wasm-node.mjs';

const dist = path.join(root, 'dist');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'curvelab-collect-test-'));
const db = `sqlite:${path.join(tmp, 'labels.db')}`;
const tokenFile = path.join(tmp, 'token');
let browser;
let statics;
let collector; // { proc, port }
let port = 0;
const errors = [];

/** Starts `curvelab serve` and resolves once it prints where it listens. */
function startCollector() {
  const proc = spawn(
    nativeCli(),
    [
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--db',
      db,
      '--dist',
      dist,
      '--token-file',
      tokenFile,
      '--allow-origin',
      new URL(statics.url).origin,
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/listening on http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) {
        port = Number(m[1]);
        resolve({ proc });
      }
    });
    proc.on('exit', (code) => reject(new Error(`curvelab serve exited ${code}: ${out}`)));
  });
}

function killCollector() {
  const { proc } = collector;
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.on('exit', () => resolve());
    proc.kill('SIGKILL');
  });
}

async function storedOnServer() {
  const token = fs.readFileSync(tokenFile, 'utf8').trim();
  const r = await fetch(`http://127.0.0.1:${port}/api/labels`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(r.status, 200);
  return (await r.text())
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

before(async () => {
  assert.ok(fs.existsSync(path.join(dist, 'quiz.html')), 'dist/quiz.html is missing: run vite build first');
  statics = await serveStatic(dist, { prefix: '/static/' });
  collector = await startCollector();
  browser = await launch();
});

after(async () => {
  if (collector) await killCollector();
  await browser?.close();
  await statics?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function open(url) {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(60000);
  page.on('pageerror', (e) => errors.push(String(e)));
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(url);
  await page.waitForFunction(() => window.curvelabQuiz?.phase() === 'setup');
  return { page, requests };
}

/** Starts a session and skips `n` items (a skip is an answer, and a label). */
async function answer(page, n, { start = true } = {}) {
  if (start) {
    await page.fill('#seed', '5');
    await page.focus('#count');
    await page.keyboard.press('Enter');
  }
  for (let i = 0; i < n; i++) {
    await page.waitForFunction(() => window.curvelabQuiz.phase() === 'answer');
    await page.keyboard.press('s');
    await page.waitForFunction(() => window.curvelabQuiz.phase() === 'feedback');
    await page.keyboard.press('Enter');
  }
}

const outboxIs = (page, sent, waiting) =>
  page.waitForFunction(
    ([s, w]) => {
      const o = window.curvelabQuiz.outbox();
      return o && o.sent === s && o.waiting === w;
    },
    [sent, waiting],
  );

test('answers reach the collector, wait while it is gone, survive a closed tab, and arrive once it is back', async () => {
  let { page } = await open(`http://127.0.0.1:${port}/quiz.html`);
  await outboxIs(page, 0, 0);
  await answer(page, 2);
  await outboxIs(page, 2, 0);
  assert.match(await page.locator('#collector-status').textContent(), /2 sent, 0 waiting/);
  assert.equal((await storedOnServer()).length, 2);

  await killCollector();
  await answer(page, 3, { start: false });
  await outboxIs(page, 2, 3);
  await page.waitForFunction(() => window.curvelabQuiz.outbox().problem !== null);
  assert.match(
    await page.locator('#collector-status').textContent(),
    /2 sent, 3 waiting\. Kept in this browser; the collector cannot be reached, trying again in \d+ s\./,
  );
  const lines = await page.evaluate(() => window.curvelabQuiz.storedLines());
  assert.equal(lines.length, 5, 'every answer is stored in the browser first');

  await page.close(); // the tab is closed while three answers wait

  collector = await startCollector();
  ({ page } = await open(`http://127.0.0.1:${port}/quiz.html`));
  await outboxIs(page, 5, 0);
  const onServer = await storedOnServer();
  assert.deepEqual(
    onServer.map((l) => l.id).sort(),
    lines.map((l) => JSON.parse(l).id).sort(),
    'each answer is on the server exactly once',
  );
  assert.deepEqual(
    onServer.find((l) => l.id === JSON.parse(lines[4]).id),
    JSON.parse(lines[4]),
    'as the browser stored it',
  );
  await page.close();
});

test('a page opened with #collect=URL on another origin sends there, and waits while the server is away', async () => {
  const { page, requests } = await open(`${statics.url}quiz.html#collect=http://127.0.0.1:${port}/`);
  const before = (await storedOnServer()).length;
  await killCollector();
  await answer(page, 1);
  await page.waitForFunction(
    () => window.curvelabQuiz.outbox()?.waiting === 1 && window.curvelabQuiz.outbox().problem !== null,
  );
  collector = await startCollector();
  await page.waitForFunction(() => window.curvelabQuiz.outbox()?.waiting === 0);
  assert.equal((await storedOnServer()).length, before + 1);
  assert.ok(
    requests.some((u) => u === `http://127.0.0.1:${port}/api/labels`),
    'labels went to the collector given in the link',
  );
  await page.close();
});

test('the static page without a collector sends nothing and shows no collector', async () => {
  const { page, requests } = await open(`${statics.url}quiz.html`);
  const before = (await page.evaluate(() => window.curvelabQuiz.storedLines())).length;
  await answer(page, 2);
  assert.equal(await page.evaluate(() => window.curvelabQuiz.outbox()), null);
  assert.equal(await page.locator('#collector-status').count(), 0);
  assert.deepEqual(
    requests.filter((u) => !u.startsWith(statics.url) && !u.startsWith('data:') && !u.startsWith('blob:')),
    [],
  );
  assert.equal(
    (await page.evaluate(() => window.curvelabQuiz.storedLines())).length,
    before + 2,
    'labels are still stored as before',
  );
  await page.close();
  assert.deepEqual(errors, []);
});
