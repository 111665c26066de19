/**
 * The view's DOM: the smoothing, toggles, filter, speed and theme controls shown from the
 * state, the hover read-out, the problem line and the classroom flags; which curves are
 * shown (the only state here: the last ranking read).
 */
import type { HoverReadout } from './chart.js';
import { runColor } from './theme.js';
import type { CurveInfo, Simulation } from './simulation.js';
import type { Controls } from './controls.js';
import { agentOf, curvePlan, describeAgent, isHidden, type PageState } from './state.js';
import { $ } from './dom.js';

/**
 * Which curves the chart and the legend show: those not hidden, and with a top-N filter those the core ranks in the
 * top N. The ranking is read again when the runs stand still, and every 20 frames while they play.
 */
export class CurveFilter {
  private ranks: number[] = [];
  private frames = 0;

  /** Is the visibility to be applied again now? */
  due(settled: boolean, top: number): boolean {
    return settled || (top > 0 && ++this.frames % 20 === 0);
  }

  /** Reads the ranking of `sim`'s runs (only with a top-N filter). */
  rank(state: PageState, sim: Simulation | undefined): void {
    this.ranks = state.top > 0 ? (sim?.ranks() ?? []) : [];
  }

  shown(state: PageState, i: number): boolean {
    if (state.hidden.includes(i)) return false;
    return state.top <= 0 || (this.ranks[i] ?? 0) < state.top;
  }
}

/** The problem line (undefined: hidden). */
export function showProblem(message: string | undefined): void {
  const box = $('problem');
  box.textContent = message ?? '';
  box.hidden = !message;
}

/** The progress bar of a long rebuild (undefined: hidden). */
export function showProgress(fraction: number | undefined): void {
  const bar = $<HTMLProgressElement>('progress');
  bar.hidden = fraction === undefined;
  if (fraction !== undefined) bar.value = fraction;
}

/** Shows the view settings of `state`; `autoWindow` is the core's default window for its horizon. */
export function syncViewControls(state: PageState, autoWindow: number, speedIndex: number): void {
  $<HTMLSelectElement>('smoothing').value = state.smoothing;
  $<HTMLInputElement>('window').value = String(state.window);
  $<HTMLInputElement>('weight').value = String(state.weight);
  $('window-out').textContent = state.window === 0 ? `auto (${autoWindow} steps)` : `${state.window} steps`;
  $('weight-out').textContent = String(state.weight);
  $('field-window').hidden = state.smoothing !== 'moving-average' || isHidden(state, 'smoothing');
  $('field-weight').hidden = state.smoothing !== 'ema' || isHidden(state, 'smoothing');
  $<HTMLInputElement>('show-raw').checked = state.raw;
  $<HTMLInputElement>('show-truth').checked = state.truth;
  $<HTMLInputElement>('show-baseline').checked = state.baseline;
  $<HTMLSelectElement>('top').value = String(state.top);
  $<HTMLInputElement>('speed').value = String(Math.max(0, speedIndex));
  $('speed-out').textContent = `${state.speed.toLocaleString('en')} steps/s`;
  $<HTMLSelectElement>('theme').value = state.theme;
  const average = $<HTMLSelectElement>('average');
  if (!Array.from(average.options).some((o) => o.value === String(state.average))) {
    const option = document.createElement('option');
    option.value = String(state.average);
    option.textContent = `mean of ${state.average} runs`;
    average.append(option);
  }
  average.value = String(state.average);
  document.body.classList.toggle('averaging', state.average > 0);
}

/** Buttons that are disabled now cannot keep the focus: it moves to their counterpart. */
export function focusCounterpart(
  focused: Element | null,
  b: { play: HTMLButtonElement; pause: HTMLButtonElement; step: HTMLButtonElement; reset: HTMLButtonElement },
): void {
  if (!(focused instanceof HTMLButtonElement) || !focused.disabled) return;
  const next =
    focused === b.play
      ? b.pause
      : focused === b.pause
        ? b.play
        : focused === b.step
          ? b.play.disabled
            ? b.reset
            : b.play
          : undefined;
  (next && !next.disabled ? next : b.reset).focus();
}

/** The legend: one toggle button per curve (pressed: shown), reachable by keyboard. */
export function showLegend(
  curves: readonly CurveInfo[],
  shown: (i: number) => boolean,
  toggle: (i: number) => void,
): void {
  const box = $('legend');
  const buttons = Array.from(box.querySelectorAll('button'));
  const same = buttons.length === curves.length && buttons.every((b, i) => b.dataset.label === curves[i]?.label);
  if (!same) {
    box.replaceChildren(
      ...curves.map((c, i) => {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'legend-item';
        b.dataset.label = c.label;
        b.style.setProperty('--swatch', runColor(i));
        b.textContent = c.label;
        b.title = 'Show or hide this run';
        b.addEventListener('click', () => toggle(i));
        return b;
      }),
    );
  }
  Array.from(box.querySelectorAll('button')).forEach((b, i) => b.setAttribute('aria-pressed', String(shown(i))));
}

/**
 * The lesson text while the experiment is the lesson's; once a setting of the experiment
 * changed, a note saying so and a way back, never the stale text.
 */
export function showLesson(
  lesson: { text: string; name: string; changed: readonly string[] } | undefined,
  back: () => void,
): void {
  const box = $('lesson');
  if (!lesson) {
    if (!box.hidden) {
      box.hidden = true;
      box.replaceChildren();
      box.dataset.key = '';
    }
    return;
  }
  box.hidden = false;
  const key =
    lesson.changed.length === 0 ? `text:${lesson.text}` : `changed:${lesson.name}:${lesson.changed.join(',')}`;
  if (box.dataset.key === key) return;
  box.dataset.key = key;
  if (lesson.changed.length === 0) {
    box.replaceChildren(lesson.text);
    return;
  }
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'link';
  button.textContent = 'Back to the lesson';
  button.addEventListener('click', back);
  box.replaceChildren(
    `You changed ${lesson.changed.join(', ')}: the lesson "${lesson.name}" was about other settings. `,
    button,
  );
}

/** One line of the settings, for a saved image. */
export function settingsCaption(state: PageState, stepsDone: number): string {
  const agents = state.compare.length > 0 ? state.compare.map((_, i) => curvePlan(state, i).agent) : [agentOf(state)];
  const agent = agents.map(describeAgent).join(' / ');
  const runs =
    state.average > 0
      ? `mean of ${state.average} runs per curve, 95% band`
      : `${state.runs} run${state.runs > 1 ? 's' : ''}`;
  const smoothing =
    state.smoothing === 'none'
      ? 'no smoothing'
      : state.smoothing === 'ema'
        ? `EMA ${state.weight}`
        : `moving average ${state.window === 0 ? 'auto' : state.window}`;
  return (
    `${state.arms} arms · arm mean ${state.arm_mean} · spread ${state.arm_spread} · noise ` +
    `${state.noise}${state.walk > 0 ? ` · drift ${state.walk}` : ''} · ${agent} · ${runs} · ` +
    `seed ${state.seed} · step ${stepsDone} of ${state.steps} · ` +
    `${smoothing}${state.changes.length > 0 ? ` · ${state.changes.length} change(s) while playing` : ''}`
  );
}

/** Classroom mode: hides what the link names. */
export function applyClassroom(state: PageState, controls: Controls): void {
  controls.hide((name) => isHidden(state, name));
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('[data-hide-name]'))) {
    el.hidden = isHidden(state, el.dataset.hideName ?? '');
  }
  document.body.classList.toggle('embed', state.embed);
}

/** The read-out under the chart: every shown curve at the hovered step. */
export function showReadout(r: HoverReadout | undefined, withTruth: boolean): void {
  const box = $('readout');
  if (!r) {
    box.textContent = 'Hover over the chart, or focus it and use the arrow keys, to read every curve at a step.';
    return;
  }
  box.replaceChildren();
  const title = document.createElement('strong');
  title.textContent = `step ${r.step}`;
  box.append(title);
  for (const v of r.values) {
    const item = document.createElement('span');
    item.className = 'readout-item';
    item.style.setProperty('--swatch', v.color);
    item.textContent = `${v.label}: ${v.value.toFixed(3)}${withTruth ? ` (true ${v.truth.toFixed(3)})` : ''}`;
    box.append(item);
  }
}
