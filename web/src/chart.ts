/**
 * The reward chart: created once, data appended in place and redrawn with
 * `update('none')` (no animation, no parsing: points arrive as {x, y}). Per curve four
 * datasets: the main (smoothed) line, the raw rewards faint behind it, the true value and
 * the random baseline; only the main line is in the legend. After them, one marker dataset
 * per chosen pruner (where it would have stopped each run, with the core's reason); the
 * main line of a stopped run is dimmed after its stop.
 */
import {
  Interaction,
  type ChartDataset,
  type InteractionItem,
  type InteractionModeFunction,
  type Plugin,
  type PointStyle,
  type ScriptableLineSegmentContext,
} from 'chart.js';
import { Chart } from './chart-base.js';
import type { BandSeries } from './averages.js';
import type { CurveInfo, Series } from './simulation.js';
import { describeAgent, type AgentChange } from './state.js';
import { runColor, themeColor, usedScheme, withAlpha } from './theme.js';

declare module 'chart.js' {
  interface InteractionModeMap {
    curve: InteractionModeFunction;
  }
}

/**
 * The point of the nearest smoothed or true-value curve at the hovered step (raw rewards and baselines are context, not
 * targets).
 */
const nearestCurve: InteractionModeFunction = (chart, event, _options, useFinalPosition) => {
  // A pruner's marker under the pointer wins: its tooltip gives the reason.
  const marks = Interaction.modes
    .point(chart, event, { intersect: true }, useFinalPosition)
    .filter((item) => (chart.data.datasets[item.datasetIndex] as { kind?: string }).kind === 'prune');
  if (marks.length > 0) {
    return marks;
  }
  const items = Interaction.modes.index(chart, event, { intersect: false, axis: 'x' }, useFinalPosition);
  let best: InteractionItem | undefined;
  let distance = Infinity;
  for (const item of items) {
    const kind = (chart.data.datasets[item.datasetIndex] as { kind?: string }).kind;
    if (kind !== 'main' && kind !== 'truth') continue;
    const d = Math.abs(item.element.y - (event.y ?? 0));
    if (d < distance) {
      distance = d;
      best = item;
    }
  }
  return best ? [best] : [];
};
Interaction.modes.curve = nearestCurve;

type Point = { x: number; y: number };
type LineSet = ChartDataset<'line', Point[]>;

const KIND = ['main', 'raw', 'truth', 'baseline', 'upper', 'lower'] as const;
type Kind = (typeof KIND)[number] | 'prune' | 'forecast' | 'forecast-upper' | 'forecast-lower';

/**
 * What the extrapolation pruner expected of a run it stopped, as the core computed it:
 * the predicted curve past the stop and its band, at chart steps.
 */
export interface Continuation {
  curve: number;
  /** e.g. "run 3 · expected by extrapolation (90% band)" */
  label: string;
  x: number[];
  mean: number[];
  lower: number[];
  upper: number[];
}

/** Where one pruner would have stopped one run: chart step `x`, the value drawn there, the reason. */
export interface StopMark extends Point {
  curve: number;
  /** tooltip title, e.g. "run 3 · median stops it after step 141" */
  title: string;
  /** the core's reason */
  text: string;
}

/** One pruner's stops, drawn with its own marker shape. */
export interface PrunerMarks {
  label: string;
  style: PointStyle;
  marks: StopMark[];
}

const LINE_ONLY: ReadonlySet<PointStyle> = new Set<PointStyle>(['star', 'cross', 'crossRot', 'line', 'dash']);

/** Splits a long reason into tooltip lines. */
function wrap(text: string, width = 64): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

export interface Visibility {
  raw: boolean;
  truth: boolean;
  baseline: boolean;
  smoothed: boolean;
  /** curves shown (by index) */
  shown: (i: number) => boolean;
}

export interface HoverReadout {
  step: number;
  values: { label: string; color: string; value: number; truth: number }[];
}

/**
 * The y axis of an experiment, fixed before the first step so it never jumps: from below
 * the lowest random baseline to above the highest best possible value (what the smoothed
 * curves and true values move between). Raw rewards beyond it are clipped.
 */
export function yRange(
  curves: readonly Pick<CurveInfo, 'baseline' | 'bestPossible'>[],
): { min: number; max: number } | undefined {
  const lows = curves.map((c) => c.baseline).filter(Number.isFinite);
  const highs = curves.map((c) => c.bestPossible).filter(Number.isFinite);
  if (lows.length === 0 || highs.length === 0) return undefined;
  const lo = Math.min(...lows);
  const hi = Math.max(...highs, lo);
  const span = Math.max(hi - lo, 0.5);
  // Round ends, so the axis is labelled at its ends with tick values.
  const tick = span > 8 ? 2 : span > 4 ? 1 : span > 1.5 ? 0.5 : 0.25;
  return { min: Math.floor((lo - 0.3 * span) / tick) * tick, max: Math.ceil((hi + 0.1 * span) / tick) * tick };
}

/** A vertical cursor at the step read out by keyboard. */
const cursorLine: Plugin<'line'> = {
  id: 'cursorLine',
  afterDatasetsDraw(chart) {
    const step = (chart.options.plugins as { cursorLine?: { step?: number } }).cursorLine?.step;
    const { ctx, chartArea, scales } = chart;
    if (step === undefined || !scales.x) return;
    const px = scales.x.getPixelForValue(step);
    ctx.save();
    ctx.strokeStyle = themeColor('--fg-muted', '#555');
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(px, chartArea.top);
    ctx.lineTo(px, chartArea.bottom);
    ctx.stroke();
    ctx.restore();
  },
};

/** Vertical dashed lines where the agent changed, labelled with the new setting. */
const changeMarkers: Plugin<'line'> = {
  id: 'changeMarkers',
  afterDatasetsDraw(chart) {
    const changes =
      (chart.options.plugins as { changeMarkers?: { changes: AgentChange[] } }).changeMarkers?.changes ?? [];
    const { ctx, chartArea, scales } = chart;
    const x = scales.x;
    if (!x || changes.length === 0) {
      return;
    }
    ctx.save();
    ctx.strokeStyle = themeColor('--marker', '#c0392b');
    ctx.fillStyle = ctx.strokeStyle;
    ctx.setLineDash([5, 4]);
    ctx.lineWidth = 1.5;
    ctx.font = '12px system-ui, sans-serif';
    for (const c of changes) {
      const px = x.getPixelForValue(c.step);
      if (px < chartArea.left || px > chartArea.right) {
        continue;
      }
      ctx.beginPath();
      ctx.moveTo(px, chartArea.top);
      ctx.lineTo(px, chartArea.bottom);
      ctx.stroke();
      const text = `→ ${describeAgent(c)}`;
      ctx.fillText(text, Math.min(px + 4, chartArea.right - ctx.measureText(text).width), chartArea.top + 12);
    }
    ctx.restore();
  },
};

/** The opacity of the raw lines behind the smoothed ones, a little lower on the dark background. */
const RAW_ALPHA = { light: 0.09, dark: 0.08 } as const;

export class RewardChart {
  private readonly chart: Chart<'line', Point[]>;
  private curves: CurveInfo[] = [];
  private horizon = 1;
  private rawAlpha = 0.18;
  /** datasets per curve: main, raw, truth, baseline, and the band's two edges for averages */
  private perCurve = KIND.length - 2;
  private readonly onHover: (readout: HoverReadout | undefined) => void;

  constructor(canvas: HTMLCanvasElement, onHover: (readout: HoverReadout | undefined) => void) {
    this.onHover = onHover;
    this.chart = new Chart<'line', Point[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      plugins: [changeMarkers, cursorLine],
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        spanGaps: true,
        interaction: { mode: 'curve', intersect: false },
        elements: { point: { radius: 0, hitRadius: 4, hoverRadius: 3 }, line: { borderWidth: 1.5, tension: 0 } },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'step' }, min: 1, ticks: { maxTicksLimit: 8 } },
          y: { type: 'linear', title: { display: true, text: 'reward' } },
        },
        plugins: {
          // The legend is the page's own list of buttons (keyboard and screen readers reach it).
          legend: {
            display: false,
            position: 'bottom',
            labels: {
              boxWidth: 14,
              boxHeight: 3,
              filter: (item, data) => (data.datasets[item.datasetIndex ?? 0] as { kind?: Kind }).kind === 'main',
            },
          },
          tooltip: {
            filter: (item) =>
              !['baseline', 'upper', 'lower', 'forecast-upper', 'forecast-lower'].includes(
                (item.dataset as { kind?: Kind }).kind ?? '',
              ),
            callbacks: {
              title: (items) => {
                const first = items[0];
                if (!first) return '';
                if ((first.dataset as { kind?: Kind }).kind === 'prune')
                  return items.length === 1 ? (first.raw as StopMark).title : `${items.length} stops here`;
                return `step ${Math.round(first.parsed.x ?? 0)}`;
              },
              label: (item) => {
                if ((item.dataset as { kind?: Kind }).kind !== 'prune')
                  return `${item.dataset.label}: ${(item.parsed.y ?? 0).toFixed(3)}`;
                const mark = item.raw as StopMark;
                const several = (item.chart.tooltip?.dataPoints.length ?? 1) > 1;
                return several ? [mark.title, ...wrap(mark.text).map((l) => `   ${l}`)] : wrap(mark.text);
              },
            },
          },
        },
        onHover: (_event, elements) => this.hover(elements[0]?.index, elements[0]?.datasetIndex),
      },
    });
    canvas.addEventListener('mouseleave', () => this.onHover(undefined));
  }

  /** New curves: empty datasets, one set of four per curve. */
  reset(curves: CurveInfo[], horizon: number, changes: AgentChange[]): void {
    this.curves = curves;
    this.horizon = horizon;
    const datasets: (LineSet & { kind: Kind; curve: number })[] = [];
    curves.forEach((c, i) => {
      const color = runColor(i);
      const dimmed = withAlpha(color, 0.28);
      datasets.push({
        kind: 'main',
        curve: i,
        label: c.label,
        data: [],
        borderColor: color,
        backgroundColor: color,
        borderWidth: 2,
        order: 0,
        // After the step where the pruner in view would have stopped this run: dimmed.
        segment: {
          borderColor: (ctx: ScriptableLineSegmentContext) =>
            (ctx.p0.parsed.x ?? 0) >= (this.cuts[i] ?? Infinity) ? dimmed : undefined,
        },
      });
      datasets.push({
        kind: 'raw',
        curve: i,
        label: `${c.label} raw`,
        data: [],
        borderColor: withAlpha(color, this.rawAlpha),
        backgroundColor: color,
        borderWidth: 1,
        order: 3,
      });
      datasets.push({
        kind: 'truth',
        curve: i,
        label: `${c.label} true value`,
        data: [],
        borderColor: color,
        backgroundColor: color,
        borderDash: [6, 3],
        borderWidth: 1.5,
        order: 1,
      });
      datasets.push({
        kind: 'baseline',
        curve: i,
        label: `${c.label} random baseline`,
        data: [
          { x: 1, y: c.baseline },
          { x: horizon, y: c.baseline },
        ],
        borderColor: withAlpha(color, 0.7),
        backgroundColor: color,
        borderDash: [2, 4],
        borderWidth: 1.5,
        order: 2,
      });
      // The average view's 95% band: the upper edge filled down to the lower one (once it has points).
      if (!c.band) return;
      datasets.push({
        kind: 'upper',
        curve: i,
        label: `${c.label} 95% band`,
        data: [],
        borderColor: 'transparent',
        backgroundColor: withAlpha(color, 0.22),
        borderWidth: 0,
        fill: false,
        order: 4,
      } as LineSet & { kind: Kind; curve: number });
      datasets.push({
        kind: 'lower',
        curve: i,
        label: `${c.label} 95% band (lower)`,
        data: [],
        borderColor: 'transparent',
        backgroundColor: withAlpha(color, 0.22),
        borderWidth: 0,
        order: 4,
      });
    });
    this.chart.data.datasets = datasets;
    this.perCurve = curves.some((c) => c.band) ? KIND.length : KIND.length - 2;
    this.cuts = [];
    this.pruneSets = 0;
    this.forecastSets = 0;
    this.setPrunes([], [], []);
    const x = this.chart.options.scales?.x;
    if (x) {
      x.max = horizon;
    }
    this.fitY();
    this.cursor = undefined;
    this.setChanges(changes);
  }

  /** The y axis for the curves' baselines and best possible values (unset until they are known). */
  fitY(): void {
    const y = this.chart.options.scales?.y;
    if (!y) return;
    const range = yRange(this.curves);
    y.min = range?.min;
    y.max = range?.max;
  }

  /** Appends the points of curve `i`. */
  append(i: number, s: Series): void {
    const base = i * this.perCurve;
    const sets = this.chart.data.datasets;
    const push = (ds: LineSet | undefined, ys: number[]) => {
      if (!ds) return;
      for (let k = 0; k < s.x.length; k++) {
        ds.data.push({ x: s.x[k] as number, y: ys[k] as number });
      }
    };
    push(sets[base], s.smooth);
    push(sets[base + 1], s.raw);
    push(sets[base + 2], s.truth);
    if ('lower' in s) {
      const band = s as BandSeries;
      const upper = sets[base + 4];
      if (upper) (upper as LineSet & { fill: unknown }).fill = '+1';
      push(upper, band.upper);
      push(sets[base + 5], band.lower);
      const c = this.curves[i];
      const baseline = sets[base + 3];
      if (c && baseline) {
        baseline.data = [
          { x: 1, y: c.baseline },
          { x: this.horizon, y: c.baseline },
        ];
      }
    }
  }

  /** Points of curve `i`'s main line so far (for tests and the read-out). */
  points(i: number, kind: (typeof KIND)[number] = 'main'): Point[] {
    const k = KIND.indexOf(kind);
    return k < this.perCurve ? (this.chart.data.datasets[i * this.perCurve + k]?.data ?? []) : [];
  }

  setVisibility(v: Visibility): void {
    this.chart.data.datasets.forEach((ds) => {
      const d = ds as LineSet & { kind: Kind; curve: number };
      const shown = v.shown(d.curve);
      const on =
        d.kind === 'upper' || d.kind === 'lower'
          ? d.data.length > 0
          : d.kind === 'main'
            ? true
            : d.kind === 'raw'
              ? v.raw && v.smoothed
              : d.kind === 'truth'
                ? v.truth
                : v.baseline;
      d.hidden = !(shown && on);
    });
    this.legendShown = v.shown;
    this.setPrunes(this.pruners, this.cuts);
  }

  private legendShown: (i: number) => boolean = () => true;
  /** per curve: the chart step after which its main line is dimmed */
  private cuts: (number | undefined)[] = [];
  private pruners: PrunerMarks[] = [];
  private continuations: Continuation[] = [];
  private pruneSets = 0;
  private forecastSets = 0;

  /**
   * The pruners' stops: one marker dataset per pruner (shown curves only), and each
   * curve's line dimmed after `cuts[curve]` (a chart step; undefined: not dimmed); before
   * them, per continuation of a shown curve, its predicted line (dashed) and its band.
   */
  setPrunes(
    pruners: PrunerMarks[],
    cuts: (number | undefined)[],
    continuations: Continuation[] = this.continuations,
  ): void {
    this.pruners = pruners;
    this.cuts = cuts;
    this.continuations = continuations;
    const sets = this.chart.data.datasets;
    sets.splice(sets.length - this.pruneSets - this.forecastSets, this.pruneSets + this.forecastSets);
    this.forecastSets = 0;
    for (const c of continuations) {
      if (!this.legendShown(c.curve)) continue;
      const color = runColor(c.curve);
      const points = (ys: number[]) => c.x.map((x, k) => ({ x, y: ys[k] as number }));
      // The band's two edges: the upper one fills down to the lower.
      const band = (edge: 'upper' | 'lower', values: number[], fill: boolean) =>
        ({
          kind: `forecast-${edge}`,
          curve: c.curve,
          label: `${c.label} (${edge})`,
          data: points(values),
          borderColor: withAlpha(color, 0.5),
          backgroundColor: withAlpha(color, 0.16),
          borderWidth: 1,
          pointRadius: 0,
          ...(fill ? { fill: '+1' } : {}),
          order: 4,
        }) as LineSet & { kind: Kind };
      sets.push(
        {
          kind: 'forecast',
          curve: c.curve,
          label: c.label,
          data: points(c.mean),
          borderColor: color,
          backgroundColor: color,
          borderDash: [3, 3],
          borderWidth: 2,
          pointRadius: 0,
          order: 0,
        } as LineSet & { kind: Kind },
        band('upper', c.upper, true),
        band('lower', c.lower, false),
      );
      this.forecastSets += 3;
    }
    const fg = themeColor('--fg', '#1d2125');
    for (const p of pruners) {
      const marks = p.marks.filter((m) => this.legendShown(m.curve));
      sets.push({
        kind: 'prune',
        label: p.label,
        data: marks,
        showLine: false,
        pointStyle: p.style,
        pointRadius: 7,
        pointHoverRadius: 9,
        pointHitRadius: 6,
        // Stops at the first steps sit on the axis: drawn whole, not cut by the plot area.
        clip: false,
        // Line-only shapes (star, crosses) take the run's colour; filled ones are outlined.
        pointBorderWidth: LINE_ONLY.has(p.style) ? 2.5 : 1.5,
        pointBorderColor: LINE_ONLY.has(p.style) ? marks.map((m) => runColor(m.curve)) : fg,
        pointBackgroundColor: marks.map((m) => runColor(m.curve)),
        borderColor: fg,
        backgroundColor: fg,
        order: -1,
      } as LineSet & { kind: Kind });
    }
    this.pruneSets = pruners.length;
  }

  /** The continuations drawn now: per one, its line and band as the chart holds them (for tests). */
  drawnContinuations(): {
    curve: number;
    label: string;
    x: number[];
    mean: number[];
    lower: number[];
    upper: number[];
    hidden: boolean;
  }[] {
    const sets = this.chart.data.datasets as (LineSet & { kind?: Kind; curve?: number })[];
    const out: ReturnType<RewardChart['drawnContinuations']> = [];
    sets.forEach((ds, k) => {
      if (ds.kind !== 'forecast') return;
      const upper = sets[k + 1];
      const lower = sets[k + 2];
      out.push({
        curve: ds.curve ?? -1,
        label: ds.label ?? '',
        x: ds.data.map((p) => p.x),
        mean: ds.data.map((p) => p.y),
        upper: upper?.data.map((p) => p.y) ?? [],
        lower: lower?.data.map((p) => p.y) ?? [],
        hidden: Boolean(ds.hidden) || !this.chart.isDatasetVisible(k),
      });
    });
    return out;
  }

  /** The stops drawn now, per pruner, with their position on the canvas in CSS pixels (for tests). */
  marks(): { label: string; style: string; marks: (StopMark & { px: number; py: number })[] }[] {
    const sets = this.chart.data.datasets;
    const first = sets.length - this.pruneSets;
    return sets.slice(first).map((ds, k) => {
      const elements = this.chart.getDatasetMeta(first + k).data;
      return {
        label: ds.label ?? '',
        style: String((ds as { pointStyle?: unknown }).pointStyle),
        marks: (ds.data as StopMark[]).map((m, j) => ({ ...m, px: elements[j]?.x ?? NaN, py: elements[j]?.y ?? NaN })),
      };
    });
  }

  /**
   * The chart as a PNG data URL on the page's panel colour (the canvas itself is
   * transparent), with a title above and a caption of the settings below.
   */
  toPng(title: string, caption: string): string {
    const canvas = this.chart.canvas;
    const scale = canvas.width / Math.max(1, canvas.clientWidth || canvas.width);
    const head = Math.round(34 * scale);
    const foot = Math.round(26 * scale);
    const out = document.createElement('canvas');
    out.width = canvas.width;
    out.height = canvas.height + head + foot;
    const ctx = out.getContext('2d');
    if (!ctx) return this.chart.toBase64Image();
    ctx.fillStyle = themeColor('--panel', '#ffffff');
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.fillStyle = themeColor('--fg', '#1d2125');
    ctx.font = `600 ${Math.round(16 * scale)}px system-ui, sans-serif`;
    ctx.fillText(title, 10 * scale, 23 * scale, out.width - 20 * scale);
    ctx.drawImage(canvas, 0, head);
    ctx.fillStyle = themeColor('--fg-muted', '#555');
    ctx.font = `${Math.round(12 * scale)}px system-ui, sans-serif`;
    ctx.fillText(caption, 10 * scale, head + canvas.height + 17 * scale, out.width - 20 * scale);
    return out.toDataURL('image/png');
  }

  setChanges(changes: AgentChange[]): void {
    (this.chart.options.plugins as { changeMarkers?: { changes: AgentChange[] } }).changeMarkers = { changes };
  }

  /** Colours from the page's CSS variables (light or dark scheme). */
  applyTheme(): void {
    const fg = themeColor('--fg-muted', '#555');
    const grid = themeColor('--grid', '#ddd');
    const rawAlpha = RAW_ALPHA[usedScheme()];
    this.chart.data.datasets.forEach((ds) => {
      const d = ds as LineSet & { kind: Kind; curve: number };
      if (d.kind === 'raw') {
        d.borderColor = withAlpha(runColor(d.curve), rawAlpha);
      }
    });
    this.rawAlpha = rawAlpha;
    const o = this.chart.options;
    for (const axis of [o.scales?.x, o.scales?.y]) {
      if (axis) {
        axis.grid = { ...axis.grid, color: grid };
        axis.ticks = { ...axis.ticks, color: fg };
        (axis as { title: { color?: string } }).title.color = fg;
      }
    }
    if (o.plugins?.legend?.labels) {
      o.plugins.legend.labels.color = fg;
    }
    this.setPrunes(this.pruners, this.cuts);
    this.update();
  }

  /** The colours the chart draws with now: the axes' ticks and grid, and the raw lines' opacity. */
  colors(): { ticks: string; grid: string; rawAlpha: number } {
    const x = this.chart.options.scales?.x;
    return { ticks: String(x?.ticks?.color), grid: String(x?.grid?.color), rawAlpha: this.rawAlpha };
  }

  update(): void {
    this.chart.update('none');
  }

  private cursor: number | undefined;

  /** The step read out by keyboard (undefined: none), drawn as a vertical line. */
  get cursorStep(): number | undefined {
    return this.cursor;
  }

  /**
   * Where key `key` moves the keyboard cursor from where it is (else from `stepsDone`): the arrows by one stride (ten
   * with `shift`), the page keys by ten, Home and End to the ends; undefined for any other key.
   */
  cursorTarget(key: string, shift: boolean, stepsDone: number): number | undefined {
    const stride = this.strideSteps;
    const at = this.cursorStep ?? stepsDone;
    const moves: Record<string, number> = {
      ArrowLeft: at - stride,
      ArrowRight: at + stride,
      PageDown: at - 10 * stride,
      PageUp: at + 10 * stride,
      Home: 1,
      End: stepsDone,
    };
    const to = moves[key];
    if (to === undefined) return undefined;
    return shift && (key === 'ArrowLeft' || key === 'ArrowRight') ? at + 10 * (to - at) : to;
  }

  /** Moves the keyboard cursor to `step` (clamped to the points drawn) and reads every shown curve there. */
  moveCursor(step: number | undefined): void {
    const main = this.points(0, 'main');
    const last = main[main.length - 1]?.x;
    if (step === undefined || last === undefined) {
      this.cursor = undefined;
    } else {
      const clamped = Math.max(main[0]?.x ?? 1, Math.min(last, step));
      // The drawn point at or before the step.
      let k = main.length - 1;
      while (k > 0 && (main[k]?.x ?? 0) > clamped) k--;
      this.cursor = main[k]?.x;
    }
    (this.chart.options.plugins as { cursorLine?: { step?: number } }).cursorLine = { step: this.cursor };
    this.chart.update('none');
    if (this.cursor === undefined) {
      this.onHover(undefined);
      return;
    }
    const at = this.cursor;
    const values: HoverReadout['values'] = [];
    this.curves.forEach((c, i) => {
      if (!this.legendShown(i)) return;
      const points = this.points(i, 'main');
      const k = points.findIndex((p) => p.x === at);
      if (k >= 0)
        values.push({
          label: c.label,
          color: runColor(i),
          value: points[k]?.y ?? NaN,
          truth: this.points(i, 'truth')[k]?.y ?? NaN,
        });
    });
    this.onHover({ step: at, values });
  }

  /** The step between drawn points (for keyboard moves). */
  get strideSteps(): number {
    const main = this.points(0, 'main');
    return main.length > 1 ? (main[1]?.x ?? 2) - (main[0]?.x ?? 1) : 1;
  }

  private hover(index: number | undefined, datasetIndex: number | undefined): void {
    if (index === undefined || datasetIndex === undefined) {
      return;
    }
    const ref = this.chart.data.datasets[datasetIndex]?.data[index];
    const kind = (this.chart.data.datasets[datasetIndex] as { kind?: Kind }).kind;
    if (
      !ref ||
      kind === 'baseline' ||
      kind === 'prune' ||
      kind === 'upper' ||
      kind === 'lower' ||
      kind?.startsWith('forecast')
    ) {
      return;
    }
    const step = ref.x;
    const values: HoverReadout['values'] = [];
    this.curves.forEach((c, i) => {
      if (!this.legendShown(i)) return;
      const main = this.points(i, 'main');
      const truth = this.points(i, 'truth');
      const at = main[index]?.x === step ? index : main.findIndex((p) => p.x === step);
      if (at >= 0) {
        values.push({ label: c.label, color: runColor(i), value: main[at]?.y ?? NaN, truth: truth[at]?.y ?? NaN });
      }
    });
    this.onHover({ step, values });
  }

  /** The y axis as drawn now (for tests: it must not jump between Reset and Play). */
  yAxis(): { min: number; max: number } {
    const y = this.chart.scales.y;
    return { min: y?.min ?? NaN, max: y?.max ?? NaN };
  }

  get horizonSteps(): number {
    return this.horizon;
  }
}
