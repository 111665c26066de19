/**
 * The settings form, built from a table of fields: each with a visible label, an
 * accessible name, a short explanation of what it does to a curve, and an inline message
 * when a committed value is refused (the message comes from the core through `propose`).
 * A value is committed on Enter, on leaving its box, or on releasing its slider.
 */
import type { AgentKind, AgentSettings, PageState } from './state.js';

export type FieldName =
  | 'arms'
  | 'arm_mean'
  | 'arm_spread'
  | 'noise'
  | 'walk'
  | 'epsilon'
  | 'step_size'
  | 'initial_value'
  | 'ucb_c'
  | 'steps'
  | 'runs'
  | 'seed';

interface FieldSpec {
  name: FieldName;
  label: string;
  hint: string;
  group: 'bandit' | 'agent' | 'runs';
  /** a slider beside the box, over a teaching range (the box accepts the core's whole range) */
  slider?: { min: number; max: number; step: number };
  /** the agents that use it (other agents show it greyed, not editable); all when absent */
  agents?: readonly AgentKind[];
}

/** A value rounded to a slider's step (what the slider can show). */
export function roundToStep(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  return Number((Math.round(value / step) * step).toFixed(decimals));
}

export const FIELDS: readonly FieldSpec[] = [
  {
    name: 'arms',
    label: 'Arms',
    group: 'bandit',
    slider: { min: 2, max: 100, step: 1 },
    hint: 'More arms: more to explore, so learning starts later and climbs longer.',
  },
  {
    name: 'arm_mean',
    label: 'Arm mean',
    group: 'bandit',
    slider: { min: -5, max: 5, step: 0.1 },
    hint: 'Shifts every curve up or down; the shape stays the same.',
  },
  {
    name: 'arm_spread',
    label: 'Arm spread',
    group: 'bandit',
    slider: { min: 0, max: 5, step: 0.1 },
    hint: 'How different the arms are: wider spread, more to gain by learning (0: nothing to learn).',
  },
  {
    name: 'noise',
    label: 'Noise',
    group: 'bandit',
    slider: { min: 0, max: 10, step: 0.1 },
    hint: 'Reward noise: a fuzzier raw curve, and slower learning because estimates wobble.',
  },
  {
    name: 'walk',
    label: 'Drift',
    group: 'bandit',
    slider: { min: 0, max: 0.1, step: 0.005 },
    hint:
      "Each arm's true value takes a Normal(0, σ) step every step: the best arm changes over time " +
      '(0: stationary).',
  },
  {
    name: 'epsilon',
    label: 'Epsilon',
    group: 'agent',
    agents: ['epsilon-greedy'],
    slider: { min: 0, max: 1, step: 0.01 },
    hint: 'Share of random pulls. 0 can lock onto a poor arm; higher explores more but caps the final reward.',
  },
  {
    name: 'step_size',
    label: 'Step size α',
    group: 'agent',
    agents: ['epsilon-greedy', 'ucb', 'gradient'],
    hint:
      'Empty: sample averages, every reward counts alike. A constant α in (0, 1] weights recent rewards ' +
      "more and tracks drift. Gradient: the preferences' α (empty: the default).",
  },
  {
    name: 'initial_value',
    label: 'Initial value Q1',
    group: 'agent',
    agents: ['epsilon-greedy', 'ucb'],
    slider: { min: -5, max: 10, step: 0.5 },
    hint: "Every arm's first estimate. Optimistic (say 5) makes even a greedy agent try every arm early.",
  },
  {
    name: 'ucb_c',
    label: 'UCB c',
    group: 'agent',
    agents: ['ucb'],
    slider: { min: 0, max: 5, step: 0.125 },
    hint: 'Weight of the bonus c·√(ln t / N(a)) for arms tried less: larger explores more.',
  },
  {
    name: 'steps',
    label: 'Steps',
    group: 'runs',
    hint: 'Horizon of each run: which curve is "better" often depends on it.',
  },
  {
    name: 'runs',
    label: 'Runs',
    group: 'runs',
    slider: { min: 1, max: 20, step: 1 },
    hint: 'Independent runs, each on its own bandit: how much curves differ by luck alone.',
  },
  {
    name: 'seed',
    label: 'Seed',
    group: 'runs',
    hint: 'Fixes everything random: the same seed gives the same curves, here and in the CLI.',
  },
];

export interface ControlHandlers {
  /** A committed value (null: step size left empty): the refusal message, or undefined when accepted and applied. */
  propose(name: FieldName, value: number | string | null): string | undefined;
  agent(kind: AgentKind): void;
  /** The gradient bandit's baseline switched on or off. */
  baseline(on: boolean): void;
}

const AGENTS: readonly { kind: AgentKind; text: string }[] = [
  { kind: 'epsilon-greedy', text: 'epsilon-greedy' },
  { kind: 'ucb', text: 'UCB (upper confidence bound)' },
  { kind: 'gradient', text: 'gradient bandit (softmax)' },
  { kind: 'random', text: 'random (never learns)' },
];

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  Object.assign(el, props);
  el.append(...children);
  return el;
}

interface FieldWidgets {
  box: HTMLInputElement;
  slider?: HTMLInputElement;
  error: HTMLElement;
  wrapper: HTMLElement;
}

export class Controls {
  private readonly fields = new Map<FieldName, FieldWidgets>();
  readonly agentSelect: HTMLSelectElement;
  private readonly agentWrapper: HTMLElement;
  readonly baselineSelect: HTMLSelectElement;
  private readonly baselineWrapper: HTMLElement;

  constructor(
    root: HTMLElement,
    private readonly handlers: ControlHandlers,
  ) {
    const groups = {
      agent: this.fieldset(root, 'Agent', 'Who plays the bandit, and how often it explores.'),
      bandit: this.fieldset(root, 'Bandit', 'The slot machine: its arms and how noisy they pay.'),
      runs: this.fieldset(root, 'Runs', 'How many runs, how long, and their seed.'),
    };
    // Agent select first in its group.
    this.agentSelect = element('select', { id: 'agent', name: 'agent' });
    this.agentSelect.append(...AGENTS.map((a) => element('option', { value: a.kind }, a.text)));
    this.agentSelect.addEventListener('change', () =>
      handlers.agent((AGENTS.find((a) => a.kind === this.agentSelect.value) ?? AGENTS[0])!.kind),
    );
    this.agentWrapper = element(
      'div',
      { className: 'field', id: 'field-agent' },
      element('label', { htmlFor: 'agent' }, 'Agent'),
      this.agentSelect,
      element(
        'p',
        { className: 'hint' },
        'epsilon-greedy explores at random; UCB tries the arms it is least sure of; the gradient bandit ' +
          'learns preferences and picks by softmax; random pulls uniformly: the baseline.',
      ),
    );
    groups.agent.append(this.agentWrapper);
    for (const spec of FIELDS) {
      groups[spec.group].append(this.field(spec));
    }
    this.baselineSelect = element('select', { id: 'gradient-baseline', name: 'gradient_baseline' });
    this.baselineSelect.append(element('option', { value: 'on' }, 'on'), element('option', { value: 'off' }, 'off'));
    this.baselineSelect.setAttribute('aria-describedby', 'gradient-baseline-hint');
    this.baselineSelect.addEventListener('change', () => handlers.baseline(this.baselineSelect.value === 'on'));
    this.baselineWrapper = element(
      'div',
      { className: 'field', id: 'field-gradient_baseline' },
      element('label', { htmlFor: 'gradient-baseline' }, 'Baseline (gradient)'),
      this.baselineSelect,
      element(
        'p',
        { className: 'hint', id: 'gradient-baseline-hint' },
        'On: each reward is compared with the average reward so far; off: with 0, so a bandit whose arms ' +
          'all pay well learns slowly.',
      ),
    );
    groups.agent.append(this.baselineWrapper);
  }

  private fieldset(root: HTMLElement, legend: string, text: string): HTMLElement {
    const fs = element('fieldset', {}, element('legend', {}, legend), element('p', { className: 'group-hint' }, text));
    root.append(fs);
    return fs;
  }

  private field(spec: FieldSpec): HTMLElement {
    const id = spec.name.replaceAll('_', '-');
    const error = element('p', { className: 'error', id: `${id}-error` });
    error.setAttribute('role', 'alert');
    const hint = element('p', { className: 'hint', id: `${id}-hint` }, spec.hint);
    // Text boxes, so whatever is typed reaches the core and is refused with its message
    // (a number input would turn 'abc' into ''); arm mean needs a minus key, not a decimal pad.
    const box = element('input', {
      id,
      name: spec.name,
      type: 'text',
      inputMode: spec.name === 'arm_mean' ? 'text' : 'decimal',
      autocomplete: 'off',
      spellcheck: false,
    });
    box.setAttribute('aria-describedby', `${id}-hint ${id}-error`);
    if (spec.name === 'step_size') box.placeholder = 'sample averages';
    const row = element('div', { className: 'field-row' });
    let slider: HTMLInputElement | undefined;
    if (spec.slider) {
      slider = element('input', {
        type: 'range',
        min: String(spec.slider.min),
        max: String(spec.slider.max),
        step: String(spec.slider.step),
        id: `${id}-slider`,
      });
      slider.setAttribute('aria-label', `${spec.label} slider`);
      slider.setAttribute('aria-describedby', `${id}-hint`);
      const s = slider;
      // A drag shows its value in the box and applies on release: one change, one redraw.
      s.addEventListener('input', () => {
        box.value = s.value;
      });
      s.addEventListener('change', () => this.commit(spec.name, s.value));
      row.append(slider);
    }
    row.append(box);
    // Typed text applies on Enter or on leaving the box, never half-typed.
    box.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        this.commit(spec.name, box.value);
      } else if (e.key === 'Escape') {
        this.revert(spec.name);
      }
    });
    box.addEventListener('change', () => this.commit(spec.name, box.value));
    const wrapper = element(
      'div',
      { className: 'field', id: `field-${spec.name}` },
      element('label', { htmlFor: id }, spec.label),
      row,
      hint,
      error,
    );
    this.fields.set(spec.name, { box, slider, error, wrapper });
    return wrapper;
  }

  /** The values in force, for a box to go back to when its text is refused. */
  private current: Record<FieldName, number | null> | undefined;

  /**
   * A typed or slid value: applied when the core and the page accept it; otherwise refused
   * inline (the message says what was kept) and the box goes back to the value in force,
   * so the box and the chart never disagree.
   */
  private commit(name: FieldName, text: string): void {
    const f = this.fields.get(name);
    const kept = this.current?.[name];
    if (!f || kept === undefined) return;
    const t = text.trim();
    const n = Number(t);
    // An empty step size is sample averages.
    const value = name === 'step_size' && (t === '' || t === 'avg') ? null : t !== '' && Number.isFinite(n) ? n : t;
    if (value === kept) {
      this.show(name, undefined);
      return;
    }
    const message = this.handlers.propose(name, value);
    if (message) {
      this.show(name, `${message} (kept ${kept})`);
      this.revert(name, false);
      return;
    }
    this.show(name, undefined);
  }

  /** Puts the value in force back in a field's box and slider. */
  private revert(name: FieldName, clear = true): void {
    const f = this.fields.get(name);
    const kept = this.current?.[name];
    if (!f || kept === undefined) return;
    f.box.value = kept === null ? '' : String(kept);
    if (f.slider) f.slider.value = String(kept ?? 0);
    if (clear) this.show(name, undefined);
  }

  /** Shows (or clears) the refusal message of a field. */
  show(name: FieldName, message: string | undefined): void {
    const f = this.fields.get(name);
    if (!f) return;
    f.error.textContent = message ?? '';
    f.box.setAttribute('aria-invalid', message ? 'true' : 'false');
    f.wrapper.classList.toggle('invalid', Boolean(message));
  }

  /** Shows the state's values (a box being typed in keeps its text until it is committed). */
  setValues(state: PageState, agent: AgentSettings): void {
    const values: Record<FieldName, number | null> = {
      arms: state.arms,
      arm_mean: state.arm_mean,
      arm_spread: state.arm_spread,
      noise: state.noise,
      walk: state.walk,
      epsilon: agent.epsilon,
      step_size: agent.step_size,
      initial_value: agent.initial_value,
      ucb_c: agent.ucb_c,
      steps: state.steps,
      runs: state.runs,
      seed: state.seed,
    };
    this.current = values;
    for (const [name, f] of this.fields) {
      const value = values[name];
      if (document.activeElement !== f.box) {
        f.box.value = value === null ? '' : String(value);
        this.show(name, undefined);
      }
      if (f.slider && document.activeElement !== f.slider) f.slider.value = String(value ?? 0);
    }
    this.agentSelect.value = agent.agent;
    this.baselineSelect.value = agent.gradient_baseline ? 'on' : 'off';
    // A field the agent does not use (epsilon for the random agent, ...) cannot be edited.
    for (const spec of FIELDS) {
      const f = this.fields.get(spec.name);
      if (!f || !spec.agents) continue;
      const unused = !spec.agents.includes(agent.agent);
      f.wrapper.classList.toggle('disabled', unused);
      f.box.disabled = unused;
      if (f.slider) f.slider.disabled = unused;
    }
    const noBaseline = agent.agent !== 'gradient';
    this.baselineWrapper.classList.toggle('disabled', noBaseline);
    this.baselineSelect.disabled = noBaseline;
  }

  /** Classroom mode: hides the controls the link names. */
  hide(isHidden: (name: string) => boolean): void {
    for (const [name, f] of this.fields) {
      f.wrapper.hidden = isHidden(name);
    }
    this.agentWrapper.hidden = isHidden('agent');
    this.baselineWrapper.hidden = isHidden('gradient_baseline');
    for (const fs of Array.from(this.agentWrapper.ownerDocument.querySelectorAll('#settings fieldset'))) {
      const anyShown = Array.from(fs.querySelectorAll('.field')).some((f) => !(f as HTMLElement).hidden);
      (fs as HTMLElement).hidden = !anyShown;
    }
  }
}
