/**
 * The live playground: its parts, the state on screen, and what each change of the state
 * redraws. main.ts builds the parts and connects their events to these methods.
 */
import type { BandSeries } from './averages.js';
import type { RewardChart } from './chart.js';
import type { Controls, FieldName } from './controls.js';
import type { Core, CoreError } from './core.js';
import { downloadText, downloadUrl } from './download.js';
import type { Judging } from './judging.js';
import { MAX_RUNS, MAX_STEPS, SPEEDS, type Player, type Screen } from './player.js';
import { presetById } from './presets.js';
import type { PrunerPanel } from './pruner-panel.js';
import type { CurveInfo, Series } from './simulation.js';
import type { SweepView } from './sweep.js';
import {
  agentJson,
  changedFromLesson,
  currentAgent,
  defaultState,
  isHidden,
  loadedState,
  rewound,
  sampledLesson,
  speedIndex,
  toggledHidden,
  withAgent,
  withLesson,
  withSetting,
  type AgentChange,
  type AgentSettings,
  type PageState,
} from './state.js';
import { applyTheme, storedTheme } from './theme.js';
import { UrlWriter } from './url.js';
import {
  applyClassroom,
  CurveFilter,
  focusCounterpart,
  settingsCaption,
  showLegend,
  showLesson,
  showProblem,
  showProgress,
  syncViewControls as viewControls,
} from './view.js';
import { $ } from './dom.js';

/** The parts of the page, built by main.ts. */
export interface PlaygroundParts {
  player: Player;
  chart: RewardChart;
  controls: Controls;
  panel: PrunerPanel;
  sweepView: SweepView;
  /** The chosen pruners' verdicts on the runs on screen. */
  judging: Judging;
}

/** How much a change redraws: the view, the whole experiment, the layout (visibility), or the pruners. */
export type Change = 'view' | 'experiment' | 'layout' | 'pruners';

export class Playground implements Screen {
  readonly url = new UrlWriter();
  private current = defaultState();
  private readonly filter = new CurveFilter();
  /** A sampled experiment's note, shown while the experiment is the one sampled. */
  private sampled: { note: string; state: Partial<PageState> } | undefined;

  constructor(
    private readonly core: Core,
    private readonly parts: PlaygroundParts,
  ) {}

  /** The state on screen. */
  get state(): PageState {
    return this.current;
  }

  // --- URL -------------------------------------------------------------------------------

  writeUrl(force = false): void {
    this.url.write(this.current, force);
  }

  // --- drawing ---------------------------------------------------------------------------

  private applyVisibility(): void {
    const { chart, player } = this.parts;
    const state = this.current;
    this.filter.rank(state, player.simulation);
    const shown = (i: number) => this.filter.shown(this.current, i);
    chart.setVisibility({
      raw: state.raw && state.average === 0,
      truth: state.truth,
      baseline: state.baseline,
      smoothed: state.smoothing !== 'none',
      shown,
    });
    showLegend(player.curves, shown, (curve) => this.commit(toggledHidden(this.current, curve), 'layout'));
  }

  // What the player draws on: the chart, the legend, the pruners and the status.

  begin(curves: CurveInfo[], horizon: number, changes: AgentChange[], problem: CoreError | undefined): void {
    showProblem(problem ? `Not drawn: ${problem.message}` : undefined);
    this.parts.chart.reset(curves, horizon, changes);
    this.updateStatus();
  }

  append(i: number, series: Series | BandSeries): void {
    this.parts.chart.append(i, series);
  }

  show(settled: boolean): void {
    const { chart, player } = this.parts;
    if (player.average) chart.fitY();
    if (this.filter.due(settled, this.current.top)) this.applyVisibility();
    this.judgeRuns(settled);
    chart.update();
    this.updateStatus();
    this.writeUrl(settled);
  }

  progress(fraction: number | undefined): void {
    showProgress(fraction);
  }

  /** The player's position, recorded in the state. */
  moved(at: number): void {
    this.current = { ...this.current, at };
  }

  // --- pruners ---------------------------------------------------------------------------

  /**
   * Asks the core again what each chosen pruner does with the runs as they are now. While
   * playing (`force` false) at most about 4 times a second, less when a study is costly.
   */
  private judgeRuns(force: boolean): void {
    const { chart, judging, panel, player } = this.parts;
    const state = this.current;
    const sim = player.simulation;
    if (!sim || player.busy || state.pruners.length === 0) {
      if (judging.clear()) {
        chart.setPrunes([], [], []);
        panel.show([], [], []);
      }
      return;
    }
    const param = state.smoothing === 'moving-average' ? state.window : state.weight;
    judging.update(sim, state.pruners, state.smoothing, param, force, () => {
      const stops = judging.stops(this.current.pview, player.curves);
      chart.setPrunes(stops.marks, stops.cuts, stops.continuations);
      panel.show(judging.verdicts, sim.curves, judging.trials);
    });
  }

  /** The study on screen as a study JSON: the pruner in view, or all chosen (a batch). */
  currentStudy(): Record<string, unknown> | undefined {
    this.judgeRuns(true);
    return this.parts.judging.study(this.current.pview);
  }

  exportStudy(): void {
    const study = this.currentStudy();
    if (!study) return;
    downloadText('curvelab-study.json', `${JSON.stringify(study)}\n`, 'application/json');
  }

  // --- status ----------------------------------------------------------------------------

  private updateStatus(): void {
    const { player } = this.parts;
    const state = this.current;
    const done = player.stepsDone;
    const curves = player.curves.length;
    const play = $<HTMLButtonElement>('play');
    const pause = $<HTMLButtonElement>('pause');
    const step = $<HTMLButtonElement>('step');
    const before = document.activeElement;
    $('status').textContent =
      curves === 0
        ? 'no curves'
        : state.average > 0
          ? `average of ${state.average.toLocaleString('en')} runs per curve · ` +
            `${state.steps.toLocaleString('en')} steps`
          : `step ${done.toLocaleString('en')} of ${state.steps.toLocaleString('en')} · ${state.runs} ` +
            `run${state.runs > 1 ? 's' : ''}`;
    const averaging = state.average > 0;
    play.disabled = player.playing || player.busy || averaging || curves === 0;
    pause.disabled = !player.playing;
    step.disabled = player.busy || averaging || curves === 0 || done >= state.steps;
    focusCounterpart(before, { play, pause, step, reset: $<HTMLButtonElement>('reset') });
    const inviting = !player.playing && !player.busy && !averaging && curves > 0 && done === 0;
    $('invite').hidden = !inviting;
    play.classList.toggle('inviting', inviting);
    document.body.dataset.playing = String(player.playing);
    this.renderLesson();
  }

  private renderLesson(): void {
    const state = this.current;
    const preset = presetById(state.lesson);
    const back = () => this.backToLesson();
    if (isHidden(state, 'lesson')) {
      showLesson(undefined, back);
    } else if (preset) {
      showLesson({ text: preset.lesson, name: preset.name, changed: changedFromLesson(state, preset.state) }, back);
    } else if (this.sampled && changedFromLesson(state, this.sampled.state).length === 0) {
      showLesson({ text: this.sampled.note, name: '', changed: [] }, back);
    } else {
      showLesson(undefined, back);
    }
  }

  // --- playing ---------------------------------------------------------------------------

  play(): void {
    this.parts.player.play(() => this.commit(rewound(this.current), 'experiment'));
    this.updateStatus();
  }

  pause(): void {
    this.parts.player.pause();
    this.updateStatus();
  }

  step(): void {
    this.parts.player.step();
    this.updateStatus();
  }

  reset(): void {
    this.parts.player.pause();
    this.commit(rewound(this.current), 'experiment');
  }

  // --- changes from the person -----------------------------------------------------------

  /** A new state: view changes redraw, experiment changes re-simulate to the same step. */
  commit(next: PageState, what: Change): void {
    const { chart, controls, player, sweepView } = this.parts;
    this.current = next;
    controls.setValues(next, currentAgent(next));
    this.syncViewControls();
    if (what === 'experiment' || (what === 'view' && next.average > 0)) {
      void player.rebuild();
    } else if (what === 'view') {
      player.redraw();
    } else if (what === 'pruners') {
      this.judgeRuns(true);
      chart.update();
    } else {
      this.applyVisibility();
      chart.update();
    }
    sweepView.show(this.current);
    this.updateStatus();
    this.writeUrl(true);
  }

  /** The state with `patch` applied, redrawn as `what` says. */
  change(patch: Partial<PageState>, what: Change): void {
    this.commit({ ...this.current, ...patch }, what);
  }

  private setAgent(agent: AgentSettings): string | undefined {
    const { chart, controls, player } = this.parts;
    const live = player.live;
    const next = withAgent(this.current, agent, player.stepsDone, live);
    if (live) {
      const error = player.applyNow(currentAgent(next));
      if (error) return error.message;
      this.current = next;
      chart.setChanges(next.changes);
      chart.update();
      controls.setValues(next, currentAgent(next));
      this.updateStatus();
      this.writeUrl(true);
      return undefined;
    }
    this.commit(next, 'experiment');
    return undefined;
  }

  /**
   * The agent's kind or baseline changed in the form. A change the core refused mid-run (a step size the new kind
   * does not allow) is said, and the controls put back.
   */
  changeAgent(patch: Partial<AgentSettings>): void {
    const message = this.setAgent({ ...currentAgent(this.current), ...patch });
    if (!message) return;
    showProblem(`Not changed: ${message}`);
    this.parts.controls.setValues(this.current, currentAgent(this.current));
  }

  /** A committed setting: the page's limits first (one limit per field), then the core's. */
  propose(name: FieldName, value: number | string | null): string | undefined {
    const core = this.core;
    if (name === 'epsilon' || name === 'step_size' || name === 'initial_value' || name === 'ucb_c') {
      const next = { ...currentAgent(this.current), [name]: value } as AgentSettings;
      const error = core.parseExperiment(agentJson(next)).error;
      return error ? error.message : this.setAgent(next);
    }
    let error: string | undefined;
    if (name === 'runs') {
      error =
        typeof value === 'number' && Number.isInteger(value)
          ? core.outOfRange('runs', 1, MAX_RUNS, value)?.message
          : `runs must be an integer, got ${JSON.stringify(value)}`;
    } else {
      error =
        (name === 'steps' && typeof value === 'number'
          ? core.outOfRange('steps', 1, MAX_STEPS, value)?.message
          : undefined) ?? core.parseExperiment({ [name]: value }).error?.message;
    }
    if (error) return error;
    this.commit(withSetting(this.current, name, value as number), 'experiment');
    return undefined;
  }

  applyPreset(id: string): void {
    const preset = presetById(id);
    if (!preset) return;
    this.sampled = undefined;
    this.commit(withLesson(this.current, preset.id, preset.state), 'experiment');
  }

  private backToLesson(): void {
    this.applyPreset(this.current.lesson);
  }

  /**
   * A new experiment from the core's generator (its default mix of agents and drift), rounded to what the controls
   * show.
   */
  randomExperiment(): void {
    const core = this.core;
    const seed = Math.floor(Math.random() * 2 ** 31);
    const drawn = core.sampleFromRanges({}, seed, 0);
    if (!drawn.ok) return;
    const lesson = sampledLesson(drawn.ok, MAX_STEPS);
    const r = core.defaultRanges();
    const pct = (x: number) => `${Math.round(x * 100)}%`;
    this.sampled = {
      state: lesson,
      note:
        "Sampled by the core's generator (the same one that makes datasets and quizzes) from " +
        `arms ${r.arms.join('–')}, ` +
        `arm mean ${r.arm_mean.join('–')}, arm spread ${r.arm_spread.join('–')}, noise ${r.noise.join('–')}, ` +
        `epsilon ${r.epsilon.join('–')}; ${pct(r.random_share)} random agents, ${pct(r.ucb_share)} UCB, ` +
        `${pct(r.gradient_share)} gradient bandits, ` +
        `${pct(r.walk_share)} drifting bandits. Does this one learn?`,
    };
    this.commit(withLesson(this.current, '', lesson), 'experiment');
  }

  // --- view ------------------------------------------------------------------------------

  private syncViewControls(): void {
    const state = this.current;
    viewControls(state, this.core.defaultSmoothingWindow(state.steps), speedIndex(state.speed, SPEEDS));
    applyTheme(state.theme, false);
    this.parts.panel.setState(state);
  }

  /** The speed slider at position `index` of SPEEDS. */
  setSpeed(index: number): void {
    this.current = { ...this.current, speed: SPEEDS[index] ?? 100 };
    this.syncViewControls();
    this.writeUrl(true);
  }

  setTheme(theme: PageState['theme']): void {
    this.current = { ...this.current, theme };
    applyTheme(theme);
    this.syncViewControls();
    this.parts.chart.applyTheme();
    this.parts.sweepView.applyTheme();
    this.writeUrl(true);
  }

  savePng(): void {
    const state = this.current;
    const title = `curvelab · ${presetById(state.lesson)?.name ?? 'playground'}`;
    downloadUrl(
      'curvelab-chart.png',
      this.parts.chart.toPng(title, settingsCaption(state, this.parts.player.stepsDone)),
    );
  }

  /** The keyboard cursor moved by `key` (arrows, pages, Home, End); false when the key does not move it. */
  cursorKey(key: string, shift: boolean): boolean {
    const { chart, player } = this.parts;
    const to = chart.cursorTarget(key, shift, player.stepsDone);
    if (to === undefined) return false;
    chart.moveCursor(to);
    return true;
  }

  /** The state of the URL (a hash the page did not write): shown and rebuilt, played if the link says so. */
  load(): void {
    const { chart, controls, player, sweepView } = this.parts;
    const parsed = loadedState(location.hash, storedTheme());
    this.current = parsed.state;
    $('url-problems').textContent = parsed.problems.map((p) => p.message).join('; ');
    $('url-problems').hidden = parsed.problems.length === 0;
    controls.setValues(this.current, currentAgent(this.current));
    this.syncViewControls();
    applyClassroom(this.current, controls);
    chart.applyTheme();
    sweepView.show(this.current);
    sweepView.applyTheme();
    void player.rebuild().then(() => {
      if (performance.getEntriesByName('curvelab:first-curve').length === 0) {
        performance.mark('curvelab:first-curve');
      }
      if (this.current.play) this.play();
    });
  }
}
