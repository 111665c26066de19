/**
 * Wiring only: the state (state.ts), the core (core.ts), the runs (simulation.ts), the
 * chart (chart.ts), the form (controls.ts) and the pruners (pruners.ts, pruner-panel.ts). Long work runs in time slices of a few
 * milliseconds between frames, with a progress bar, so the page never freezes.
 */
import './style.css';
import { RewardChart, type PrunerMarks, type StopMark } from './chart.js';
import { Controls, type FieldName } from './controls.js';
import { loadCore, type Core } from './core.js';
import { downloadText, downloadUrl } from './download.js';
import { PRESETS } from './presets.js';
import { PrunerPanel } from './pruner-panel.js';
import { exportStudies, judge, prunerLabel, PRUNER_LOOK, type PrunerVerdicts, type StudyTrials } from './pruners.js';
import { checkState, Simulation } from './simulation.js';
import { applyClassroom, showReadout, syncViewControls as viewControls } from './view.js';
import {
  currentAgent,
  parseState,
  rewound,
  serializeState,
  withAgent,
  type AgentKind,
  type PageState,
  type PrunerChoice,
  type Smoothing,
} from './state.js';
import type { PrunerName } from './core.js';

/** The page's own limits (the core allows more; they keep a phone responsive). */
const MAX_RUNS = 20;
const MAX_STEPS = 100_000;
/** Points per curve on the chart (fewer when there are many curves): longer runs are drawn every `stride` steps. */
const MAX_POINTS = 1500;
const MAX_TOTAL_POINTS = 5000;
const SPEEDS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000];
/** Work per slice before yielding to the browser. */
const SLICE_MS = 10;

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

let core: Core;
let state: PageState;
let sim: Simulation | undefined;
let chart: RewardChart;
let controls: Controls;
let playing = false;
let generation = 0;
let busy = false;
let emitted = 0;
let stride = 1;
let ranks: number[] = [];
let lastHash = '';
let lastUrlWrite = 0;
let frames = 0;
let lastDrawAt = 0;
let lastDrawCost = 0;
let panel: PrunerPanel;
/** The study on screen (per run: values drawn, ground-truth final) and each chosen pruner's verdicts on it. */
let studyTrials: StudyTrials = [];
let verdicts: PrunerVerdicts[] = [];
let lastJudgedAt = -Infinity;
let judgeCost = 0;
/** [simulate + read, chart] milliseconds of the last frames while playing (for the benchmark). */
const workTimes: [number, number][] = [];

function smoothingParam(s: PageState): number {
  return s.smoothing === 'moving-average' ? s.window : s.weight;
}

function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

// --- URL ---------------------------------------------------------------------------------

function writeUrl(force = false): void {
  const now = performance.now();
  if (!force && now - lastUrlWrite < 400) {
    return;
  }
  lastUrlWrite = now;
  const hash = serializeState({ ...state, play: false });
  if (hash !== lastHash) {
    lastHash = hash;
    history.replaceState(null, '', `#${hash}`);
  }
}

// --- drawing -----------------------------------------------------------------------------

function shown(i: number): boolean {
  if (state.hidden.includes(i)) {
    return false;
  }
  return state.top <= 0 || (ranks[i] ?? 0) < state.top;
}

function refreshRanks(): void {
  if (!sim || state.top <= 0 || sim.stepsDone === 0) {
    ranks = [];
    return;
  }
  const finals = sim.finalPerformances();
  const order = finals.map((_, i) => i).sort((a, b) => (finals[b] ?? 0) - (finals[a] ?? 0) || a - b);
  ranks = [];
  order.forEach((curve, rank) => (ranks[curve] = rank));
}

function applyVisibility(): void {
  refreshRanks();
  chart.setVisibility({ raw: state.raw, truth: state.truth, baseline: state.baseline, smoothed: state.smoothing !== 'none', shown });
}

function pushSeries(): void {
  if (!sim) return;
  for (let i = 0; i < sim.curves.length; i++) {
    chart.append(i, sim.series(i, emitted, stride, state.smoothing, smoothingParam(state)));
  }
  emitted = sim.stepsDone;
}

/** Draws the current runs again from step 1 (view settings changed; no re-simulation). */
function redraw(): void {
  if (!sim) return;
  chart.reset(sim.curves, sim.horizon, state.changes);
  emitted = 0;
  pushSeries();
  applyVisibility();
  judgeRuns(true);
  chart.update();
  updateStatus();
}

// --- pruners ----------------------------------------------------------------------------------

/** The chosen pruners' stops on the chart: markers (of the pruner in view, or all) and dimmed tails. */
function drawStops(): void {
  const marks: PrunerMarks[] = [];
  const cuts: (number | undefined)[] = [];
  const curves = sim?.curves ?? [];
  for (const v of verdicts) {
    if (!v.result || (state.pview !== 'all' && state.pview !== v.choice.name)) continue;
    const label = prunerLabel(v.choice.name);
    const points: StopMark[] = [];
    v.result.pruned_at.forEach((at, i) => {
      if (at === null) return;
      const x = at + 1;
      cuts[i] = Math.min(cuts[i] ?? Infinity, x);
      points.push({
        x,
        y: studyTrials[i]?.values[at] ?? NaN,
        curve: i,
        title: `${curves[i]?.label ?? `run ${i + 1}`} · ${label} stops it at step ${at} (chart step ${x})`,
        text: v.result?.reasons[i]?.text ?? '',
      });
    });
    marks.push({ label, style: PRUNER_LOOK[v.choice.name as PrunerName]?.style ?? 'circle', marks: points });
  }
  chart.setPrunes(marks, cuts);
}

/**
 * Asks the core again what each chosen pruner does with the runs as they are now. While
 * playing (`force` false) at most about 4 times a second, less when a study is costly.
 */
function judgeRuns(force: boolean): void {
  if (!sim || busy || state.pruners.length === 0) {
    if (verdicts.length > 0 || studyTrials.length > 0) {
      verdicts = [];
      studyTrials = [];
      chart.setPrunes([], []);
      panel.show([], [], []);
    }
    return;
  }
  const t0 = performance.now();
  if (!force && t0 - lastJudgedAt < Math.max(250, 4 * judgeCost)) return;
  studyTrials = sim.studyTrials(state.smoothing, smoothingParam(state));
  verdicts = judge(core, state.pruners, studyTrials);
  drawStops();
  panel.show(verdicts, sim.curves, studyTrials);
  lastJudgedAt = performance.now();
  judgeCost = lastJudgedAt - t0;
}

/** The study on screen as the study JSON of DESIGN.md: the pruner in view, or all chosen (a batch). */
function currentStudy(): Record<string, unknown> | undefined {
  judgeRuns(true);
  const shownVerdicts = verdicts.filter((v) => state.pview === 'all' || v.choice.name === state.pview);
  if (shownVerdicts.length === 0 || studyTrials.length === 0) return undefined;
  return exportStudies(
    shownVerdicts.map((v) => v.pruner),
    studyTrials,
  );
}

function exportStudy(): void {
  const study = currentStudy();
  if (!study) return;
  downloadText('curvelab-study.json', `${JSON.stringify(study)}\n`, 'application/json');
}

function updateStatus(): void {
  const done = sim?.stepsDone ?? 0;
  $('status').textContent = sim ? `step ${done.toLocaleString('en')} of ${state.steps.toLocaleString('en')} · ${state.runs} run${state.runs > 1 ? 's' : ''}` : 'no curves';
  $<HTMLButtonElement>('play').disabled = playing || busy;
  $<HTMLButtonElement>('pause').disabled = !playing;
  $<HTMLButtonElement>('step').disabled = busy || done >= state.steps;
  document.body.dataset.playing = String(playing);
}

function setProgress(fraction: number | undefined): void {
  const bar = $<HTMLProgressElement>('progress');
  bar.hidden = fraction === undefined;
  if (fraction !== undefined) bar.value = fraction;
}

function showProblem(message: string | undefined): void {
  const box = $('problem');
  box.textContent = message ?? '';
  box.hidden = !message;
}

// --- simulation ----------------------------------------------------------------------------

/** New runs for the state, stepped to `state.at` in slices (a newer rebuild cancels this one). */
async function rebuild(): Promise<void> {
  const gen = ++generation;
  sim?.dispose();
  sim = undefined;
  const error = checkState(core, state, MAX_RUNS, MAX_STEPS);
  if (error) {
    showProblem(`Not drawn: ${error.message}`);
    chart.reset([], state.steps, []);
    judgeRuns(true);
    chart.update();
    busy = false;
    updateStatus();
    return;
  }
  showProblem(undefined);
  const s = new Simulation(core, state);
  sim = s;
  const perCurve = Math.max(250, Math.min(MAX_POINTS, Math.floor(MAX_TOTAL_POINTS / state.runs)));
  stride = Math.max(1, Math.ceil(state.steps / perCurve));
  chart.reset(s.curves, s.horizon, state.changes);
  emitted = 0;
  const target = Math.min(state.at, state.steps);
  busy = true;
  updateStatus();
  const chunk = Math.max(1, Math.floor(50_000 / state.runs));
  while (s.stepsDone < target) {
    const t0 = performance.now();
    while (s.stepsDone < target && performance.now() - t0 < SLICE_MS) {
      s.advance(Math.min(chunk, target - s.stepsDone));
    }
    if (s.stepsDone < target) {
      setProgress(s.stepsDone / target);
      await nextFrame();
      if (gen !== generation) return;
    }
  }
  setProgress(undefined);
  busy = false;
  state = { ...state, at: s.stepsDone };
  pushSeries();
  applyVisibility();
  judgeRuns(true);
  chart.update();
  updateStatus();
  writeUrl(true);
}

function frame(): void {
  requestAnimationFrame(frame);
  if (!playing || busy || !sim) return;
  const t0 = performance.now();
  sim.advance(Math.min(Math.max(1, state.speed), SPEEDS[SPEEDS.length - 1] as number));
  state = { ...state, at: sim.stepsDone };
  pushSeries();
  const t1 = performance.now();
  const finished = sim.stepsDone >= sim.horizon;
  // Redraw at most as often as keeps drawing under half of the main thread: a slow device
  // shows the curves growing at a lower frame rate instead of freezing.
  if (finished || t1 - lastDrawAt >= 2 * lastDrawCost) {
    if (state.top > 0 && ++frames % 20 === 0) applyVisibility();
    judgeRuns(finished);
    chart.update();
    lastDrawAt = performance.now();
    lastDrawCost = lastDrawAt - t1;
    workTimes.push([t1 - t0, lastDrawCost]);
    if (workTimes.length > 600) workTimes.shift();
  }
  if (finished) {
    pause();
  }
  updateStatus();
  writeUrl();
}

function speedIndex(): number {
  const i = SPEEDS.indexOf(state.speed);
  return i >= 0 ? i : SPEEDS.findIndex((s) => s >= state.speed);
}

function play(): void {
  if (playing) return;
  playing = true;
  if (state.at >= state.steps) {
    state = rewound(state);
    void rebuild();
  }
  updateStatus();
}

function pause(): void {
  playing = false;
  applyVisibility();
  judgeRuns(true);
  chart.update();
  updateStatus();
  writeUrl(true);
}

// --- changes from the person -------------------------------------------------------------------

/** A new state: view changes redraw, experiment changes re-simulate to the same step. */
function commit(next: PageState, what: 'view' | 'experiment' | 'layout' | 'pruners'): void {
  state = next;
  controls.setValues(state, currentAgent(state));
  syncViewControls();
  if (what === 'experiment') {
    void rebuild();
  } else if (what === 'view') {
    redraw();
  } else if (what === 'pruners') {
    judgeRuns(true);
    chart.update();
  } else {
    applyVisibility();
    chart.update();
  }
  writeUrl(true);
}

function setAgent(agent: AgentKind, epsilon: number): void {
  const live = playing && sim !== undefined && sim.stepsDone > 0 && sim.stepsDone < sim.horizon && !busy;
  const next = withAgent(state, agent, epsilon, sim?.stepsDone ?? state.at, live);
  if (live && sim) {
    const error = sim.applyNow(currentAgent(next));
    if (error) {
      controls.show('epsilon', error.message);
      return;
    }
    state = next;
    chart.setChanges(state.changes);
    chart.update();
    controls.setValues(state, currentAgent(state));
    writeUrl(true);
    return;
  }
  commit(next, 'experiment');
}

function propose(name: FieldName, value: number | string, apply = true): string | undefined {
  const current = currentAgent(state);
  if (name === 'epsilon') {
    const error = core.parseExperiment({ agent: current.agent, epsilon: value }).error;
    if (error) return error.message;
    if (apply) setAgent(current.agent, value as number);
    return undefined;
  }
  const next: PageState = { ...state, [name]: value } as PageState;
  // The core decides what an experiment may be; the page adds its own limits on runs and steps.
  let error: string | undefined;
  if (name === 'runs') {
    error =
      typeof value === 'number' && Number.isInteger(value)
        ? core.outOfRange('runs', 1, MAX_RUNS, value)?.message
        : `runs must be an integer, got ${JSON.stringify(value)}`;
  } else {
    error =
      core.parseExperiment({ [name]: value }).error?.message ??
      (name === 'steps' ? core.outOfRange('steps', 1, MAX_STEPS, value as number)?.message : undefined);
  }
  if (error || !apply) return error;
  if (name === 'steps') {
    next.at = state.at >= state.steps ? next.steps : Math.min(state.at, next.steps);
    next.changes = state.changes.filter((c) => c.step <= next.at);
  }
  if (name === 'runs' || name === 'seed') next.hidden = [];
  commit(next, 'experiment');
  return undefined;
}

function applyPreset(id: string): void {
  const preset = PRESETS.find((p) => p.id === id);
  if (!preset) return;
  const steps = preset.state.steps ?? state.steps;
  commit({ ...state, compare: [], changes: [], hidden: [], top: 0, ...preset.state, at: steps }, 'experiment');
  $('lesson').textContent = preset.lesson;
}

function randomExperiment(): void {
  const seed = Math.floor(Math.random() * 2 ** 31);
  const sampled = core.sampleExperiment(seed, 0);
  if (!sampled.ok) return;
  const c = sampled.ok;
  const r = core.defaultRanges();
  $('lesson').textContent =
    `Sampled by the core's generator (the same one that makes datasets and quizzes) from arms ${r.arms.join('–')}, ` +
    `arm mean ${r.arm_mean.join('–')}, arm spread ${r.arm_spread.join('–')}, noise ${r.noise.join('–')}, ` +
    `epsilon ${r.epsilon.join('–')}, ${r.random_share * 100}% random agents. Does this one learn?`;
  commit(
    {
      ...state,
      arms: c.arms,
      arm_mean: c.arm_mean,
      arm_spread: c.arm_spread,
      noise: c.noise,
      agent: c.agent,
      epsilon: c.epsilon,
      steps: Math.min(c.steps, MAX_STEPS),
      seed: c.seed,
      compare: [],
      changes: [],
      hidden: [],
      at: Math.min(c.steps, MAX_STEPS),
    },
    'experiment',
  );
}

// --- view ------------------------------------------------------------------------------------

function syncViewControls(): void {
  viewControls(state, core.defaultSmoothingWindow(state.steps), speedIndex());
  panel.setState(state);
}

function wire(): void {
  $('play').addEventListener('click', play);
  $('pause').addEventListener('click', pause);
  $('step').addEventListener('click', () => {
    playing = false;
    if (!sim || busy) return;
    sim.advance(Math.min(Math.max(1, state.speed), SPEEDS[SPEEDS.length - 1] as number));
    state = { ...state, at: sim.stepsDone };
    pushSeries();
    applyVisibility();
    judgeRuns(true);
    chart.update();
    updateStatus();
    writeUrl(true);
  });
  $('export-png').addEventListener('click', () => downloadUrl('curvelab-chart.png', chart.toPng()));
  $('reset').addEventListener('click', () => {
    playing = false;
    commit(rewound(state), 'experiment');
  });
  $('speed').addEventListener('input', () => {
    state = { ...state, speed: SPEEDS[Number($<HTMLInputElement>('speed').value)] ?? 10 };
    syncViewControls();
    writeUrl(true);
  });
  $('smoothing').addEventListener('change', () => commit({ ...state, smoothing: $<HTMLSelectElement>('smoothing').value as Smoothing }, 'view'));
  $('window').addEventListener('change', () => commit({ ...state, window: Number($<HTMLInputElement>('window').value) }, 'view'));
  $('weight').addEventListener('change', () => commit({ ...state, weight: Number($<HTMLInputElement>('weight').value) }, 'view'));
  $('show-raw').addEventListener('change', () => commit({ ...state, raw: $<HTMLInputElement>('show-raw').checked }, 'layout'));
  $('show-truth').addEventListener('change', () => commit({ ...state, truth: $<HTMLInputElement>('show-truth').checked }, 'layout'));
  $('show-baseline').addEventListener('change', () => commit({ ...state, baseline: $<HTMLInputElement>('show-baseline').checked }, 'layout'));
  $('top').addEventListener('change', () => commit({ ...state, top: Number($<HTMLSelectElement>('top').value), hidden: [] }, 'layout'));
  $('show-all').addEventListener('click', () => commit({ ...state, top: 0, hidden: [] }, 'layout'));
  $('theme').addEventListener('change', () => {
    state = { ...state, theme: $<HTMLSelectElement>('theme').value as PageState['theme'] };
    syncViewControls();
    chart.applyTheme();
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
  window.addEventListener('hashchange', () => {
    if (location.hash.slice(1) === lastHash) return;
    playing = false;
    load();
  });
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => chart.applyTheme());
}

function load(): void {
  const parsed = parseState(location.hash);
  state = parsed.state;
  $('url-problems').textContent = parsed.problems.map((p) => p.message).join('; ');
  $('url-problems').hidden = parsed.problems.length === 0;
  controls.setValues(state, currentAgent(state));
  syncViewControls();
  applyClassroom(state, controls);
  chart.applyTheme();
  void rebuild().then(() => {
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
    agent: (kind) => setAgent(kind, currentAgent(state).epsilon),
    live: () => playing,
  });
  panel = new PrunerPanel($('pruner-panel'), core, {
    change: (pruners: PrunerChoice[], pview: string) => commit({ ...state, pruners, pview }, 'pruners'),
    exportStudy,
  });
  chart = new RewardChart($<HTMLCanvasElement>('chart'), (r) => showReadout(r, state.truth), (curve) => {
    const hidden = state.hidden.includes(curve) ? state.hidden.filter((h) => h !== curve) : [...state.hidden, curve].sort((a, b) => a - b);
    commit({ ...state, hidden }, 'layout');
  });
  wire();
  load();
  showReadout(undefined, state.truth);
  requestAnimationFrame(frame);
  document.body.classList.remove('loading');
  // For the browser tests: read what the chart shows.
  (window as unknown as { curvelab: unknown }).curvelab = {
    stepsDone: () => sim?.stepsDone ?? 0,
    busy: () => busy,
    playing: () => playing,
    points: (i: number, kind?: 'main' | 'raw' | 'truth' | 'baseline') => chart.points(i, kind),
    curves: () => sim?.curves.length ?? 0,
    hash: () => serializeState(state),
    workTimes: () => workTimes.splice(0),
    /** per chosen pruner: its JSON, pruned_at, the summary, or the core's refusal */
    pruners: () =>
      verdicts.map((v) => ({
        name: v.choice.name,
        pruner: v.pruner,
        pruned_at: v.result?.pruned_at,
        summary: v.result?.summary,
        reasons: v.result?.reasons.map((r) => r?.text ?? null),
        error: v.error,
      })),
    /** the stop markers drawn now, per pruner */
    marks: () => chart.marks(),
    /** the study JSON the export button would save */
    study: () => currentStudy(),
  };
}

void main();
