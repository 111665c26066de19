/**
 * The quiz chart: one Chart.js line chart, created once and redrawn in place with
 * `update('none')`. It draws what it is given (curves, vertical markers, a cursor,
 * horizontal context lines); it decides nothing. Clicks report the step under the pointer.
 */
import type { ChartDataset, Plugin } from 'chart.js';
import { Chart } from '../chart-base.js';
import { runColor, themeColor, withAlpha } from '../theme.js';

export { runColor, themeColor };

type Point = { x: number; y: number };

export interface Line {
  label: string;
  /** index 0 is step `from` (default 1) */
  data: ArrayLike<number>;
  from?: number;
  color: string;
  width?: number;
  dash?: number[];
  /** 0..1 */
  alpha?: number;
  /** listed in the legend */
  legend?: boolean;
}

export interface Marker {
  step: number;
  color: string;
  text: string;
  dash?: number[];
  /** text row (0 = top) so labels of close markers do not overlap */
  row?: number;
}

export interface Level {
  y: number;
  color: string;
  text?: string;
  from?: number;
  to?: number;
}

/** A labelled point (a peak, a threshold crossing). */
export interface Dot {
  step: number;
  y: number;
  color: string;
  text: string;
}

export interface Scene {
  horizon: number;
  dots?: Dot[];
  lines: Line[];
  markers?: Marker[];
  levels?: Level[];
  /** the answer cursor (onset, stop-point) */
  cursor?: { step: number; text: string } | null;
  /** a shaded band of steps not shown (e.g. after the cut) */
  hiddenFrom?: number | null;
  yRange?: { min: number; max: number };
}

function points(line: Line): Point[] {
  const from = line.from ?? 1;
  const out: Point[] = new Array(line.data.length);
  for (let i = 0; i < line.data.length; i++) out[i] = { x: from + i, y: line.data[i] as number };
  return out;
}

interface Overlay {
  dots: Dot[];
  markers: Marker[];
  levels: Level[];
  cursor: { step: number; text: string } | null;
  hiddenFrom: number | null;
  horizon: number;
}

const overlay: Plugin<'line'> = {
  id: 'quizOverlay',
  beforeDatasetsDraw(chart) {
    const o = (chart.options.plugins as { quizOverlay?: Overlay }).quizOverlay;
    const x = chart.scales.x;
    if (!o || !x || o.hiddenFrom === null) return;
    const { ctx, chartArea } = chart;
    const px = x.getPixelForValue(o.hiddenFrom);
    ctx.save();
    ctx.fillStyle = themeColor('--quiz-hidden', 'rgba(127,127,127,0.08)');
    ctx.fillRect(px, chartArea.top, chartArea.right - px, chartArea.bottom - chartArea.top);
    ctx.restore();
  },
  afterDatasetsDraw(chart) {
    const o = (chart.options.plugins as { quizOverlay?: Overlay }).quizOverlay;
    const { ctx, chartArea, scales } = chart;
    const x = scales.x;
    const y = scales.y;
    if (!o || !x || !y) return;
    ctx.save();
    ctx.font = '12px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    for (const level of o.levels) {
      const py = y.getPixelForValue(level.y);
      if (py < chartArea.top || py > chartArea.bottom) continue;
      const x0 = x.getPixelForValue(level.from ?? 1);
      const x1 = x.getPixelForValue(level.to ?? o.horizon);
      ctx.strokeStyle = level.color;
      ctx.setLineDash([2, 4]);
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(x0, py);
      ctx.lineTo(x1, py);
      ctx.stroke();
      if (level.text) {
        ctx.fillStyle = level.color;
        const w = ctx.measureText(level.text).width;
        ctx.fillText(level.text, Math.max(chartArea.left + 2, Math.min(x0 + 4, chartArea.right - w - 4)), py + 3);
      }
    }
    const vertical = (step: number, color: string, dash: number[], width: number, text: string, row: number) => {
      const px = x.getPixelForValue(step);
      if (px < chartArea.left - 1 || px > chartArea.right + 1) return;
      ctx.strokeStyle = color;
      ctx.setLineDash(dash);
      ctx.lineWidth = width;
      ctx.beginPath();
      ctx.moveTo(px, chartArea.top);
      ctx.lineTo(px, chartArea.bottom);
      ctx.stroke();
      if (!text) return;
      const w = ctx.measureText(text).width + 8;
      const tx = px + w + 2 > chartArea.right ? px - w - 2 : px + 2;
      const ty = chartArea.top + 4 + row * 18;
      ctx.setLineDash([]);
      ctx.fillStyle = themeColor('--panel', '#fff');
      ctx.globalAlpha = 0.85;
      ctx.fillRect(tx, ty - 1, w, 16);
      ctx.globalAlpha = 1;
      ctx.fillStyle = color;
      ctx.fillText(text, tx + 4, ty + 1);
    };
    ctx.setLineDash([]);
    for (const d of o.dots) {
      const px = x.getPixelForValue(d.step);
      const py = y.getPixelForValue(d.y);
      ctx.beginPath();
      ctx.arc(px, py, 5, 0, Math.PI * 2);
      ctx.fillStyle = d.color;
      ctx.fill();
      ctx.lineWidth = 2;
      ctx.strokeStyle = themeColor('--panel', '#fff');
      ctx.stroke();
      ctx.font = '600 12px system-ui, sans-serif';
      const w = ctx.measureText(d.text).width;
      const tx = px + 8 + w > chartArea.right ? px - 8 - w : px + 8;
      ctx.lineWidth = 3;
      ctx.strokeText(d.text, tx, py - 16);
      ctx.fillStyle = d.color;
      ctx.fillText(d.text, tx, py - 16);
    }
    ctx.font = '12px system-ui, sans-serif';
    for (const m of o.markers) vertical(m.step, m.color, m.dash ?? [6, 4], 2, m.text, m.row ?? 0);
    if (o.cursor) vertical(o.cursor.step, themeColor('--accent', '#2f6ea5'), [], 2, o.cursor.text, 0);
    ctx.restore();
  },
};

export class QuizChart {
  private readonly chart: Chart<'line', Point[]>;
  private scene: Scene | undefined;

  constructor(
    readonly canvas: HTMLCanvasElement,
    onClick?: (step: number) => void,
  ) {
    this.chart = new Chart<'line', Point[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      plugins: [overlay],
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        events: [],
        elements: { point: { radius: 0, hitRadius: 0, hoverRadius: 0 }, line: { borderWidth: 2, tension: 0 } },
        scales: {
          x: { type: 'linear', min: 1, title: { display: true, text: 'step' }, ticks: { maxTicksLimit: 9 } },
          y: { type: 'linear', title: { display: true, text: 'reward (moving average)' } },
        },
        plugins: {
          legend: {
            position: 'bottom',
            labels: {
              boxWidth: 14,
              boxHeight: 3,
              filter: (item, data) => (data.datasets[item.datasetIndex ?? 0] as { legend?: boolean }).legend !== false,
            },
            onClick: () => undefined,
          },
          tooltip: { enabled: false },
        },
      },
    });
    // A plain DOM listener (Chart.js throttles its own events to animation frames).
    if (onClick) {
      canvas.addEventListener('click', (e) => {
        const xs = this.chart.scales.x;
        if (!xs) return;
        const rect = canvas.getBoundingClientRect();
        const px = e.clientX - rect.left;
        const { left, right } = this.chart.chartArea;
        if (px < left - 8 || px > right + 8) return;
        onClick(xs.getValueForPixel(Math.min(right, Math.max(left, px))) ?? 1);
      });
    }
    this.applyTheme();
  }

  applyTheme(): void {
    const muted = themeColor('--fg-muted', '#5a6270');
    const grid = themeColor('--grid', 'rgba(0,0,0,0.08)');
    const scales = this.chart.options.scales as Record<
      string,
      { grid?: { color?: string }; ticks?: { color?: string }; title?: { color?: string } }
    >;
    for (const axis of ['x', 'y']) {
      const s = scales[axis];
      if (!s) continue;
      s.grid = { ...s.grid, color: grid };
      s.ticks = { ...s.ticks, color: muted };
      s.title = { ...s.title, color: muted };
    }
    const legend = this.chart.options.plugins?.legend?.labels;
    if (legend) legend.color = themeColor('--fg', '#1d2125');
    this.chart.update('none');
  }

  /** The colours the axes are drawn with now (for the browser tests). */
  colors(): { ticks: string; grid: string } {
    const x = this.chart.options.scales?.x;
    return { ticks: String(x?.ticks?.color), grid: String(x?.grid?.color) };
  }

  draw(scene: Scene): void {
    const datasets: (ChartDataset<'line', Point[]> & { legend?: boolean })[] = scene.lines.map((line, i) => ({
      label: line.label,
      data: points(line),
      borderColor: withAlpha(line.color, line.alpha ?? 1),
      backgroundColor: line.color,
      borderWidth: line.width ?? 2,
      borderDash: line.dash ?? [],
      legend: line.legend,
      order: i,
    }));
    this.chart.data.datasets = datasets;
    const scales = this.chart.options.scales as Record<string, { min?: number; max?: number }>;
    if (scales.x) {
      scales.x.min = 1;
      scales.x.max = scene.horizon;
    }
    if (scales.y) {
      scales.y.min = scene.yRange?.min;
      scales.y.max = scene.yRange?.max;
      // A level the question refers to (the random-policy level) is always inside the chart.
      const levels = (scene.levels ?? []).map((l) => l.y);
      (scales.y as { suggestedMin?: number }).suggestedMin = levels.length ? Math.min(...levels) : undefined;
      (scales.y as { suggestedMax?: number }).suggestedMax = levels.length ? Math.max(...levels) : undefined;
    }
    (this.chart.options.plugins as { quizOverlay?: Overlay }).quizOverlay = {
      dots: scene.dots ?? [],
      markers: scene.markers ?? [],
      levels: scene.levels ?? [],
      cursor: scene.cursor ?? null,
      hiddenFrom: scene.hiddenFrom ?? null,
      horizon: scene.horizon,
    };
    this.chart.update('none');
    this.scene = scene;
  }

  /** What the last draw put on the chart: the markers, and the levels inside the plot area (tests read it). */
  drawn(): {
    markers: { step: number; text: string }[];
    levels: { y: number; text: string }[];
    hiddenFrom: number | null;
  } | null {
    const scene = this.scene;
    const y = this.chart.scales.y;
    if (!scene || !y) return null;
    const inside = (v: number) => v >= y.min && v <= y.max;
    return {
      markers: (scene.markers ?? []).map((m) => ({ step: m.step, text: m.text })),
      levels: (scene.levels ?? []).filter((l) => inside(l.y)).map((l) => ({ y: l.y, text: l.text ?? '' })),
      hiddenFrom: scene.hiddenFrom ?? null,
    };
  }
}
