/**
 * The whole page state, declared as a table of typed properties and serialised to and
 * parsed from the URL hash by pure functions (after TensorFlow Playground's state.ts),
 * so any view can be shared as a link that reproduces the same curves.
 *
 * Parsing only checks types (a number, an integer, one of a list); whether a value is
 * in range is the core's decision (`parseExperiment`), made where the state is used.
 */

import { FIELDS, roundToStep, type FieldName } from './controls.js';
import type { ExperimentJson } from './core.js';

export type AgentKind = 'epsilon-greedy' | 'ucb' | 'gradient' | 'random';

/**
 * Everything that makes an agent (the core's agent fields; `gradient_baseline` is the
 * core's `baseline`). Which fields a kind uses is the core's business: the others are kept.
 */
export interface AgentSettings {
  agent: AgentKind;
  epsilon: number;
  /** a constant step size α; null: sample averages (the gradient bandit: the core's default α) */
  step_size: number | null;
  /** Q1, every arm's initial estimate */
  initial_value: number;
  ucb_c: number;
  gradient_baseline: boolean;
}

/** A curve's agent in a comparison: the fields that differ from the state's agent. */
export type AgentVariant = Partial<AgentSettings>;

/**
 * A pruner parameter as the study JSON writes it: a number, "auto", "inf", "-inf", "nan", null, or a wrapped pruner.
 */
export type PrunerParam = number | string | null | PrunerChoice;

/**
 * A pruner chosen on the page: Optuna's name and the parameters the person set (the
 * others keep Optuna's defaults, which the core supplies). Whether a name or a value is
 * allowed is the core's decision.
 */
export interface PrunerChoice {
  name: string;
  params: Record<string, PrunerParam>;
}

/** An agent change made while the runs were playing: from `step` on, the runs use these settings. */
export interface AgentChange extends AgentSettings {
  /** steps already taken when the change applied (0 < step) */
  step: number;
}

/** How a property is written in the URL and read back. */
type Kind =
  | 'number'
  | 'optnumber'
  | 'int'
  | 'bool'
  | 'enum'
  | 'variants'
  | 'ints'
  | 'names'
  | 'changes'
  | 'pruners'
  | 'name';

interface Property<T> {
  kind: Kind;
  /** the value when the URL does not give it */
  default: T;
  /** for `enum`: the values allowed */
  values?: readonly string[];
  /** written to the URL only when it differs from the default (view flags, classroom) */
  whenSet?: boolean;
  /**
   * `experiment`: part of what a lesson shows (a change makes its text stale);
   * `personal`: the person's own, kept when a lesson is chosen
   */
  role?: 'experiment' | 'personal';
}

const prop = <T>(kind: Kind, value: T, whenSet = false, role?: Property<T>['role']): Property<T> => ({
  kind,
  default: value,
  whenSet,
  role,
});
const experiment = <T>(kind: Kind, value: T, whenSet = false): Property<T> => prop(kind, value, whenSet, 'experiment');
const oneOf = <const V extends readonly string[]>(
  values: V,
  value: V[number],
  whenSet = false,
  role?: Property<V[number]>['role'],
): Property<V[number]> => ({
  kind: 'enum',
  default: value,
  values,
  whenSet,
  role,
});

/**
 * The declarative table: every property of the state with its default, in URL order.
 * The state's type is derived from it, so each key is written once.
 */
export const PROPERTIES = {
  // The experiment (names as in the core's JSON).
  arms: experiment('int', 10),
  arm_mean: experiment('number', 0),
  arm_spread: experiment('number', 1),
  noise: experiment('number', 1),
  agent: oneOf(['epsilon-greedy', 'ucb', 'gradient', 'random'] as const, 'epsilon-greedy', false, 'experiment'),
  epsilon: experiment('number', 0.1),
  /** a constant step size α; null (`avg` in the URL, or left out): sample averages */
  step_size: experiment<number | null>('optnumber', null, true),
  /** Q1: every arm's initial estimate */
  initial_value: experiment('number', 0, true),
  /** UCB's exploration weight c */
  ucb_c: experiment('number', 2, true),
  /** the gradient bandit's average-reward baseline (the core's `baseline`) */
  gradient_baseline: experiment('bool', true, true),
  /** the bandit's drift: sd of each arm's Normal(0, walk) step per time step; 0: stationary */
  walk: experiment('number', 0, true),
  steps: experiment('int', 1000),
  /** the first lesson's: four runs that each start near their baseline and climb */
  seed: experiment('int', 121),
  /** independent runs; run i has the seed derive_seed(seed, i) */
  runs: experiment('int', 4),
  /**
   * optional agents compared side by side: curve i uses the state's agent with the fields
   * of compare[i % n] on bandit floor(i / n) (a bare number is an epsilon)
   */
  compare: experiment<AgentVariant[]>('variants', [], true),
  /** the parameter study (Fig. 2.6): runs per setting; 0: not shown */
  sweep: experiment('int', 0, true),
  /** agent changes made while playing, in step order */
  changes: experiment<AgentChange[]>('changes', [], true),
  /** steps taken so far (the position of the view) */
  at: prop('int', 0),
  /** the average view: each curve is the mean of this many runs, with a 95% band; 0: single runs */
  average: experiment('int', 0, true),
  // The view.
  smoothing: oneOf(['none', 'moving-average', 'ema'] as const, 'ema'),
  /** moving-average window in steps; 0: the ground truth's default (5% of the horizon) */
  window: prop('int', 0),
  /** EMA weight in [0, 1) */
  weight: prop('number', 0.95),
  raw: prop('bool', true),
  baseline: prop('bool', true),
  truth: prop('bool', true),
  /** steps per second while playing */
  speed: prop('int', 100),
  /** show only the K best runs by final performance so far; 0: all */
  top: prop('int', 0, true),
  /** run indices hidden from the chart */
  hidden: prop<number[]>('ints', [], true),
  // Pruners.
  /** the pruners whose stops are drawn, in the order chosen (one per kind) */
  pruners: experiment<PrunerChoice[]>('pruners', [], true),
  /** whose stops the chart shows: `all` or one chosen pruner's name */
  pview: prop('name', 'all', true),
  /** the lesson (a preset's id) whose text is shown while the experiment is the lesson's; '' for none */
  lesson: prop('name', '', true),
  // Classroom mode.
  /** control names hidden by the teacher (e.g. `noise,seed`), or `all` */
  hide: prop<string[]>('names', [], true, 'personal'),
  /** no header, no presets: a focused exercise, e.g. in an iframe */
  embed: prop('bool', false, true, 'personal'),
  /** start playing on load */
  play: prop('bool', false, true),
  theme: oneOf(['auto', 'light', 'dark'] as const, 'auto', true, 'personal'),
};

type Properties = typeof PROPERTIES;
type Key = keyof Properties;
export type PageState = { [K in Key]: Properties[K] extends Property<infer T> ? T : never };
export type Smoothing = PageState['smoothing'];
export type Theme = PageState['theme'];

const KEYS = Object.keys(PROPERTIES) as Key[];
const property = (key: Key): Property<unknown> => PROPERTIES[key] as Property<unknown>;

/** The lesson of a page opened without a hash (its experiment is the defaults). */
export const FIRST_LESSON = 'first-steps';

/** Every property at its default: the experiment of the first lesson, at step 0. */
export function defaultState(): PageState {
  const out: Record<string, unknown> = {};
  for (const key of KEYS) out[key] = structuredClone(property(key).default);
  return out as PageState;
}

/** A number as the URL writes it: the shortest form that reads back the same. */
function formatNumber(x: number): string {
  return String(x);
}

/** One letter per agent kind in a change, and one per agent field after it. */
const KIND_LETTER: Record<AgentKind, string> = { 'epsilon-greedy': 'e', ucb: 'u', gradient: 'g', random: 'r' };
const FIELD_LETTER = { step_size: 's', initial_value: 'q', ucb_c: 'c', gradient_baseline: 'b' } as const;

function formatAgentField(key: keyof AgentSettings, value: unknown): string {
  if (key === 'step_size' && value === null) return 'avg';
  if (typeof value === 'boolean') return value ? '1' : '0';
  return typeof value === 'number' ? formatNumber(value) : String(value);
}

/** `step:kind:epsilon`, then each other field that differs from its default: `:s0.1:q5:c1:b0`. */
function formatChange(c: AgentChange): string {
  let out = `${c.step}:${KIND_LETTER[c.agent]}:${formatNumber(c.epsilon)}`;
  for (const [key, letter] of Object.entries(FIELD_LETTER) as [keyof typeof FIELD_LETTER, string][]) {
    if (c[key] !== PROPERTIES[key].default) out += `:${letter}${formatAgentField(key, c[key])}`;
  }
  return out;
}

const VARIANT_KEYS = ['agent', 'epsilon', 'step_size', 'initial_value', 'ucb_c', 'gradient_baseline'] as const;

/** A bare number when only epsilon is set (`0.1`), else `agent:ucb;ucb_c:1`. */
function formatVariant(v: AgentVariant): string {
  const keys = VARIANT_KEYS.filter((k) => v[k] !== undefined);
  if (keys.length === 1 && keys[0] === 'epsilon') return formatNumber(v.epsilon as number);
  return keys.map((k) => `${k}:${formatAgentField(k, v[k])}`).join(';');
}

function formatPruner(p: PrunerChoice): string {
  const params = Object.entries(p.params).map(
    ([k, v]) => `${k}:${v !== null && typeof v === 'object' ? formatPruner(v) : String(v)}`,
  );
  return params.length === 0 ? p.name : `${p.name}(${params.join(';')})`;
}

/**
 * Pruners as the URL writes them: `median(n_startup_trials:3;n_warmup_steps:10),hyperband`;
 * a wrapped pruner nests: `patient(patience:3;wrapped:median)`.
 */
export function formatPruners(pruners: readonly PrunerChoice[]): string {
  return pruners.map(formatPruner).join(',');
}

/** The pruners `formatPruners` wrote, or undefined if `text` is not in that form. */
export function parsePruners(text: string): PrunerChoice[] | undefined {
  let at = 0;
  const name = (): string | undefined => {
    const m = /^[a-z_]+/.exec(text.slice(at));
    if (!m) return undefined;
    at += m[0].length;
    return m[0];
  };
  const pruner = (): PrunerChoice | undefined => {
    const n = name();
    if (n === undefined) return undefined;
    const params: Record<string, PrunerParam> = {};
    if (text[at] !== '(') return { name: n, params };
    at++;
    while (text[at] !== ')') {
      const key = name();
      if (key === undefined || text[at] !== ':') return undefined;
      at++;
      let value: PrunerParam | undefined;
      if (/^[a-z_]+\(/.test(text.slice(at)) || (/^[a-z_]+(?:[;)])/.test(text.slice(at)) && key === 'wrapped')) {
        value = pruner();
      } else {
        const m = /^[^;()]+/.exec(text.slice(at));
        if (!m) return undefined;
        at += m[0].length;
        const raw = m[0];
        const x = Number(raw);
        value =
          raw === 'null'
            ? null
            : raw.trim() !== '' && Number.isFinite(x)
              ? x
              : /^[+-]?[a-z]+$/i.test(raw)
                ? raw
                : undefined;
      }
      if (value === undefined) return undefined;
      params[key] = value;
      if (text[at] === ';') at++;
      else if (text[at] !== ')') return undefined;
    }
    at++;
    return { name: n, params };
  };
  const out: PrunerChoice[] = [];
  if (text === '') return out;
  for (;;) {
    const p = pruner();
    if (!p) return undefined;
    out.push(p);
    if (at === text.length) return out;
    if (text[at] !== ',') return undefined;
    at++;
  }
}

function formatValue(kind: Kind, value: unknown): string {
  switch (kind) {
    case 'bool':
      return value ? '1' : '0';
    case 'optnumber':
      return value === null ? 'avg' : formatNumber(value as number);
    case 'variants':
      return (value as AgentVariant[]).map(formatVariant).join(',');
    case 'ints':
    case 'names':
      return (value as Array<number | string>).map((v) => (typeof v === 'number' ? formatNumber(v) : v)).join(',');
    case 'changes':
      return (value as AgentChange[]).map(formatChange).join(',');
    case 'pruners':
      return formatPruners(value as PrunerChoice[]);
    default:
      return typeof value === 'number' ? formatNumber(value) : String(value);
  }
}

function isDefault(key: Key, value: unknown): boolean {
  return Array.isArray(value) ? value.length === 0 : value === property(key).default;
}

/** The URL hash (without '#') for a state: every experiment property, view flags when set. */
export function serializeState(state: PageState): string {
  const parts: string[] = [];
  for (const key of KEYS) {
    const p = property(key);
    const value = state[key];
    if (p.whenSet && isDefault(key, value)) {
      continue;
    }
    parts.push(`${key}=${encodeURIComponent(formatValue(p.kind, value))}`);
  }
  return parts.join('&');
}

/** A property the URL gave that could not be read, and was left at its default. */
export interface HashProblem {
  key: string;
  message: string;
}

function parseNumber(text: string): number | undefined {
  if (text.trim() === '') {
    return undefined;
  }
  const x = Number(text);
  return Number.isFinite(x) ? x : undefined;
}

function parseInteger(text: string): number | undefined {
  const x = parseNumber(text);
  return x !== undefined && Number.isSafeInteger(x) ? x : undefined;
}

function parseList<T>(text: string, item: (s: string) => T | undefined): T[] | undefined {
  if (text === '') {
    return [];
  }
  const out: T[] = [];
  for (const s of text.split(',')) {
    const v = item(s);
    if (v === undefined) {
      return undefined;
    }
    out.push(v);
  }
  return out;
}

/** An agent field's value as the URL writes it, or undefined. */
function parseAgentField(key: keyof AgentSettings, text: string): unknown {
  switch (key) {
    case 'agent':
      return (PROPERTIES.agent.values as readonly string[]).includes(text) ? text : undefined;
    case 'step_size':
      return text === 'avg' || text === 'null' ? null : parseNumber(text);
    case 'gradient_baseline':
      return text === '1' ? true : text === '0' ? false : undefined;
    default:
      return parseNumber(text);
  }
}

function parseChange(text: string): AgentChange | undefined {
  const [step, letter, epsilon, ...rest] = text.split(':');
  const s = parseInteger(step ?? '');
  const e = parseNumber(epsilon ?? '');
  const agent = (Object.keys(KIND_LETTER) as AgentKind[]).find((k) => KIND_LETTER[k] === letter);
  if (s === undefined || s < 1 || e === undefined || agent === undefined) {
    return undefined;
  }
  const change: AgentChange = { ...defaultAgent(), step: s, agent, epsilon: e };
  for (const part of rest) {
    const key = (Object.keys(FIELD_LETTER) as (keyof typeof FIELD_LETTER)[]).find((k) => FIELD_LETTER[k] === part[0]);
    const value = key === undefined ? undefined : parseAgentField(key, part.slice(1));
    if (key === undefined || value === undefined) return undefined;
    (change as unknown as Record<string, unknown>)[key] = value;
  }
  return change;
}

function parseVariant(text: string): AgentVariant | undefined {
  const epsilon = parseNumber(text);
  if (epsilon !== undefined) return { epsilon };
  const out: Record<string, unknown> = {};
  for (const part of text.split(';')) {
    const colon = part.indexOf(':');
    const key = VARIANT_KEYS.find((k) => k === part.slice(0, colon));
    const value = key === undefined ? undefined : parseAgentField(key, part.slice(colon + 1));
    if (key === undefined || value === undefined) return undefined;
    out[key] = value;
  }
  return out as AgentVariant;
}

function parseValue(p: Property<unknown>, text: string): unknown {
  switch (p.kind) {
    case 'number':
      return parseNumber(text);
    case 'optnumber':
      return text === 'avg' || text === 'null' ? null : parseNumber(text);
    case 'int':
      return parseInteger(text);
    case 'bool':
      return text === '1' || text === 'true' ? true : text === '0' || text === 'false' ? false : undefined;
    case 'enum':
      return p.values?.includes(text) ? text : undefined;
    case 'variants':
      return parseList(text, parseVariant);
    case 'ints':
      return parseList(text, parseInteger);
    case 'names':
      return parseList(text, (s) => (/^[a-z_]+$/.test(s) ? s : undefined));
    case 'changes': {
      const changes = parseList(text, parseChange);
      return changes?.sort((a, b) => a.step - b.step);
    }
    case 'pruners':
      return parsePruners(text);
    case 'name':
      return /^[a-z_-]*$/.test(text) ? text : undefined;
  }
}

const describeKind: Record<Kind, string> = {
  number: 'a number',
  optnumber: 'a number or avg',
  int: 'an integer',
  bool: '0 or 1',
  enum: 'one of',
  variants: 'comma-separated epsilons or agents key:value;...',
  ints: 'comma-separated integers',
  names: 'comma-separated names',
  changes: 'changes step:e|u|g|r:epsilon[:s|q|c|b value], comma-separated',
  pruners: 'pruners name(key:value;...), comma-separated',
  name: 'a name',
};

/**
 * The state a URL hash describes: properties it does not give keep their defaults, and
 * so do those it gives unreadably (each reported). Unknown keys are ignored.
 */
export function parseState(hash: string): { state: PageState; problems: HashProblem[] } {
  const state = defaultState();
  const problems: HashProblem[] = [];
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  const given = new Map<string, string>();
  for (const part of text.split('&')) {
    if (part === '') {
      continue;
    }
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    let value = eq < 0 ? '1' : part.slice(eq + 1);
    try {
      value = decodeURIComponent(value);
    } catch {
      problems.push({ key, message: `${key}: not a valid URL encoding` });
      continue;
    }
    given.set(key, value);
  }
  const record = state as Record<string, unknown>;
  for (const key of KEYS) {
    const raw = given.get(key);
    if (raw === undefined) {
      continue;
    }
    const p = property(key);
    const value = parseValue(p, raw);
    if (value === undefined) {
      const expected = p.kind === 'enum' ? `${describeKind.enum} ${p.values?.join(', ')}` : describeKind[p.kind];
      problems.push({ key, message: `${key} must be ${expected}, got "${raw}"` });
      continue;
    }
    record[key] = value;
  }
  // A page opened bare shows the first lesson, whose experiment is the defaults.
  if (given.size === 0) {
    state.lesson = FIRST_LESSON;
  }
  // A link that gives the horizon but not the position shows the whole curves.
  if (given.has('steps') && !given.has('at')) {
    state.at = state.steps;
  }
  return { state, problems };
}

/**
 * The state of the page's address `hash`: as parsed, with the colour scheme last chosen (`stored`) when the link does
 * not name one.
 */
export function loadedState(hash: string, stored: Theme): { state: PageState; problems: HashProblem[] } {
  const parsed = parseState(hash);
  if (!/(^|[#&])theme=/.test(hash)) parsed.state.theme = stored;
  return parsed;
}

/** The table's agent: every agent field at its default. */
export function defaultAgent(): AgentSettings {
  return agentOf(defaultState());
}

/** The state's own agent (before any change, and what compared curves start from). */
export function agentOf(state: Pick<PageState, keyof AgentSettings>): AgentSettings {
  const { agent, epsilon, step_size, initial_value, ucb_c, gradient_baseline } = state;
  return { agent, epsilon, step_size, initial_value, ucb_c, gradient_baseline };
}

/** The agent in force after all changes: what the agent controls show. */
export function currentAgent(state: PageState): AgentSettings {
  const last = state.changes[state.changes.length - 1];
  return last ? agentOf(last) : agentOf(state);
}

/** An agent's fields as the core's JSON names them (the core decides which matter). */
export function agentJson(a: AgentSettings): Record<string, unknown> {
  return {
    agent: a.agent,
    epsilon: a.epsilon,
    step_size: a.step_size,
    initial_value: a.initial_value,
    ucb_c: a.ucb_c,
    baseline: a.gradient_baseline,
  };
}

const sameAgent = (a: AgentSettings, b: AgentSettings): boolean =>
  JSON.stringify(agentOf(a)) === JSON.stringify(agentOf(b));

/**
 * The state after the person set the agent to `agent` when `stepsDone` steps had been
 * taken. While playing (`live`), the change is recorded at that step (a marker on the
 * chart); when paused, it rewrites the latest agent setting and the curves are
 * recomputed with it. A change at the same step as the last one replaces it.
 */
export function withAgent(state: PageState, agent: AgentSettings, stepsDone: number, live: boolean): PageState {
  const settings = agentOf(agent);
  if (live && stepsDone > 0) {
    const kept = state.changes.filter((c) => c.step < stepsDone);
    const last = kept[kept.length - 1];
    const before = last ? agentOf(last) : agentOf(state);
    if (sameAgent(before, settings)) {
      return { ...state, changes: kept };
    }
    return { ...state, changes: [...kept, { step: stepsDone, ...settings }] };
  }
  const last = state.changes[state.changes.length - 1];
  if (last) {
    return { ...state, changes: [...state.changes.slice(0, -1), { ...last, ...settings }] };
  }
  // Before any change, the base agent: compared agents give way to the one chosen.
  return { ...state, ...settings, compare: [] };
}

/**
 * Back to step 0 of the same experiment: the starting agents, compared epsilons and the
 * changes recorded while playing are kept, so playing again replays the same curves.
 */
export function rewound(state: PageState): PageState {
  return { ...state, at: 0 };
}

/** A setting of the experiment other than the agent, set while paused: redrawn to the same step. */
export function withSetting(
  state: PageState,
  key: 'arms' | 'arm_mean' | 'arm_spread' | 'noise' | 'walk' | 'steps' | 'runs' | 'seed',
  value: number,
): PageState {
  const next: PageState = { ...state, [key]: value };
  if (key === 'steps') {
    next.at = state.at >= state.steps ? value : Math.min(state.at, value);
    next.changes = state.changes.filter((c) => c.step <= next.at);
  }
  if (key === 'runs' || key === 'seed') next.hidden = [];
  return next;
}

/** Only the `top` best runs shown (0: all), none hidden by hand. */
export function withTop(state: PageState, top: number): PageState {
  return { ...state, top, hidden: [] };
}

/** The average view of `average` runs per curve (0: single runs); the average is shown whole. */
export function withAverage(state: PageState, average: number): PageState {
  return { ...state, average, at: average > 0 ? state.steps : state.at };
}

/** Curve `curve` shown again if hidden, else hidden. */
export function toggledHidden(state: PageState, curve: number): PageState {
  const hidden = state.hidden.includes(curve)
    ? state.hidden.filter((h) => h !== curve)
    : [...state.hidden, curve].sort((a, b) => a - b);
  return { ...state, hidden };
}

/** What a lesson does not decide: the person's classroom flags and colour scheme. */
const PERSONAL: readonly Key[] = KEYS.filter((key) => property(key).role === 'personal');

/**
 * The state of lesson `id`: every property at its default except what the lesson sets,
 * and the person's own (classroom flags, theme) kept. It does not depend on anything
 * else in `from`, so a lesson gives the same link whatever was shown before.
 */
export function withLesson(from: PageState, id: string, lesson: Partial<PageState>): PageState {
  const next: PageState = { ...defaultState(), ...structuredClone(lesson), lesson: id };
  const record = next as Record<string, unknown>;
  for (const key of PERSONAL) record[key] = from[key];
  return next;
}

/** What makes the experiment: if any of these differs from the lesson's, its text no longer applies. */
const EXPERIMENT: readonly Key[] = KEYS.filter((key) => property(key).role === 'experiment');

/** The experiment settings of `state` that differ from those of `lesson` (empty: still the lesson). */
export function changedFromLesson(state: PageState, lesson: Partial<PageState>): Key[] {
  const reference = { ...defaultState(), ...lesson };
  return EXPERIMENT.filter((key) => JSON.stringify(state[key]) !== JSON.stringify(reference[key]));
}

/** Curve `index`: which bandit (cohort run index) and which agent it uses. */
export function curvePlan(state: PageState, index: number): { runIndex: number; agent: AgentSettings } {
  const n = state.compare.length;
  if (n === 0) {
    return { runIndex: index, agent: agentOf(state) };
  }
  return { runIndex: Math.floor(index / n), agent: { ...agentOf(state), ...state.compare[index % n] } };
}

/** The experiment config (core JSON) shared by every curve, with the state's own agent. */
export function experimentJson(state: PageState): Record<string, unknown> {
  return {
    arms: state.arms,
    arm_mean: state.arm_mean,
    arm_spread: state.arm_spread,
    noise: state.noise,
    walk: state.walk,
    ...agentJson(agentOf(state)),
    steps: state.steps,
    seed: state.seed,
  };
}

const short = (x: number): string => String(Number(x.toPrecision(3)));

/** A few words naming an agent, with the fields its kind uses: `UCB c 2`, `ε 0.1 · α 0.1 · Q1 5`. */
export function describeAgent(a: AgentSettings): string {
  const alpha = a.step_size === null ? [] : [`α ${short(a.step_size)}`];
  const q1 = a.initial_value !== 0 ? [`Q1 ${short(a.initial_value)}`] : [];
  switch (a.agent) {
    case 'random':
      return 'random';
    case 'ucb':
      return [`UCB c ${short(a.ucb_c)}`, ...alpha, ...q1].join(' · ');
    case 'gradient':
      return [
        `gradient α ${a.step_size === null ? 'default' : short(a.step_size)}`,
        a.gradient_baseline ? 'baseline' : 'no baseline',
      ].join(' · ');
    default:
      return [`ε ${short(a.epsilon)}`, ...alpha, ...q1].join(' · ');
  }
}

/** Is control `name` hidden by the classroom flags? */
export function isHidden(state: PageState, name: string): boolean {
  return state.hide.includes('all') || state.hide.includes(name);
}

const threeDigits = (x: number): number => Number(x.toPrecision(3));

/**
 * Each setting of an experiment the core sampled as the page can show it: rounded to its slider's step, at most
 * `maxSteps` steps, played to the end.
 */
export function sampledLesson(c: ExperimentJson, maxSteps: number): Partial<PageState> {
  const step = (name: FieldName) => FIELDS.find((f) => f.name === name)?.slider?.step ?? 1;
  const steps = Math.min(c.steps, maxSteps);
  return {
    arms: c.arms,
    arm_mean: roundToStep(c.arm_mean, step('arm_mean')),
    arm_spread: roundToStep(c.arm_spread, step('arm_spread')),
    noise: roundToStep(c.noise, step('noise')),
    walk: threeDigits(c.walk),
    agent: c.agent,
    epsilon: roundToStep(c.epsilon, step('epsilon')),
    step_size: c.step_size === null ? null : threeDigits(c.step_size),
    initial_value: threeDigits(c.initial_value),
    ucb_c: threeDigits(c.ucb_c),
    gradient_baseline: c.baseline,
    steps,
    seed: c.seed,
    at: steps,
  };
}

/** The index in `speeds` (ascending) of `speed`, else of the first faster one, else 0. */
export function speedIndex(speed: number, speeds: readonly number[]): number {
  const i = speeds.indexOf(speed);
  return i >= 0
    ? i
    : Math.max(
        0,
        speeds.findIndex((s) => s >= speed),
      );
}
