/**
 * The quiz page: wires the setup form, the item view, the keyboard, the feedback, the
 * session summary and the labels panel together. State lives in the draft (quiz-state),
 * the session and the store; the core decides everything else.
 */
import '../style.css';
import './quiz.css';
import { explain, fillBoard, fillRunning, fillStanding, formatAnswer, verdict, why } from './feedback-view.js';
import { LabelsPanel } from './labels-panel.js';
import { LabelsStore } from './labels-store.js';
import { collectorUrl, Outbox, showOutbox } from './outbox.js';
import { loadQuizCore, type QuizCore } from './quiz-core.js';
import {
  ALL_KINDS,
  KIND_NAMES,
  answerOf,
  apply,
  isClick,
  isRanking,
  keyAction,
  keyHelp,
  newDraft,
  sequentialAt,
  type Action,
  type Draft,
} from './quiz-state.js';
import type { FeedbackJson, QuizKind } from './quiz-wasm.js';
import { QuizChart, runColor } from './render.js';
import { answerScenes, feedbackScenes } from './scenes.js';
import { Session } from './session.js';
import { applyTheme as applySharedTheme, playgroundHref, storedTheme } from '../theme.js';
import { $ } from '../dom.js';

type Phase = 'loading' | 'setup' | 'answer' | 'saving' | 'feedback' | 'summary';

let core: QuizCore;
let store: LabelsStore;
let panel: LabelsPanel;
/** Sends answers to a collector when the page has one (`curvelab serve`, `#collect=URL`). */
let outbox: Outbox | undefined;
let annotator = '';
let phase: Phase = 'loading';
let session: Session | undefined;
let draft: Draft | undefined;
let feedback: FeedbackJson | undefined;
let mainChart: QuizChart;
let rightChart: QuizChart;

// --- theme ------------------------------------------------------------------------------

function applyTheme(value: string): void {
  applySharedTheme(value === 'light' || value === 'dark' ? value : 'auto');
  mainChart?.applyTheme();
  rightChart?.applyTheme();
  redraw();
}

// --- views ------------------------------------------------------------------------------

function showOnly(view: 'setup' | 'item' | 'summary'): void {
  $('setup').hidden = view !== 'setup';
  $('item').hidden = view !== 'item';
  $('summary').hidden = view !== 'summary';
}

function redraw(): void {
  if (!session || session.done || !draft) return;
  const item = session.item;
  const answering = !(feedback && (phase === 'feedback' || phase === 'summary'));
  let best: { best: string | null; value: number | null } | null = null;
  if (answering && item.kind === 'sequential' && session.options.context) {
    const found = core.bestSoFar(item, draft.stops);
    best = found.ok ?? null;
  }
  const scenes =
    !answering && feedback
      ? feedbackScenes(item, session.reveal, feedback)
      : answerScenes(item, session.reveal, draft, session.options.context, best);
  mainChart.draw(scenes.main);
  if (scenes.right) rightChart.draw(scenes.right);
}

function choiceButton(text: string, key: string, color: string | null, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'choice';
  if (color) {
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = color;
    swatch.setAttribute('aria-hidden', 'true');
    b.append(swatch);
  }
  const label = document.createElement('span');
  label.className = 'choice-text';
  label.textContent = text;
  const kbd = document.createElement('kbd');
  kbd.textContent = key;
  kbd.setAttribute('aria-hidden', 'true');
  b.append(label, kbd);
  b.addEventListener('click', onClick);
  return b;
}

/** The answer buttons of the current kind (the mouse's way to do what the keys do). */
function buildChoices(): void {
  const box = $('choices');
  box.replaceChildren();
  if (!session || !draft) return;
  const item = session.item;
  const kind = item.kind;
  if (kind === 'stop-early' || isRanking(kind)) {
    item.labels.forEach((label, i) => {
      const b = choiceButton(`Run ${label}`, String(i + 1), runColor(i), () =>
        act({ type: 'run', index: i }, 'pointer'),
      );
      b.dataset.run = label;
      if (kind === 'stop-early') b.setAttribute('aria-pressed', 'false');
      box.append(b);
    });
    if (isRanking(kind)) box.append(choiceButton('Undo', '⌫', null, () => act({ type: 'undo' }, 'pointer')));
  } else if (kind === 'pairwise') {
    const [left, right] = item.labels as [string, string];
    const l = choiceButton(`Left (${left}) is better`, '1 ←', runColor(0), () =>
      act({ type: 'side', side: 0 }, 'pointer'),
    );
    const r = choiceButton(`Right (${right}) is better`, '2 →', runColor(1), () =>
      act({ type: 'side', side: 1 }, 'pointer'),
    );
    l.dataset.run = left;
    r.dataset.run = right;
    l.setAttribute('aria-pressed', 'false');
    r.setAttribute('aria-pressed', 'false');
    box.append(l, r);
  } else if (isClick(kind)) {
    box.append(
      choiceButton('Earlier', '←', null, () => act({ type: 'move', by: -1 }, 'pointer')),
      choiceButton('Later', '→', null, () => act({ type: 'move', by: 1 }, 'pointer')),
    );
    if (kind === 'stop-point') {
      const never = choiceButton('Never stop it', 'N', null, () => act({ type: 'never' }, 'pointer'));
      never.dataset.never = 'true';
      never.setAttribute('aria-pressed', 'false');
      box.append(never);
    }
  } else if (kind === 'sequential') {
    box.append(
      choiceButton('Continue', 'C', null, () => act({ type: 'continue' }, 'pointer')),
      choiceButton('Stop this run here', 'X', null, () => act({ type: 'stop' }, 'pointer')),
    );
  }
}

function describeDraft(d: Draft): string {
  switch (d.kind) {
    case 'stop-early':
      return d.picked.length ? `You would stop: ${d.picked.join(', ')}.` : 'No run selected: submitting stops none.';
    case 'rank-max':
    case 'rank-fastest':
    case 'rank-slowest': {
      const slots = d.labels.map((_, i) => d.picked[i] ?? '_');
      return `Your ranking: ${slots.join(' › ')}`;
    }
    case 'onset':
      return d.cursor === null ? 'No step chosen yet.' : `Learning started at step ${d.cursor}?`;
    case 'stop-point':
      return d.never ? 'Never stop this run.' : d.cursor === null ? 'No step chosen yet.' : `Stop at step ${d.cursor}.`;
    case 'pairwise':
      return d.better === null
        ? 'No side chosen yet.'
        : `${d.better} (${d.better === d.labels[0] ? 'left' : 'right'}) is better.`;
    case 'sequential': {
      const at = sequentialAt(d);
      const decided = d.stops.map((s, i) => `${d.labels[i]}: ${s === null ? 'ran on' : `stopped at ${s}`}`).join(' · ');
      return at
        ? `Run ${at.label} has reached step ${at.step} of ${d.horizon}: continue or ` +
            `stop?${decided ? `  (${decided})` : ''}`
        : 'Every run decided.';
    }
  }
}

function syncDraft(): void {
  if (!draft) return;
  $('draft').textContent = describeDraft(draft);
  for (const b of $('choices').querySelectorAll<HTMLButtonElement>('button.choice')) {
    const run = b.dataset.run;
    if (run && b.hasAttribute('aria-pressed'))
      b.setAttribute(
        'aria-pressed',
        String(draft.kind === 'pairwise' ? draft.better === run : draft.picked.includes(run)),
      );
    if (run && isRanking(draft.kind)) {
      const rank = draft.picked.indexOf(run);
      b.classList.toggle('ranked', rank >= 0);
      b.dataset.rank = rank >= 0 ? `#${rank + 1}` : '';
      b.setAttribute('aria-label', `Run ${run}${rank >= 0 ? `, placed #${rank + 1}` : ''}`);
    }
    if (b.dataset.never) b.setAttribute('aria-pressed', String(draft.never));
  }
  const complete = 'answer' in answerOf(draft);
  $<HTMLButtonElement>('submit').disabled = false;
  $('submit').classList.toggle('ready', complete);
  $('submit').hidden = draft.kind === 'sequential';
  redraw();
}

function showItem(): void {
  if (!session) return;
  const item = session.item;
  draft = newDraft(item);
  feedback = undefined;
  phase = 'answer';
  showOnly('item');
  $('item').classList.toggle('pairwise', item.kind === 'pairwise');
  const count = session.set.items.length;
  $('item-heading').textContent = `Item ${session.index + 1} of ${count} · ${KIND_NAMES[item.kind]}`;
  $<HTMLProgressElement>('item-progress').value = session.index / session.set.items.length;
  $('question').textContent = item.question;
  $('keys').textContent = keyHelp(item.kind);
  $('right-box').hidden = item.kind !== 'pairwise';
  $('main-caption').hidden = item.kind !== 'pairwise';
  $('main-caption').textContent = item.kind === 'pairwise' ? `Left: run ${item.labels[0]}` : '';
  const right = $('right-box').querySelector('figcaption');
  if (right) right.textContent = `Right: run ${item.labels[1] ?? ''}`;
  $('answer-area').hidden = false;
  $('feedback').hidden = true;
  $('missing').hidden = true;
  $('chart-main').classList.toggle('clickable', isClick(item.kind));
  $('chart-main').setAttribute(
    'aria-label',
    item.kind === 'pairwise'
      ? `Run ${item.labels[0]}: smoothed reward per step, ${item.horizon} steps`
      : `Runs ${item.labels.join(', ')}: smoothed reward per step, shown up to step ${item.shown_until} of ` +
          `${item.horizon}${isClick(item.kind) ? '; click to place the cursor' : ''}`,
  );
  buildChoices();
  syncDraft();
  session.shown();
  $('item-heading').focus();
}

async function submit(answerOverride?: { skipped: true }): Promise<void> {
  if (!session || !draft || phase !== 'answer') return;
  const result = answerOverride ? { answer: answerOverride } : answerOf(draft);
  if (!('answer' in result)) {
    $('missing').textContent = result.missing;
    $('missing').hidden = false;
    return;
  }
  phase = 'saving';
  let outcome;
  try {
    outcome = await session.answer(result.answer, draft);
  } catch (e) {
    outcome = {
      error: {
        field: 'storage',
        message: `the label could not be stored in this browser (${String(e)}); nothing was recorded, try again`,
      },
    };
  }
  if (outcome.error) {
    phase = 'answer';
    $('missing').textContent = `Not recorded: ${outcome.error.message}`;
    $('missing').hidden = false;
    return;
  }
  feedback = outcome.ok.feedback;
  outbox?.kick();
  phase = 'feedback';
  showFeedback(feedback);
  await Promise.all([panel.refresh(), refreshRunning()]);
}

function showFeedback(f: FeedbackJson): void {
  if (!session) return;
  const item = session.item;
  $('answer-area').hidden = true;
  $('feedback').hidden = false;
  $('feedback-heading').textContent = f.score.skipped
    ? 'Skipped — here is the truth'
    : `You answered: ${formatAnswer(f.answer, item.labels)}`;
  $('verdict-score').textContent = verdict(f);
  $('verdict-score').classList.toggle('skipped', f.score.skipped);
  $('verdict-score').style.setProperty('--value', String(f.score.score ?? 0));
  $('explanation').textContent = explain(item, f.truth);
  $('why').textContent = why(item.kind, f.score, f.truth);
  $('chart-key').textContent =
    item.kind === 'onset' || item.kind === 'stop-point'
      ? 'Bold: the true value (noise-free expected reward); faint: the smoothed reward you saw. Green: the ' +
        'truth; blue dashed: your answer.'
      : 'Bold: the true value (noise-free expected reward); faint: the smoothed reward, now shown to the horizon.';
  fillBoard($('board').querySelector('tbody') as HTMLTableSectionElement, f.board, item.labels);
  $('next').textContent = '';
  $('next').append(
    session.index + 1 < session.set.items.length ? 'Next item ' : 'See the summary ',
    Object.assign(document.createElement('kbd'), { textContent: 'Enter' }),
  );
  $('announce').textContent = `${verdict(f)}. ${explain(item, f.truth)} ${why(item.kind, f.score, f.truth)}`;
  redraw();
  $('feedback-heading').focus();
}

async function refreshRunning(): Promise<void> {
  if (!session) return;
  const summary = core.labelSummary(session.jsonl());
  const has = !summary.error && summary.ok.labels > 0;
  $('running').hidden = !has;
  $('running-empty').hidden = has;
  if (!summary.error) fillRunning($('running').querySelector('tbody') as HTMLTableSectionElement, summary.ok);
}

function next(): void {
  if (!session || phase !== 'feedback') return;
  session.index += 1;
  if (session.done) showSummary();
  else showItem();
}

function showSummary(): void {
  keepStarted(undefined); // a finished session is not resumed
  if (!session) return;
  phase = 'summary';
  showOnly('summary');
  const standing = core.sessionStanding(session.jsonl());
  const skipped = session.lines.filter((l) => (JSON.parse(l) as { skipped: boolean }).skipped).length;
  const total = session.set.items.length;
  $('summary-lead').textContent =
    `You answered ${total - skipped} of ${total} items${skipped ? ` and skipped ${skipped}` : ''}. Below, ` +
    `per kind, everyone's mean score on the items you answered: you, the ground truth and each pruner, as ` +
    `the core scores them.`;
  if (standing.error) $('standing').textContent = standing.error.message;
  else fillStanding($('standing'), standing.ok);
  $('summary-heading').focus();
}

// --- resuming after a reload -------------------------------------------------------------
// What a session was started with, kept for this tab: a reload remakes the same items from
// the same seed and resumes at the first item without a label of this session.

const RESUME_KEY = 'curvelab.quiz.session';
interface Started {
  kind: string;
  count: number;
  seed: number;
  context: boolean;
  id: string;
}

function keepStarted(started: Started | undefined): void {
  try {
    if (started) sessionStorage.setItem(RESUME_KEY, JSON.stringify(started));
    else sessionStorage.removeItem(RESUME_KEY);
  } catch {
    // storage refused: a reload starts again
  }
}

async function resume(): Promise<boolean> {
  let started: Started;
  try {
    started = JSON.parse(sessionStorage.getItem(RESUME_KEY) ?? 'null') as Started;
  } catch {
    return false;
  }
  if (!started || typeof started.id !== 'string') return false;
  const set = core.makeQuiz(
    started.kind === 'mixed' ? 'mixed' : [started.kind as QuizKind],
    started.count,
    started.seed,
  );
  if (set.error) return false;
  session = new Session(set.ok, { context: started.context }, core, store, annotator, started.id);
  for (const line of await store.lines()) {
    if ((JSON.parse(line) as { session?: string }).session === started.id) session.lines.push(line);
  }
  session.index = Math.min(session.lines.length, set.ok.items.length);
  if (session.done) return false;
  $<HTMLSelectElement>('kind').value = started.kind;
  $<HTMLInputElement>('seed').value = String(started.seed);
  void refreshRunning();
  showItem();
  return true;
}

function showSetup(): void {
  keepStarted(undefined);
  phase = 'setup';
  session = undefined;
  draft = undefined;
  showOnly('setup');
  $<HTMLInputElement>('seed').value = String(Math.floor(Math.random() * 1_000_000));
  $('setup-heading').focus();
}

function start(): void {
  const kind = $<HTMLSelectElement>('kind').value;
  const count = Number($<HTMLInputElement>('count').value);
  const seed = Number($<HTMLInputElement>('seed').value || '0');
  const set = core.makeQuiz(kind === 'mixed' ? 'mixed' : [kind as QuizKind], count, seed);
  if (set.error) {
    $('setup-problem').textContent = set.error.message;
    $('setup-problem').hidden = false;
    return;
  }
  $('setup-problem').hidden = true;
  session = new Session(set.ok, { context: $<HTMLInputElement>('context').checked }, core, store, annotator);
  keepStarted({ kind, count, seed, context: session.options.context, id: session.id });
  void refreshRunning();
  showItem();
}

// --- input ------------------------------------------------------------------------------

function act(action: Action, input: 'keyboard' | 'pointer'): void {
  if (phase === 'feedback') {
    if (action.type === 'submit') next();
    return;
  }
  if (phase === 'summary') {
    if (action.type === 'submit') showSetup();
    return;
  }
  if (phase !== 'answer' || !draft) return;
  draft.inputs.add(input);
  if (action.type === 'submit') {
    void submit();
    return;
  }
  if (action.type === 'skip') {
    void submit({ skipped: true });
    return;
  }
  draft = apply(draft, action);
  $('missing').hidden = true;
  syncDraft();
  if (draft.kind === 'sequential' && 'answer' in answerOf(draft)) void submit();
}

function onKey(e: KeyboardEvent): void {
  if (e.ctrlKey || e.metaKey || e.altKey || phase === 'loading' || phase === 'saving') return;
  const target = e.target as HTMLElement;
  if (phase === 'setup') {
    // Enter anywhere outside a control starts (inside the form, Enter submits it anyway).
    if (e.key === 'Enter' && !target.closest('input, select, textarea, button, a, dialog, .labels-panel, summary')) {
      e.preventDefault();
      start();
    }
    return;
  }
  if (target.closest('input, select, textarea, dialog')) return;
  // Enter and Space keep their own meaning on buttons, links and disclosures (except the
  // answer buttons, where Enter submits as everywhere else in the item).
  const activatable = target.closest('button, a, summary');
  if (activatable && (e.key === ' ' || (e.key === 'Enter' && !activatable.classList.contains('choice')))) return;
  const kind: QuizKind = session && !session.done ? session.item.kind : 'onset';
  const action =
    phase === 'answer'
      ? keyAction(kind, e.key, e.shiftKey)
      : e.key === 'Enter'
        ? ({ type: 'submit' } as const)
        : undefined;
  if (!action) return;
  e.preventDefault();
  act(action, 'keyboard');
}

// --- start ------------------------------------------------------------------------------

async function main(): Promise<void> {
  const kindSelect = $<HTMLSelectElement>('kind');
  for (const kind of ALL_KINDS) {
    const option = document.createElement('option');
    option.value = kind;
    option.textContent = `${KIND_NAMES[kind]} (${kind})`;
    kindSelect.append(option);
  }
  const theme = $<HTMLSelectElement>('theme');
  theme.value = storedTheme();
  // Back to the playground as the person left it.
  document.querySelector<HTMLAnchorElement>('a[href="./index.html"]')?.setAttribute('href', playgroundHref());
  mainChart = new QuizChart($<HTMLCanvasElement>('chart-main'), (step) => {
    if (session && !session.done && isClick(session.item.kind)) act({ type: 'cursor', step }, 'pointer');
  });
  rightChart = new QuizChart($<HTMLCanvasElement>('chart-right'));
  applyTheme(theme.value);
  theme.addEventListener('change', () => {
    applyTheme(theme.value);
  });
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => applyTheme(theme.value));

  try {
    [core, store] = await Promise.all([loadQuizCore(), LabelsStore.open()]);
    annotator = await store.annotator();
  } catch (e) {
    const p = $('load-problem');
    p.textContent = `The quiz could not start: ${String(e)}`;
    p.hidden = false;
    return;
  }
  panel = new LabelsPanel(core, store);
  await panel.refresh();
  const collector = collectorUrl(document, location);
  if (collector) outbox = await Outbox.open(collector, () => store.lines(), annotator, showOutbox);

  $('setup').addEventListener('submit', (e) => {
    e.preventDefault();
    start();
  });
  $('submit').addEventListener('click', () => act({ type: 'submit' }, 'pointer'));
  $('skip').addEventListener('click', () => act({ type: 'skip' }, 'pointer'));
  $('next').addEventListener('click', () => act({ type: 'submit' }, 'pointer'));
  $('again').addEventListener('click', () => act({ type: 'submit' }, 'pointer'));
  document.addEventListener('keydown', onKey);
  document.body.classList.remove('loading');
  if (!(await resume())) showSetup();

  // For the browser tests and the curious: read-only views of the page's state.
  Object.assign(window, {
    curvelabQuiz: {
      phase: () => phase,
      annotator: () => annotator,
      item: () =>
        session && !session.done ? { id: session.item.id, kind: session.item.kind, labels: session.item.labels } : null,
      storedLines: () => store.lines(),
      sessionLines: () => session?.lines ?? [],
      summary: () => panel.summary,
      importText: (name: string, text: string) => panel.importText(name, text),
      outbox: () => (outbox ? { ...outbox.state } : null),
      draft: () => $('draft').textContent,
      chart: () => mainChart.drawn(),
      /** the colours the main chart's axes are drawn with, as the scheme in use resolves them */
      chartColors: () => mainChart.colors(),
    },
  });
}

void main();
