/**
 * Text and tables of the feedback, the running score and the session summary, written
 * from the core's JSON (truth, board, scores, label summary, standing). Formatting only.
 */
import { KIND_NAMES } from './quiz-state.js';
import type {
  AnswerJson,
  BoardRowJson,
  FeedbackJson,
  LabelSummaryJson,
  QuizKind,
  ScoreJson,
  ShownItemJson,
  StandingJson,
  TruthJson,
} from './quiz-wasm.js';

const n3 = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(3));
export const percent = (x: number | null | undefined): string =>
  x === null || x === undefined ? '–' : `${Math.round(x * 100)}%`;

function list(labels: string[]): string {
  if (labels.length <= 1) return labels.join('');
  return `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
}

/** The answer in words; `labels` are the item's run labels, by run index (the core's run_label). */
export function formatAnswer(answer: AnswerJson | null, labels: readonly string[]): string {
  if (answer === null) return 'cannot answer this kind';
  if ('skipped' in answer) return 'skipped';
  if ('stop' in answer) return answer.stop.length ? `stop ${answer.stop.join(', ')}` : 'stop none';
  if ('ranking' in answer) return answer.ranking.join(' › ');
  if ('step' in answer) return answer.step === null ? 'never stop' : `step ${answer.step}`;
  if ('better' in answer) return `${answer.better} is better`;
  const stops = answer.stops;
  const stopped = stops.map((s, i) => (s === null ? null : `${labels[i]}@${s}`)).filter((s) => s !== null);
  return stopped.length ? `stop ${stopped.join(', ')}` : 'let every run finish';
}

export function scoreDetails(s: ScoreJson | null): string {
  if (!s) return '';
  if (s.skipped) return '';
  const parts: string[] = [];
  const mark = (b: boolean) => (b ? 'yes' : 'no');
  if (s.kendall_tau !== null) parts.push(`Kendall τ ${s.kendall_tau.toFixed(2)}`);
  if (s.top1 !== null) parts.push(`top-1 ${mark(s.top1)}`);
  if (s.distance !== null) parts.push(`${s.distance} steps off`);
  if (s.precision !== null) parts.push(`precision ${percent(s.precision)}`);
  if (s.recall !== null) parts.push(`recall ${percent(s.recall)}`);
  if (s.steps_saved !== null) parts.push(`steps saved ${percent(s.steps_saved)}`);
  if (typeof s.regret === 'number') parts.push(`regret ${s.regret.toFixed(2)}`);
  if (s.correct !== null) parts.push(mark(s.correct) === 'yes' ? 'correct' : 'wrong');
  if (s.auc !== null) parts.push(`best-so-far AUC ${s.auc.toFixed(3)}`);
  if (s.best_kept !== null) parts.push(`best run kept: ${mark(s.best_kept)}`);
  return parts.join(' · ');
}

/** One line on what the truth is, from the core's truth. */
export function explain(item: ShownItemJson, truth: TruthJson): string {
  const run = (label: string) => truth.runs.find((r) => r.label === label);
  const answer = truth.answer;
  switch (item.kind) {
    case 'stop-early': {
      const below = truth.runs.filter((r) => r.below_median).map((r) => r.label);
      return below.length
        ? `${below.length === 1 ? 'Run' : 'Runs'} ${list(below)} finished below the group's median final ` +
            `performance (${n3(truth.median_final)}) at step ${item.horizon}: ` +
            `${below.length === 1 ? 'that is the one' : 'those are the ones'} to stop.`
        : `No run finished below the group's median (${n3(truth.median_final)}): nothing needed stopping.`;
    }
    case 'rank-max':
      if (!('ranking' in answer)) break;
      return `By the highest point of the smoothed curve: ${answer.ranking
        .map((l) => `${l} (${n3(run(l)?.max_visible ?? 0)} at step ${run(l)?.max_visible_step ?? '?'})`)
        .join(' › ')}.`;
    case 'rank-fastest':
    case 'rank-slowest':
      if (!('ranking' in answer)) break;
      return `Steps each run took to reach half its final gain over the random baseline: ${answer.ranking
        .map((l) => `${l} ${run(l)?.time_to_50 ?? 'never'}`)
        .join(' › ')} (${item.kind === 'rank-fastest' ? 'fastest' : 'slowest'} first).`;
    case 'onset': {
      const t = run(item.target ?? 'A');
      return t?.onset
        ? `Run ${t.label} started learning at step ${t.onset}: from there its true value stays above the ` +
            `random baseline plus 10% of its final gain.`
        : `Run ${t?.label ?? 'A'} never learned: its true value never rises clearly above the random baseline.`;
    }
    case 'stop-point': {
      const t = run(item.target ?? 'A');
      if (!t) break;
      return t.best_stop_step !== null
        ? `Run ${t.label} finishes below the median (${n3(t.final_performance)} vs ` +
            `${n3(truth.median_final)}): stopping it at step ${t.best_stop_step} already loses nothing.`
        : `Run ${t.label} is worth running to the end: stopping it anywhere would lose something.`;
    }
    case 'pairwise': {
      if (!('better' in answer)) break;
      const [a, b] = item.labels as [string, string];
      const ta = run(a);
      const tb = run(b);
      return (
        `${answer.better} ends better: its expected reward over the last 10% of steps is ` +
        `${n3((answer.better === a ? ta : tb)?.final_performance ?? 0)} against ` +
        `${n3((answer.better === a ? tb : ta)?.final_performance ?? 0)}.`
      );
    }
    case 'sequential': {
      const below = truth.runs.filter((r) => r.below_median).map((r) => r.label);
      const finish = below.length
        ? `${list(below)} finish below the median (${n3(truth.median_final)})`
        : 'No run finishes below the median';
      return `Ground truth: ${formatAnswer(answer, item.labels)}. ${finish}; the best run is ${truth.best_run}.`;
    }
  }
  return `Ground truth: ${formatAnswer(answer, item.labels)}.`;
}

/** What the raw figure of a kind is, in words. */
function rawName(kind: QuizKind): string {
  if (kind.startsWith('rank-')) return "Kendall's τ of your ranking";
  if (kind === 'pairwise') return 'right (1) or wrong (0)';
  if (kind === 'onset' || kind === 'stop-point') return 'the closeness of your click';
  return (
    'the utility of your stops (steps saved on runs that should stop, less the cost of cutting good ' +
    'runs and of losing the best)'
  );
}

const signed = (x: number): string => (x < 0 ? `−${n3(-x)}` : n3(x));

/**
 * Why the score is what it is, from the core's figures: the raw figure against what random
 * answers earn (score 0) and what the ground truth earns (score 1), and for stop decisions
 * what stopping cost.
 */
export function why(kind: QuizKind, score: ScoreJson, truth: TruthJson): string {
  const known = (x: unknown): x is number => typeof x === 'number';
  if (score.skipped || !known(score.score) || !known(score.raw) || !known(score.chance) || !known(truth.truth_raw))
    return '';
  const parts = [
    `Your raw figure, ${rawName(kind)}, is ${signed(score.raw)}. Random answers earn ` +
      `${signed(score.chance)} here, which scores 0; the ground truth earns ${signed(truth.truth_raw)}, ` +
      `which scores 1. So your score is ${percent(score.score)}.`,
  ];
  if (score.steps_saved !== null) parts.push(`You saved ${percent(score.steps_saved)} of the steps.`);
  if (score.best_kept === false && known(score.regret))
    parts.push(
      `Stopping the best run cost regret ${score.regret.toFixed(2)} (the share of the cohort's range of finals lost).`,
    );
  else if (score.best_kept === true) parts.push('The best run was kept.');
  return parts.join(' ');
}

/** The board's rows; `labels` are the item's run labels. */
export function fillBoard(tbody: HTMLTableSectionElement, board: BoardRowJson[], labels: readonly string[]): void {
  tbody.replaceChildren(
    ...board.map((row) => {
      const tr = document.createElement('tr');
      if (row.who === 'you') tr.className = 'you';
      if (row.who === 'ground truth') tr.className = 'truth';
      if (row.reference) tr.className = 'reference';
      const answer =
        row.reference && row.answer === null
          ? row.who === 'random'
            ? 'answers at random: the expected score'
            : 'does not apply to this kind'
          : formatAnswer(row.answer, labels);
      const cells = [
        row.who,
        answer,
        row.score ? (row.score.skipped ? 'skipped' : percent(row.score.score)) : '–',
        scoreDetails(row.score),
      ];
      cells.forEach((text, i) => {
        const cell = document.createElement(i === 0 ? 'th' : 'td');
        if (i === 0) cell.setAttribute('scope', 'row');
        if (i === 2) {
          cell.className = 'num';
          const bar = document.createElement('span');
          bar.className = 'bar';
          bar.style.setProperty('--value', String(row.score?.score ?? 0));
          cell.append(bar);
        }
        cell.append(text);
        if (i === 1 && cells[3]) {
          // The details again under the answer, shown where the Details column is hidden (phones).
          const small = document.createElement('small');
          small.className = 'inline-details';
          small.setAttribute('aria-hidden', 'true');
          small.textContent = cells[3];
          cell.append(small);
        }
        tr.append(cell);
      });
      return tr;
    }),
  );
}

/** The verdict line: your score, the best pruner and the curve model on this item. */
export function verdict(feedback: FeedbackJson): string {
  if (feedback.score.skipped) return 'Skipped: no score. The truth is below.';
  const best = feedback.best_pruner === null ? undefined : feedback.board[feedback.best_pruner];
  const model = feedback.curve_model === null ? undefined : feedback.board[feedback.curve_model];
  const reader = model?.score ? model : undefined;
  const mine = `Your score: ${percent(feedback.score.score)}`;
  const first = best
    ? `${mine} · best pruner, ${best.who}: ${percent(best.score?.score)}`
    : `${mine} · pruners cannot answer this kind`;
  if (!reader) return first;
  return `${first} · curve model: ${reader.score?.skipped ? 'skipped' : percent(reader.score?.score)}`;
}

export function fillRunning(tbody: HTMLTableSectionElement, summary: LabelSummaryJson): void {
  const rows = Object.entries(summary.by_kind) as [QuizKind, NonNullable<LabelSummaryJson['by_kind'][QuizKind]>][];
  tbody.replaceChildren(
    ...rows.map(([kind, k]) => {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = KIND_NAMES[kind] ?? kind;
      const answered = document.createElement('td');
      answered.className = 'num';
      answered.textContent = `${k.labels - k.skipped}${k.skipped ? ` (+${k.skipped} skipped)` : ''}`;
      const score = document.createElement('td');
      score.className = 'num';
      score.textContent = percent(k.mean_score);
      tr.append(th, answered, score);
      return tr;
    }),
  );
}

function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = !teen && n % 10 === 1 ? 'st' : !teen && n % 10 === 2 ? 'nd' : !teen && n % 10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

/** Per kind, everyone's mean score on the items you answered, best first. */
export function fillStanding(container: HTMLElement, standing: StandingJson): void {
  const entries = Object.entries(standing.kinds) as [QuizKind, NonNullable<StandingJson['kinds'][QuizKind]>][];
  if (!entries.length) {
    container.textContent = 'Every item was skipped: nothing to compare.';
    return;
  }
  container.replaceChildren(
    ...entries.map(([kind, k]) => {
      const table = document.createElement('table');
      table.className = 'board standing-table';
      const caption = document.createElement('caption');
      const rows = k.rows.filter((r) => r.mean_score !== null || r.who === 'you');
      const others = k.contenders - 1;
      caption.textContent = `${KIND_NAMES[kind] ?? kind} · ${k.items} item${k.items === 1 ? '' : 's'}`;
      const note = document.createElement('span');
      note.className = 'standing-note';
      note.textContent =
        others > 0 ? ` · you are ${ordinal(k.place)} of ${k.contenders}` : ' · no other judge answered this kind';
      caption.append(note);
      const body = document.createElement('tbody');
      for (const row of rows) {
        const tr = document.createElement('tr');
        if (row.who === 'you') tr.className = 'you';
        if (row.who === 'ground truth') tr.className = 'truth';
        if (row.reference) tr.className = 'reference';
        const th = document.createElement('th');
        th.scope = 'row';
        th.textContent = row.who;
        const td = document.createElement('td');
        td.className = 'num';
        const bar = document.createElement('span');
        bar.className = 'bar';
        bar.style.setProperty('--value', String(row.mean_score ?? 0));
        td.append(bar, row.mean_score === null ? 'skipped' : percent(row.mean_score));
        tr.append(th, td);
        body.append(tr);
      }
      table.append(caption, body);
      return table;
    }),
  );
}
