/**
 * The pruner panel: which pruners, their parameters (Optuna's names; defaults and
 * refusals from the core), whose stops the chart shows, and a table of what each pruner
 * saved and cost (the core's study summary). No pruning rule here: it only reads and shows.
 */
import type { Core, PrunerName } from './core.js';
import type { CurveInfo } from './simulation.js';
import {
  checkChoice,
  DIRECTION,
  prunerLabel,
  PRUNER_LOOK,
  STUDY_NAME,
  type PrunerVerdicts,
  type StudyTrials,
} from './pruners.js';
import type { PageState, PrunerChoice, PrunerParam } from './state.js';

export interface PrunerPanelHandlers {
  /** New pruner choices (already accepted by the core) or a new view. */
  change(pruners: PrunerChoice[], pview: string): void;
  exportStudy(): void;
}

/** One line on what each pruner does, for people meeting it for the first time. */
const ABOUT: Record<PrunerName, string> = {
  nop: 'Never stops a run: the baseline every pruner is compared with.',
  median: "Stops a run whose best value so far is below the median of earlier completed runs' values at the same step.",
  percentile:
    'Like median, at any percentile: stops a run below that percentile of earlier completed runs at the same step.',
  successive_halving:
    'At rungs (min_resource × reduction_factor^k steps) keeps only the top 1/reduction_factor of runs that ' +
    'reached the rung.',
  hyperband:
    'Several successive-halving brackets with different rungs; each run is assigned a bracket from the ' +
    'study name and its number.',
  threshold: 'Stops a run as soon as its latest value leaves [lower, upper].',
  patient: 'Lets the wrapped pruner decide only after the run has not improved for `patience` steps.',
  extrapolation:
    "curvelab's own, not Optuna's: fits a learning-curve model to the run and stops it when its predicted " +
    "final is unlikely (probability below p) to beat the best completed run's.",
};

/** Parameters in the order of Optuna's constructors (the core's JSON sorts them by name). */
const PARAM_ORDER = [
  'percentile',
  'n_startup_trials',
  'n_warmup_steps',
  'interval_steps',
  'n_min_trials',
  'min_resource',
  'max_resource',
  'reduction_factor',
  'min_early_stopping_rate',
  'bootstrap_count',
  'lower',
  'upper',
  'wrapped',
  'patience',
  'min_delta',
  'p',
  'horizon',
  'max_checks',
];
const paramRank = (key: string) => (PARAM_ORDER.includes(key) ? PARAM_ORDER.indexOf(key) : PARAM_ORDER.length);

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  Object.assign(e, props);
  e.append(...children);
  return e;
}

/** A typed parameter as the study JSON takes it: '' means Optuna's default. */
function readParam(text: string): PrunerParam | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (t === 'null' || t === 'None') return null;
  const x = Number(t);
  return Number.isFinite(x) ? x : t;
}

function showParam(value: PrunerParam | undefined): string {
  if (value === undefined) return '';
  if (value === null) return 'null';
  if (typeof value === 'object') return value.name;
  return String(value);
}

/**
 * Why a pruner stopped no run, when its parameters explain it: median and percentile judge
 * a run only once `n_startup_trials` runs have finished (Optuna's rule, applied by the core).
 */
function noStopsText(v: PrunerVerdicts, trials: number): string {
  const startup = v.pruner.params?.n_startup_trials;
  if (
    (v.choice.name === 'median' || v.choice.name === 'percentile') &&
    typeof startup === 'number' &&
    startup >= trials
  ) {
    return (
      `stops no run: it judges a run only after n_startup_trials = ${startup} runs have finished, and ` +
      `there are ${trials} runs`
    );
  }
  return 'stops no run';
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

export class PrunerPanel {
  private readonly names: PrunerName[];
  private readonly boxes = new Map<PrunerName, HTMLInputElement>();
  private readonly forms: HTMLElement;
  private readonly view: HTMLSelectElement;
  private readonly studyLine: HTMLElement;
  private readonly table: HTMLTableSectionElement;
  private readonly stops: HTMLElement;
  private readonly results: HTMLElement;
  private state: PageState | undefined;
  /** what the forms were built for: rebuilt only when the chosen set changes */
  private formsKey = '';

  constructor(
    root: HTMLElement,
    private readonly core: Core,
    private readonly handlers: PrunerPanelHandlers,
  ) {
    this.names = core.prunerNames();
    const choose = root.querySelector<HTMLElement>('#pruner-choice') as HTMLElement;
    for (const name of this.names) {
      const box = el('input', { type: 'checkbox', id: `prune-${name}`, value: name });
      box.addEventListener('change', () => this.toggle(name, box.checked));
      const label = el('label', { htmlFor: box.id, title: ABOUT[name] }, box, ` ${prunerLabel(name)}`);
      label.append(el('i', { className: `shape shape-${PRUNER_LOOK[name].style}` }));
      label.querySelector('i')?.setAttribute('aria-hidden', 'true');
      choose.append(label);
      this.boxes.set(name, box);
    }
    this.forms = root.querySelector('#pruner-forms') as HTMLElement;
    this.view = root.querySelector('#pruner-view') as HTMLSelectElement;
    this.view.addEventListener('change', () => this.state && handlers.change(this.state.pruners, this.view.value));
    this.studyLine = root.querySelector('#study-line') as HTMLElement;
    this.table = root.querySelector('#pruner-table tbody') as HTMLTableSectionElement;
    this.stops = root.querySelector('#pruner-stops-list') as HTMLElement;
    this.results = root.querySelector('#pruner-results') as HTMLElement;
    root.querySelector('#export-study')?.addEventListener('click', () => handlers.exportStudy());
  }

  private toggle(name: PrunerName, on: boolean): void {
    if (!this.state) return;
    const pruners = on
      ? [...this.state.pruners.filter((p) => p.name !== name), { name, params: {} }]
      : this.state.pruners.filter((p) => p.name !== name);
    const pview = pruners.some((p) => p.name === this.state?.pview) ? (this.state.pview as string) : 'all';
    this.handlers.change(pruners, pview);
  }

  /** Shows the state's pruners, view and study description. */
  setState(state: PageState): void {
    this.state = state;
    for (const [name, box] of this.boxes) {
      box.checked = state.pruners.some((p) => p.name === name);
    }
    const key = state.pruners.map((p) => p.name).join(',');
    if (key !== this.formsKey) {
      this.formsKey = key;
      this.forms.replaceChildren(...state.pruners.map((p) => this.form(p)));
    } else {
      this.syncForms(state);
    }
    this.view.replaceChildren(
      el('option', { value: 'all' }, 'all chosen pruners'),
      ...state.pruners.map((p) => el('option', { value: p.name }, `${prunerLabel(p.name)} only`)),
    );
    this.view.value = state.pruners.some((p) => p.name === state.pview) ? state.pview : 'all';
    this.view.disabled = state.pruners.length < 2;
    const window =
      state.window === 0 ? `${this.core.defaultSmoothingWindow(state.steps)} steps (auto)` : `${state.window} steps`;
    const smoothing =
      state.smoothing === 'none'
        ? 'the raw rewards (no smoothing)'
        : state.smoothing === 'ema'
          ? `the rewards smoothed by an EMA of weight ${state.weight}`
          : `the rewards smoothed by a moving average of ${window}`;
    this.studyLine.textContent =
      `Study "${STUDY_NAME}", direction ${DIRECTION}: one trial per run, in the order the runs were started ` +
      `(run 1 first). ` +
      `A trial reports ${smoothing}, as drawn, one value per step; study step k is chart step k + 1. ` +
      `Its final value is the run's ground-truth final performance (the mean true value over the last 10% ` +
      `of the steps so far). ` +
      `While runs grow, the study is the one you would have if they ended now; pruners are asked again a ` +
      `few times a second.`;
    // Pruners judge single runs as they grow: the average view has none.
    const averaging = state.average > 0;
    this.results.hidden = state.pruners.length === 0 || averaging;
    const note = document.getElementById('pruner-average-note');
    if (note) note.hidden = !averaging;
    const legendKey = document.querySelector<HTMLElement>('.k-prune-key');
    if (legendKey) legendKey.hidden = state.pruners.length === 0;
  }

  /** The parameter form of one chosen pruner: a box per Optuna parameter, the default shown as placeholder. */
  private form(choice: PrunerChoice): HTMLElement {
    const name = choice.name as PrunerName;
    const defaults = this.names.includes(name) ? (this.core.prunerDefaults(name).params ?? {}) : {};
    const fs = el(
      'fieldset',
      { className: 'pruner-form', id: `pruner-form-${name}` },
      el(
        'legend',
        {},
        el('i', { className: `shape shape-${PRUNER_LOOK[name]?.style ?? 'circle'}` }),
        ` ${prunerLabel(name)}`,
      ),
    );
    fs.append(el('p', { className: 'hint' }, ABOUT[name] ?? ''));
    const error = el('p', { className: 'error', id: `pruner-${name}-error` });
    error.setAttribute('role', 'alert');
    const grid = el('div', { className: 'param-grid' });
    for (const [key, def] of Object.entries(defaults).sort(([a], [b]) => paramRank(a) - paramRank(b))) {
      const id = `pruner-${name}-${key}`;
      if (key === 'wrapped') {
        const select = el('select', { id });
        select.append(
          el('option', { value: '' }, 'none (patience alone)'),
          ...this.names.filter((n) => n !== 'patient').map((n) => el('option', { value: n }, prunerLabel(n))),
        );
        select.value = showParam(choice.params.wrapped);
        select.setAttribute('aria-label', `${prunerLabel(name)} ${key}`);
        select.addEventListener('change', () =>
          this.propose(name, key, select.value === '' ? null : { name: select.value, params: {} }, error, select),
        );
        grid.append(el('label', { htmlFor: id, className: 'param' }, el('span', {}, key), select));
        continue;
      }
      const box = el('input', { id, type: 'text', autocomplete: 'off', spellcheck: false, inputMode: 'decimal' });
      box.placeholder = showParam(def as PrunerParam);
      box.value = showParam(choice.params[key]);
      box.dataset.param = key;
      box.setAttribute('aria-label', `${prunerLabel(name)} ${key}`);
      box.setAttribute('aria-describedby', error.id);
      box.title = `Optuna's ${key}; empty: Optuna's default (${showParam(def as PrunerParam)})`;
      box.addEventListener('input', () => this.propose(name, key, readParam(box.value), error, box));
      grid.append(el('label', { htmlFor: id, className: 'param' }, el('span', {}, key), box));
    }
    if (Object.keys(defaults).length === 0) {
      grid.append(el('p', { className: 'hint' }, 'No parameters.'));
    }
    fs.append(grid, error);
    // A choice the core refuses as it stands (threshold without a bound, say) says so at once.
    const refused = checkChoice(this.core, choice);
    error.textContent = refused?.message ?? '';
    return fs;
  }

  /** Keeps boxes nobody is editing in step with the state (a link, a preset). */
  private syncForms(state: PageState): void {
    for (const choice of state.pruners) {
      for (const box of Array.from(
        this.forms.querySelectorAll<HTMLInputElement>(`#pruner-form-${choice.name} input[data-param]`),
      )) {
        if (document.activeElement !== box) box.value = showParam(choice.params[box.dataset.param ?? '']);
      }
    }
  }

  /** A typed parameter: refused inline with the core's message, else applied. */
  private propose(
    name: string,
    key: string,
    value: PrunerParam | undefined,
    error: HTMLElement,
    input: HTMLElement,
  ): void {
    if (!this.state) return;
    const current = this.state.pruners.find((p) => p.name === name);
    if (!current) return;
    const params = { ...current.params };
    if (value === undefined) delete params[key];
    else params[key] = value;
    const next = { name, params };
    const refused = checkChoice(this.core, next);
    error.textContent = refused?.message ?? '';
    error.dataset.source = 'form';
    input.setAttribute('aria-invalid', refused ? 'true' : 'false');
    input.closest('fieldset')?.classList.toggle('invalid', Boolean(refused));
    // Until the parameters are accepted, the table shows the last accepted ones' results: say so.
    const row = this.table.querySelector<HTMLTableRowElement>(`tr[data-pruner="${name}"]`);
    row?.classList.toggle('stale', Boolean(refused));
    const head = row?.querySelector('th');
    head?.querySelector('.stale-note')?.remove();
    if (refused && head)
      head.append(el('span', { className: 'stale-note' }, ' (results of the last accepted parameters)'));
    if (refused) return;
    this.handlers.change(
      this.state.pruners.map((p) => (p.name === name ? next : p)),
      this.state.pview,
    );
  }

  /** The table and the list of stops, from the core's verdicts on the study on screen. */
  show(verdicts: readonly PrunerVerdicts[], curves: readonly CurveInfo[], trials: StudyTrials): void {
    const runName = (i: number) => curves[i]?.label ?? `run ${i + 1}`;
    const rows: HTMLTableRowElement[] = [];
    const lists: HTMLElement[] = [];
    for (const v of verdicts) {
      const label = prunerLabel(v.choice.name);
      const head = el(
        'th',
        { scope: 'row' },
        el('i', { className: `shape shape-${PRUNER_LOOK[v.choice.name as PrunerName]?.style ?? 'circle'}` }),
        ` ${label}`,
      );
      head.querySelector('i')?.setAttribute('aria-hidden', 'true');
      const row = el('tr', {}, head);
      row.dataset.pruner = v.choice.name;
      if (!v.result) {
        row.append(el('td', { colSpan: 5, className: 'error' }, v.error?.message ?? 'refused'));
        rows.push(row);
        continue;
      }
      const s = v.result.summary;
      const best = s.best_trial;
      let kept = '—';
      if (best !== null) {
        const at = v.result.pruned_at[best];
        kept = s.best_trial_completed ? `yes · ${runName(best)}` : `no · ${runName(best)} stopped at step ${at ?? 0}`;
      }
      const cell = (text: string, title?: string) => {
        const td = el('td', {}, text);
        if (title) td.title = title;
        return td;
      };
      row.append(
        cell(
          `${pct(s.share_saved)}`,
          `${(s.steps_total - s.steps_run).toLocaleString('en')} of ${s.steps_total.toLocaleString('en')} ` +
            `steps not run`,
        ),
        cell(`${s.pruned} of ${s.trials}`),
        cell(kept),
        cell(
          String(s.false_stops),
          s.median_final === null
            ? undefined
            : `stopped runs whose final performance is above the median ${this.core.formatNumber(s.median_final)}`,
        ),
        cell(
          s.regret === null ? '—' : Number(s.regret.toPrecision(3)).toString(),
          'best final performance of all runs minus best of the runs kept',
        ),
      );
      row.cells[1]?.setAttribute('data-share', String(s.share_saved));
      rows.push(row);
      const items = v.result.pruned_at.flatMap((at, i) => {
        if (at === null) return [];
        const reason = v.result?.reasons[i]?.text ?? '';
        const value = trials[i]?.values[at];
        return [
          el(
            'li',
            {},
            el('strong', {}, `${runName(i)}`),
            ` stopped at step ${at} (chart step ` +
              `${at + 1}${value === undefined ? '' : `, value ${value.toFixed(3)}`}): ${reason}`,
          ),
        ];
      });
      lists.push(
        el(
          'div',
          { className: 'stops-of' },
          el('h4', {}, label),
          items.length > 0 ? el('ul', {}, ...items) : el('p', { className: 'hint' }, noStopsText(v, s.trials)),
        ),
      );
      if (items.length === 0) row.title = noStopsText(v, s.trials);
    }
    // Refusals Optuna only raises once the study runs (Hyperband's, when it initialises) are
    // shown in the pruner's form too, until a change clears them.
    for (const v of verdicts) {
      const error = document.getElementById(`pruner-${v.choice.name}-error`);
      if (!error) continue;
      if (v.error && (error.textContent === '' || error.dataset.source === 'run')) {
        error.textContent = v.error.message;
        error.dataset.source = 'run';
      } else if (!v.error && error.dataset.source === 'run') {
        error.textContent = '';
      }
      error.closest('fieldset')?.classList.toggle('invalid', error.textContent !== '');
    }
    this.table.replaceChildren(...rows);
    this.stops.replaceChildren(...lists);
  }
}
