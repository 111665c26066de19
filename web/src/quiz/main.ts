/**
 * Wiring only: builds the parts (the core from quiz-core.ts, the labels store and panel, the
 * outbox when the page has a collector, the two charts), hands them to the live page
 * (quiz-page.ts) and connects the page's events to it. The draft's transitions are in
 * quiz-state.ts, the session (items, position, labels) in session.ts; the core decides
 * everything else.
 */
import '../style.css';
import './quiz.css';
import { LabelsPanel } from './labels-panel.js';
import { LabelsStore } from './labels-store.js';
import { collectorUrl, Outbox, showOutbox } from './outbox.js';
import { loadQuizCore, type QuizCore } from './quiz-core.js';
import { QuizPage, type QuizParts } from './quiz-page.js';
import { ALL_KINDS, KIND_NAMES } from './quiz-state.js';
import { QuizChart } from './render.js';
import { applyTheme, playgroundHref, storedTheme } from '../theme.js';
import { $ } from '../dom.js';

/** The core, the store and the annotator's id; undefined (and said on the page) when they could not open. */
async function open(): Promise<{ core: QuizCore; store: LabelsStore; annotator: string } | undefined> {
  try {
    const [core, store] = await Promise.all([loadQuizCore(), LabelsStore.open()]);
    return { core, store, annotator: await store.annotator() };
  } catch (e) {
    const p = $('load-problem');
    p.textContent = `The quiz could not start: ${String(e)}`;
    p.hidden = false;
    return undefined;
  }
}

/** The charts, built around the page that they report to. */
function build(opened: Omit<QuizParts, 'mainChart' | 'rightChart'>): { page: QuizPage; parts: QuizParts } {
  const parts: QuizParts = {
    ...opened,
    mainChart: new QuizChart($<HTMLCanvasElement>('chart-main'), (step) => page.clicked(step)),
    rightChart: new QuizChart($<HTMLCanvasElement>('chart-right')),
  };
  const page = new QuizPage(parts);
  return { page, parts };
}

/** The page's events, each handed to the page. */
function wire(page: QuizPage, theme: HTMLSelectElement, scheme: MediaQueryList): void {
  theme.addEventListener('change', () => page.restyle());
  scheme.addEventListener('change', () => page.restyle());
  $('setup').addEventListener('submit', (e) => {
    e.preventDefault();
    page.start();
  });
  $('submit').addEventListener('click', () => page.act({ type: 'submit' }, 'pointer'));
  $('skip').addEventListener('click', () => page.act({ type: 'skip' }, 'pointer'));
  $('next').addEventListener('click', () => page.act({ type: 'submit' }, 'pointer'));
  $('again').addEventListener('click', () => page.act({ type: 'submit' }, 'pointer'));
  document.addEventListener('keydown', (e) => page.key(e));
}

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
  // The scheme follows the select from the start, while the core loads; once the page is up, its
  // charts follow too (wire).
  const applyChoice = () => applyTheme(theme.value === 'light' || theme.value === 'dark' ? theme.value : 'auto');
  const scheme = matchMedia('(prefers-color-scheme: dark)');
  applyChoice();
  theme.addEventListener('change', applyChoice);
  scheme.addEventListener('change', applyChoice);

  const opened = await open();
  if (!opened) return;
  const { core, store, annotator } = opened;
  const panel = new LabelsPanel(core, store);
  await panel.refresh();
  const collector = collectorUrl(document, location);
  const outbox = collector ? await Outbox.open(collector, () => store.lines(), annotator, showOutbox) : undefined;
  const { page, parts } = build({ core, store, annotator, panel, outbox });
  const { mainChart } = parts;
  wire(page, theme, scheme);
  document.body.classList.remove('loading');
  if (!(await page.resume())) page.showSetup();

  // For the browser tests and the curious: read-only views of the page's state.
  Object.assign(window, {
    curvelabQuiz: {
      phase: () => page.phase,
      annotator: () => annotator,
      item: () => page.item,
      storedLines: () => store.lines(),
      sessionLines: () => page.sessionLines,
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
