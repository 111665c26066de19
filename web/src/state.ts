/**
 * The whole page state, declared as a table of typed properties and serialised to and
 * parsed from the URL hash by pure functions (after TensorFlow Playground's state.ts),
 * so any view can be shared as a link that reproduces the same curves.
 *
 * Parsing only checks types (a number, an integer, one of a list); whether a value is
 * in range is the core's decision (`parseExperiment`), made where the state is used.
 */

export type AgentKind = 'epsilon-greedy' | 'random';
export type Smoothing = 'none' | 'moving-average' | 'ema';
export type Theme = 'auto' | 'light' | 'dark';

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

export interface PageState {
  // The experiment (names as in the core's JSON).
  arms: number;
  arm_mean: number;
  arm_spread: number;
  noise: number;
  agent: AgentKind;
  epsilon: number;
  steps: number;
  seed: number;
  /** independent runs; run i has the seed derive_seed(seed, i) */
  runs: number;
  /** optional epsilons compared side by side: curve i uses compare[i % n] on bandit floor(i / n) */
  compare: number[];
  /** agent changes made while playing, in step order */
  changes: AgentChange[];
  /** steps taken so far (the position of the view) */
  at: number;
  // The view.
  smoothing: Smoothing;
  /** moving-average window in steps; 0: the ground truth's default (5% of the horizon) */
  window: number;
  /** EMA weight in [0, 1) */
  weight: number;
  raw: boolean;
  baseline: boolean;
  truth: boolean;
  /** steps per frame while playing */
  speed: number;
  /** show only the K best runs by final performance so far; 0: all */
  top: number;
  /** run indices hidden from the chart */
  hidden: number[];
  // Pruners.
  /** the pruners whose stops are drawn, in the order chosen (one per kind) */
  pruners: PrunerChoice[];
  /** whose stops the chart shows: `all` or one chosen pruner's name */
  pview: string;
  // Classroom mode.
  /** control names hidden by the teacher (e.g. `noise,seed`), or `all` */
  hide: string[];
  /** no header, no presets: a focused exercise, e.g. in an iframe */
  embed: boolean;
  /** start playing on load */
  play: boolean;
  theme: Theme;
}

type Kind = 'number' | 'int' | 'bool' | 'enum' | 'numbers' | 'ints' | 'names' | 'changes' | 'pruners' | 'name';

interface Property {
  key: keyof PageState;
  kind: Kind;
  values?: readonly string[];
}

/** The declarative table: every property of the state, in URL order. */
export const PROPERTIES: readonly Property[] = [
  { key: 'arms', kind: 'int' },
  { key: 'arm_mean', kind: 'number' },
  { key: 'arm_spread', kind: 'number' },
  { key: 'noise', kind: 'number' },
  { key: 'agent', kind: 'enum', values: ['epsilon-greedy', 'random'] },
  { key: 'epsilon', kind: 'number' },
  { key: 'steps', kind: 'int' },
  { key: 'seed', kind: 'int' },
  { key: 'runs', kind: 'int' },
  { key: 'compare', kind: 'numbers' },
  { key: 'changes', kind: 'changes' },
  { key: 'at', kind: 'int' },
  { key: 'smoothing', kind: 'enum', values: ['none', 'moving-average', 'ema'] },
  { key: 'window', kind: 'int' },
  { key: 'weight', kind: 'number' },
  { key: 'raw', kind: 'bool' },
  { key: 'baseline', kind: 'bool' },
  { key: 'truth', kind: 'bool' },
  { key: 'speed', kind: 'int' },
  { key: 'top', kind: 'int' },
  { key: 'hidden', kind: 'ints' },
  { key: 'pruners', kind: 'pruners' },
  { key: 'pview', kind: 'name' },
  { key: 'hide', kind: 'names' },
  { key: 'embed', kind: 'bool' },
  { key: 'play', kind: 'bool' },
  { key: 'theme', kind: 'enum', values: ['auto', 'light', 'dark'] },
];

/** Properties written only when they differ from the default (view flags, classroom). */
const WRITTEN_WHEN_SET: ReadonlySet<keyof PageState> = new Set(['compare', 'changes', 'hidden', 'pruners', 'pview', 'hide', 'embed', 'play', 'theme', 'top']);

export function defaultState(): PageState {
  return {
    arms: 10,
    arm_mean: 0,
    arm_spread: 1,
    noise: 1,
    agent: 'epsilon-greedy',
    epsilon: 0.1,
    steps: 1000,
    seed: 1,
    runs: 4,
    compare: [],
    changes: [],
    at: 1000,
    smoothing: 'ema',
    window: 0,
    weight: 0.95,
    raw: true,
    baseline: true,
    truth: true,
    speed: 10,
    top: 0,
    hidden: [],
    pruners: [],
    pview: 'all',
    hide: [],
    embed: false,
    play: false,
    theme: 'auto',
  };
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

function isEmptyOrDefault(key: keyof PageState, value: unknown, defaults: PageState): boolean {
  if (Array.isArray(value)) {
    return value.length === 0;
  }
  return value === defaults[key];
}

/** The URL hash (without '#') for a state: every experiment property, view flags when set. */
export function serializeState(state: PageState): string {
  const defaults = defaultState();
  const parts: string[] = [];
  for (const p of PROPERTIES) {
    const value = state[p.key];
    if (WRITTEN_WHEN_SET.has(p.key) && isEmptyOrDefault(p.key, value, defaults)) {
      continue;
    }
    parts.push(`${p.key}=${encodeURIComponent(formatValue(p.kind, value))}`);
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

function parseValue(p: Property, text: string): unknown {
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
      return /^[a-z_]+$/.test(text) ? text : undefined;
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
  const record = state as unknown as Record<string, unknown>;
  for (const p of PROPERTIES) {
    const raw = given.get(p.key);
    if (raw === undefined) {
      continue;
    }
    const value = parseValue(p, raw);
    if (value === undefined) {
      const expected = p.kind === 'enum' ? `${describeKind.enum} ${p.values?.join(', ')}` : describeKind[p.kind];
      problems.push({ key: p.key, message: `${p.key} must be ${expected}, got "${raw}"` });
      continue;
    }
    record[p.key] = value;
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

/** Back to step 0, the agent now in force becoming the starting one. */
export function rewound(state: PageState): PageState {
  if (state.changes.length === 0) {
    return { ...state, at: 0 };
  }
  const { agent, epsilon } = currentAgent(state);
  return { ...state, agent, epsilon, changes: [], compare: [], at: 0 };
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
