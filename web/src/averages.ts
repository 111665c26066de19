/**
 * The average view: per curve (each compared agent, or the one agent) the mean of N runs
 * on N bandits, with the core's 95% interval of the mean. The core runs and averages; this
 * module only feeds it in slices and shapes its arrays for the chart.
 */
import type { Core, WasmAverager } from './core.js';
import type { CurveInfo, Series } from './simulation.js';
import { agentJson, agentOf, curvePlan, describeAgent, experimentJson, type PageState } from './state.js';

/** A mean curve with its band, at steps `x`. */
export interface BandSeries extends Series {
  lower: number[];
  upper: number[];
}

/** Most agent-steps one average may cost (about 5 s of WebAssembly on a small machine). */
export const MAX_AVERAGE_WORK = 200_000_000;

/** How many curves the average view draws for `state`: one per compared agent, else one. */
export function averageCurves(state: PageState): number {
  return Math.max(1, state.compare.length);
}

export class AverageSet {
  private readonly averagers: WasmAverager[] = [];
  readonly curves: CurveInfo[] = [];
  readonly horizon: number;

  /** Precondition: `checkState` found nothing. */
  constructor(
    private readonly core: Core,
    private readonly state: PageState,
  ) {
    this.horizon = state.steps;
    const changes = state.changes.map((c) => ({ step: c.step, ...agentJson(agentOf(c)) }));
    try {
      for (let i = 0; i < averageCurves(state); i++) {
        const { agent } = curvePlan({ ...state, runs: averageCurves(state) }, i);
        this.averagers.push(
          core.createAverager({
            config: { ...experimentJson(state), ...agentJson(agent) },
            changes,
            smoothing: state.smoothing,
            param: state.smoothing === 'moving-average' ? state.window : state.weight,
          }),
        );
        this.curves.push({
          label: `${describeAgent(agent)} · mean of ${state.average} runs`,
          agent,
          runIndex: i,
          baseline: NaN,
          bestPossible: NaN,
          band: true,
        });
      }
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  /** Runs averaged so far, over every curve. */
  get runsDone(): number {
    return this.averagers.reduce((n, a) => n + a.runs(), 0);
  }

  get runsWanted(): number {
    return this.state.average * this.averagers.length;
  }

  /** Adds up to `n` runs (to the curve that has fewest). */
  add(n: number): void {
    for (const a of this.averagers) {
      const missing = this.state.average - a.runs();
      if (missing > 0) {
        a.add(Math.min(n, missing));
        return;
      }
    }
  }

  /**
   * Curve `i` every `stride` steps: mean reward (smoothed as the view asks, by the core), its band, mean true value.
   */
  series(i: number, stride: number): BandSeries {
    const a = (this.averagers[i] as WasmAverager).average();
    const info = this.curves[i] as CurveInfo;
    info.baseline = a.baseline;
    info.bestPossible = a.bestPossible;
    const out: BandSeries = { x: [], raw: [], smooth: [], truth: [], lower: [], upper: [] };
    for (let step = stride; step <= this.horizon; step += stride) {
      out.x.push(step);
      out.smooth.push(a.reward.mean[step - 1] as number);
      out.raw.push(a.reward.mean[step - 1] as number);
      out.lower.push(a.reward.lower[step - 1] as number);
      out.upper.push(a.reward.upper[step - 1] as number);
      out.truth.push(a.trueValue.mean[step - 1] as number);
    }
    return out;
  }

  dispose(): void {
    for (const a of this.averagers.splice(0)) a.delete();
  }
}
