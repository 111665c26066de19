// The quiz page (dist/quiz.html) in Debian's Chromium: a 10-item mixed session answered
// with the keyboard alone (every kind, and a skip), the labels still there after a reload,
// export JSONL -> clear -> import gives back exactly the same labels, and a broken or
// foreign file is refused with the core's message while nothing stored changes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch } from './browser.mjs';
import { serveStatic } from './static-server.mjs';
import { root } from './wasm-node.mjs';

const dist = path.join(root, 'dist');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'curvelab-quiz-test-'));
let server;
let browser;
let page;
const errors = [];
const outside = [];

before(async () => {
  assert.ok(fs.existsSync(path.join(dist, 'quiz.html')), 'dist/quiz.html is missing: run vite build first');
  server = await serveStatic(dist, { prefix: '/some/folder/' });
  browser = await launch();
  page = await browser.context.newPage();
  page.setDefaultTimeout(60000);
  page.on('pageerror', (e) => errors.push(String(e)));
  const origin = server.url.replace('/some/folder/', '');
  page.on('request', (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) outside.push(r.url());
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const phase = () => page.evaluate(() => window.curvelabQuiz.phase());
const waitPhase = (p) => page.waitForFunction((want) => window.curvelabQuiz?.phase() === want, p);
const stored = () => page.evaluate(() => window.curvelabQuiz.storedLines());

async function openQuiz() {
  await page.goto(`${server.url}quiz.html`);
  await waitPhase('setup');
}

/** Answers the current item with keys only, as a person would. */
async function answerByKeyboard(item) {
  const press = (key) => page.keyboard.press(key);
  switch (item.kind) {
    case 'stop-early':
      await press('1');
      await press('3');
      await press('Enter');
      break;
    case 'rank-max':
    case 'rank-fastest':
    case 'rank-slowest':
      for (let i = item.labels.length; i >= 1; i--) await press(String(i));
      await press('Enter');
      break;
    case 'onset':
      await press('ArrowRight'); // the cursor appears mid-horizon
      await press('Shift+ArrowLeft');
      await press('ArrowLeft');
      await press('Enter');
      break;
    case 'stop-point':
      await press('ArrowRight');
      await press('Shift+ArrowLeft');
      await press('Enter');
      break;
    case 'pairwise':
      await press('ArrowRight');
      await press('ArrowLeft');
      await press('Enter');
      break;
    case 'sequential':
      await press('x'); // stop the first run at the first checkpoint
      while ((await phase()) === 'answer') await press('c');
      break;
    default:
      throw new Error(`unknown kind ${item.kind}`);
  }
}

let exported = [];

test('a 10-item mixed quiz is answered with the keyboard alone, and every answer is a stored label', async () => {
  await openQuiz();
  await page.fill('#seed', '3');
  await page.focus('#count');
  await page.keyboard.press('Enter');
  const kinds = [];
  for (let n = 0; n < 10; n++) {
    await waitPhase('answer');
    const item = await page.evaluate(() => window.curvelabQuiz.item());
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'item-heading', 'focus moves to the new item');
    if (n === 8) {
      assert.equal(item.kind, 'stop-early');
      await page.keyboard.press('s');
    } else {
      await answerByKeyboard(item);
    }
    await waitPhase('feedback');
    kinds.push(item.kind);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'feedback-heading', 'focus moves to the feedback');
    const rows = await page.locator('#board tbody tr').allTextContents();
    assert.equal(rows.length, 10, 'ground truth, you, five pruners and the three reference rows');
    assert.match(rows[0], /^ground truth/);
    assert.match(rows[1], /^you/);
    assert.notEqual((await page.locator('#explanation').textContent()).trim(), '');
    assert.match(await page.locator('#verdict-score').textContent(), n === 8 ? /Skipped/ : /Your score: -?\d+%/);
    assert.equal((await stored()).length, n + 1, 'the label is stored before the feedback shows');
    await page.keyboard.press('Enter');
  }
  await waitPhase('summary');
  assert.deepEqual(new Set(kinds), new Set(['stop-early', 'rank-max', 'rank-fastest', 'rank-slowest', 'onset', 'stop-point', 'pairwise', 'sequential']));
  const standing = await page.locator('#standing').textContent();
  assert.match(standing, /you/);
  assert.match(standing, /median/);

  const lines = await stored();
  const labels = lines.map((l) => JSON.parse(l));
  assert.equal(labels.length, 10);
  assert.equal(labels.filter((l) => l.skipped).length, 1);
  assert.equal(new Set(labels.map((l) => l.annotator)).size, 1);
  assert.equal(new Set(labels.map((l) => l.session)).size, 1);
  for (const l of labels) {
    assert.equal(l.schema, 'curvelab.label/1');
    assert.deepEqual(l.display.smoothing, { method: 'moving-average', window: 50, share_of_horizon: 0.05 });
    assert.ok(l.display.input.includes('keyboard'));
    assert.ok(l.latency_ms >= 0);
  }
  const pair = labels.find((l) => l.quiz_kind === 'pairwise' && !l.item.swapped);
  assert.deepEqual(pair.display.sides, { left: 'A', right: 'B', swapped: false });
  assert.deepEqual(pair.answer, { better: 'A' });
  const seq = labels.find((l) => l.quiz_kind === 'sequential');
  assert.equal(seq.answer.stops[0], 100);

  // A reload (or a closed tab) loses nothing.
  await openQuiz();
  assert.deepEqual(await stored(), lines);
  assert.match(await page.locator('#labels-total').textContent(), /^10 labels from 1 annotator/);
  assert.deepEqual(errors, []);
  assert.deepEqual(outside, []);
  exported = lines;
});

test('export JSONL, clear, import: exactly the same labels come back', async () => {
  await openQuiz();
  const before = await stored();
  assert.equal(before.length, 10);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-jsonl')]);
  const file = path.join(tmp, 'labels.jsonl');
  await download.saveAs(file);
  assert.equal(fs.readFileSync(file, 'utf8'), `${before.join('\n')}\n`);

  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  const csvFile = path.join(tmp, 'labels.csv');
  await csv.saveAs(csvFile);
  assert.equal(fs.readFileSync(csvFile, 'utf8').trim().split('\n').length, 11);

  await page.click('#clear');
  await page.getByRole('button', { name: 'Keep them' }).click();
  assert.equal((await stored()).length, 10, 'cancel keeps the labels');
  await page.click('#clear');
  await page.getByRole('button', { name: 'Clear labels' }).click();
  await page.waitForFunction(() => window.curvelabQuiz.summary()?.labels === 0);
  assert.deepEqual(await stored(), []);

  await page.setInputFiles('#import', file);
  await page.waitForFunction(() => window.curvelabQuiz.summary()?.labels === 10);
  assert.deepEqual(await stored(), before);
  assert.match(await page.locator('#labels-status').textContent(), /Imported 10 new labels/);

  // Importing the same file again adds nothing: duplicates by id.
  await page.setInputFiles('#import', file);
  await page.waitForFunction(() => /10 already stored/.test(document.getElementById('labels-status').textContent));
  assert.deepEqual(await stored(), before);
});

test('a broken or foreign file is refused with the core message, and nothing stored changes', async () => {
  await openQuiz();
  const before = await stored();
  const good = before[0];
  const broken = path.join(tmp, 'broken.jsonl');
  fs.writeFileSync(broken, `${good.replace(/"id":"[^"]+"/, '"id":"fresh-id"')}\n{"schema": "curvelab.label/1", "id": "x"\n`);
  await page.setInputFiles('#import', broken);
  const alert = page.locator('#labels-error');
  await alert.waitFor({ state: 'visible' });
  assert.match(await alert.textContent(), /^Import refused: broken\.jsonl: line 2: not valid JSON\. Nothing was changed\./);
  assert.deepEqual(await stored(), before);

  const foreign = path.join(tmp, 'foreign.jsonl');
  fs.writeFileSync(foreign, '{"prompt": "hello", "completion": "world"}\n');
  await page.setInputFiles('#import', foreign);
  await page.waitForFunction(() => /foreign\.jsonl: line 1: not a curvelab label/.test(document.getElementById('labels-error').textContent));
  assert.deepEqual(await stored(), before);

  const csv = path.join(tmp, 'labels.csv');
  await page.setInputFiles('#import', csv);
  await page.waitForFunction(() => /labels\.csv: line 1: not valid JSON/.test(document.getElementById('labels-error').textContent));
  assert.deepEqual(await stored(), before);
  assert.deepEqual(errors, []);
});

test('labels of a second annotator bring agreement per kind and item, from the core', async () => {
  await openQuiz();
  const before = await stored();
  const other = before.map((line, i) => {
    const label = JSON.parse(line);
    label.id = `other-${i}`;
    label.annotator = 'anon-other';
    return JSON.stringify(label);
  });
  const file = path.join(tmp, 'other.jsonl');
  fs.writeFileSync(file, `${other.join('\n')}\n`);
  await page.setInputFiles('#import', file);
  await page.waitForFunction(() => window.curvelabQuiz.summary()?.annotators === 2);
  const agreement = await page.locator('#agreement').textContent();
  assert.match(agreement, /Agreement among annotators/);
  assert.match(agreement, /Kendall's W/);
  assert.match(agreement, /Position bias/);
  const summary = await page.evaluate(() => window.curvelabQuiz.summary());
  assert.equal(summary.items.length, 9, 'every answered item has two annotators');
  assert.equal(summary.items.find((i) => i.statistic === 'kendall_w').value, 1);
  assert.equal((await stored()).length, 20);
  assert.deepEqual(errors, []);
});

test('the mouse works too: a click on the chart places the onset, the buttons answer', async () => {
  await openQuiz();
  const before = (await stored()).length;
  await page.selectOption('#kind', 'onset');
  await page.fill('#count', '2');
  await page.fill('#seed', '5');
  await page.click('#start');
  await waitPhase('answer');
  const box = await page.locator('#chart-main').boundingBox();
  await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
  assert.match(await page.locator('#draft').textContent(), /^Learning started at step \d+\?$/);
  await page.click('#submit');
  await waitPhase('feedback');
  await page.click('#next');
  await waitPhase('answer');
  await page.click('#skip');
  await waitPhase('feedback');
  const labels = (await stored()).slice(before).map((l) => JSON.parse(l));
  assert.equal(labels.length, 2);
  assert.deepEqual(labels[0].display.input, ['pointer']);
  assert.ok(labels[0].answer.step > 300 && labels[0].answer.step < 700, `clicked mid-chart, got ${labels[0].answer.step}`);
  assert.equal(labels[1].skipped, true);
  assert.deepEqual(errors, []);
});
