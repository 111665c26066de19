/**
 * The whole page state, declared as a table of typed properties and serialised to and
 * parsed from the URL hash by pure functions (after TensorFlow Playground's state.ts),
 * so any view can be shared as a link that reproduces the same curves.
 *
 * Parsing only checks types (a number, an integer, one of a list); whether a value is
 * in range is the core's decision (`parseExperiment`), made where the state is used.
 */

export type AgentKind = 'epsilon-greedy' | 'random';

/** A pruner parameter as the study JSON writes it: a number, "auto", "inf", "-inf", "nan", null, or a wrapped pruner. */
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

/** An agent change made while the runs were playing: it applies from `step` on. */
export interface AgentChange {
  /** steps already taken when the change applied (0 < step) */
  step: number;
  agent: AgentKind;
  epsilon: number;
}

/** How a property is written in the URL and read back. */
type Kind = 'number' | 'int' | 'bool' | 'enum' | 'numbers' | 'ints' | 'names' | 'changes' | 'pruners' | 'name';

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

const prop = <T>(kind: Kind, value: T, whenSet = false, role?: Property<T>['role']): Property<T> => ({ kind, default: value, whenSet, role });
const experiment = <T>(kind: Kind, value: T, whenSet = false): Property<T> => prop(kind, value, whenSet, 'experiment');
const oneOf = <const V extends readonly string[]>(values: V, value: V[number], whenSet = false, role?: Property<V[number]>['role']): Property<V[number]> => ({
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
  agent: oneOf(['epsilon-greedy', 'random'] as const, 'epsilon-greedy', false, 'experiment'),
  epsilon: experiment('number', 0.1),
  steps: experiment('int', 1000),
  /** the first lesson's: four runs that each start near their baseline and climb */
  seed: experiment('int', 121),
  /** independent runs; run i has the seed derive_seed(seed, i) */
  runs: experiment('int', 4),
  /** optional epsilons compared side by side: curve i uses compare[i % n] on bandit floor(i / n) */
  compare: experiment<number[]>('numbers', [], true),
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

function formatChange(c: AgentChange): string {
  return `${c.step}:${c.agent === 'random' ? 'r' : 'e'}:${formatNumber(c.epsilon)}`;
}

function formatPruner(p: PrunerChoice): string {
  const params = Object.entries(p.params).map(([k, v]) => `${k}:${v !== null && typeof v === 'object' ? formatPruner(v) : String(v)}`);
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
      if (/^[a-z_]+\(/.test(text.slice(at)) || /^[a-z_]+(?:[;)])/.test(text.slice(at)) && key === 'wrapped') {
        value = pruner();
      } else {
        const m = /^[^;()]+/.exec(text.slice(at));
        if (!m) return undefined;
        at += m[0].length;
        const raw = m[0];
        const x = Number(raw);
        value = raw === 'null' ? null : raw.trim() !== '' && Number.isFinite(x) ? x : /^[+-]?[a-z]+$/i.test(raw) ? raw : undefined;
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
    case 'numbers':
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

function parseChange(text: string): AgentChange | undefined {
  const [step, agent, epsilon] = text.split(':');
  const s = parseInteger(step ?? '');
  const e = parseNumber(epsilon ?? '');
  if (s === undefined || s < 1 || e === undefined || (agent !== 'e' && agent !== 'r')) {
    return undefined;
  }
  return { step: s, agent: agent === 'r' ? 'random' : 'epsilon-greedy', epsilon: e };
}

function parseValue(p: Property<unknown>, text: string): unknown {
  switch (p.kind) {
    case 'number':
      return parseNumber(text);
    case 'int':
      return parseInteger(text);
    case 'bool':
      return text === '1' || text === 'true' ? true : text === '0' || text === 'false' ? false : undefined;
    case 'enum':
      return p.values?.includes(text) ? text : undefined;
    case 'numbers':
      return parseList(text, parseNumber);
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
  int: 'an integer',
  bool: '0 or 1',
  enum: 'one of',
  numbers: 'comma-separated numbers',
  ints: 'comma-separated integers',
  names: 'comma-separated names',
  changes: 'changes step:e|r:epsilon, comma-separated',
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

/** The agent in force after all changes: what the Agent and Epsilon controls show. */
export function currentAgent(state: PageState): { agent: AgentKind; epsilon: number } {
  const last = state.changes[state.changes.length - 1];
  return last ? { agent: last.agent, epsilon: last.epsilon } : { agent: state.agent, epsilon: state.epsilon };
}

/**
 * The state after the person set the agent to `agent` / `epsilon` when `steps_done` steps
 * had been taken. While playing (`live`), the change is recorded at that step (a marker on
 * the chart); when paused, it rewrites the latest agent setting and the curves are
 * recomputed with it. A change at the same step as the last one replaces it.
 */
export function withAgent(state: PageState, agent: AgentKind, epsilon: number, stepsDone: number, live: boolean): PageState {
  if (live && stepsDone > 0) {
    const kept = state.changes.filter((c) => c.step < stepsDone);
    const before = kept[kept.length - 1] ?? { agent: state.agent, epsilon: state.epsilon };
    if (before.agent === agent && before.epsilon === epsilon) {
      return { ...state, changes: kept };
    }
    return { ...state, changes: [...kept, { step: stepsDone, agent, epsilon }] };
  }
  const last = state.changes[state.changes.length - 1];
  if (last) {
    return { ...state, changes: [...state.changes.slice(0, -1), { ...last, agent, epsilon }] };
  }
  // Before any change, the base agent: compared epsilons give way to the one chosen.
  return { ...state, agent, epsilon, compare: [] };
}

/**
 * Back to step 0 of the same experiment: the starting agents, compared epsilons and the
 * changes recorded while playing are kept, so playing again replays the same curves.
 */
export function rewound(state: PageState): PageState {
  return { ...state, at: 0 };
}

/** A setting of the experiment other than the agent, set while paused: redrawn to the same step. */
export function withSetting(state: PageState, key: 'arms' | 'arm_mean' | 'arm_spread' | 'noise' | 'steps' | 'runs' | 'seed', value: number): PageState {
  const next: PageState = { ...state, [key]: value };
  if (key === 'steps') {
    next.at = state.at >= state.steps ? value : Math.min(state.at, value);
    next.changes = state.changes.filter((c) => c.step <= next.at);
  }
  if (key === 'runs' || key === 'seed') next.hidden = [];
  return next;
}

/** Curve `curve` shown again if hidden, else hidden. */
export function toggledHidden(state: PageState, curve: number): PageState {
  const hidden = state.hidden.includes(curve) ? state.hidden.filter((h) => h !== curve) : [...state.hidden, curve].sort((a, b) => a - b);
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

/** Curve `index`: which bandit (cohort run index) and which epsilon it uses. */
export function curvePlan(state: PageState, index: number): { runIndex: number; epsilon: number } {
  const n = state.compare.length;
  if (n === 0) {
    return { runIndex: index, epsilon: state.epsilon };
  }
  return { runIndex: Math.floor(index / n), epsilon: state.compare[index % n] ?? state.epsilon };
}

/** The experiment config (core JSON) shared by every curve, before per-curve epsilons. */
export function experimentJson(state: PageState): Record<string, unknown> {
  return {
    agent: state.agent,
    arms: state.arms,
    arm_mean: state.arm_mean,
    arm_spread: state.arm_spread,
    noise: state.noise,
    epsilon: state.epsilon,
    steps: state.steps,
    seed: state.seed,
  };
}

/** Is control `name` hidden by the classroom flags? */
export function isHidden(state: PageState, name: string): boolean {
  return state.hide.includes('all') || state.hide.includes(name);
}
