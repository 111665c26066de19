/**
 * Wiring only: builds the parts (the core from core.ts, the player, the chart, the form,
 * the pruner panel, the parameter study and the pruners' verdicts), hands them to the live
 * page (playground.ts) and connects the page's events to it. The state and its transitions
 * are in state.ts, the view's DOM in view.ts, the lessons in presets.ts.
 */
import './style.css';
import { RewardChart } from './chart.js';
import { Controls } from './controls.js';
import { loadCore, type Core } from './core.js';
import { Judging } from './judging.js';
import { Player } from './player.js';
import { Playground, type PlaygroundParts } from './playground.js';
import { PRESETS } from './presets.js';
import { PrunerPanel } from './pruner-panel.js';
import { SweepView } from './sweep.js';
import { serializeState, withAverage, withTop, type PageState, type Smoothing } from './state.js';
import { showProblem, showReadout } from './view.js';
import { $ } from './dom.js';

/** The parts, built around the page that they report to. */
function build(core: Core): { page: Playground; parts: PlaygroundParts } {
  const parts: PlaygroundParts = {
    controls: new Controls($('settings'), {
      propose: (name, value) => page.propose(name, value),
      agent: (kind) => page.changeAgent({ agent: kind }),
      baseline: (on) => page.changeAgent({ gradient_baseline: on }),
    }),
    panel: new PrunerPanel($('pruner-panel'), core, {
      change: (pruners, pview) => page.change({ pruners, pview }, 'pruners'),
      exportStudy: () => page.exportStudy(),
    }),
    chart: new RewardChart($<HTMLCanvasElement>('chart'), (r) => showReadout(r, page.state.truth)),
    judging: new Judging(core),
    player: new Player(
      core,
      {
        begin: (curves, horizon, changes, problem) => page.begin(curves, horizon, changes, problem),
        append: (i, series) => page.append(i, series),
        show: (settled) => page.show(settled),
        progress: (fraction) => page.progress(fraction),
      },
      () => page.state,
      (at) => page.moved(at),
    ),
    sweepView: new SweepView(core, {
      panel: $('sweep-panel'),
      canvas: $<HTMLCanvasElement>('sweep-chart'),
      progress: $<HTMLProgressElement>('sweep-progress'),
      status: $('sweep-status'),
      best: $('sweep-best'),
      table: $<HTMLTableElement>('sweep-table').tBodies[0] as HTMLTableSectionElement,
      hint: $('sweep-hint'),
    }),
  };
  const page = new Playground(core, parts);
  return { page, parts };
}

/** The page's events, each handed to the page. */
function wire(page: Playground, { chart, player }: PlaygroundParts): void {
  $('play').addEventListener('click', () => page.play());
  $('pause').addEventListener('click', () => page.pause());
  $('step').addEventListener('click', () => page.step());
  $('export-png').addEventListener('click', () => page.savePng());
  $('reset').addEventListener('click', () => page.reset());
  $('speed').addEventListener('input', () => page.setSpeed(Number($<HTMLInputElement>('speed').value)));
  $('smoothing').addEventListener('change', () =>
    page.change({ smoothing: $<HTMLSelectElement>('smoothing').value as Smoothing }, 'view'),
  );
  // The smoothing sliders redraw as they move (no re-simulation; the average view waits for release).
  for (const [id, key] of [
    ['window', 'window'],
    ['weight', 'weight'],
  ] as const) {
    const slider = $<HTMLInputElement>(id);
    slider.addEventListener('input', () => {
      if (page.state.average === 0) page.change({ [key]: Number(slider.value) }, 'view');
    });
    slider.addEventListener('change', () => {
      if (page.state.average > 0) page.change({ [key]: Number(slider.value) }, 'view');
    });
  }
  $('show-raw').addEventListener('change', () =>
    page.change({ raw: $<HTMLInputElement>('show-raw').checked }, 'layout'),
  );
  $('show-truth').addEventListener('change', () =>
    page.change({ truth: $<HTMLInputElement>('show-truth').checked }, 'layout'),
  );
  $('show-baseline').addEventListener('change', () =>
    page.change({ baseline: $<HTMLInputElement>('show-baseline').checked }, 'layout'),
  );
  $('top').addEventListener('change', () =>
    page.commit(withTop(page.state, Number($<HTMLSelectElement>('top').value)), 'layout'),
  );
  $('average').addEventListener('change', () => {
    player.pause();
    page.commit(withAverage(page.state, Number($<HTMLSelectElement>('average').value)), 'experiment');
  });
  $('show-all').addEventListener('click', () => page.commit(withTop(page.state, 0), 'layout'));
  $('theme').addEventListener('change', () => page.setTheme($<HTMLSelectElement>('theme').value as PageState['theme']));
  const presets = $<HTMLSelectElement>('preset');
  for (const p of PRESETS) {
    const option = document.createElement('option');
    option.value = p.id;
    option.textContent = p.name;
    presets.append(option);
  }
  presets.addEventListener('change', () => {
    page.applyPreset(presets.value);
    presets.value = '';
  });
  $('random').addEventListener('click', () => page.randomExperiment());
  $('copy-link').addEventListener('click', () => {
    page.writeUrl(true);
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
    if (page.cursorKey(e.key, e.shiftKey)) e.preventDefault();
  });
  canvas.addEventListener('focus', () => chart.moveCursor(chart.cursorStep ?? player.stepsDone));
  canvas.addEventListener('blur', () => chart.moveCursor(undefined));
  window.addEventListener('hashchange', () => {
    if (location.hash.slice(1) === page.url.last) return;
    player.pause();
    page.load();
  });
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => chart.applyTheme());
}

async function main(): Promise<void> {
  const core = await loadCore().catch((e: unknown) => {
    showProblem(`The simulator could not load: ${String(e)}`);
  });
  if (!core) return;
  performance.mark('curvelab:core-loaded');
  const { page, parts } = build(core);
  const { chart, judging, player, sweepView } = parts;
  wire(page, parts);
  // On a phone the chart panel sticks to the top: a focused setting scrolls into view below it.
  new ResizeObserver(([entry]) => {
    document.documentElement.style.setProperty(
      '--chart-panel',
      `${Math.ceil(entry?.borderBoxSize[0]?.blockSize ?? 0)}px`,
    );
  }).observe(document.querySelector('.chart-panel') as HTMLElement);
  page.load();
  showReadout(undefined, page.state.truth);
  document.body.classList.remove('loading');
  // For the browser tests: read what the chart shows.
  Object.assign(window, {
    curvelab: {
      stepsDone: () => player.stepsDone,
      busy: () => player.busy,
      playing: () => player.playing,
      points: (i: number, kind?: 'main' | 'raw' | 'truth' | 'baseline' | 'upper' | 'lower') => chart.points(i, kind),
      curves: () => player.curves.length,
      hash: () => serializeState(page.state),
      yRange: () => chart.yAxis(),
      /** the colours the chart draws with, as the scheme in use resolves them */
      colors: () => chart.colors(),
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
      study: () => page.currentStudy(),
      /** the parameter study: progress, results, bests and each chosen pruner's cut, as the core gave them */
      sweep: () => sweepView.snapshot(),
    },
  });
}

void main();
