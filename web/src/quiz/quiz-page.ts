/**
 * The live quiz page: its parts, the phase, the session, the draft and the feedback on
 * screen, and what each answer, key and click shows. main.ts builds the parts and connects
 * the page's events to these methods. The draft's transitions are in quiz-state.ts, the
 * session (items, position, labels) in session.ts; the core decides everything else.
 */
import { explain, fillBoard, fillRunning, fillStanding, formatAnswer, verdict, why } from './feedback-view.js';
import type { LabelsPanel } from './labels-panel.js';
import type { LabelsStore } from './labels-store.js';
import type { Outbox } from './outbox.js';
import type { QuizCore } from './quiz-core.js';
import {
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
import { runColor, type QuizChart } from './render.js';
import { answerScenes, feedbackScenes } from './scenes.js';
import { Session } from './session.js';
import { $ } from '../dom.js';

export type Phase = 'loading' | 'setup' | 'answer' | 'saving' | 'feedback' | 'summary';

/** The parts of the page, built by main.ts once the core and the store are open. */
export interface QuizParts {
  core: QuizCore;
  store: LabelsStore;
  panel: LabelsPanel;
  /** Sends answers to a collector when the page has one (`curvelab serve`, `#collect=URL`). */
  outbox: Outbox | undefined;
  annotator: string;
  mainChart: QuizChart;
  rightChart: QuizChart;
}

/** An answer button: its text, its key, and the run's colour when it stands for a run. */
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

function showOnly(view: 'setup' | 'item' | 'summary'): void {
  $('setup').hidden = view !== 'setup';
  $('item').hidden = view !== 'item';
  $('summary').hidden = view !== 'summary';
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

export class QuizPage {
  private current: Phase = 'loading';
  private session: Session | undefined;
  private draft: Draft | undefined;
  private feedback: FeedbackJson | undefined;

  constructor(private readonly parts: QuizParts) {}

  /** Where the page is: loading, the setup form, an item (answering, saving, its feedback) or the summary. */
  get phase(): Phase {
    return this.current;
  }

  /** The item on screen (none on the setup form and the summary). */
  get item(): { id: string; kind: QuizKind; labels: string[] } | null {
    const session = this.session;
    return session && !session.done
      ? { id: session.item.id, kind: session.item.kind, labels: session.item.labels }
      : null;
  }

  /** This session's labels, as the core wrote them. */
  get sessionLines(): string[] {
    return this.session?.lines ?? [];
  }

  // --- drawing ---------------------------------------------------------------------------

  /** The charts in the colours of the scheme now in use. */
  restyle(): void {
    this.parts.mainChart.applyTheme();
    this.parts.rightChart.applyTheme();
    this.redraw();
  }

  private redraw(): void {
    const { core, mainChart, rightChart } = this.parts;
    const { session, draft, feedback } = this;
    if (!session || session.done || !draft) return;
    const item = session.item;
    const answering = !(feedback && (this.current === 'feedback' || this.current === 'summary'));
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

  /** The answer buttons of the current kind (the mouse's way to do what the keys do). */
  private buildChoices(): void {
    const box = $('choices');
    box.replaceChildren();
    if (!this.session || !this.draft) return;
    const item = this.session.item;
    const kind = item.kind;
    const pointer = (action: Action) => () => this.act(action, 'pointer');
    if (kind === 'stop-early' || isRanking(kind)) {
      item.labels.forEach((label, i) => {
        const b = choiceButton(`Run ${label}`, String(i + 1), runColor(i), pointer({ type: 'run', index: i }));
        b.dataset.run = label;
        if (kind === 'stop-early') b.setAttribute('aria-pressed', 'false');
        box.append(b);
      });
      if (isRanking(kind)) box.append(choiceButton('Undo', '⌫', null, pointer({ type: 'undo' })));
    } else if (kind === 'pairwise') {
      const [left, right] = item.labels as [string, string];
      const l = choiceButton(`Left (${left}) is better`, '1 ←', runColor(0), pointer({ type: 'side', side: 0 }));
      const r = choiceButton(`Right (${right}) is better`, '2 →', runColor(1), pointer({ type: 'side', side: 1 }));
      l.dataset.run = left;
      r.dataset.run = right;
      l.setAttribute('aria-pressed', 'false');
      r.setAttribute('aria-pressed', 'false');
      box.append(l, r);
    } else if (isClick(kind)) {
      box.append(
        choiceButton('Earlier', '←', null, pointer({ type: 'move', by: -1 })),
        choiceButton('Later', '→', null, pointer({ type: 'move', by: 1 })),
      );
      if (kind === 'stop-point') {
        const never = choiceButton('Never stop it', 'N', null, pointer({ type: 'never' }));
        never.dataset.never = 'true';
        never.setAttribute('aria-pressed', 'false');
        box.append(never);
      }
    } else if (kind === 'sequential') {
      box.append(
        choiceButton('Continue', 'C', null, pointer({ type: 'continue' })),
        choiceButton('Stop this run here', 'X', null, pointer({ type: 'stop' })),
      );
    }
  }

  private syncDraft(): void {
    const draft = this.draft;
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
    this.redraw();
  }

  // --- an item and its feedback ----------------------------------------------------------

  private showItem(): void {
    const session = this.session;
    if (!session) return;
    const item = session.item;
    this.draft = newDraft(item);
    this.feedback = undefined;
    this.current = 'answer';
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
    this.buildChoices();
    this.syncDraft();
    session.shown();
    $('item-heading').focus();
  }

  private async submit(answerOverride?: { skipped: true }): Promise<void> {
    const { session, draft } = this;
    if (!session || !draft || this.current !== 'answer') return;
    const result = answerOverride ? { answer: answerOverride } : answerOf(draft);
    if (!('answer' in result)) {
      $('missing').textContent = result.missing;
      $('missing').hidden = false;
      return;
    }
    this.current = 'saving';
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
      this.current = 'answer';
      $('missing').textContent = `Not recorded: ${outcome.error.message}`;
      $('missing').hidden = false;
      return;
    }
    this.feedback = outcome.ok.feedback;
    this.parts.outbox?.kick();
    this.current = 'feedback';
    this.showFeedback(this.feedback);
    await Promise.all([this.parts.panel.refresh(), this.refreshRunning()]);
  }

  private showFeedback(f: FeedbackJson): void {
    const session = this.session;
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
    this.redraw();
    $('feedback-heading').focus();
  }

  private async refreshRunning(): Promise<void> {
    if (!this.session) return;
    const summary = this.parts.core.labelSummary(this.session.jsonl());
    const has = !summary.error && summary.ok.labels > 0;
    $('running').hidden = !has;
    $('running-empty').hidden = has;
    if (!summary.error) fillRunning($('running').querySelector('tbody') as HTMLTableSectionElement, summary.ok);
  }

  private next(): void {
    const session = this.session;
    if (!session || this.current !== 'feedback') return;
    session.index += 1;
    if (session.done) this.showSummary();
    else this.showItem();
  }

  private showSummary(): void {
    keepStarted(undefined); // a finished session is not resumed
    const session = this.session;
    if (!session) return;
    this.current = 'summary';
    showOnly('summary');
    const standing = this.parts.core.sessionStanding(session.jsonl());
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

  // --- starting a session ----------------------------------------------------------------

  /** The session this tab started before a reload, at its first unanswered item; false when there is none. */
  async resume(): Promise<boolean> {
    const { core, store, annotator } = this.parts;
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
    const session = new Session(set.ok, { context: started.context }, core, store, annotator, started.id);
    this.session = session;
    for (const line of await store.lines()) {
      if ((JSON.parse(line) as { session?: string }).session === started.id) session.lines.push(line);
    }
    session.index = Math.min(session.lines.length, set.ok.items.length);
    if (session.done) return false;
    $<HTMLSelectElement>('kind').value = started.kind;
    $<HTMLInputElement>('seed').value = String(started.seed);
    void this.refreshRunning();
    this.showItem();
    return true;
  }

  /** The setup form, with a fresh seed. */
  showSetup(): void {
    keepStarted(undefined);
    this.current = 'setup';
    this.session = undefined;
    this.draft = undefined;
    showOnly('setup');
    $<HTMLInputElement>('seed').value = String(Math.floor(Math.random() * 1_000_000));
    $('setup-heading').focus();
  }

  /** A new session of the kind, count and seed in the setup form. */
  start(): void {
    const { core, store, annotator } = this.parts;
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
    const session = new Session(set.ok, { context: $<HTMLInputElement>('context').checked }, core, store, annotator);
    this.session = session;
    keepStarted({ kind, count, seed, context: session.options.context, id: session.id });
    void this.refreshRunning();
    this.showItem();
  }

  // --- input -----------------------------------------------------------------------------

  /** An action from the keys or the buttons: on an item it changes the draft or answers, elsewhere Enter goes on. */
  act(action: Action, input: 'keyboard' | 'pointer'): void {
    if (this.current === 'feedback') {
      if (action.type === 'submit') this.next();
      return;
    }
    if (this.current === 'summary') {
      if (action.type === 'submit') this.showSetup();
      return;
    }
    if (this.current !== 'answer' || !this.draft) return;
    this.draft.inputs.add(input);
    if (action.type === 'submit') {
      void this.submit();
      return;
    }
    if (action.type === 'skip') {
      void this.submit({ skipped: true });
      return;
    }
    this.draft = apply(this.draft, action);
    $('missing').hidden = true;
    this.syncDraft();
    if (this.draft.kind === 'sequential' && 'answer' in answerOf(this.draft)) void this.submit();
  }

  /** A click on the main chart at `step`: the cursor of an item that asks for a step. */
  clicked(step: number): void {
    const session = this.session;
    if (session && !session.done && isClick(session.item.kind)) this.act({ type: 'cursor', step }, 'pointer');
  }

  /** A key pressed anywhere on the page. */
  key(e: KeyboardEvent): void {
    const phase = this.current;
    if (e.ctrlKey || e.metaKey || e.altKey || phase === 'loading' || phase === 'saving') return;
    const target = e.target as HTMLElement;
    if (phase === 'setup') {
      // Enter anywhere outside a control starts (inside the form, Enter submits it anyway).
      if (e.key === 'Enter' && !target.closest('input, select, textarea, button, a, dialog, .labels-panel, summary')) {
        e.preventDefault();
        this.start();
      }
      return;
    }
    if (target.closest('input, select, textarea, dialog')) return;
    // Enter and Space keep their own meaning on buttons, links and disclosures (except the
    // answer buttons, where Enter submits as everywhere else in the item).
    const activatable = target.closest('button, a, summary');
    if (activatable && (e.key === ' ' || (e.key === 'Enter' && !activatable.classList.contains('choice')))) return;
    const session = this.session;
    const kind: QuizKind = session && !session.done ? session.item.kind : 'onset';
    const action =
      phase === 'answer'
        ? keyAction(kind, e.key, e.shiftKey)
        : e.key === 'Enter'
          ? ({ type: 'submit' } as const)
          : undefined;
    if (!action) return;
    e.preventDefault();
    this.act(action, 'keyboard');
  }
}
