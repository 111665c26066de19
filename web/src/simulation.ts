/**
 * The curves on the chart: one wasm run per curve, stepped together, with the agent
 * changes of the state applied at their steps. Owns its runs: `dispose()` deletes them.
 */
import type { Core, CoreError, ExperimentJson, WasmRun } from './core.js';
import {
  agentJson,
  agentOf,
  curvePlan,
  describeAgent,
  experimentJson,
  type AgentChange,
  type AgentSettings,
  type PageState,
  type Smoothing,
} from './state.js';

/** Points of one curve, at steps `x` (1-based). */
export interface Series {
  x: number[];
  raw: number[];
  smooth: number[];
  truth: number[];
}

export interface CurveInfo {
  label: string;
  agent: AgentSettings;
  runIndex: number;
  baseline: number;
  bestPossible: number;
  /** a mean of runs, drawn with its 95% band */
  band?: boolean;
}

/** The first thing the core refuses in `state`'s experiment, compared agents and changes. */
export function checkState(core: Core, state: PageState, maxRuns: number, maxSteps: number): CoreError | undefined {
  const base = experimentJson(state);
  // The page's limits first: each field then has one limit, the tighter one.
  const limit = core.outOfRange('steps', 1, maxSteps, state.steps) ?? core.outOfRange('runs', 1, maxRuns, state.runs);
  if (limit) {
    return limit;
  }
  const parsed = core.parseExperiment(base);
  if (parsed.error) {
    return parsed.error;
  }
  for (let i = 0; i < state.compare.length; i++) {
    const e = core.parseExperiment({ ...base, ...agentJson(curvePlan(state, i).agent) }).error;
    if (e) {
      return e;
    }
  }
  for (const c of state.changes) {
    const e = core.parseExperiment({ ...base, ...agentJson(c) }).error;
    if (e) {
      return e;
    }
  }
  return undefined;
}

export class Simulation {
  readonly curves: CurveInfo[] = [];
  private readonly runs: WasmRun[] = [];
  private readonly changes: AgentChange[];
  private nextChange = 0;
  private done = 0;

  /** Precondition: `checkState` found nothing. */
  constructor(
    private readonly core: Core,
    state: PageState,
  ) {
    this.changes = [...state.changes];
    const base = core.parseExperiment(experimentJson(state)).ok as ExperimentJson;
    try {
      for (let i = 0; i < state.runs; i++) {
        const plan = curvePlan(state, i);
        const run = core.createRun({ ...base, ...agentJson(plan.agent) } as ExperimentJson, plan.runIndex);
        this.runs.push(run);
        this.curves.push({
          label: `run ${plan.runIndex + 1} · ${describeAgent(plan.agent)}`,
          agent: plan.agent,
          runIndex: plan.runIndex,
          baseline: run.baseline(),
          bestPossible: run.bestPossible(),
        });
      }
    } catch (e) {
      this.dispose();
      throw e;
    }
    this.horizon = base.steps;
    this.applyDueChanges();
  }

  readonly horizon: number;

  get stepsDone(): number {
    return this.done;
  }

  /** Steps every run by up to `n` (never past the horizon), applying changes on the way. */
  advance(n: number): void {
    const target = Math.min(this.done + Math.max(0, Math.floor(n)), this.horizon);
    while (this.done < target) {
      const next = this.changes[this.nextChange];
      const until = next && next.step < target ? Math.max(next.step, this.done + 1) : target;
      for (const run of this.runs) {
        run.step(until - this.done);
      }
      this.done = until;
      this.applyDueChanges();
    }
  }

  /** A change made now, while playing: every run uses `agent` from the next step. */
  applyNow(agent: AgentSettings): CoreError | undefined {
    for (const run of this.runs) {
      const error = this.core.setAgent(run, agentJson(agentOf(agent)));
      if (error) {
        return error;
      }
    }
    return undefined;
  }

  private applyDueChanges(): CoreError | undefined {
    let error: CoreError | undefined;
    while (this.nextChange < this.changes.length && (this.changes[this.nextChange]?.step ?? Infinity) <= this.done) {
      const c = this.changes[this.nextChange++] as AgentChange;
      for (const run of this.runs) {
        error ??= this.core.setAgent(run, agentJson(agentOf(c)));
      }
    }
    return error;
  }

  /**
   * Points of curve `i` for steps in (from, stepsDone], every `stride` steps; rewards
   * smoothed by the core. Views of the wasm heap are read at once, after the last call
   * that allocates.
   */
  series(i: number, from: number, stride: number, smoothing: Smoothing, param: number): Series {
    const run = this.runs[i] as WasmRun;
    const out: Series = { x: [], raw: [], smooth: [], truth: [] };
    const to = run.stepsDone();
    const first = Math.ceil((from + 1) / stride) * stride; // first step (1-based) on the grid
    if (first > to) {
      return out;
    }
    const smoothed = smoothing === 'none' ? undefined : run.smoothedRewards(smoothing, param, first - 1);
    const rewards = run.rewards();
    const truth = run.trueValues();
    for (let step = first; step <= to; step += stride) {
      out.x.push(step);
      out.raw.push(rewards[step - 1] as number);
      out.truth.push(truth[step - 1] as number);
      out.smooth.push(smoothed ? (smoothed[step - first] as number) : (rewards[step - 1] as number));
    }
    return out;
  }

  /**
   * The runs as the trials of one study, in the order they were started: each trial's
   * intermediate values are its reward curve as drawn (smoothed by the core with the view's
   * smoothing, one value per step so far, steps 0..n-1), and its final value is the core's
   * ground-truth final performance of the steps so far (mean true value of their last 10%).
   */
  studyTrials(smoothing: Smoothing, param: number): { values: Float64Array; final: number }[] {
    return this.runs.map((run) => ({
      values: run.smoothedRewards(smoothing, param, 0),
      final: this.core.truth(run)?.final_performance ?? NaN,
    }));
  }

  /** Final performance so far of each curve (the core's ground truth), for the top-K filter. */
  finalPerformances(): number[] {
    return this.runs.map((run) => this.core.truth(run)?.final_performance ?? NaN);
  }

  /** Rank of each curve by its final performance so far (0 = best), by the core. */
  ranks(): number[] {
    return this.done === 0 ? [] : this.core.rankDescending(this.finalPerformances());
  }

  dispose(): void {
    for (const run of this.runs.splice(0)) {
      run.delete();
    }
  }
}
