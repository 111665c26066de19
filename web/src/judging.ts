/**
 * The chosen pruners' verdicts on the runs on screen: the study the runs make (values
 * drawn, ground-truth finals), each pruner's verdicts on it as the core gives them, and the
 * extrapolation pruner's continuations past each stop. While playing the core is asked
 * again at most about 4 times a second, less when a study is costly.
 */
import type { Continuation, PrunerMarks, StopMark } from './chart.js';
import type { Core, PrunerName } from './core.js';
import { exportStudies, judge, prunerLabel, PRUNER_LOOK, type PrunerVerdicts, type StudyTrials } from './pruners.js';
import type { CurveInfo, Simulation } from './simulation.js';
import type { PrunerChoice, Smoothing } from './state.js';

/** Steps at which a continuation is drawn. */
const CONTINUATION_POINTS = 100;

export class Judging {
  /** The study on screen (per run: values drawn, ground-truth final). */
  trials: StudyTrials = [];
  /** Each chosen pruner's verdicts on `trials`. */
  verdicts: PrunerVerdicts[] = [];
  private lastAt = -Infinity;
  private cost = 0;
  /**
   * The core's continuations, by run, stop, horizon, p and the values judged (they are fixed once a run is stopped).
   */
  private readonly continuations = new Map<string, Continuation | null>();

  constructor(private readonly core: Core) {}

  /** Forgets the verdicts; true when there were any to forget. */
  clear(): boolean {
    if (this.verdicts.length === 0 && this.trials.length === 0) return false;
    this.verdicts = [];
    this.trials = [];
    return true;
  }

  /**
   * Judges the runs of `sim` again with `choices`, then calls `show`, unless `force` is
   * false and the last judgement is too recent for its cost. True when judged.
   */
  update(
    sim: Simulation,
    choices: readonly PrunerChoice[],
    smoothing: Smoothing,
    param: number,
    force: boolean,
    show: () => void,
  ): boolean {
    const t0 = performance.now();
    if (!force && t0 - this.lastAt < Math.max(250, 4 * this.cost)) return false;
    this.trials = sim.studyTrials(smoothing, param);
    this.verdicts = judge(this.core, choices, this.trials);
    show();
    this.lastAt = performance.now();
    this.cost = this.lastAt - t0;
    return true;
  }

  /**
   * What the extrapolation pruner expected of each run it stopped (also inside patient):
   * the core's predicted curve from the stop to the horizon of its reason, and its band.
   */
  continuationsOf(v: PrunerVerdicts, curves: readonly CurveInfo[]): Continuation[] {
    const out: Continuation[] = [];
    v.result?.pruned_at.forEach((at, i) => {
      const reason = v.result?.reasons[i];
      const values = this.trials[i]?.values;
      if (at === null || !values || reason?.rule !== 'unlikely_to_beat_best') return;
      const horizon = Number(reason.horizon);
      const p = Number(reason.p);
      const key = [i, at, horizon, p, values[0], values[at], values[at >> 1]].join('|');
      let c = this.continuations.get(key);
      if (c === undefined) {
        if (this.continuations.size > 1000) this.continuations.clear();
        const answer = this.core.extrapolationContinuation(
          values.subarray(0, at + 1),
          at,
          horizon,
          p,
          CONTINUATION_POINTS,
        );
        c =
          'field' in answer
            ? null
            : {
                curve: i,
                label:
                  `${curves[i]?.label ?? `run ${i + 1}`} · expected by extrapolation ` +
                  `(${Math.round(100 * (1 - 2 * p))}% band)`,
                x: answer.steps.map((step) => step + 1),
                mean: answer.mean,
                lower: answer.lower,
                upper: answer.upper,
              };
        this.continuations.set(key, c);
      }
      if (c) out.push(c);
    });
    return out;
  }

  /**
   * The chosen pruners' stops as the chart draws them: markers (of the pruner in view `pview`, or all), where each
   * run's tail is dimmed from, and the extrapolation pruner's continuations.
   */
  stops(
    pview: string,
    curves: readonly CurveInfo[],
  ): { marks: PrunerMarks[]; cuts: (number | undefined)[]; continuations: Continuation[] } {
    const marks: PrunerMarks[] = [];
    const cuts: (number | undefined)[] = [];
    const continuations: Continuation[] = [];
    for (const v of this.verdicts) {
      if (!v.result || (pview !== 'all' && pview !== v.choice.name)) continue;
      continuations.push(...this.continuationsOf(v, curves));
      const label = prunerLabel(v.choice.name);
      const points: StopMark[] = [];
      v.result.pruned_at.forEach((at, i) => {
        if (at === null) return;
        const x = at + 1;
        cuts[i] = Math.min(cuts[i] ?? Infinity, x);
        points.push({
          x,
          y: this.trials[i]?.values[at] ?? NaN,
          curve: i,
          title: `${curves[i]?.label ?? `run ${i + 1}`} · ${label} stops it at step ${at} (chart step ${x})`,
          text: v.result?.reasons[i]?.text ?? '',
        });
      });
      marks.push({ label, style: PRUNER_LOOK[v.choice.name as PrunerName]?.style ?? 'circle', marks: points });
    }
    return { marks, cuts, continuations };
  }

  /** The study judged as a study JSON written by the core: the pruner in view `pview`, or all chosen (a batch). */
  study(pview: string): Record<string, unknown> | undefined {
    const shown = this.verdicts.filter((v) => pview === 'all' || v.choice.name === pview);
    if (shown.length === 0 || this.trials.length === 0) return undefined;
    return exportStudies(
      this.core,
      shown.map((v) => v.pruner),
      this.trials,
    ).ok;
  }
}
