// The quiz page (dist/quiz.html) in Debian's Chromium: a 10-item mixed session answered
// with the keyboard alone (every kind, and a skip), the labels still there after a reload,
// export JSONL -> clear -> import gives back exactly the same labels, and a broken or
// foreign file is refused with the core's message while nothing stored changes. Labels of
// the previous schema are rescored by the core on import; what a question refers to (the
// random-policy level, the cut) is drawn while answering; the feedback explains each score
// from the core's figures, and the board and the summary show the reference rows.
//
// Every check after an action waits for the page's state to get there (waitForFunction
// polls it); none reads the page at a moment chosen by time.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch } from './browser.mjs';
import { serveStatic } from './static-server.mjs';
import { nativeCli, root } from './wasm-node.mjs';

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
    if (!r.url().startsWith(origin) && !r.url().startsWith('blob:') && !r.url().startsWith('data:'))
      outside.push(r.url());
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
/** The page's own clock (performance.now), the one the label's latency is measured on. */
const pageNow = () => page.evaluate(() => performance.now());

/** Waits until `predicate(arg)`, run in the page, holds; a time-out names what was awaited. */
async function until(predicate, arg, what) {
  try {
    return await (await page.waitForFunction(predicate, arg, { timeout: 30000 })).jsonValue();
  } catch (e) {
    throw new Error(`waited in vain for ${what}: ${e.message.split('\n')[0]}`);
  }
}

/** Waits until the text of `selector` matches `pattern`, and returns it (on a time-out, the assertion shows the last text). */
async function waitText(selector, pattern) {
  const read = () => page.evaluate((s) => document.querySelector(s)?.textContent ?? '', selector);
  try {
    await page.waitForFunction(
      ([s, source, flags]) => new RegExp(source, flags).test(document.querySelector(s)?.textContent ?? ''),
      [selector, pattern.source, pattern.flags],
      { timeout: 30000 },
    );
  } catch {
    assert.match(await read(), pattern, `${selector} never matched`);
  }
  return read();
}

const waitFocus = (id) => until((want) => document.activeElement?.id === want, id, `focus on #${id}`);

/**
 * The latency a label records runs from showing the item to the answer, so it lies between
 * the last key or click that made the answer and the moment the item was seen, and the
 * span from the action that brought the item to the feedback (page clock, ms, rounded).
 */
function assertLatencyWithin(label, { requested, seen, lastInput, answered }) {
  const low = lastInput - seen - 1;
  const high = answered - requested + 1;
  assert.ok(high > low, 'the measured bounds are ordered');
  assert.ok(
    label.latency_ms >= low && label.latency_ms <= high,
    `latency ${label.latency_ms} ms outside [${low.toFixed(1)}, ${high.toFixed(1)}]`,
  );
}

async function openQuiz() {
  await page.goto(`${server.url}quiz.html`);
  await waitPhase('setup');
}

/** Answers the current item with keys only, as a person would; returns the page time just before the last key. */
async function answerByKeyboard(item) {
  let last = 0;
  const press = async (key) => {
    last = await pageNow();
    await page.keyboard.press(key);
  };
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
  return last;
}

let exported = [];

test('a 10-item mixed quiz is answered with the keyboard alone, and every answer is a stored label', async () => {
  await openQuiz();
  await page.fill('#seed', '3');
  await page.focus('#count');
  let requested = await pageNow();
  await page.keyboard.press('Enter');
  const kinds = [];
  for (let n = 0; n < 10; n++) {
    await waitPhase('answer');
    const seen = await pageNow();
    const item = await page.evaluate(() => window.curvelabQuiz.item());
    await waitFocus('item-heading'); // focus moves to the new item
    let lastInput;
    if (n === 8) {
      assert.equal(item.kind, 'stop-early');
      lastInput = await pageNow();
      await page.keyboard.press('s');
    } else {
      lastInput = await answerByKeyboard(item);
    }
    await waitPhase('feedback');
    const answered = await pageNow();
    kinds.push(item.kind);
    await waitFocus('feedback-heading'); // focus moves to the feedback
    await until(
      () => document.querySelectorAll('#board tbody tr').length === 12,
      undefined,
      'the board: ground truth, you, six pruners, the curve model and three reference rows',
    );
    const rows = await page.locator('#board tbody tr').allTextContents();
    assert.match(rows[0], /^ground truth/);
    assert.match(rows[1], /^you/);
    assert.equal(await page.locator('#board tbody tr.reference').count(), 3);
    await waitText('#explanation', /\S/);
    await waitText('#verdict-score', n === 8 ? /Skipped/ : /Your score: -?\d+%/);
    const lines = await stored();
    assert.equal(lines.length, n + 1, 'the label is stored before the feedback shows');
    assertLatencyWithin(JSON.parse(lines[n]), { requested, seen, lastInput, answered });
    requested = await pageNow();
    await page.keyboard.press('Enter');
  }
  await waitPhase('summary');
  assert.deepEqual(
    new Set(kinds),
    new Set([
      'stop-early',
      'rank-max',
      'rank-fastest',
      'rank-slowest',
      'onset',
      'stop-point',
      'pairwise',
      'sequential',
    ]),
  );
  const standing = await waitText('#standing', /median/);
  assert.match(standing, /you/);

  const lines = await stored();
  const labels = lines.map((l) => JSON.parse(l));
  assert.equal(labels.length, 10);
  assert.equal(labels.filter((l) => l.skipped).length, 1);
  assert.equal(new Set(labels.map((l) => l.annotator)).size, 1);
  assert.equal(new Set(labels.map((l) => l.session)).size, 1);
  for (const l of labels) {
    assert.equal(l.schema, 'curvelab.label/2');
    assert.deepEqual(l.display.smoothing, { method: 'moving-average', window: 50, share_of_horizon: 0.05 });
    assert.ok(l.display.input.includes('keyboard'));
  }
  const pair = labels.find((l) => l.quiz_kind === 'pairwise' && !l.item.swapped);
  assert.deepEqual(pair.display.sides, { left: 'A', right: 'B', swapped: false });
  assert.deepEqual(pair.answer, { better: 'A' });
  const seq = labels.find((l) => l.quiz_kind === 'sequential');
  assert.equal(seq.answer.stops[0], 100);

  // A reload (or a closed tab) loses nothing.
  await openQuiz();
  assert.deepEqual(await stored(), lines);
  await waitText('#labels-total', /^10 labels from 1 annotator/);
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
  await until(() => !document.getElementById('confirm-clear').open, undefined, 'the dialog to close');
  assert.equal((await stored()).length, 10, 'cancel keeps the labels');
  await page.click('#clear');
  await page.getByRole('button', { name: 'Clear labels' }).click();
  await until(() => window.curvelabQuiz.summary()?.labels === 0, undefined, 'the store to be cleared');
  assert.deepEqual(await stored(), []);

  await page.setInputFiles('#import', file);
  await waitText('#labels-status', /Imported 10 new labels/);
  assert.equal((await page.evaluate(() => window.curvelabQuiz.summary())).labels, 10);
  assert.deepEqual(await stored(), before);

  // Importing the same file again adds nothing: duplicates by id.
  await page.setInputFiles('#import', file);
  await waitText('#labels-status', /10 already stored/);
  assert.deepEqual(await stored(), before);
});

test('a broken or foreign file is refused with the core message, and nothing stored changes', async () => {
  await openQuiz();
  const before = await stored();
  const good = before[0];
  const broken = path.join(tmp, 'broken.jsonl');
  fs.writeFileSync(
    broken,
    `${good.replace(/"id":"[^"]+"/, '"id":"fresh-id"')}\n{"schema": "curvelab.label/1", "id": "x"\n`,
  );
  await page.setInputFiles('#import', broken);
  await until(() => !document.getElementById('labels-error').hidden, undefined, 'the import problem to show');
  await waitText('#labels-error', /^Import refused: broken\.jsonl: line 2: not valid JSON\. Nothing was changed\./);
  assert.deepEqual(await stored(), before);

  const foreign = path.join(tmp, 'foreign.jsonl');
  fs.writeFileSync(foreign, '{"prompt": "hello", "completion": "world"}\n');
  await page.setInputFiles('#import', foreign);
  await waitText('#labels-error', /foreign\.jsonl: line 1: not a curvelab label/);
  assert.deepEqual(await stored(), before);

  const csv = path.join(tmp, 'labels.csv');
  await page.setInputFiles('#import', csv);
  await waitText('#labels-error', /labels\.csv: line 1: not valid JSON/);
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
  await until(() => window.curvelabQuiz.summary()?.annotators === 2, undefined, 'a second annotator');
  const agreement = await waitText('#agreement', /Position bias/);
  assert.match(agreement, /Agreement among annotators/);
  assert.match(agreement, /Kendall's W/);
  const summary = await page.evaluate(() => window.curvelabQuiz.summary());
  assert.equal(summary.items.length, 9, 'every answered item has two annotators');
  assert.equal(summary.items.find((i) => i.statistic === 'kendall_w').value, 1);
  assert.equal((await stored()).length, 20);
  assert.deepEqual(errors, []);
});

test('labels of the previous schema are rescored by the core on import', async () => {
  await openQuiz();
  const before = await stored();
  const mine = before.slice(0, 10).map((l) => JSON.parse(l));
  // The same answers as the previous schema wrote them, with scores an older rule gave.
  const old = mine.map((label, i) => ({
    ...label,
    id: `old-${i}`,
    schema: 'curvelab.label/1',
    score: { ...label.score, score: label.skipped ? null : 0.123 },
  }));
  const file = path.join(tmp, 'old.jsonl');
  fs.writeFileSync(file, `${old.map((l) => JSON.stringify(l)).join('\n')}\n`);
  await page.setInputFiles('#import', file);
  await waitText(
    '#labels-status',
    /^Imported 10 new labels from old\.jsonl; 10 of the previous label schema were rescored by the current rules\.$/,
  );
  const after = await stored();
  assert.deepEqual(after.slice(0, before.length), before, 'what was stored stays as it was');
  const imported = after.slice(before.length).map((l) => JSON.parse(l));
  assert.equal(imported.length, 10);
  imported.forEach((label, i) => {
    assert.equal(label.schema, 'curvelab.label/2');
    // Rescored from the stored answer: the score the page's own label of that answer has.
    assert.deepEqual(label.score, mine[i].score);
    assert.deepEqual(label.answer, mine[i].answer);
    assert.equal(label.id, `old-${i}`);
  });
  assert.deepEqual(errors, []);
});

test('the mouse works too: a click on the chart places the onset, the buttons answer', async () => {
  await openQuiz();
  const before = (await stored()).length;
  await page.selectOption('#kind', 'onset');
  await page.fill('#count', '2');
  await page.fill('#seed', '5');
  const requested = await pageNow();
  await page.click('#start');
  await waitPhase('answer');
  const seen = await pageNow();
  const box = await page.locator('#chart-main').boundingBox();
  await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
  // The chart reports a click on its next frame: wait for the draft to say so.
  await waitText('#draft', /^Learning started at step \d+\?$/);
  const lastInput = await pageNow();
  await page.click('#submit');
  await waitPhase('feedback');
  const answered = await pageNow();
  await page.click('#next');
  await waitPhase('answer');
  await page.click('#skip');
  await waitPhase('feedback'); // each label is stored before its feedback shows
  const labels = (await stored()).slice(before).map((l) => JSON.parse(l));
  assert.equal(labels.length, 2);
  assert.deepEqual(labels[0].display.input, ['pointer']);
  assert.ok(
    labels[0].answer.step > 300 && labels[0].answer.step < 700,
    `clicked mid-chart, got ${labels[0].answer.step}`,
  );
  assertLatencyWithin(labels[0], { requested, seen, lastInput, answered });
  assert.equal(labels[1].skipped, true);
  assert.deepEqual(errors, []);
});

/** Starts a one-item session of `kind` from `seed` and waits for the item. */
async function startOne(kind, seed) {
  await openQuiz();
  await page.selectOption('#kind', kind);
  await page.fill('#count', '1');
  await page.fill('#seed', String(seed));
  await page.click('#start');
  await waitPhase('answer');
}

/** Skips the current (last) item and leaves the session finished. */
async function skipToSummary() {
  await page.keyboard.press('s');
  await waitPhase('feedback');
  await page.keyboard.press('Enter');
  await waitPhase('summary');
}

test('what a question refers to is drawn while answering: the random-policy level, the cut', async () => {
  const cli = nativeCli();
  // Onset: the level of the run asked about, the same number the core gives a model's prompt.
  const prompt = JSON.parse(
    execFileSync(
      cli,
      ['quiz', '--kind', 'onset', '--count', '1', '--seed', '9', '--format', 'jsonl', '--round', '12'],
      { encoding: 'utf8' },
    ),
  ).prompt;
  const [, target, level] = prompt.match(
    /The random-policy level of run ([A-Z]+) \(the expected reward of pulling arms uniformly at random on its bandit\): (-?[0-9.]+)\./,
  );
  await startOne('onset', 9);
  const onset = await until(
    () => window.curvelabQuiz.chart()?.levels.length > 0 && window.curvelabQuiz.chart(),
    undefined,
    'a level on the onset chart',
  );
  assert.equal(onset.levels.length, 1);
  assert.match(onset.levels[0].text, new RegExp(`^random-policy level of ${target}: -?\\d+\\.\\d{3}$`));
  assert.ok(
    Math.abs(onset.levels[0].y - Number(level)) < 1e-9,
    `level ${onset.levels[0].y} against the core's ${level}`,
  );
  await skipToSummary();

  // Stop-early: the cut, where the curves end, is marked, and nothing after it is drawn.
  const quiz = JSON.parse(
    execFileSync(cli, ['quiz', '--kind', 'stop-early', '--count', '1', '--seed', '9'], { encoding: 'utf8' }),
  );
  const cut = quiz.items[0].shown_until;
  assert.ok(cut < quiz.items[0].horizon);
  await startOne('stop-early', 9);
  const stop = await until(
    () => window.curvelabQuiz.chart()?.markers.length > 0 && window.curvelabQuiz.chart(),
    undefined,
    'a marker on the stop-early chart',
  );
  assert.deepEqual(stop.markers, [{ step: cut, text: `cut: step ${cut} of ${quiz.items[0].horizon} (now)` }]);
  assert.equal(stop.hiddenFrom, cut);
  assert.deepEqual(stop.levels, []);
  await skipToSummary();
  assert.deepEqual(errors, []);
});

/** A score as the page writes it (feedback-view's percent). */
const percentOf = (x) => `${Math.round(x * 100)}%`;
/** A raw figure as the page writes it (feedback-view's signed n3), as a pattern. */
const rawText = (x) => (x < 0 ? `−${(-x).toFixed(3)}` : x.toFixed(3)).replace('.', '\\.');

test('the feedback says why, and the board and the summary show the reference rows, all from the core', async () => {
  const cli = nativeCli();
  const quizFile = path.join(tmp, 'stop-early-9.json');
  fs.writeFileSync(
    quizFile,
    execFileSync(cli, ['quiz', '--kind', 'stop-early', '--count', '1', '--seed', '9'], { encoding: 'utf8' }),
  );
  const item = JSON.parse(fs.readFileSync(quizFile, 'utf8')).items[0];
  // Stop every run, as a new user might: the native core's report of that answer is the reference.
  const answers = path.join(tmp, 'stop-all.jsonl');
  fs.writeFileSync(answers, `${JSON.stringify({ id: item.id, answer: { stop: item.labels } })}\n`);
  const rows = JSON.parse(
    execFileSync(cli, ['score', '--quiz', quizFile, '--answers', answers, '--format', 'json'], { encoding: 'utf8' }),
  ).by_kind['stop-early'];
  assert.ok(rows.model.regret > 0, 'stopping every run stops the best one');

  await startOne('stop-early', 9);
  for (let i = 1; i <= item.labels.length; i++) await page.keyboard.press(String(i));
  await page.keyboard.press('Enter');
  await waitPhase('feedback');
  await waitText('#verdict-score', new RegExp(`^Your score: ${percentOf(rows.model.score)} `));
  const why = await waitText('#why', /which scores 0/);
  assert.match(
    why,
    new RegExp(
      `is ${rawText(rows.model.raw)}\\. Random answers earn ${rawText(rows.model.chance)} here, which scores 0`,
    ),
  );
  assert.match(why, new RegExp(`So your score is ${percentOf(rows.model.score)}\\.`));
  assert.match(why, new RegExp(`Stopping the best run cost regret ${rows.model.regret.toFixed(2)} `));

  // The reference rows, styled as such, with the scores the core gives them.
  const refs = await page.$$eval('#board tbody tr.reference', (trs) =>
    trs.map((tr) => [tr.querySelector('th').textContent, tr.querySelector('td.num').textContent]),
  );
  assert.deepEqual(
    refs.map(([who]) => who),
    ['stop all', 'stop none', 'random'],
  );
  for (const [who, score] of refs) assert.equal(score, percentOf(rows[who].score), who);
  assert.equal(rows.random.score, 0, 'random answers score 0 by construction');
  // The curve model: a judge, not styled as a reference, with the native core's score.
  const reader = await page.$$eval('#board tbody tr', (trs) =>
    trs
      .filter((tr) => tr.querySelector('th').textContent === 'curve model')
      .map((tr) => [tr.className, tr.querySelector('td.num').textContent]),
  );
  assert.deepEqual(reader, [['', percentOf(rows['curve model'].score)]]);
  await waitText('#verdict-score', new RegExp(` · curve model: ${percentOf(rows['curve model'].score)}$`));
  const you = await page.$eval('#board tbody tr.you td.num', (td) => td.textContent);
  assert.equal(you, percentOf(rows['stop all'].score), 'stopping every run is the stop-all row');

  // The session summary: the reference rows from the core's tally, styled, not ranked against.
  await page.keyboard.press('Enter');
  await waitPhase('summary');
  const standing = await page.$$eval('#standing tr.reference th', (ths) => ths.map((th) => th.textContent));
  assert.deepEqual(new Set(standing), new Set(['stop all', 'stop none', 'random']));
  const caption = await waitText('#standing caption', /you are \d+(st|nd|rd|th) of \d+/);
  const of = Number(caption.match(/of (\d+)/)[1]);
  assert.equal(of, 1 + 6 + 1, 'you, the six pruners and the curve model; reference rows are not contenders');
  assert.deepEqual(errors, []);
});
