/**
 * The view's DOM: the smoothing, toggles, filter, speed and theme controls shown from the
 * state, the hover read-out, and the classroom flags. No state of its own.
 */
import type { HoverReadout } from './chart.js';
import type { Controls } from './controls.js';
import { isHidden, type PageState } from './state.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

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
  $('speed-out').textContent = `${state.speed} step${state.speed > 1 ? 's' : ''}/frame`;
  $<HTMLSelectElement>('theme').value = state.theme;
  document.documentElement.dataset.theme = state.theme;
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
    box.textContent = 'Hover over the chart to read every curve at a step.';
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
