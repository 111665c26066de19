/**
 * What the charts show: scenes built from an item, its curves and the answer being built,
 * then, after the answer, from the core's truth and board. Drawing only: every number
 * shown comes from the core (curves, true values, onsets, stop steps, scores).
 */
import type { Draft } from './quiz-state.js';
import { visibleSteps } from './quiz-state.js';
import type { FeedbackJson, RevealJson, ShownItemJson } from './quiz-wasm.js';
import { runColor, themeColor, type Dot, type Level, type Line, type Marker, type Scene } from './render.js';

const colorOf = (item: ShownItemJson, label: string): string => runColor(Math.max(0, item.labels.indexOf(label)));

function extent(series: ArrayLike<number>[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const s of series) {
    for (let i = 0; i < s.length; i++) {
      const v = s[i] as number;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const pad = (max - min) * 0.06 || 0.5;
  return { min: min - pad, max: max + pad };
}

export interface Scenes {
  main: Scene;
  /** pairwise: the right-hand side */
  right?: Scene;
}

/** The item as it is answered. */
export function answerScenes(
  item: ShownItemJson,
  reveal: RevealJson,
  draft: Draft,
  context: boolean,
  bestSoFar: { best: string | null; value: number | null } | null = null,
): Scenes {
  const curve = (label: string): number[] => item.curves[label] ?? [];
  const horizon = item.horizon;
  switch (item.kind) {
    case 'pairwise': {
      const [left, right] = item.labels as [string, string];
      const y = extent([curve(left), curve(right)]);
      const side = (label: string): Scene => ({
        horizon,
        yRange: y,
        lines: [
          {
            label: `${label}${draft.better === label ? ' — your choice' : ''}`,
            data: curve(label),
            color: colorOf(item, label),
            width: draft.better === label ? 3 : 2,
          },
        ],
      });
      return { main: side(left), right: side(right) };
    }
    case 'sequential': {
      const lines: Line[] = [];
      item.labels.forEach((label, i) => {
        const steps = visibleSteps(draft, i);
        if (steps <= 0) return;
        const current = i === draft.run;
        const stopped = i < draft.run && draft.stops[i] !== null;
        const best = context && bestSoFar?.best === label;
        const note = current
          ? ' (growing)'
          : stopped
            ? ` (stopped at ${draft.stops[i]})`
            : best
              ? ' (best so far)'
              : '';
        lines.push({
          label: `${label}${note}`,
          data: (reveal.curves[label] ?? []).slice(0, steps),
          color: colorOf(item, label),
          width: current ? 2.6 : best ? 2 : 1.4,
          alpha: current ? 1 : best ? 0.85 : 0.45,
        });
      });
      const markers: Marker[] = item.checkpoints.map((c) => ({
        step: c,
        color: themeColor('--grid-strong', 'rgba(127,127,127,0.35)'),
        text: '',
        dash: [2, 4],
      }));
      const label = item.labels[draft.run];
      if (label !== undefined) {
        const at = item.checkpoints[draft.checkpoint] ?? horizon;
        markers.push({
          step: at,
          color: themeColor('--accent', '#2f6ea5'),
          text: `run ${label} at step ${at}`,
          dash: [],
        });
      }
      const levels: Level[] = [];
      if (context && label !== undefined) {
        levels.push({
          y: reveal.baselines[label] ?? 0,
          color: colorOf(item, label),
          text: `random baseline of ${label}`,
        });
        if (bestSoFar?.best && bestSoFar.value !== null) {
          levels.push({
            y: bestSoFar.value,
            color: colorOf(item, bestSoFar.best),
            text: `best so far (${bestSoFar.best}) ends at ${bestSoFar.value.toFixed(2)}`,
          });
        }
      }
      return { main: { horizon, lines, markers, levels } };
    }
    default: {
      const cut = item.shown_until < horizon ? item.shown_until : null;
      const target = item.target;
      const lines: Line[] = item.labels.map((label) => {
        const rank = draft.picked.indexOf(label);
        let name = label;
        if (item.kind === 'stop-early' && rank >= 0) name = `${label} — stop`;
        if (item.kind.startsWith('rank-') && rank >= 0) name = `${label} — #${rank + 1}`;
        const dimmed = (target !== null && label !== target) || (item.kind === 'stop-early' && rank >= 0);
        return {
          label: target !== null && label === target ? `${label} (asked about)` : name,
          data: curve(label),
          color: colorOf(item, label),
          width: target === label ? 3 : 2,
          alpha: dimmed ? 0.4 : 1,
          dash: item.kind === 'stop-early' && rank >= 0 ? [5, 4] : [],
        };
      });
      // The question refers to the cut and to the random-policy level: both are drawn.
      const markers: Marker[] = cut
        ? [{ step: cut, color: themeColor('--fg-muted', '#5a6270'), text: `cut: step ${cut} of ${horizon} (now)` }]
        : [];
      let cursor: Scene['cursor'] = null;
      if (item.kind === 'onset' || item.kind === 'stop-point') {
        if (draft.never)
          markers.push({ step: horizon, color: themeColor('--accent', '#2f6ea5'), text: 'never stop', dash: [] });
        else if (draft.cursor !== null) cursor = { step: draft.cursor, text: `step ${draft.cursor}` };
      }
      const levels: Level[] = [];
      const baseline = target !== null ? reveal.baselines[target] : undefined;
      if (item.kind === 'onset' && target !== null && baseline !== undefined) {
        levels.push({
          y: baseline,
          color: themeColor('--fg-muted', '#5a6270'),
          text: `random-policy level of ${target}: ${baseline.toFixed(3)}`,
        });
      }
      return { main: { horizon, lines, markers, levels, cursor, hiddenFrom: cut } };
    }
  }
}

/** The item once answered: every curve to the horizon, true values dashed, the truth's steps marked. */
export function feedbackScenes(item: ShownItemJson, reveal: RevealJson, feedback: FeedbackJson): Scenes {
  const horizon = item.horizon;
  const good = themeColor('--good', '#2e7d32');
  const accent = themeColor('--accent', '#2f6ea5');
  const truthOf = (label: string) => feedback.truth.runs.find((r) => r.label === label);
  // What the truth says of each run, in its legend entry.
  const truthAnswer = feedback.truth.answer;
  const note = (label: string): string => {
    const t = truthOf(label);
    if (item.kind === 'stop-early' || item.kind === 'sequential' || item.kind === 'stop-point')
      return t?.below_median ? ' · below median' : ' · keep';
    if ('ranking' in truthAnswer) return ` · #${truthAnswer.ranking.indexOf(label) + 1}`;
    if ('better' in truthAnswer) return truthAnswer.better === label ? ' · ends better' : '';
    return '';
  };
  // Smoothed rewards faint, true values bold: after the answer, the truth is the point.
  const runLines = (labels: string[], focus: string | null): Line[] =>
    labels.flatMap((label) => {
      const color = colorOf(item, label);
      const dim = focus !== null && label !== focus;
      return [
        {
          label: `${label}${note(label)}`,
          data: reveal.curves[label] ?? [],
          color,
          width: focus === label ? 1.8 : 1.2,
          alpha: dim ? 0.15 : 0.32,
        },
        {
          label: `${label} true value`,
          data: reveal.true_values[label] ?? [],
          color,
          width: dim ? 1.4 : 2.4,
          alpha: dim ? 0.4 : 1,
          legend: false,
        },
      ];
    });
  const answer = feedback.answer;
  switch (item.kind) {
    case 'pairwise': {
      const [left, right] = item.labels as [string, string];
      const y = extent([
        reveal.curves[left] ?? [],
        reveal.curves[right] ?? [],
        reveal.true_values[left] ?? [],
        reveal.true_values[right] ?? [],
      ]);
      const side = (label: string): Scene => {
        const t = truthOf(label);
        return {
          horizon,
          yRange: y,
          lines: runLines([label], null),
          levels: t
            ? [
                {
                  y: t.final_performance,
                  color: colorOf(item, label),
                  text: `final ${t.final_performance.toFixed(3)}`,
                  from: Math.round(horizon * (1 - feedback.final_fraction)),
                },
              ]
            : [],
          hiddenFrom: null,
        };
      };
      return { main: side(left), right: side(right) };
    }
    case 'onset':
    case 'stop-point': {
      const target = item.target ?? item.labels[0] ?? 'A';
      const t = truthOf(target);
      const markers: Marker[] = [];
      const truthStep = item.kind === 'onset' ? t?.onset : t?.best_stop_step;
      const truthName = item.kind === 'onset' ? 'true onset' : 'best stop';
      if (truthStep !== null && truthStep !== undefined)
        markers.push({ step: truthStep, color: good, text: `${truthName}: ${truthStep}`, dash: [], row: 0 });
      else markers.push({ step: horizon, color: good, text: `${truthName}: never`, dash: [], row: 0 });
      if ('step' in answer) {
        markers.push({
          step: answer.step ?? horizon,
          color: accent,
          text: answer.step === null ? 'you: never' : `you: ${answer.step}`,
          dash: [6, 4],
          row: 1,
        });
      }
      const baseline = reveal.baselines[target];
      const levels =
        baseline === undefined
          ? []
          : [{ y: baseline, color: themeColor('--fg-muted', '#5a6270'), text: `random baseline of ${target}` }];
      return { main: { horizon, lines: runLines(item.labels, target), markers, levels } };
    }
    default: {
      const markers: Marker[] =
        item.shown_until < horizon
          ? [
              {
                step: item.shown_until,
                color: themeColor('--fg-muted', '#5a6270'),
                text: `you saw up to step ${item.shown_until}`,
              },
            ]
          : [];
      if (item.kind === 'sequential' && 'stops' in answer) {
        answer.stops.forEach((s, i) => {
          if (s !== null)
            markers.push({
              step: s,
              color: colorOf(item, item.labels[i] ?? 'A'),
              text: `you stopped ${item.labels[i]}`,
              dash: [3, 3],
              row: i % 3,
            });
        });
      }
      const dots: Dot[] = [];
      if ('ranking' in truthAnswer) {
        truthAnswer.ranking.forEach((label, rank) => {
          const t = truthOf(label);
          if (!t) return;
          const color = colorOf(item, label);
          if (item.kind === 'rank-max') {
            dots.push({ step: t.max_visible_step, y: t.max_visible, color, text: `#${rank + 1} ${label} peak` });
          } else if (t.time_to_50 !== null) {
            dots.push({
              step: t.time_to_50,
              y: reveal.true_values[label]?.[t.time_to_50 - 1] ?? 0,
              color,
              text: `#${rank + 1} ${label} half-way`,
            });
          }
        });
      }
      return { main: { horizon, lines: runLines(item.labels, null), markers, dots, hiddenFrom: null } };
    }
  }
}
