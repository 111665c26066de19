// The quiz bindings (web/bindings_quiz.cpp) against the native CLI on the same seeds: the
// items, their shown curves and their ground truth are identical, and labels are made,
// refused, merged and exported by the core.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCurvelab, nativeCli } from './wasm-node.mjs';

let m;
let cli;
before(async () => {
  m = await loadCurvelab();
  cli = nativeCli();
});

const call = (fn, ...args) => JSON.parse(m[fn](...args));
const withoutCurves = ({ curves: _curves, ...item }) => item;

function native(args) {
  return execFileSync(cli, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
}

const CONTEXT = {
  id: 'label-1',
  annotator: 'anon-1',
  session: 'session-1',
  created_at: '2026-11-29T15:00:00.000Z',
  app_version: '0.1.0',
  display: { smoothing: { method: 'moving-average', window: 50 }, order: ['A', 'B'] },
  latency_ms: 1234,
};

for (const [kinds, count, seed] of [
  ['mixed', 10, 3],
  ['pairwise', 4, 11],
  ['sequential,onset', 3, 5],
]) {
  test(`makeQuiz(${kinds}, ${count}, ${seed}) gives the CLI's items and curves, and --key's truth`, () => {
    const set = call('makeQuiz', kinds === 'mixed' ? '' : kinds, count, seed);
    const kindArgs = kinds === 'mixed' ? [] : ['--kind', kinds];
    const quizText = native([
      'quiz',
      ...kindArgs,
      '--count',
      String(count),
      '--seed',
      String(seed),
      '--format',
      'json',
    ]);
    const expected = JSON.parse(quizText);
    assert.equal(set.items.length, count);
    assert.deepEqual(set.items, expected.items, 'items with their shown curves');
    const { items: _items, reveal: _reveal, ...header } = set;
    const { items: _expectedItems, ...expectedHeader } = expected;
    assert.deepEqual(header, expectedHeader);

    const quizFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'curvelab-quiz-')), 'quiz.json');
    fs.writeFileSync(quizFile, quizText);
    const key = native(['score', '--quiz', quizFile, '--key'])
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.equal(key.length, count);
    set.items.forEach((item, i) => {
      assert.deepEqual(call('quizTruth', JSON.stringify(withoutCurves(item))), key[i], `truth of ${item.id}`);
      const reveal = set.reveal[i];
      assert.deepEqual(Object.keys(reveal.true_values), item.labels);
      for (const label of item.labels) {
        assert.equal(reveal.true_values[label].length, item.horizon);
        assert.equal(reveal.curves[label].length, item.horizon);
        assert.deepEqual(reveal.curves[label].slice(0, item.shown_until), item.curves[label]);
      }
    });
  });
}

test('feedback scores the ground-truth answer 1 and shows every pruner and the reference rows on the board', () => {
  const set = call('makeQuiz', '', 8, 3);
  for (const full of set.items) {
    const item = JSON.stringify(withoutCurves(full));
    const truth = call('quizTruth', item);
    const feedback = call('quizFeedback', item, JSON.stringify(truth.answer));
    assert.equal(feedback.score.score, 1, full.id);
    assert.deepEqual(feedback.truth, truth.truth);
    assert.deepEqual(
      feedback.board.map((row) => row.who),
      [
        'ground truth',
        'you',
        'median',
        'percentile(25)',
        'successive halving',
        'hyperband',
        'patient(50, median)',
        'extrapolation (curvelab)',
        'curve model',
        'stop all',
        'stop none',
        'random',
      ],
    );
    assert.deepEqual(
      feedback.board.map((row) => row.reference),
      [false, false, false, false, false, false, false, false, false, true, true, true],
    );
    assert.equal(feedback.board[11].score.score, 0);
    // The curve model answers every kind (on onset it may skip: no onset in its fit).
    const reader = feedback.board[8];
    assert.ok(reader.answer !== null && reader.score !== null, `${full.id}: the curve model answers`);
    assert.deepEqual(feedback.board[1].score, feedback.score);
    // The best pruner is the core's: a pruner row (2..7), none scoring more.
    const pruners = feedback.board.slice(2, 8).filter((row) => row.score !== null && row.score.score !== null);
    if (pruners.length === 0) assert.equal(feedback.best_pruner, null, full.id);
    else {
      assert.ok(feedback.best_pruner >= 2 && feedback.best_pruner <= 7, full.id);
      for (const row of pruners)
        assert.ok(row.score.score <= feedback.board[feedback.best_pruner].score.score, full.id);
    }
    assert.equal(feedback.final_fraction, 0.1);
    assert.equal(feedback.board[feedback.curve_model].who, 'curve model');
    const skipped = call('quizFeedback', item, '{"skipped": true}');
    assert.equal(skipped.score.skipped, true);
  }
  const item = JSON.stringify(withoutCurves(set.items[1]));
  assert.match(call('quizFeedback', item, '{"ranking": ["A", "A"]}').error.message, /ranking/);
  assert.match(call('quizFeedback', item, '{').error.message, /^answer: /);
});

test("the board's curve model scores, bit for bit, the answerability the native core gives each item", () => {
  const set = JSON.parse(
    native(['quiz', '--kind', 'mixed', '--count', '9', '--seed', '3', '--min-answerability', '-1']),
  );
  assert.equal(set.items.length, 9);
  for (const full of set.items) {
    const item = JSON.stringify(withoutCurves(full));
    const feedback = call('quizFeedback', item, '{"skipped": true}');
    const reader = feedback.board.find((row) => row.who === 'curve model');
    assert.equal(reader.reference, false);
    assert.equal(reader.score.skipped ? 0 : reader.score.score, full.answerability, full.id);
  }
});

test('labels are made by the core, refused when malformed, merged all-or-nothing by id, exported as CSV', () => {
  const set = call('makeQuiz', 'rank-max', 1, 9);
  const item = JSON.stringify(withoutCurves(set.items[0]));
  const answer = JSON.stringify({ ranking: set.items[0].labels });
  const label = call('makeLabel', JSON.stringify(CONTEXT), item, answer);
  assert.equal(label.schema, 'curvelab.label/2');
  assert.equal(label.quiz_kind, 'rank-max');
  assert.deepEqual(label.score, call('quizFeedback', item, answer).score);
  assert.deepEqual(label.display, CONTEXT.display);
  assert.equal(call('makeLabel', JSON.stringify({ ...CONTEXT, bogus: 1 }), item, answer).error.field, 'bogus');
  assert.match(call('makeLabel', JSON.stringify(CONTEXT), item, '{"ranking": ["Z"]}').error.message, /ranking/);

  const line = m.makeLabel(JSON.stringify(CONTEXT), item, answer);
  const other = m.makeLabel(JSON.stringify({ ...CONTEXT, id: 'label-2' }), item, '{"skipped": true}');
  const merged = call('mergeLabels', `${line}\n`, `${line}\n\n${other}\n`);
  assert.deepEqual(merged, { lines: [line, other], added: 1, duplicates: 1, rescored: 0 });
  const refused = call('mergeLabels', `${line}\n`, `${other}\n{"schema": "something/else"}\n`);
  assert.match(refused.error.message, /^line 2: not a curvelab label/);
  assert.match(call('mergeLabels', '', 'id,annotator\n1,2\n').error.message, /^line 1: not valid JSON/);
  assert.match(call('mergeLabels', 'nonsense', '').error.message, /^stored labels: line 1/);

  const jsonl = call('exportLabels', `${line}\n${other}\n`, 'jsonl').text;
  assert.equal(jsonl, `${line}\n${other}\n`);
  const csv = call('exportLabels', jsonl, 'csv').text.trim().split('\n');
  assert.equal(csv.length, 3);
  assert.match(csv[0], /^id,annotator,session,created_at/);
  assert.match(call('exportLabels', jsonl, 'xml').error.message, /jsonl or csv/);

  const summary = call('labelSummary', jsonl);
  assert.equal(summary.labels, 2);
  assert.equal(summary.by_kind['rank-max'].skipped, 1);
  const standing = call('sessionStanding', jsonl);
  assert.equal(standing.kinds['rank-max'].items, 1);
  const you = standing.kinds['rank-max'].rows.find((r) => r.who === 'you');
  assert.deepEqual(
    { who: you.who, answered: you.answered, mean_score: you.mean_score },
    { who: 'you', answered: 1, mean_score: label.score.score },
  );
  assert.equal(you.means.kendall_tau, label.score.kendall_tau);
  // Where "you" stand, from the core: rows best first, place among the contenders.
  const means = standing.kinds['rank-max'].rows.map((r) => r.mean_score ?? -Infinity);
  assert.deepEqual(
    means,
    [...means].sort((a, b) => b - a),
  );
  const contenders = standing.kinds['rank-max'].rows.filter(
    (r) => r.who !== 'ground truth' && !r.reference && (r.mean_score !== null || r.who === 'you'),
  );
  assert.equal(standing.kinds['rank-max'].contenders, contenders.length);
  assert.equal(standing.kinds['rank-max'].place, contenders.findIndex((r) => r.who === 'you') + 1);
});

test('an import rescores labels of the previous schema through the core', () => {
  const set = call('makeQuiz', 'stop-early', 1, 9);
  const item = JSON.stringify(withoutCurves(set.items[0]));
  const answer = JSON.stringify({ stop: [set.items[0].labels[0]] });
  const now = call('makeLabel', JSON.stringify(CONTEXT), item, answer);
  // The same answer as the previous schema stored it, with a score an older rule gave.
  const old = { ...now, id: 'old-1', schema: 'curvelab.label/1', score: { ...now.score, score: 0.667 } };
  const merged = call('mergeLabels', '', `${JSON.stringify(old)}\n`);
  assert.equal(merged.added, 1);
  assert.equal(merged.rescored, 1);
  const stored = JSON.parse(merged.lines[0]);
  assert.equal(stored.schema, 'curvelab.label/2');
  assert.deepEqual(stored.score, now.score);
  assert.deepEqual({ ...stored, score: null, schema: null }, { ...old, score: null, schema: null });
  // A duplicate of a stored label is neither added nor counted as rescored.
  const again = call('mergeLabels', merged.lines[0], `${JSON.stringify(old)}\n`);
  assert.deepEqual(
    { added: again.added, duplicates: again.duplicates, rescored: again.rescored },
    { added: 0, duplicates: 1, rescored: 0 },
  );
});

test('agreement among annotators comes from the core (Kendall W for rankings)', () => {
  const set = call('makeQuiz', 'rank-max', 1, 9);
  const item = JSON.stringify(withoutCurves(set.items[0]));
  const labels = set.items[0].labels;
  const lines = ['a', 'b', 'c'].map((who, i) =>
    m.makeLabel(
      JSON.stringify({ ...CONTEXT, id: `l-${who}`, annotator: who }),
      item,
      JSON.stringify({ ranking: i === 2 ? [...labels].reverse() : labels }),
    ),
  );
  const summary = call('labelSummary', lines.join('\n'));
  assert.equal(summary.annotators, 3);
  assert.equal(summary.items.length, 1);
  assert.equal(summary.items[0].statistic, 'kendall_w');
  assert.ok(summary.items[0].value > 0 && summary.items[0].value < 1);
});

test('sequential context: the best run so far is the best of the runs that ran to the end', () => {
  const set = call('makeQuiz', 'sequential', 1, 3);
  const full = set.items[0];
  const item = JSON.stringify(withoutCurves(full));
  const last = (label) => full.curves[label][full.horizon - 1];
  assert.deepEqual(call('sequentialBestSoFar', item, '[]'), { best: null, value: null });
  assert.deepEqual(call('sequentialBestSoFar', item, '[100]'), { best: null, value: null });
  const two = call('sequentialBestSoFar', item, '[null, 100, null]');
  const [a, c] = [last('A'), last('C')];
  assert.deepEqual(two, a >= c ? { best: 'A', value: a } : { best: 'C', value: c });
  assert.equal(call('sequentialBestSoFar', item, '{}').error.field, 'stops');
});

test('bad quiz requests come back as errors, not exceptions', () => {
  assert.match(call('makeQuiz', 'nope', 3, 1).error.message, /kinds must be/);
  assert.equal(call('makeQuiz', '', 0, 1).error.field, 'count');
  assert.equal(call('makeQuiz', '', 3, -1).error.field, 'seed');
  assert.equal(call('quizTruth', '{"kind": "onset"}').error.field, 'id');
});
