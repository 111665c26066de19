// The quiz page's pure answer state (web/src/quiz/quiz-state.ts): what each key does per
// kind, and the answer JSON it builds, checked by the core (wasm) for validity.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compilePage } from './compile-page.mjs';
import { loadCurvelab } from './wasm-node.mjs';

let s;
let m;
let set;

before(async () => {
  const out = compilePage(['quiz/quiz-state.ts', 'quiz/quiz-wasm.d.ts', 'curvelab-wasm.d.ts'], `quiz-${process.pid}`);
  s = await import(pathToFileURL(path.join(out, 'src/quiz/quiz-state.js')).href);
  m = await loadCurvelab();
  set = JSON.parse(m.makeQuiz('', 10, 3));
});

const item = (kind) => set.items.find((i) => i.kind === kind);
const valid = (it, answer) => {
  const { curves: _curves, ...rest } = it;
  const feedback = JSON.parse(m.quizFeedback(JSON.stringify(rest), JSON.stringify(answer)));
  assert.equal(feedback.error, undefined, JSON.stringify(feedback.error));
  return feedback;
};
const keys = (kind, draft, list) =>
  list.reduce((d, k) => s.apply(d, s.keyAction(kind, k.replace('Shift+', ''), k.startsWith('Shift+'))), draft);

test('number keys toggle stops and build rankings; Backspace undoes', () => {
  const stop = item('stop-early');
  let d = keys('stop-early', s.newDraft(stop), ['3', '1', '3', '5']);
  assert.deepEqual(s.answerOf(d), { answer: { stop: ['A', 'E'] } }, 'kept in the order shown');
  valid(stop, s.answerOf(d).answer);
  assert.deepEqual(s.answerOf(s.newDraft(stop)), { answer: { stop: [] } });

  const rank = item('rank-max');
  d = keys('rank-max', s.newDraft(rank), ['2', '4', '4', '1']);
  assert.deepEqual(d.picked, ['B', 'A']);
  assert.match(s.answerOf(d).missing, /2 still to place/);
  d = keys('rank-max', d, ['Backspace', '3', '4', '1']);
  assert.deepEqual(s.answerOf(d), { answer: { ranking: ['B', 'C', 'D', 'A'] } });
  valid(rank, s.answerOf(d).answer);
  assert.equal(s.keyAction('rank-max', '9', false).index, 8);
  assert.equal(s.apply(d, { type: 'run', index: 8 }), d, 'a run that is not there changes nothing');
});

test('the cursor starts mid-horizon, moves by 1% (Shift 10%) and stays on the steps', () => {
  const onset = item('onset');
  let d = s.newDraft(onset);
  assert.ok('missing' in s.answerOf(d));
  d = keys('onset', d, ['ArrowRight']);
  assert.equal(d.cursor, 500);
  d = keys('onset', d, ['Shift+ArrowLeft', 'ArrowLeft']);
  assert.equal(d.cursor, 390);
  d = keys('onset', d, ['Home', 'ArrowLeft']);
  assert.equal(d.cursor, 1);
  d = keys('onset', d, ['End', 'ArrowRight']);
  assert.equal(d.cursor, 1000);
  d = s.apply(d, { type: 'cursor', step: 123.6 });
  assert.deepEqual(s.answerOf(d), { answer: { step: 124 } });
  valid(onset, s.answerOf(d).answer);
  assert.equal(s.keyAction('onset', 'n', false), undefined, 'never is for stop-point only');

  const stop = item('stop-point');
  d = keys('stop-point', s.newDraft(stop), ['n']);
  assert.deepEqual(s.answerOf(d), { answer: { step: null } });
  valid(stop, s.answerOf(d).answer);
  d = keys('stop-point', d, ['ArrowRight']);
  assert.deepEqual(s.answerOf(d), { answer: { step: 500 } });
});

test('pairwise: 1/2 and arrows choose a side', () => {
  const pair = item('pairwise');
  assert.ok('missing' in s.answerOf(s.newDraft(pair)));
  assert.deepEqual(s.answerOf(keys('pairwise', s.newDraft(pair), ['2'])), { answer: { better: 'B' } });
  assert.deepEqual(s.answerOf(keys('pairwise', s.newDraft(pair), ['ArrowRight', 'ArrowLeft'])), {
    answer: { better: 'A' },
  });
  assert.equal(s.keyAction('pairwise', '3', false), undefined);
  valid(pair, { better: 'A' });
});

test('sequential: C continues to the next checkpoint, X stops the run there; the answer is in when all are decided', () => {
  const seq = item('sequential');
  let d = s.newDraft(seq);
  assert.equal(s.visibleSteps(d, 0), 100);
  assert.equal(s.visibleSteps(d, 1), 0);
  d = keys('sequential', d, ['c', 'c', 'x']);
  assert.deepEqual(d.stops, [300]);
  assert.equal(s.visibleSteps(d, 0), 300);
  assert.deepEqual(s.sequentialAt(d), { label: 'B', step: 100 });
  d = keys('sequential', d, Array(9).fill('c'));
  assert.deepEqual(d.stops, [300, null], 'continuing past the last checkpoint runs to the end');
  assert.equal(s.visibleSteps(d, 1), 1000);
  while (!('answer' in s.answerOf(d))) d = keys('sequential', d, ['x']);
  assert.deepEqual(s.answerOf(d), { answer: { stops: [300, null, 100, 100, 100, 100] } });
  assert.equal(s.apply(d, { type: 'stop' }), d, 'nothing left to decide');
  valid(seq, s.answerOf(d).answer);
});

test('Enter submits and S skips in every kind; the display records what was shown', () => {
  for (const kind of s.ALL_KINDS) {
    assert.deepEqual(s.keyAction(kind, 'Enter', false), { type: 'submit' });
    assert.deepEqual(s.keyAction(kind, 's', false), { type: 'skip' });
    assert.notEqual(s.keyHelp(kind), '');
  }
  const pair = set.items.find((i) => i.kind === 'pairwise' && i.swapped);
  const d = s.newDraft(pair);
  d.inputs.add('keyboard');
  const display = s.displayOf(pair, d, { context: true, position: 10, of: 10 });
  assert.deepEqual(display.sides, { left: 'A', right: 'B', swapped: true });
  assert.deepEqual(display.context, [], 'context is for sequential items');
  assert.deepEqual(display.smoothing, { method: 'moving-average', window: 50, share_of_horizon: 0.05 });
  assert.deepEqual(display.input, ['keyboard']);
  assert.deepEqual(
    s.displayOf(item('sequential'), s.newDraft(item('sequential')), { context: true, position: 1, of: 1 }).context,
    ['random-baseline', 'best-so-far'],
  );
});
