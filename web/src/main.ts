/**
 * Wiring only: the state and its transitions (state.ts), the core (core.ts), the player
 * (player.ts: runs, slices, frames), the chart (chart.ts), the form (controls.ts), the
 * view's DOM (view.ts), the lessons (presets.ts) and the pruners (pruners.ts,
 * pruner-panel.ts).
 */
import './style.css';
import type { BandSeries } from './averages.js';
import { RewardChart, type Continuation, type PrunerMarks, type StopMark } from './chart.js';
import { Controls, type FieldName } from './controls.js';
import { loadCore, type Core, type CoreError, type PrunerName } from './core.js';
import { downloadText, downloadUrl } from './download.js';
import { Player, MAX_RUNS, MAX_STEPS, SPEEDS } from './player.js';
import { presetById, PRESETS } from './presets.js';
import { PrunerPanel } from './pruner-panel.js';
import { Judging } from './judging.js';
import { exportStudies, prunerLabel, PRUNER_LOOK } from './pruners.js';
import type { CurveInfo, Series } from './simulation.js';
import { SweepView } from './sweep.js';
import {
  changedFromLesson,
  currentAgent,
  isHidden,
  parseState,
  rewound,
  sampledLesson,
  serializeState,
  speedIndex,
  toggledHidden,
  withAgent,
  withLesson,
  withSetting,
  type AgentChange,
  agentJson,
  type AgentSettings,
  type PageState,
  type PrunerChoice,
  type Smoothing,
} from './state.js';
import { applyTheme, storedTheme } from './theme.js';
import { UrlWriter } from './url.js';
import {
  applyClassroom,
  focusCounterpart,
  showLegend,
  showLesson,
  showReadout,
  settingsCaption,
  syncViewControls as viewControls,
} from './view.js';
import { $ } from './dom.js';

let core: Core;
let state: PageState;
let player: Player;
let chart: RewardChart;
let controls: Controls;
let panel: PrunerPanel;
let sweepView: SweepView;
const url = new UrlWriter();
let ranks: number[] = [];
let frames = 0;
/** The chosen pruners' verdicts on the runs on screen. */
let judging: Judging;
/** A sampled experiment's note, shown while the experiment is the one sampled. */
let sampled: { note: string; state: Partial<PageState> } | undefined;

// --- URL ---------------------------------------------------------------------------------

function writeUrl(force = false): void {
  url.write(state, force);
}

// --- drawing -----------------------------------------------------------------------------

function shown(i: number): boolean {
  if (state.hidden.includes(i)) return false;
  return state.top <= 0 || (ranks[i] ?? 0) < state.top;
}

function applyVisibility(): void {
  ranks = state.top > 0 ? (player.simulation?.ranks() ?? []) : [];
  chart.setVisibility({
    raw: state.raw && state.average === 0,
    truth: state.truth,
    baseline: state.baseline,
    smoothed: state.smoothing !== 'none',
    shown,
  });
  showLegend(player.curves, shown, (curve) => commit(toggledHidden(state, curve), 'layout'));
}

/** What the player draws on: the chart, the legend, the pruners and the status. */
const screen = {
  begin(curves: CurveInfo[], horizon: number, changes: AgentChange[], problem: CoreError | undefined): void {
    showProblem(problem ? `Not drawn: ${problem.message}` : undefined);
    chart.reset(curves, horizon, changes);
    updateStatus();
  },
  append(i: number, series: Series | BandSeries): void {
    chart.append(i, series);
  },
  show(settled: boolean): void {
    if (player.average) chart.fitY();
    if (settled || (state.top > 0 && ++frames % 20 === 0)) applyVisibility();
    judgeRuns(settled);
    chart.update();
    updateStatus();
    writeUrl(settled);
  },
  progress(fraction: number | undefined): void {
    const bar = $<HTMLProgressElement>('progress');
    bar.hidden = fraction === undefined;
    if (fraction !== undefined) bar.value = fraction;
  },
};

// --- pruners -----------------------------------------------------------------------------

/**
 * The chosen pruners' stops on the chart: markers (of the pruner in view, or all), dimmed tails, and the extrapolation
 * pruner's continuations.
 */
function drawStops(): void {
  const marks: PrunerMarks[] = [];
  const cuts: (number | undefined)[] = [];
  const continuations: Continuation[] = [];
  const curves = player.curves;
  for (const v of judging.verdicts) {
    if (!v.result || (state.pview !== 'all' && state.pview !== v.choice.name)) continue;
    continuations.push(...judging.continuationsOf(v, curves));
    const label = prunerLabel(v.choice.name);
    const points: StopMark[] = [];
    v.result.pruned_at.forEach((at, i) => {
      if (at === null) return;
      const x = at + 1;
      cuts[i] = Math.min(cuts[i] ?? Infinity, x);
      points.push({
        x,
        y: judging.trials[i]?.values[at] ?? NaN,
        curve: i,
        title: `${curves[i]?.label ?? `run ${i + 1}`} · ${label} stops it at step ${at} (chart step ${x})`,
        text: v.result?.reasons[i]?.text ?? '',
      });
    });
    marks.push({ label, style: PRUNER_LOOK[v.choice.name as PrunerName]?.style ?? 'circle', marks: points });
  }
  chart.setPrunes(marks, cuts, continuations);
}

/**
 * Asks the core again what each chosen pruner does with the runs as they are now. While
 * playing (`force` false) at most about 4 times a second, less when a study is costly.
 */
function judgeRuns(force: boolean): void {
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
    drawStops();
    panel.show(judging.verdicts, sim.curves, judging.trials);
  });
}

/** The study on screen as a study JSON: the pruner in view, or all chosen (a batch). */
function currentStudy(): Record<string, unknown> | undefined {
  judgeRuns(true);
  const shownVerdicts = judging.verdicts.filter((v) => state.pview === 'all' || v.choice.name === state.pview);
  if (shownVerdicts.length === 0 || judging.trials.length === 0) return undefined;
  const exported = exportStudies(
    core,
    shownVerdicts.map((v) => v.pruner),
    judging.trials,
  );
  return exported.ok;
}

function exportStudy(): void {
  const study = currentStudy();
  if (!study) return;
  downloadText('curvelab-study.json', `${JSON.stringify(study)}\n`, 'application/json');
}

// --- status --------------------------------------------------------------------------------

function updateStatus(): void {
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
        ? `average of ${state.average.toLocaleString('en')} runs per curve · ${state.steps.toLocaleString('en')} steps`
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
  renderLesson();
}

function renderLesson(): void {
  const preset = presetById(state.lesson);
  if (isHidden(state, 'lesson')) {
    showLesson(undefined, backToLesson);
  } else if (preset) {
    showLesson(
      { text: preset.lesson, name: preset.name, changed: changedFromLesson(state, preset.state) },
      backToLesson,
    );
  } else if (sampled && changedFromLesson(state, sampled.state).length === 0) {
    showLesson({ text: sampled.note, name: '', changed: [] }, backToLesson);
  } else {
    showLesson(undefined, backToLesson);
  }
}

function showProblem(message: string | undefined): void {
  const box = $('problem');
  box.textContent = message ?? '';
  box.hidden = !message;
}

// --- playing -------------------------------------------------------------------------------

function play(): void {
  player.play(() => commit(rewound(state), 'experiment'));
  updateStatus();
}

function pause(): void {
  player.pause();
  updateStatus();
}

// --- changes from the person -----------------------------------------------------------------

/** A new state: view changes redraw, experiment changes re-simulate to the same step. */
function commit(next: PageState, what: 'view' | 'experiment' | 'layout' | 'pruners'): void {
  state = next;
  controls.setValues(state, currentAgent(state));
  syncViewControls();
  if (what === 'experiment' || (what === 'view' && state.average > 0)) {
    void player.rebuild();
  } else if (what === 'view') {
    player.redraw();
  } else if (what === 'pruners') {
    judgeRuns(true);
    chart.update();
  } else {
    applyVisibility();
    chart.update();
  }
  sweepView.show(state);
  updateStatus();
  writeUrl(true);
}

function setAgent(agent: AgentSettings): string | undefined {
  const live = player.live;
  const next = withAgent(state, agent, player.stepsDone, live);
  if (live) {
    const error = player.applyNow(currentAgent(next));
    if (error) return error.message;
    state = next;
    chart.setChanges(state.changes);
    chart.update();
    controls.setValues(state, currentAgent(state));
    updateStatus();
    writeUrl(true);
    return undefined;
  }
  commit(next, 'experiment');
  return undefined;
}

/**
 * A change of agent the core refused mid-run (a step size the new kind does not allow): said, and the controls put
 * back.
 */
function agentRefused(message: string | undefined): void {
  if (!message) return;
  showProblem(`Not changed: ${message}`);
  controls.setValues(state, currentAgent(state));
}

/** A committed setting: the page's limits first (one limit per field), then the core's. */
function propose(name: FieldName, value: number | string | null): string | undefined {
  if (name === 'epsilon' || name === 'step_size' || name === 'initial_value' || name === 'ucb_c') {
    const next = { ...currentAgent(state), [name]: value } as AgentSettings;
    const error = core.parseExperiment(agentJson(next)).error;
    return error ? error.message : setAgent(next);
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
  commit(withSetting(state, name, value as number), 'experiment');
  return undefined;
}

function applyPreset(id: string): void {
  const preset = presetById(id);
  if (!preset) return;
  sampled = undefined;
  commit(withLesson(state, preset.id, preset.state), 'experiment');
}

function backToLesson(): void {
  applyPreset(state.lesson);
}

/**
 * A new experiment from the core's generator (its default mix of agents and drift), rounded to what the controls show.
 */
function randomExperiment(): void {
  const seed = Math.floor(Math.random() * 2 ** 31);
  const drawn = core.sampleFromRanges({}, seed, 0);
  if (!drawn.ok) return;
  const lesson = sampledLesson(drawn.ok, MAX_STEPS);
  const r = core.defaultRanges();
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  sampled = {
    state: lesson,
    note:
      "Sampled by the core's generator (the same one that makes datasets and quizzes) from " +
      `arms ${r.arms.join('–')}, ` +
      `arm mean ${r.arm_mean.join('–')}, arm spread ${r.arm_spread.join('–')}, noise ${r.noise.join('–')}, ` +
      `epsilon ${r.epsilon.join('–')}; ${pct(r.random_share)} random agents, ${pct(r.ucb_share)} UCB, ` +
      `${pct(r.gradient_share)} gradient bandits, ` +
      `${pct(r.walk_share)} drifting bandits. Does this one learn?`,
  };
  commit(withLesson(state, '', lesson), 'experiment');
}

// --- view ------------------------------------------------------------------------------------

function syncViewControls(): void {
  viewControls(state, core.defaultSmoothingWindow(state.steps), speedIndex(state.speed, SPEEDS));
  applyTheme(state.theme, false);
  panel.setState(state);
}

function savePng(): void {
  const title = `curvelab · ${presetById(state.lesson)?.name ?? 'playground'}`;
  downloadUrl('curvelab-chart.png', chart.toPng(title, settingsCaption(state, player.stepsDone)));
}

function wire(): void {
  $('play').addEventListener('click', play);
  $('pause').addEventListener('click', pause);
  $('step').addEventListener('click', () => {
    player.step();
    updateStatus();
  });
  $('export-png').addEventListener('click', savePng);
  $('reset').addEventListener('click', () => {
    player.pause();
    commit(rewound(state), 'experiment');
  });
  $('speed').addEventListener('input', () => {
    state = { ...state, speed: SPEEDS[Number($<HTMLInputElement>('speed').value)] ?? 100 };
    syncViewControls();
    writeUrl(true);
  });
  $('smoothing').addEventListener('change', () =>
    commit({ ...state, smoothing: $<HTMLSelectElement>('smoothing').value as Smoothing }, 'view'),
  );
  // The smoothing sliders redraw as they move (no re-simulation; the average view waits for release).
  for (const [id, key] of [
    ['window', 'window'],
    ['weight', 'weight'],
  ] as const) {
    const slider = $<HTMLInputElement>(id);
    slider.addEventListener('input', () => {
      if (state.average === 0) commit({ ...state, [key]: Number(slider.value) }, 'view');
    });
    slider.addEventListener('change', () => {
      if (state.average > 0) commit({ ...state, [key]: Number(slider.value) }, 'view');
    });
  }
  $('show-raw').addEventListener('change', () =>
    commit({ ...state, raw: $<HTMLInputElement>('show-raw').checked }, 'layout'),
  );
  $('show-truth').addEventListener('change', () =>
    commit({ ...state, truth: $<HTMLInputElement>('show-truth').checked }, 'layout'),
  );
  $('show-baseline').addEventListener('change', () =>
    commit({ ...state, baseline: $<HTMLInputElement>('show-baseline').checked }, 'layout'),
  );
  $('top').addEventListener('change', () =>
    commit({ ...state, top: Number($<HTMLSelectElement>('top').value), hidden: [] }, 'layout'),
  );
  $('average').addEventListener('change', () => {
    player.pause();
    const average = Number($<HTMLSelectElement>('average').value);
    commit({ ...state, average, at: average > 0 ? state.steps : state.at }, 'experiment');
  });
  $('show-all').addEventListener('click', () => commit({ ...state, top: 0, hidden: [] }, 'layout'));
  $('theme').addEventListener('change', () => {
    state = { ...state, theme: $<HTMLSelectElement>('theme').value as PageState['theme'] };
    applyTheme(state.theme);
    syncViewControls();
    chart.applyTheme();
    sweepView.applyTheme();
    writeUrl(true);
  });
  const presets = $<HTMLSelectElement>('preset');
  for (const p of PRESETS) {
    const option = document.createElement('option');
    option.value = p.id;
    option.textContent = p.name;
    presets.append(option);
  }
  presets.addEventListener('change', () => {
    applyPreset(presets.value);
    presets.value = '';
  });
  $('random').addEventListener('click', randomExperiment);
  $('copy-link').addEventListener('click', () => {
    writeUrl(true);
    const done = (text: string) => {
      $('copy-status').textContent = text;
      setTimeout(() => ($('copy-status').textContent = ''), 2500);
    };
    navigator.clipboard?.writeText(location.href).then(
      () => done('Link copied: it reproduces these curves.'),
      () => done('Copy the address bar: it reproduces these curves.'),
    ) ?? done('Copy the address bar: it reproduces these curves.');
  });
  // The hover read-out by keyboard: arrows move a cursor along the curves.
  const canvas = $<HTMLCanvasElement>('chart');
  canvas.addEventListener('keydown', (e) => {
    const stride = chart.strideSteps;
    const at = chart.cursorStep ?? player.stepsDone;
    const moves: Record<string, number> = {
      ArrowLeft: at - stride,
      ArrowRight: at + stride,
      PageDown: at - 10 * stride,
      PageUp: at + 10 * stride,
      Home: 1,
      End: player.stepsDone,
    };
    const to = moves[e.key];
    if (to === undefined) return;
    e.preventDefault();
    chart.moveCursor(e.shiftKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight') ? at + 10 * (to - at) : to);
  });
  canvas.addEventListener('focus', () => chart.moveCursor(chart.cursorStep ?? player.stepsDone));
  canvas.addEventListener('blur', () => chart.moveCursor(undefined));
  window.addEventListener('hashchange', () => {
    if (location.hash.slice(1) === url.last) return;
    player.pause();
    load();
  });
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => chart.applyTheme());
}

function load(): void {
  const parsed = parseState(location.hash);
  state = parsed.state;
  if (!/(^|[#&])theme=/.test(location.hash)) state.theme = storedTheme();
  $('url-problems').textContent = parsed.problems.map((p) => p.message).join('; ');
  $('url-problems').hidden = parsed.problems.length === 0;
  controls.setValues(state, currentAgent(state));
  syncViewControls();
  applyClassroom(state, controls);
  chart.applyTheme();
  sweepView.show(state);
  sweepView.applyTheme();
  void player.rebuild().then(() => {
    if (performance.getEntriesByName('curvelab:first-curve').length === 0) {
      performance.mark('curvelab:first-curve');
    }
    if (state.play) play();
  });
}

async function main(): Promise<void> {
  try {
    core = await loadCore();
    performance.mark('curvelab:core-loaded');
  } catch (e) {
    showProblem(`The simulator could not load: ${String(e)}`);
    return;
  }
  controls = new Controls($('settings'), {
    propose,
    agent: (kind) => agentRefused(setAgent({ ...currentAgent(state), agent: kind })),
    baseline: (on) => agentRefused(setAgent({ ...currentAgent(state), gradient_baseline: on })),
  });
  panel = new PrunerPanel($('pruner-panel'), core, {
    change: (pruners: PrunerChoice[], pview: string) => commit({ ...state, pruners, pview }, 'pruners'),
    exportStudy,
  });
  chart = new RewardChart($<HTMLCanvasElement>('chart'), (r) => showReadout(r, state.truth));
  judging = new Judging(core);
  player = new Player(
    core,
    screen,
    () => state,
    (at) => (state = { ...state, at }),
  );
  sweepView = new SweepView(core, {
    panel: $('sweep-panel'),
    canvas: $<HTMLCanvasElement>('sweep-chart'),
    progress: $<HTMLProgressElement>('sweep-progress'),
    status: $('sweep-status'),
    best: $('sweep-best'),
    table: $<HTMLTableElement>('sweep-table').tBodies[0] as HTMLTableSectionElement,
    hint: $('sweep-hint'),
  });
  wire();
  // On a phone the chart panel sticks to the top: a focused setting scrolls into view below it.
  new ResizeObserver(([entry]) => {
    document.documentElement.style.setProperty(
      '--chart-panel',
      `${Math.ceil(entry?.borderBoxSize[0]?.blockSize ?? 0)}px`,
    );
  }).observe(document.querySelector('.chart-panel') as HTMLElement);
  load();
  showReadout(undefined, state.truth);
  document.body.classList.remove('loading');
  // For the browser tests: read what the chart shows.
  Object.assign(window, {
    curvelab: {
      stepsDone: () => player.stepsDone,
      busy: () => player.busy,
      playing: () => player.playing,
      points: (i: number, kind?: 'main' | 'raw' | 'truth' | 'baseline' | 'upper' | 'lower') => chart.points(i, kind),
      curves: () => player.curves.length,
      hash: () => serializeState(state),
      yRange: () => chart.yAxis(),
      workTimes: () => player.workTimes.splice(0),
      /** per chosen pruner: its JSON, pruned_at, the summary, or the core's refusal */
      pruners: () =>
        judging.verdicts.map((v) => ({
          name: v.choice.name,
          pruner: v.pruner,
          pruned_at: v.result?.pruned_at,
          summary: v.result?.summary,
          reasons: v.result?.reasons.map((r) => r?.text ?? null),
          error: v.error,
        })),
      /** the stop markers drawn now, per pruner */
      marks: () => chart.marks(),
      /** the extrapolation pruner's continuations drawn now: line and band per stopped run */
      continuations: () => chart.drawnContinuations(),
      /** the study JSON the export button would save */
      study: () => currentStudy(),
      /** the parameter study: progress, results, bests and each chosen pruner's cut, as the core gave them */
      sweep: () => sweepView.snapshot(),
    },
  });
}

void main();
