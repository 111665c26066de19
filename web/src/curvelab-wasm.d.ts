/**
 * Types of the WebAssembly module built from web/bindings.cpp (Emscripten 3.1.6 has no
 * --emit-tsd, so they are written by hand; `tsc --noEmit` and tests/web/wasm.test.mjs keep
 * them honest). Configs, ranges and results cross as the core's JSON; per-step arrays
 * cross as views of the wasm heap.
 */
import type { QuizModuleFunctions } from './quiz/quiz-wasm.js';

/** An experiment config as the core's JSON spells it (`curvelab generate` prints the same). */
export type AgentKind = 'epsilon-greedy' | 'ucb' | 'gradient' | 'random';

export interface ExperimentJson {
  agent: AgentKind;
  arms: number;
  arm_mean: number;
  arm_spread: number;
  noise: number;
  /** nonstationary bandit: sd of each arm's Normal(0, walk) step per time step, [0, 10]; 0 = stationary */
  walk: number;
  epsilon: number;
  initial_value: number;
  initial_spread: number;
  /**
   * constant step size of the value estimates, (0, 1] (the gradient bandit's: (0, 100]); null = sample averages
   * (gradient: 0.1)
   */
  step_size: number | null;
  /** UCB's c, [0, 100] */
  ucb_c: number;
  /** the gradient bandit's average-reward baseline */
  baseline: boolean;
  steps: number;
  /** integer in [0, 2^53 - 1] */
  seed: number;
}

/** The fields an agent change mid-run may carry. */
export type AgentPatchJson = Partial<
  Pick<ExperimentJson, 'agent' | 'epsilon' | 'initial_value' | 'initial_spread' | 'step_size' | 'ucb_c' | 'baseline'>
>;

/** One refused input: the field as spelled in JSON and a sentence naming the allowed range. */
export interface CoreError {
  field: string;
  message: string;
}

/** `{"ok": ...}` or `{"error": ...}`, as JSON text. */
export type Result<T> = { ok: T; error?: undefined } | { ok?: undefined; error: CoreError };

/** Ground truth of a run (core/include/curvelab/ground_truth.hpp), steps counted from 1. */
export interface RunTruthJson {
  horizon: number;
  baseline: number;
  best_possible: number;
  final_performance: number;
  max_true: number;
  max_true_step: number;
  max_visible: number;
  max_visible_step: number;
  smoothing_window: number;
  learns: boolean;
  time_to_50: number | null;
  time_to_90: number | null;
  onset: number | null;
  normalized_area: number;
}

/** Generator ranges: [lo, hi] pairs and the share of random agents. */
export interface RangesJson {
  arms: [number, number];
  arm_mean: [number, number];
  arm_spread: [number, number];
  noise: [number, number];
  epsilon: [number, number];
  initial_value: [number, number];
  steps: [number, number];
  random_share: number;
  ucb_share: number;
  gradient_share: number;
  constant_step_share: number;
  optimistic_share: number;
  baseline_off_share: number;
  walk_share: number;
  step_size: [number, number];
  ucb_c: [number, number];
  optimism: [number, number];
  walk: [number, number];
}

export type SmoothingMethod = 'none' | 'moving-average' | 'ema';

/** An embind object: it owns wasm memory until `delete()` is called. */
export interface EmbindObject {
  delete(): void;
  isDeleted(): boolean;
}

/**
 * One agent on one bandit, stepped incrementally. Array accessors return *views* of the
 * wasm heap: read or copy them before the next call that may allocate, never keep them.
 */
export interface WasmRun extends EmbindObject {
  /** Advances by up to n steps (never past the horizon); returns how many were taken. */
  step(n: number): number;
  finish(): void;
  /** Merges agent fields (JSON text) into the config; "" when applied, else `{"error": ...}`. */
  setAgent(patchJson: string): string;
  stepsDone(): number;
  horizon(): number;
  done(): boolean;
  /** The run's config as JSON text (its own seed, the current agent). */
  config(): string;
  rewards(): Float64Array;
  trueValues(): Float64Array;
  optimal(): Uint8Array;
  armValues(): Float64Array;
  estimates(): Float64Array;
  /** The gradient bandit's preferences H(a). */
  preferences(): Float64Array;
  /** mean q* (drifting bandit: its mean over the steps taken). */
  baseline(): number;
  bestPossible(): number;
  /** RunTruthJson of the steps so far, or `{"error": ...}` before the first step. */
  truth(): string;
  /** A copy of the smoothed rewards from step index `from` on (param: window or weight). */
  smoothedRewards(method: SmoothingMethod, param: number, from: number): Float64Array;
}

export interface SimulateAverageResult {
  meanReward?: Float64Array;
  optimalShare?: Float64Array;
  meanTrueValue?: Float64Array;
  error?: string;
}

/** Per step: the mean over the runs and its 95% interval (Float64Arrays, copies). */
export interface MeanBandJson {
  mean: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
}

/** The core's `RunAverage`: mean reward and mean true value with their bands. */
export interface RunAverageResult {
  runs: number;
  reward: MeanBandJson;
  trueValue: MeanBandJson;
  baseline: number;
  bestPossible: number;
}

/** The core's `RunAverager`: runs 0, 1, 2, ... of one config, averaged as they are added. */
export interface WasmAverager extends EmbindObject {
  /** runs up to `n` more runs; returns how many were added */
  add(n: number): number;
  runs(): number;
  average(): RunAverageResult;
}

/** A method of the parameter study (Fig. 2.6) and its parameter's name. */
export type SweepMethodName = 'epsilon-greedy' | 'gradient' | 'ucb' | 'optimistic';

/** A setting of the parameter study: a method at parameter 2^log2. */
export interface SweepPointJson {
  method: SweepMethodName;
  parameter: 'epsilon' | 'alpha' | 'c' | 'Q0';
  log2: number;
  value: number;
}

/** A finished setting, as `curvelab sweep --format json` gives each point. */
export interface SweepResultJson extends SweepPointJson {
  average_reward: number;
  optimal_share: number;
}

/** What a pruner does to the parameter study (core/include/curvelab/sweep.hpp SweepStudy). */
export interface SweepStudyJson {
  agent_steps_total: number;
  agent_steps_run: number;
  share_saved: number;
  found_every_best: boolean;
  methods: {
    method: SweepMethodName;
    parameter: SweepPointJson['parameter'];
    study: StudyResultJson;
    best: SweepResultJson;
    best_kept: SweepResultJson | null;
    found_best: boolean;
  }[];
}

/** The core's `SweepRunner`: the study computed a slice of runs at a time. */
export interface WasmSweep extends EmbindObject {
  /** runs up to `maxRuns` more runs of the setting under way; 0 once done */
  advance(maxRuns: number): number;
  done(): boolean;
  /** share of the study's runs done, [0, 1] */
  progress(): number;
  /** SweepPointJson[] as JSON text: every setting */
  points(): string;
  /** SweepResultJson[] as JSON text: the settings finished so far */
  results(): string;
  /** SweepStudyJson of the finished settings cut by pruner `prunerJson`, or `{"error": ...}` */
  prune(prunerJson: string): string;
}

/** The one module: web/bindings.cpp's functions and web/bindings_quiz.cpp's (quiz/quiz-wasm.d.ts). */
export interface CurvelabModule extends QuizModuleFunctions {
  readonly MIN_ARMS: number;
  readonly MAX_ARMS: number;
  readonly MAX_STEPS: number;
  readonly MAX_RUNS: number;

  /** Result<ExperimentJson> as JSON text; missing fields take the core's defaults. */
  parseExperiment(configJson: string): string;
  /** The core's "field must be in [lo, hi], got value" sentence. */
  outOfRangeMessage(field: string, lo: number, hi: number, value: number): string;
  /** JSON array of the agent kinds (AgentKind[]), in the core's order. */
  agentKinds(): string;
  formatNumber(value: number): string;

  /** Run `runIndex` of a cohort (seed derive_seed(seed, runIndex)), -1 for the seed itself; null if refused. */
  createRun(configJson: string, runIndex: number): WasmRun | null;

  /** Copies in (pass arrays, not heap views), returns a new array. */
  movingAverage(values: ArrayLike<number>, window: number): Float64Array;
  emaDebiased(values: ArrayLike<number>, weight: number): Float64Array;
  defaultSmoothingWindow(horizon: number): number;
  /** RunTruthJson (or `{"error": ...}`) of arrays the caller owns. */
  runTruth(trueValues: ArrayLike<number>, rewards: ArrayLike<number>, baseline: number, bestPossible: number): string;
  /** `curvelab simulate`'s per-step averages over `runs` runs. */
  simulateAverage(configJson: string, runs: number): SimulateAverageResult;
  /** rank of each score, 0 = best (higher first, ties in order, NaN last) */
  rankDescending(scores: ArrayLike<number>): number[];
  readonly MAX_AVERAGED_RUNS: number;
  /** `{"config", "changes", "smoothing", "param"}`; null when refused (`averagerProblem` says why) */
  createAverager(text: string): WasmAverager | null;
  /** "" when `createAverager` accepts `text`, else `{"error": ...}` */
  averagerProblem(text: string): string;

  /** RangesJson as JSON text. */
  defaultRanges(): string;
  /** Result<ExperimentJson>: experiment `index` of the set generated from `seed` ("" = default ranges). */
  sampleExperiment(rangesJson: string, seed: number, index: number): string;

  // Studies and pruners (Optuna 3.1's, in the core): results are `curvelab prune`'s JSON.
  /** JSON array of every pruner name the core has (PrunerName[]). */
  prunerNames(): string;
  /** Result<PrunerJson> with Optuna's defaults for pruner `name`, as JSON text. */
  prunerDefaults(name: string): string;
  /** "" when Optuna accepts the pruner (PrunerJson as text), else `{"error": CoreError}`. */
  validatePruner(prunerJson: string): string;
  /** StudyResultJson (or `{"error": CoreError}`) of a study JSON, as `curvelab prune` prints it. */
  runStudy(studyJson: string): string;
  /**
   * One study run by several pruners: `header` is a study JSON without trials, with
   * `pruners: PrunerJson[]`; trials cross as arrays (steps 0, 1, 2, ...). JSON text of
   * `{"results": (StudyResultJson | {error})[]}`, or `{"error": CoreError}`.
   */
  runStudies(headerJson: string, trials: readonly StudyTrialInput[]): string;
  /**
   * The same arguments written as the core writes a study JSON (what `curvelab prune`
   * reads): one study for one pruner, `{"studies": [...]}` for several, or `{"error": CoreError}`.
   */
  exportStudies(headerJson: string, trials: readonly StudyTrialInput[]): string;

  /**
   * Result<CurveFitJson> as JSON text: the learning-curve model fitted to `values`
   * (steps 1, 2, ...), with its forecast of the final performance of a `horizon`-step run.
   */
  fitCurve(values: ArrayLike<number>, horizon: number): string;

  /**
   * Result<ContinuationJson> as JSON text: what the extrapolation pruner expected of a
   * trial it stopped at study step `stopStep` (the reason's `step`), from `values` (study
   * steps 0, 1, ...) up to it: the predicted curve at `points` (2..1000) steps from the
   * stop to `horizon - 1` (the reason's `horizon`), with its central `1 - 2p` band.
   */
  extrapolationContinuation(
    values: ArrayLike<number>,
    stopStep: number,
    horizon: number,
    p: number,
    points: number,
  ): string;

  /** The parameter study of `{"runs", "steps", "seed"}` (10-armed testbed, four methods); null when refused. */
  createSweep(text: string): WasmSweep | null;
  /** "" when `createSweep` accepts `text`, else `{"error": ...}` */
  sweepProblem(text: string): string;
}

/** The curve model's fit (core/include/curvelab/curve_model.hpp). */
export interface CurveFitJson {
  families: { family: string; weight: number; c: number; a: number; shape: [number, number]; rms: number }[];
  noise_sd: number;
  values_used: number;
  final: { mean: number; sd: number; q05: number; q10: number; q50: number; q90: number; q95: number };
}

/** The continuation the extrapolation pruner expected past a stop, in study steps (chart step = study step + 1). */
export interface ContinuationJson {
  steps: number[];
  mean: number[];
  lower: number[];
  upper: number[];
}

export type PrunerName =
  | 'nop'
  | 'median'
  | 'percentile'
  | 'successive_halving'
  | 'hyperband'
  | 'threshold'
  | 'patient'
  | 'extrapolation';

/** A pruner as the study JSON spells it: Optuna's parameter names. */
export interface PrunerJson {
  name: PrunerName;
  params?: Record<string, number | string | null | PrunerJson>;
}

/** A trial for `runStudies`: its intermediate values, and its objective if not pruned (default the last value). */
export interface StudyTrialInput {
  values: Float64Array | readonly number[];
  final?: number;
}

/** Why a trial was stopped (core/include/curvelab/pruners.hpp PruneReason); `text` is the one line to show. */
export interface PruneReasonJson {
  pruner: PrunerName;
  rule: string;
  step: number;
  text: string;
  value?: number | string | null;
  cutoff?: number | string | null;
  [field: string]: unknown;
}

/** StudySummary (core/include/curvelab/study.hpp). */
export interface StudySummaryJson {
  trials: number;
  complete: number;
  pruned: number;
  failed: number;
  steps_total: number;
  steps_run: number;
  share_saved: number;
  best_trial: number | null;
  best_trial_completed: boolean;
  median_final: number | null;
  false_stops: number;
  regret: number | null;
  auc: number | null;
}

export interface StudyResultJson {
  pruned_at: (number | null)[];
  states: ('COMPLETE' | 'PRUNED' | 'FAIL')[];
  reasons: (PruneReasonJson | null)[];
  summary: StudySummaryJson;
}

export interface CurvelabModuleOptions {
  wasmBinary?: ArrayBuffer | Uint8Array;
  locateFile?: (path: string, prefix: string) => string;
}

export type CurvelabFactory = (options?: CurvelabModuleOptions) => Promise<CurvelabModule>;
