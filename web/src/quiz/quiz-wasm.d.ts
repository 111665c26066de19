/**
 * Types of the quiz half of the WebAssembly module (web/bindings_quiz.cpp), written by
 * hand (Emscripten 3.1.6 has no --emit-tsd); `tsc --noEmit` and tests/web/quiz-wasm.spec.mjs
 * keep them honest. Every function takes and returns the core's JSON as text
 * (core/include/curvelab/json.hpp, section "Quizzes, answers and scores", and labels.hpp);
 * a refused input comes back as `{"error": {"field", "message"}}`.
 */
import type { CoreError, ExperimentJson, RunTruthJson } from '../curvelab-wasm.js';

export type QuizKind =
  | 'stop-early'
  | 'rank-max'
  | 'rank-fastest'
  | 'rank-slowest'
  | 'onset'
  | 'stop-point'
  | 'pairwise'
  | 'sequential';

/** An item as the core writes it: enough to regenerate its curves exactly. */
export interface QuizItemJson {
  id: string;
  kind: QuizKind;
  seed: number;
  index: number;
  horizon: number;
  /** the last step shown (stop-early shows a prefix) */
  shown_until: number;
  /** onset and stop-point: the run asked about */
  target: string | null;
  /** pairwise: the second showing, sides swapped */
  swapped: boolean;
  /** sequential: the steps at which to answer */
  checkpoints: number[];
  smoothing_window: number;
  /** "A", "B", ... in the order shown */
  labels: string[];
  runs: ExperimentJson[];
  question: string;
  answer_format: string;
}

/** Curves keyed by run label; index 0 is step 1. */
export type CurvesJson = Record<string, number[]>;

/** An item with its shown curves (smoothed rewards up to shown_until), as `curvelab quiz --format json`. */
export interface ShownItemJson extends QuizItemJson {
  curves: CurvesJson;
}

/** What the page draws once an item is answered. */
export interface RevealJson {
  /** smoothed rewards to the horizon */
  curves: CurvesJson;
  /** the noise-free learning curves */
  true_values: CurvesJson;
  /** mean q*: what a random policy earns */
  baselines: Record<string, number>;
}

export interface QuizSetJson {
  schema: 'curvelab.quiz/1';
  seed: number;
  count: number;
  kinds: QuizKind[];
  items: ShownItemJson[];
  reveal: RevealJson[];
}

/** An answer, runs by label; `{"skipped": true}` is an answer too. */
export type AnswerJson =
  | { skipped: true }
  | { stop: string[] }
  | { ranking: string[] }
  | { step: number | null }
  | { better: string }
  | { stops: (number | null)[] };

/** A score in [0, 1] and the kind's figures (null where they do not apply). */
export interface ScoreJson {
  skipped: boolean;
  /**
   * chance-corrected: 1 = the ground truth's answer, 0 = what random answers earn on this item in expectation, below 0
   * = worse
   */
  score: number | null;
  /** the kind's raw figure of this answer (tau, right or wrong, closeness of a click, utility of stops) */
  raw: number | null;
  /** what random answers earn on this item, on the raw scale */
  chance: number | null;
  /** stop-early and sequential: the best final lost by the runs stopped, as a share of the cohort's range */
  regret: number | null;
  kendall_tau: number | null;
  top1: boolean | null;
  distance: number | null;
  precision: number | null;
  recall: number | null;
  steps_saved: number | null;
  correct: boolean | null;
  auc: number | null;
  best_kept: boolean | null;
}

export interface RunTruthRowJson extends RunTruthJson {
  label: string;
  below_median: boolean;
  best_stop_step: number | null;
}

export interface TruthJson {
  answer: AnswerJson;
  /** the raw figure of the ground truth's answer (score 1) */
  truth_raw: number;
  /** the raw figure random answers earn in expectation (score 0) */
  chance: number;
  median_final: number;
  best_run: string;
  runs: RunTruthRowJson[];
}

export interface BoardRowJson {
  /**
   * "ground truth", "you", a pruner's name, "curve model" (the curve reader, a judge on every kind), or a reference
   * row's name
   */
  who: string;
  /** null where a pruner cannot answer this kind */
  answer: AnswerJson | null;
  score: ScoreJson | null;
  /** a reference row ("stop all", "stop none", "random"): the floor, not a contender */
  reference: boolean;
}

export interface FeedbackJson {
  id: string;
  answer: AnswerJson;
  score: ScoreJson;
  truth: TruthJson;
  board: BoardRowJson[];
  /** the index in `board` of the best pruner's row (the core's best_pruner_row), or null when no pruner answered */
  best_pruner: number | null;
  /** the index in `board` of the curve model's row (the core's kCurveModelRow) */
  curve_model: number | null;
  /** the share of last steps whose mean is a run's final performance */
  final_fraction: number;
}

export interface TruthOfItemJson {
  id: string;
  answer: AnswerJson;
  truth: TruthJson;
}

/** What the page knows about an answer besides the item and the answer. */
export interface LabelContextJson {
  id: string;
  annotator: string;
  session: string;
  created_at: string;
  app_version: string;
  display: Record<string, unknown>;
  latency_ms: number;
}

/**
 * One label (schema curvelab.label/2; files of curvelab.label/1 still import), as core/include/curvelab/labels.hpp
 * makes it.
 */
export interface LabelJson {
  schema: 'curvelab.label/2' | 'curvelab.label/1';
  id: string;
  annotator: string;
  session: string;
  created_at: string;
  app_version: string;
  quiz_kind: QuizKind;
  item: QuizItemJson;
  display: Record<string, unknown>;
  answer: AnswerJson;
  skipped: boolean;
  latency_ms: number;
  score: ScoreJson;
}

export interface LabelMergeJson {
  /** every label as the core writes it (one JSONL line each): stored first, then the new ones */
  lines: string[];
  added: number;
  duplicates: number;
  /** of the labels added, those of the previous schema, rescored by the core's current rules */
  rescored: number;
}

export interface KindSummaryJson {
  labels: number;
  skipped: number;
  mean_score: number | null;
  items_with_agreement: number;
  mean_agreement: number | null;
}

export interface ItemAgreementJson {
  id: string;
  kind: QuizKind;
  annotators: number;
  statistic: 'kendall_w' | 'fleiss_kappa' | 'percent_agreement' | 'mean_pairwise_distance';
  value: number;
}

export interface LabelSummaryJson {
  labels: number;
  annotators: number;
  by_kind: Partial<Record<QuizKind, KindSummaryJson>>;
  items: ItemAgreementJson[];
  position_bias: {
    pairwise_answers: number;
    share_left: number | null;
    swap_pairs: number;
    consistent_share: number | null;
  };
}

export interface StandingRowJson {
  who: string;
  /** Scores added (skips included), answered and skipped ones. */
  items: number;
  answered: number;
  skipped: number;
  mean_score: number | null;
  /** The mean of every figure the kind's scores have (score, kendall_tau, top1, distance, ...). */
  means: Record<string, number | null>;
  /** a reference row ("stop all", "stop none", "random") */
  reference: boolean;
}

export interface StandingJson {
  /** per kind: rows best mean score first; `place` of `contenders` is where "you" stands (the core's tally_place) */
  kinds: Partial<Record<QuizKind, { items: number; place: number; contenders: number; rows: StandingRowJson[] }>>;
}

export type Refused = { error: CoreError };

/** The functions web/bindings_quiz.cpp adds to the module (all JSON text in and out). */
export interface QuizModuleFunctions {
  /**
   * QuizSetJson | Refused. `kinds`: as `--kind` reads it (quiz.hpp `parse_quiz_kinds`): names
   * separated by commas, `mixed` (or "") for all in turn.
   */
  makeQuiz(kinds: string, count: number, seed: number): string;
  /** TruthOfItemJson | Refused (`curvelab score --key`'s line for the item). */
  quizTruth(itemJson: string): string;
  /** FeedbackJson | Refused. */
  quizFeedback(itemJson: string, answerJson: string): string;
  /** {best: label | null, value: number | null} | Refused: the best completed run so far of a sequential item. */
  sequentialBestSoFar(itemJson: string, stopsJson: string): string;
  /** LabelJson | Refused. */
  makeLabel(contextJson: string, itemJson: string, answerJson: string): string;
  /** LabelMergeJson | Refused (all or nothing; the message names the line). */
  mergeLabels(storedJsonl: string, incomingJsonl: string): string;
  /** {text} | Refused; format "jsonl" or "csv". */
  exportLabels(jsonl: string, format: string): string;
  /** LabelSummaryJson | Refused. */
  labelSummary(jsonl: string): string;
  /** StandingJson | Refused. */
  sessionStanding(jsonl: string): string;
}
