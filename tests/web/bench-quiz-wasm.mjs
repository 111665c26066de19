// What the quiz page waits for after an answer, in WebAssembly under Node: the core's
// feedback of an item (its runs, ground truth and board, the curve model included), by
// kind, the mean over the items of `makeQuiz('', 36, 1)`, each timed 3 times after one
// warm-up. Wall time.
//   node tests/web/bench-quiz-wasm.mjs
import { loadCurvelab } from './wasm-node.mjs';

const m = await loadCurvelab();
const set = JSON.parse(m.makeQuiz('', 36, 1));
const per = {};
for (const { curves: _curves, ...item } of set.items) {
  const text = JSON.stringify(item);
  m.quizFeedback(text, '{"skipped": true}');
  const t0 = performance.now();
  for (let r = 0; r < 3; r++) m.quizFeedback(text, '{"skipped": true}');
  (per[item.kind] ??= []).push((performance.now() - t0) / 3);
}
for (const [kind, times] of Object.entries(per)) {
  console.log(
    `${kind.padEnd(13)} ${(times.reduce((a, b) => a + b, 0) / times.length).toFixed(1).padStart(6)} ms per feedback (${times.length} items)`,
  );
}
