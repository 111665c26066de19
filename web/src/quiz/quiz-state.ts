/**
 * The answer being built for one item, as pure data: what each key or click does, and
 * the answer JSON once it is complete. No DOM, no scoring (the core scores); tested
 * through the page.
 */
import type { AnswerJson, QuizItemJson, QuizKind } from './quiz-wasm.js';

export interface Draft {
  kind: QuizKind;
  /** runs in the order shown */
  labels: string[];
  horizon: number;
  checkpoints: number[];
  /** stop-early: runs to stop (in label order); rankings: the order given so far */
  picked: string[];
  /** onset and stop-point: the cursor's step (1..horizon), null before the first move */
  cursor: number | null;
  /** stop-point: "never stop" */
  never: boolean;
  /** pairwise: the side judged better */
  better: string | null;
  /** sequential: the run growing now (labels.length once every run is decided) */
  run: number;
  /** sequential: index of the checkpoint the current run has reached */
  checkpoint: number;
  /** sequential: the decision for each run before `run` (the step stopped at, null = ran on) */
  stops: (number | null)[];
  /** how the answer was given: keys, pointer, or both */
  inputs: Set<'keyboard' | 'pointer'>;
}

export type Action =
  | { type: 'run'; index: number }
  | { type: 'undo' }
  | { type: 'side'; side: 0 | 1 }
  | { type: 'move'; by: number }
  | { type: 'cursor'; step: number }
  | { type: 'home' }
  | { type: 'end' }
  | { type: 'never' }
  | { type: 'continue' }
  | { type: 'stop' }
  | { type: 'submit' }
  | { type: 'skip' };

export const isRanking = (kind: QuizKind): boolean =>
  kind === 'rank-max' || kind === 'rank-fastest' || kind === 'rank-slowest';
export const isClick = (kind: QuizKind): boolean => kind === 'onset' || kind === 'stop-point';

export function newDraft(item: QuizItemJson): Draft {
  return {
    kind: item.kind,
    labels: [...item.labels],
    horizon: item.horizon,
    checkpoints: [...item.checkpoints],
    picked: [],
    cursor: null,
    never: false,
    better: null,
    run: 0,
    checkpoint: 0,
    stops: [],
    inputs: new Set(),
  };
}

/** The action of a key for this kind, if any (keys: README, "Quiz page"). */
export function keyAction(kind: QuizKind, key: string, shift: boolean): Action | undefined {
  if (/^[1-9]$/.test(key)) {
    const index = Number(key) - 1;
    if (kind === 'pairwise') return index <= 1 ? { type: 'side', side: index as 0 | 1 } : undefined;
    if (kind === 'stop-early' || isRanking(kind)) return { type: 'run', index };
    return undefined;
  }
  switch (key) {
    case 'Enter':
      return { type: 'submit' };
    case 's':
    case 'S':
      return { type: 'skip' };
    case 'Backspace':
      return isRanking(kind) ? { type: 'undo' } : undefined;
    case 'ArrowLeft':
    case 'ArrowRight': {
      const sign = key === 'ArrowLeft' ? -1 : 1;
      if (kind === 'pairwise') return { type: 'side', side: sign < 0 ? 0 : 1 };
      return isClick(kind) ? { type: 'move', by: sign * (shift ? 10 : 1) } : undefined;
    }
    case 'Home':
      return isClick(kind) ? { type: 'home' } : undefined;
    case 'End':
      return isClick(kind) ? { type: 'end' } : undefined;
    case 'n':
    case 'N':
      return kind === 'stop-point' ? { type: 'never' } : undefined;
    case 'c':
    case 'C':
      return kind === 'sequential' ? { type: 'continue' } : undefined;
    case 'x':
    case 'X':
      return kind === 'sequential' ? { type: 'stop' } : undefined;
    default:
      return undefined;
  }
}

/** One cursor step: 1% of the horizon (Shift: 10%). */
export const cursorUnit = (horizon: number): number => Math.max(1, Math.round(horizon / 100));

const clampStep = (step: number, horizon: number): number => Math.min(horizon, Math.max(1, Math.round(step)));

/** The draft after `action` (submit and skip are the caller's; they leave the draft as is). */
export function apply(draft: Draft, action: Action): Draft {
  const d: Draft = { ...draft, picked: [...draft.picked], stops: [...draft.stops] };
  const n = d.labels.length;
  switch (action.type) {
    case 'run': {
      const label = d.labels[action.index];
      if (label === undefined) return draft;
      if (d.picked.includes(label)) {
        d.picked = d.picked.filter((l) => l !== label);
      } else if (d.kind === 'stop-early') {
        d.picked = d.labels.filter((l) => l === label || d.picked.includes(l));
      } else {
        d.picked.push(label);
      }
      return d;
    }
    case 'undo':
      d.picked.pop();
      return d;
    case 'side':
      d.better = d.labels[action.side] ?? d.better;
      return d;
    case 'move': {
      const unit = cursorUnit(d.horizon);
      d.cursor =
        d.cursor === null ? clampStep(d.horizon / 2, d.horizon) : clampStep(d.cursor + action.by * unit, d.horizon);
      d.never = false;
      return d;
    }
    case 'cursor':
      d.cursor = clampStep(action.step, d.horizon);
      d.never = false;
      return d;
    case 'home':
      d.cursor = 1;
      d.never = false;
      return d;
    case 'end':
      d.cursor = d.horizon;
      d.never = false;
      return d;
    case 'never':
      d.never = !d.never;
      return d;
    case 'continue':
      if (d.run >= n) return draft;
      if (d.checkpoint + 1 < d.checkpoints.length) {
        d.checkpoint += 1;
      } else {
        d.stops.push(null);
        d.run += 1;
        d.checkpoint = 0;
      }
      return d;
    case 'stop':
      if (d.run >= n) return draft;
      d.stops.push(d.checkpoints[d.checkpoint] ?? null);
      d.run += 1;
      d.checkpoint = 0;
      return d;
    default:
      return draft;
  }
}

/** The answer once the draft is complete, else what is missing. */
export function answerOf(d: Draft): { answer: AnswerJson } | { missing: string } {
  switch (d.kind) {
    case 'stop-early':
      return { answer: { stop: d.picked } };
    case 'rank-max':
    case 'rank-fastest':
    case 'rank-slowest':
      return d.picked.length === d.labels.length
        ? { answer: { ranking: d.picked } }
        : { missing: `Rank every run: ${d.labels.length - d.picked.length} still to place.` };
    case 'onset':
      return d.cursor === null
        ? { missing: 'Click the chart or use ← → to place the cursor first.' }
        : { answer: { step: d.cursor } };
    case 'stop-point':
      if (d.never) return { answer: { step: null } };
      return d.cursor === null
        ? { missing: 'Click the chart or use ← → to place the cursor (or N: never stop).' }
        : { answer: { step: d.cursor } };
    case 'pairwise':
      if (d.better === null) return { missing: 'Choose a side first: 1 or ←, 2 or →.' };
      return { answer: { better: d.better } };
    case 'sequential':
      return d.run >= d.labels.length
        ? { answer: { stops: d.stops } }
        : { missing: `Decide at each checkpoint: C continue, X stop (run ${d.labels[d.run]}).` };
  }
}

/** Sequential: how many steps of run `i` are visible now (0 = not started). */
export function visibleSteps(d: Draft, i: number): number {
  if (d.kind !== 'sequential') return d.horizon;
  if (i < d.run) return d.stops[i] ?? d.horizon;
  if (i === d.run) return d.checkpoints[d.checkpoint] ?? d.horizon;
  return 0;
}

/** The step the sequential run has reached, for the prompt. */
export function sequentialAt(d: Draft): { label: string; step: number } | undefined {
  const label = d.labels[d.run];
  return label === undefined ? undefined : { label, step: d.checkpoints[d.checkpoint] ?? d.horizon };
}

export interface DisplayOptions {
  /** sequential: each run's random baseline and the best run so far drawn as context */
  context: boolean;
  position: number;
  of: number;
}

/** What was shown, recorded in the label's `display`. */
export function displayOf(item: QuizItemJson, d: Draft, options: DisplayOptions): Record<string, unknown> {
  const display: Record<string, unknown> = {
    smoothing: { method: 'moving-average', window: item.smoothing_window, share_of_horizon: 0.05 },
    order: [...item.labels],
    shown_until: item.shown_until,
    context: item.kind === 'sequential' && options.context ? ['random-baseline', 'best-so-far'] : [],
    position: options.position,
    of: options.of,
    input: [...d.inputs].sort(),
  };
  if (item.kind === 'pairwise') {
    display.sides = { left: item.labels[0], right: item.labels[1], swapped: item.swapped };
  }
  return display;
}

export const KIND_NAMES: Record<QuizKind, string> = {
  'stop-early': 'Stop early',
  'rank-max': 'Rank by peak',
  'rank-fastest': 'Rank fastest first',
  'rank-slowest': 'Rank slowest first',
  onset: 'Onset of learning',
  'stop-point': 'Stop point',
  pairwise: 'Which is better',
  sequential: 'Sequential stopping',
};

export const ALL_KINDS = Object.keys(KIND_NAMES) as QuizKind[];

/** The keys for a kind, one line for the page. */
export function keyHelp(kind: QuizKind): string {
  switch (kind) {
    case 'stop-early':
      return '1–9 toggle a run to stop (A = 1) · Enter submit (none selected = stop none) · S skip';
    case 'rank-max':
    case 'rank-fastest':
    case 'rank-slowest':
      return '1–9 place runs in order (again to remove) · Backspace undo · Enter submit · S skip';
    case 'onset':
      return 'Click the chart, or ← → move the cursor (Shift ×10, Home/End) · Enter submit · S skip';
    case 'stop-point':
      return 'Click the chart, or ← → move the cursor (Shift ×10) · N never stop · Enter submit · S skip';
    case 'pairwise':
      return '1 or ← left · 2 or → right · Enter submit · S skip';
    case 'sequential':
      return 'C continue to the next checkpoint · X stop this run here · S skip';
  }
}
