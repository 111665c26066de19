/**
 * The parameter study (Sutton and Barto's Figure 2.6) on the page. The core's SweepRunner
 * computes it a slice of runs at a time between frames, with a progress bar; the chart
 * shows the average reward over the first 1,000 steps against each method's parameter on
 * a log2 axis, one line per method. The study is then cut by each chosen pruner (the
 * core's `prune_sweep`): the agent-steps it saves and whether each method's best parameter
 * is still found. Every number and verdict is the core's; this module feeds and draws.
 */
import type { ChartDataset } from 'chart.js';
import { Chart } from './chart-base.js';
import type { Core, CoreError, SweepMethodName, SweepResultJson, SweepStudyJson, WasmSweep } from './core.js';
import { prunerJson, prunerLabel } from './pruners.js';
import type { PageState, PrunerChoice } from './state.js';
import { themeColor } from './theme.js';

/** The figure's horizon. */
export const SWEEP_STEPS = 1000;
/** Work per task before yielding to the browser (input and drawing go between tasks). */
const SLICE_MS = 12;
/** Runs per call into the core: a multiple of the core's batch of 8. */
const RUNS_PER_CALL = 8;

/** How the page names each method and its parameter, and its colour. */
const METHOD_LOOK: Record<SweepMethodName, { label: string; parameter: string; color: string }> = {
  'epsilon-greedy': { label: 'ε-greedy', parameter: 'ε', color: '#e15759' },
  gradient: { label: 'gradient bandit', parameter: 'α', color: '#59a14f' },
  ucb: { label: 'UCB', parameter: 'c', color: '#4e79a7' },
  optimistic: { label: 'greedy, optimistic Q0, α 0.1', parameter: 'Q0', color: '#b07aa1' },
};
const METHODS = Object.keys(METHOD_LOOK) as SweepMethodName[];

/** 2^k as the figure labels it: 1/128 ... 1/2, 1, 2, 4. */
export function powerOfTwo(k: number): string {
  return k < 0 ? `1/${2 ** -k}` : String(2 ** k);
}

/** What one chosen pruner does to the study, or the core's refusal. */
export interface SweepVerdict {
  choice: PrunerChoice;
  result?: SweepStudyJson;
  error?: CoreError;
}

/** What the page shows, for the browser tests. */
export interface SweepSnapshot {
  shown: boolean;
  done: boolean;
  progress: number;
  runs: number;
  results: SweepResultJson[];
  /** the full sweep's best setting per method (the core's, through the nop pruner) */
  best: SweepStudyJson['methods'];
  pruned: {
    name: string;
    share_saved?: number;
    agent_steps_run?: number;
    agent_steps_total?: number;
    found: Record<string, boolean>;
    error?: string;
  }[];
  /** the lines drawn: per method, its points */
  lines: { method: string; points: { x: number; y: number }[] }[];
  seconds: number;
}

interface Elements {
  panel: HTMLElement;
  canvas: HTMLCanvasElement;
  progress: HTMLProgressElement;
  status: HTMLElement;
  best: HTMLElement;
  table: HTMLTableSectionElement;
  hint: HTMLElement;
}

export class SweepView {
  private sweep: WasmSweep | undefined;
  private key = '';
  private generation = 0;
  private results: SweepResultJson[] = [];
  private full: SweepStudyJson | undefined;
  private verdicts: SweepVerdict[] = [];
  private judgedFor = '';
  private pruners: readonly PrunerChoice[] = [];
  private started = 0;
  private seconds = NaN;
  private readonly chart: Chart<'line', { x: number; y: number }[]>;

  constructor(
    private readonly core: Core,
    private readonly el: Elements,
  ) {
    const datasets: ChartDataset<'line', { x: number; y: number }[]>[] = METHODS.map((m) => ({
      label: `${METHOD_LOOK[m].label} (${METHOD_LOOK[m].parameter})`,
      data: [],
      borderColor: METHOD_LOOK[m].color,
      backgroundColor: METHOD_LOOK[m].color,
      pointRadius: [],
      borderWidth: 2,
    }));
    this.chart = new Chart<'line', { x: number; y: number }[]>(el.canvas, {
      type: 'line',
      data: { datasets },
      options: {
        animation: false,
        parsing: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: {
            type: 'linear',
            min: -7,
            max: 2,
            ticks: { stepSize: 1, callback: (v) => powerOfTwo(Number(v)) },
            title: { display: true, text: 'ε  α  c  Q0 (log2 axis)' },
          },
          y: {
            type: 'linear',
            title: { display: true, text: `Average reward over the first ${SWEEP_STEPS.toLocaleString('en')} steps` },
          },
        },
        plugins: {
          legend: { position: 'bottom' },
          tooltip: {
            callbacks: {
              label: (item) => {
                const method = METHODS[item.datasetIndex] as SweepMethodName;
                const p = item.raw as { x: number; y: number };
                return (
                  `${METHOD_LOOK[method].label}: ${METHOD_LOOK[method].parameter} = ` +
                  `${powerOfTwo(p.x)}, ${p.y.toFixed(3)}`
                );
              },
            },
          },
        },
      },
    });
  }

  /** Shows the study of `state` (computing it if its runs or seed changed), or hides it. */
  show(state: PageState): void {
    this.el.panel.hidden = state.sweep <= 0;
    this.pruners = state.pruners;
    if (state.sweep <= 0) {
      this.stop();
      return;
    }
    const key = `${state.sweep}:${state.seed}`;
    if (key !== this.key) {
      this.start(state, key);
      return;
    }
    if (this.sweep?.done()) this.judge(this.pruners);
  }

  private stop(): void {
    this.generation++;
    this.sweep?.delete();
    this.sweep = undefined;
    this.key = '';
    this.results = [];
    this.full = undefined;
    this.verdicts = [];
    this.judgedFor = '';
  }

  private start(state: PageState, key: string): void {
    this.stop();
    const created = this.core.createSweep({ runs: state.sweep, steps: SWEEP_STEPS, seed: state.seed });
    if ('message' in created) {
      this.el.status.textContent = `Not computed: ${created.message}`;
      return;
    }
    this.sweep = created;
    this.key = key;
    this.started = performance.now();
    this.seconds = NaN;
    const generation = this.generation;
    this.draw();
    // Slices run back to back as tasks (a message to ourselves, not a timer, which the
    // browser would delay), so the study uses the time between frames; it is drawn at most
    // once per frame.
    const channel = new MessageChannel();
    let drawing = false;
    const redraw = () => {
      drawing = false;
      if (generation !== this.generation || !this.sweep) return;
      this.results = JSON.parse(this.sweep.results()) as SweepResultJson[];
      this.draw();
    };
    const slice = () => {
      if (generation !== this.generation || !this.sweep) {
        channel.port1.close();
        return;
      }
      const t0 = performance.now();
      while (!this.sweep.done() && performance.now() - t0 < SLICE_MS) this.sweep.advance(RUNS_PER_CALL);
      if (this.sweep.done()) {
        channel.port1.close();
        this.seconds = (performance.now() - this.started) / 1000;
        this.results = JSON.parse(this.sweep.results()) as SweepResultJson[];
        this.judge(this.pruners);
        this.draw();
        return;
      }
      if (!drawing) {
        drawing = true;
        requestAnimationFrame(redraw);
      }
      channel.port2.postMessage(null);
    };
    channel.port1.onmessage = slice;
    channel.port2.postMessage(null);
  }

  /** Each chosen pruner's cut of the finished study, and the full study's bests (the nop pruner), by the core. */
  private judge(choices: readonly PrunerChoice[]): void {
    const sweep = this.sweep;
    if (!sweep?.done()) return;
    const key = JSON.stringify(choices);
    if (key === this.judgedFor && this.full) return;
    this.judgedFor = key;
    this.full ??= this.core.pruneSweep(sweep, { name: 'nop' }).ok;
    this.verdicts = choices.map((choice) => {
      const outcome = this.core.pruneSweep(sweep, prunerJson(this.core, choice));
      return outcome.error ? { choice, error: outcome.error } : { choice, result: outcome.ok };
    });
    this.draw();
  }

  private draw(): void {
    const best = new Set((this.full?.methods ?? []).map((m) => `${m.method}:${m.best.log2}`));
    METHODS.forEach((method, i) => {
      const points = this.results.filter((r) => r.method === method);
      const d = this.chart.data.datasets[i] as ChartDataset<'line', { x: number; y: number }[]>;
      d.data = points.map((r) => ({ x: r.log2, y: r.average_reward }));
      d.pointRadius = points.map((r) => (best.has(`${method}:${r.log2}`) ? 6 : 3));
    });
    this.chart.update('none');
    const done = this.sweep?.done() ?? false;
    const progress = this.sweep?.progress() ?? 0;
    this.el.progress.hidden = done || !this.sweep;
    this.el.progress.value = progress;
    if (this.sweep) {
      this.el.status.textContent = done
        ? `${this.results.length} settings × ${this.runs.toLocaleString('en')} runs × ` +
          `${SWEEP_STEPS.toLocaleString('en')} steps, computed in ${this.seconds.toFixed(1)} s`
        : `computing: ${this.results.length} of 25 settings (${Math.round(progress * 100)}%)`;
    }
    const bestOf = (m: SweepStudyJson['methods'][number]): string =>
      `${METHOD_LOOK[m.method].label} ${METHOD_LOOK[m.method].parameter} = ${powerOfTwo(m.best.log2)} ` +
      `(${m.best.average_reward.toFixed(3)})`;
    this.el.best.textContent = this.full ? `Best of each method: ${this.full.methods.map(bestOf).join('; ')}.` : '';
    this.el.hint.hidden = !done || this.verdicts.length > 0;
    this.el.table.replaceChildren(...this.verdicts.map((v) => this.row(v)));
  }

  private get runs(): number {
    return Number(this.key.split(':')[0] ?? 0);
  }

  private row(v: SweepVerdict): HTMLTableRowElement {
    const tr = document.createElement('tr');
    const cell = (text: string, tag: 'td' | 'th' = 'td') => {
      const c = document.createElement(tag);
      c.textContent = text;
      if (tag === 'th') c.scope = 'row';
      tr.append(c);
      return c;
    };
    cell(prunerLabel(v.choice.name), 'th');
    if (!v.result) {
      const c = cell(v.error?.message ?? 'refused');
      c.colSpan = 1 + METHODS.length;
      return tr;
    }
    const r = v.result;
    cell(
      `${(r.share_saved * 100).toFixed(1)}% (${r.agent_steps_run.toLocaleString('en')} of ` +
        `${r.agent_steps_total.toLocaleString('en')} agent-steps run)`,
    );
    for (const method of METHODS) {
      const m = r.methods.find((x) => x.method === method);
      const look = METHOD_LOOK[method];
      cell(
        !m
          ? '–'
          : m.found_best
            ? `✓ ${look.parameter} = ${powerOfTwo(m.best.log2)}`
            : `✗ ${m.best_kept ? `${look.parameter} = ${powerOfTwo(m.best_kept.log2)}` : 'none finished'}, ` +
              `not ${powerOfTwo(m.best.log2)}`,
      );
    }
    return tr;
  }

  snapshot(): SweepSnapshot {
    return {
      shown: !this.el.panel.hidden,
      done: this.sweep?.done() ?? false,
      progress: this.sweep?.progress() ?? 0,
      runs: this.runs,
      results: this.results,
      best: this.full?.methods ?? [],
      pruned: this.verdicts.map((v) => ({
        name: v.choice.name,
        share_saved: v.result?.share_saved,
        agent_steps_run: v.result?.agent_steps_run,
        agent_steps_total: v.result?.agent_steps_total,
        found: Object.fromEntries((v.result?.methods ?? []).map((m) => [m.method, m.found_best])),
        error: v.error?.message,
      })),
      lines: METHODS.map((method, i) => ({
        method,
        points: [...((this.chart.data.datasets[i]?.data ?? []) as { x: number; y: number }[])],
      })),
      seconds: this.seconds,
    };
  }

  applyTheme(): void {
    const fg = themeColor('--fg', '');
    if (fg) {
      for (const axis of ['x', 'y'] as const) {
        const scale = this.chart.options.scales?.[axis];
        if (scale?.ticks) scale.ticks.color = fg;
        if (scale && 'title' in scale && scale.title) scale.title.color = fg;
      }
      this.chart.update('none');
    }
  }
}
