/**
 * The typed facade over the WebAssembly module: loads it once, turns the core's JSON
 * into typed results, and makes sure temporary embind objects are deleted. Every
 * decision (ranges, defaults, smoothing, ground truth, the generator) stays in the core.
 */
import createCurvelab from '../generated/curvelab.js';
import type {
  AgentKind,
  AgentPatchJson,
  ContinuationJson,
  CoreError,
  CurvelabModule,
  ExperimentJson,
  PrunerJson,
  PrunerName,
  RangesJson,
  Result,
  RunTruthJson,
  StudyResultJson,
  StudyTrialInput,
  SweepStudyJson,
  WasmAverager,
  WasmRun,
  WasmSweep,
} from './curvelab-wasm.js';

/** What an average is of: a config, its mid-run changes, and the smoothing of each run. */
export interface AverageSpec {
  config: Record<string, unknown>;
  changes: ({ step: number } & Record<string, unknown>)[];
  smoothing: string;
  param: number;
}

export type {
  AgentKind,
  AgentPatchJson,
  ContinuationJson,
  CoreError,
  ExperimentJson,
  PrunerJson,
  PrunerName,
  PruneReasonJson,
  RangesJson,
  Result,
  RunTruthJson,
  StudyResultJson,
  StudySummaryJson,
  StudyTrialInput,
  SweepMethodName,
  SweepPointJson,
  SweepResultJson,
  SweepStudyJson,
  WasmAverager,
  WasmRun,
  WasmSweep,
} from './curvelab-wasm.js';

/** An experiment of the agents the playground page shows so far. */
export type PlaygroundExperimentJson = ExperimentJson & { agent: 'epsilon-greedy' | 'random' };

/** The core's JSON text read as a value, or as its refusal (`{"error": ...}`). */
export function resultOf<T>(text: string): Result<T> {
  const parsed = JSON.parse(text) as T | { error: CoreError };
  if (parsed !== null && typeof parsed === 'object' && 'error' in parsed)
    return { error: (parsed as { error: CoreError }).error };
  return { ok: parsed as T };
}

export class Core {
  constructor(readonly module: CurvelabModule) {}

  get limits(): { minArms: number; maxArms: number; maxSteps: number } {
    const m = this.module;
    return { minArms: m.MIN_ARMS, maxArms: m.MAX_ARMS, maxSteps: m.MAX_STEPS };
  }

  /** Every agent kind the core has, in its order (epsilon-greedy, ucb, gradient, random). */
  agentKinds(): AgentKind[] {
    return JSON.parse(this.module.agentKinds()) as AgentKind[];
  }

  /** The config with the core's defaults filled in, or the first field it refuses. */
  parseExperiment(config: object): Result<ExperimentJson> {
    return JSON.parse(this.module.parseExperiment(JSON.stringify(config))) as Result<ExperimentJson>;
  }

  /** The core's "field must be in [lo, hi], got value" sentence, for the page's own limits. */
  outOfRange(field: string, lo: number, hi: number, value: number): CoreError | undefined {
    if (value >= lo && value <= hi) {
      return undefined;
    }
    return { field, message: this.module.outOfRangeMessage(field, lo, hi, value) };
  }

  /** Run `runIndex` of the cohort of `config` (which `parseExperiment` accepted). */
  createRun(config: ExperimentJson, runIndex: number): WasmRun {
    const run = this.module.createRun(JSON.stringify(config), runIndex);
    if (!run) {
      const parsed = this.parseExperiment(config);
      throw new Error(parsed.error?.message ?? 'the core refused the run');
    }
    return run;
  }

  /** Applies an agent change; the error when the core refuses it (the run is unchanged). */
  setAgent(run: WasmRun, patch: AgentPatchJson): CoreError | undefined {
    const answer = run.setAgent(JSON.stringify(patch));
    return answer === '' ? undefined : (JSON.parse(answer) as { error: CoreError }).error;
  }

  /** An averager of `spec` (the caller deletes it), or the core's refusal. */
  createAverager(spec: AverageSpec): WasmAverager {
    const text = JSON.stringify(spec);
    const averager = this.module.createAverager(text);
    if (!averager) {
      const answer = this.module.averagerProblem(text);
      throw new Error(
        answer === '' ? 'the core refused the average' : (JSON.parse(answer) as { error: CoreError }).error.message,
      );
    }
    return averager;
  }

  /** The core's refusal of an average, if any. */
  averageProblem(spec: AverageSpec): CoreError | undefined {
    const answer = this.module.averagerProblem(JSON.stringify(spec));
    return answer === '' ? undefined : (JSON.parse(answer) as { error: CoreError }).error;
  }

  /** Rank of each score, 0 = best: the core's ranking (higher first, ties in order, NaN last). */
  rankDescending(scores: readonly number[]): number[] {
    return this.module.rankDescending(scores);
  }

  truth(run: WasmRun): RunTruthJson | undefined {
    const parsed = JSON.parse(run.truth()) as RunTruthJson | { error: CoreError };
    return 'error' in parsed ? undefined : parsed;
  }

  /** A run used and deleted within `use`. */
  withRun<T>(config: ExperimentJson, runIndex: number, use: (run: WasmRun) => T): T {
    const run = this.createRun(config, runIndex);
    try {
      return use(run);
    } finally {
      run.delete();
    }
  }

  defaultRanges(): RangesJson {
    return JSON.parse(this.module.defaultRanges()) as RangesJson;
  }

  /**
   * Experiment `index` of the set the generator draws from `seed` with its default ranges
   * but only epsilon-greedy with sample averages and random agents on stationary bandits:
   * the newer agents' shares are set to 0, with which the core draws exactly the
   * experiments it drew before they existed. (The playground samples the full mix with
   * `sampleFromRanges({}, ...)`.)
   */
  sampleExperiment(seed: number, index: number): Result<PlaygroundExperimentJson> {
    const ranges: Partial<RangesJson> = {
      ucb_share: 0,
      gradient_share: 0,
      constant_step_share: 0,
      optimistic_share: 0,
      walk_share: 0,
    };
    return JSON.parse(
      this.module.sampleExperiment(JSON.stringify(ranges), seed, index),
    ) as Result<PlaygroundExperimentJson>;
  }

  /** Experiment `index` of the set generated from `seed` with `ranges` (missing fields: the core's defaults). */
  sampleFromRanges(ranges: Partial<RangesJson>, seed: number, index: number): Result<ExperimentJson> {
    return JSON.parse(this.module.sampleExperiment(JSON.stringify(ranges), seed, index)) as Result<ExperimentJson>;
  }

  defaultSmoothingWindow(horizon: number): number {
    return this.module.defaultSmoothingWindow(horizon);
  }

  formatNumber(x: number): string {
    return this.module.formatNumber(x);
  }

  // --- pruners: every verdict, reason and summary figure comes from here ---

  /** Every pruner the core has. */
  prunerNames(): PrunerName[] {
    return JSON.parse(this.module.prunerNames()) as PrunerName[];
  }

  /** Optuna's defaults for pruner `name` (every parameter, by Optuna's name). */
  prunerDefaults(name: PrunerName): PrunerJson {
    const parsed = JSON.parse(this.module.prunerDefaults(name)) as Result<PrunerJson>;
    if (!parsed.ok) throw new Error(parsed.error.message);
    return parsed.ok;
  }

  /** Optuna's refusal of `pruner`'s parameters, if any (the core's message). */
  validatePruner(pruner: PrunerJson): CoreError | undefined {
    const answer = this.module.validatePruner(JSON.stringify(pruner));
    return answer === '' ? undefined : (JSON.parse(answer) as { error: CoreError }).error;
  }

  /** A study JSON (README: Study JSON) run as `curvelab prune` runs it. */
  runStudy(study: unknown): Result<StudyResultJson> {
    return resultOf(this.module.runStudy(JSON.stringify(study)));
  }

  /**
   * One study (name, direction, trials) run by each of `pruners`: one outcome per pruner,
   * in order. Trials cross as arrays; the result is what `runStudy` gives for the same study.
   */
  runStudies(
    header: { study_name: string; direction: 'minimize' | 'maximize' },
    pruners: readonly PrunerJson[],
    trials: readonly StudyTrialInput[],
  ): Result<StudyResultJson>[] {
    const answer = JSON.parse(this.module.runStudies(JSON.stringify({ ...header, pruners }), trials)) as
      | { results: (StudyResultJson | { error: CoreError })[] }
      | { error: CoreError };
    if ('error' in answer) {
      return pruners.map(() => ({ error: answer.error }));
    }
    return answer.results.map((r) => ('error' in r ? { error: r.error } : { ok: r }));
  }

  /** The study as the core writes a study JSON: one study for one pruner, `{"studies": [...]}` for several. */
  exportStudies(
    header: { study_name: string; direction: 'minimize' | 'maximize' },
    pruners: readonly PrunerJson[],
    trials: readonly StudyTrialInput[],
  ): Result<Record<string, unknown>> {
    const answer = JSON.parse(this.module.exportStudies(JSON.stringify({ ...header, pruners }), trials)) as
      | Record<string, unknown>
      | { error: CoreError };
    return 'error' in answer ? { error: answer.error as CoreError } : { ok: answer };
  }

  /**
   * What the extrapolation pruner expected of a trial it stopped at study step `stopStep`:
   * the core's predicted curve from the stop to `horizon - 1`, with its central `1 - 2p`
   * band, at `points` steps (study steps), or the core's refusal.
   */
  extrapolationContinuation(
    values: Float64Array,
    stopStep: number,
    horizon: number,
    p: number,
    points: number,
  ): ContinuationJson | CoreError {
    const parsed = JSON.parse(
      this.module.extrapolationContinuation(values, stopStep, horizon, p, points),
    ) as Result<ContinuationJson>;
    return parsed.ok ? parsed.ok : parsed.error;
  }

  // --- the parameter study ---

  /** The parameter study of `spec` (the caller deletes it), or the core's refusal. */
  createSweep(spec: { runs?: number; steps?: number; seed?: number }): WasmSweep | CoreError {
    const text = JSON.stringify(spec);
    const sweep = this.module.createSweep(text);
    if (sweep) return sweep;
    const answer = this.module.sweepProblem(text);
    return answer === ''
      ? { field: 'sweep', message: 'the core refused the parameter study' }
      : (JSON.parse(answer) as { error: CoreError }).error;
  }

  /** The finished settings of `sweep` cut by `pruner`: the core's figures and verdicts, or its refusal. */
  pruneSweep(sweep: WasmSweep, pruner: PrunerJson): Result<SweepStudyJson> {
    return resultOf(sweep.prune(JSON.stringify(pruner)));
  }
}

let loading: Promise<Core> | undefined;

/** The core, loaded once per page (later calls share the first load). */
export function loadCore(): Promise<Core> {
  loading ??= createCurvelab().then((m) => new Core(m));
  return loading;
}
