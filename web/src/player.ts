/**
 * The player: builds the curves of a state (single runs, or the average view), computes
 * long work in slices of a few milliseconds between frames with a progress fraction, and
 * while playing advances the runs by the speed (steps per second) at each frame. It owns
 * the runs; what is drawn, and how, is the screen's business.
 */
import { AverageSet, averageCurves, MAX_AVERAGE_WORK, type BandSeries } from './averages.js';
import type { Core, CoreError } from './core.js';
import { checkState, Simulation, type CurveInfo, type Series } from './simulation.js';
import type { AgentChange, AgentSettings, PageState } from './state.js';

/** The page's own limits (the core allows more; they keep a phone responsive). */
export const MAX_RUNS = 20;
export const MAX_STEPS = 100_000;
/** Averages: runs per curve. */
export const MAX_AVERAGE = 10_000;
/** Speeds offered, in steps per second. */
export const SPEEDS = [10, 20, 50, 100, 200, 300, 500, 1000, 2000, 5000, 10_000, 50_000, 100_000];
/** Points per curve on the chart (fewer when there are many curves): longer runs are drawn every `stride` steps. */
const MAX_POINTS = 1500;
const MAX_TOTAL_POINTS = 5000;
/** Work per slice before yielding to the browser. */
const SLICE_MS = 10;
/** A frame after a long pause (a hidden tab) advances at most this much time. */
const MAX_FRAME_MS = 100;

/** What the player draws on. */
export interface Screen {
  /** New curves (none when the state is refused, with the reason), empty, over `horizon` steps. */
  begin(curves: CurveInfo[], horizon: number, changes: AgentChange[], problem: CoreError | undefined): void;
  /** Points of curve `i` after those already appended. */
  append(i: number, series: Series | BandSeries): void;
  /** Everything appended is to be shown; `settled` when the runs stand still (paused, finished, rebuilt). */
  show(settled: boolean): void;
  progress(fraction: number | undefined): void;
}

export type Timer = { frame(callback: (now: number) => void): void; now(): number };

const browserTimer: Timer = {
  frame: (callback) => requestAnimationFrame(callback),
  now: () => performance.now(),
};

export class Player {
  private sim: Simulation | undefined;
  private averages: AverageSet | undefined;
  private generation = 0;
  private building = false;
  private running = false;
  private emitted = 0;
  private stride = 1;
  private lastFrame = 0;
  private carry = 0;
  private lastDrawAt = 0;
  private lastDrawCost = 0;
  /** [simulate + read, draw] milliseconds of the last frames while playing (for the benchmark). */
  readonly workTimes: [number, number][] = [];

  constructor(
    private readonly core: Core,
    private readonly screen: Screen,
    /** the state now, and its position to record */
    private readonly state: () => PageState,
    private readonly moved: (at: number) => void,
    private readonly timer: Timer = browserTimer,
  ) {
    const loop = (now: number) => {
      this.timer.frame(loop);
      this.frame(now);
    };
    this.timer.frame(loop);
  }

  get busy(): boolean {
    return this.building;
  }

  get playing(): boolean {
    return this.running;
  }

  get stepsDone(): number {
    return this.sim?.stepsDone ?? (this.averages ? this.averages.horizon : 0);
  }

  get horizon(): number {
    return this.sim?.horizon ?? this.averages?.horizon ?? 0;
  }

  /** The single runs on screen (none in the average view). */
  get simulation(): Simulation | undefined {
    return this.sim;
  }

  get average(): AverageSet | undefined {
    return this.averages;
  }

  get curves(): CurveInfo[] {
    return this.sim?.curves ?? this.averages?.curves ?? [];
  }

  /** The first thing refused in `state`: the core's checks and the page's limits. */
  check(state: PageState): CoreError | undefined {
    if (state.average > 0) {
      const limit = this.core.outOfRange('average', 2, MAX_AVERAGE, state.average);
      if (limit) return limit;
      const work = state.average * state.steps * averageCurves(state);
      if (work > MAX_AVERAGE_WORK) {
        return {
          field: 'average',
          message:
            `average × steps × curves must be at most ${MAX_AVERAGE_WORK.toLocaleString('en')}, got ` +
            `${work.toLocaleString('en')}`,
        };
      }
    }
    return checkState(this.core, state, MAX_RUNS, MAX_STEPS);
  }

  /** New curves for the state, computed to its position in slices (a newer rebuild cancels this one). */
  async rebuild(): Promise<void> {
    const gen = ++this.generation;
    this.dispose();
    const state = this.state();
    const problem = this.check(state);
    if (problem) {
      this.building = false;
      this.screen.begin([], state.steps, [], problem);
      this.screen.show(true);
      return;
    }
    this.building = true;
    const perCurve = Math.max(
      250,
      Math.min(MAX_POINTS, Math.floor(MAX_TOTAL_POINTS / (state.average > 0 ? averageCurves(state) : state.runs))),
    );
    this.stride = Math.max(1, Math.ceil(state.steps / perCurve));
    this.emitted = 0;
    if (state.average > 0) {
      const set = new AverageSet(this.core, state);
      this.averages = set;
      this.screen.begin(set.curves, set.horizon, state.changes, undefined);
      const chunk = Math.max(1, Math.floor(200_000 / state.steps));
      if (
        !(await this.slices(
          gen,
          () => set.runsDone >= set.runsWanted,
          () => set.add(chunk),
          () => set.runsDone / set.runsWanted,
        ))
      )
        return;
      set.curves.forEach((_, i) => this.screen.append(i, set.series(i, this.stride)));
      this.running = false;
    } else {
      const s = new Simulation(this.core, state);
      this.sim = s;
      this.screen.begin(s.curves, s.horizon, state.changes, undefined);
      const target = Math.min(state.at, state.steps);
      const chunk = Math.max(1, Math.floor(50_000 / state.runs));
      if (
        !(await this.slices(
          gen,
          () => s.stepsDone >= target,
          () => s.advance(Math.min(chunk, target - s.stepsDone)),
          () => s.stepsDone / target,
        ))
      )
        return;
      this.moved(s.stepsDone);
      this.push();
    }
    this.building = false;
    this.screen.progress(undefined);
    this.screen.show(true);
  }

  /** Work in slices until `done`; false when a newer rebuild took over. */
  private async slices(gen: number, done: () => boolean, work: () => void, fraction: () => number): Promise<boolean> {
    while (!done()) {
      const t0 = this.timer.now();
      while (!done() && this.timer.now() - t0 < SLICE_MS) work();
      if (!done()) {
        this.screen.progress(fraction());
        await new Promise<void>((resolve) => this.timer.frame(() => resolve()));
        if (gen !== this.generation) return false;
      }
    }
    return true;
  }

  private push(): void {
    const s = this.sim;
    if (!s) return;
    const state = this.state();
    const param = state.smoothing === 'moving-average' ? state.window : state.weight;
    for (let i = 0; i < s.curves.length; i++) {
      this.screen.append(i, s.series(i, this.emitted, this.stride, state.smoothing, param));
    }
    this.emitted = s.stepsDone;
  }

  /** Draws the current runs again from step 1 (the view changed; nothing is re-simulated). */
  redraw(): void {
    const s = this.sim;
    if (!s || this.building) return;
    this.screen.begin(s.curves, s.horizon, this.state().changes, undefined);
    this.emitted = 0;
    this.push();
    this.screen.show(!this.running);
  }

  /** Plays from where the runs are; at the end, plays the same experiment again from step 0. */
  play(rewind: () => void): void {
    if (this.running || this.averages) return;
    this.running = true;
    this.lastFrame = this.timer.now();
    this.carry = 0;
    if (this.state().at >= this.state().steps) {
      rewind();
    }
  }

  pause(): void {
    if (!this.running) return;
    this.running = false;
    this.screen.show(true);
  }

  /** Advances a tenth of a second's worth at the current speed (at least one step). */
  step(): void {
    this.running = false;
    const s = this.sim;
    if (!s || this.building) return;
    s.advance(Math.max(1, Math.round(this.state().speed / 10)));
    this.moved(s.stepsDone);
    this.push();
    this.screen.show(true);
  }

  /** A change made while playing: every run uses `agent` from the next step. */
  applyNow(agent: AgentSettings): CoreError | undefined {
    return this.sim?.applyNow(agent);
  }

  /** Can a change be recorded at the current step (playing, between the first and the last step)? */
  get live(): boolean {
    const s = this.sim;
    return this.running && s !== undefined && s.stepsDone > 0 && s.stepsDone < s.horizon && !this.building;
  }

  private frame(now: number): void {
    const s = this.sim;
    if (!this.running || this.building || !s) {
      this.lastFrame = now;
      return;
    }
    const dt = Math.min(MAX_FRAME_MS, Math.max(0, now - this.lastFrame));
    this.lastFrame = now;
    this.carry += (this.state().speed * dt) / 1000;
    const n = Math.floor(this.carry);
    if (n < 1) return;
    this.carry -= n;
    const t0 = this.timer.now();
    s.advance(n);
    this.moved(s.stepsDone);
    this.push();
    const t1 = this.timer.now();
    const finished = s.stepsDone >= s.horizon;
    // Redraw at most as often as keeps drawing under half of the main thread: a slow device
    // shows the curves growing at a lower frame rate instead of freezing.
    if (finished || t1 - this.lastDrawAt >= 2 * this.lastDrawCost) {
      if (finished) this.running = false;
      this.screen.show(finished);
      this.lastDrawAt = this.timer.now();
      this.lastDrawCost = this.lastDrawAt - t1;
      this.workTimes.push([t1 - t0, this.lastDrawCost]);
      if (this.workTimes.length > 600) this.workTimes.shift();
    }
  }

  private dispose(): void {
    this.sim?.dispose();
    this.sim = undefined;
    this.averages?.dispose();
    this.averages = undefined;
  }
}
