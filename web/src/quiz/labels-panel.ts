/**
 * The labels panel: counts per kind, export (JSONL, CSV), import (merged and de-duplicated
 * by the core, all or nothing) of a file or of the sample labels, clear with confirmation,
 * and agreement among annotators.
 * Every count, check and statistic is the core's; this module shows and stores.
 */
import { downloadText } from '../download.js';
import { percent } from './feedback-view.js';
import type { LabelsStore } from './labels-store.js';
import type { QuizCore } from './quiz-core.js';
import { KIND_NAMES } from './quiz-state.js';
import type { ItemAgreementJson, LabelSummaryJson, QuizKind } from './quiz-wasm.js';
import { $ } from '../dom.js';

/** The sample labels, next to the page: the answer key's labels to the sample quiz (scripts/make-samples.sh). */
const SAMPLE_LABELS = 'samples/labels.jsonl';

const STATISTIC: Record<ItemAgreementJson['statistic'], string> = {
  kendall_w: "Kendall's W",
  fleiss_kappa: "Fleiss' κ",
  percent_agreement: 'agreement',
  mean_pairwise_distance: 'mean distance (steps)',
};

const STATISTIC_OF_KIND = (kind: QuizKind): ItemAgreementJson['statistic'] =>
  kind.startsWith('rank-')
    ? 'kendall_w'
    : kind === 'pairwise'
      ? 'percent_agreement'
      : kind === 'onset' || kind === 'stop-point'
        ? 'mean_pairwise_distance'
        : 'fleiss_kappa';

const formatStatistic = (statistic: ItemAgreementJson['statistic'], value: number | null): string =>
  value === null
    ? '–'
    : statistic === 'mean_pairwise_distance'
      ? value.toFixed(0)
      : statistic === 'percent_agreement'
        ? percent(value)
        : value.toFixed(2);

function cell(tag: 'th' | 'td', text: string, className = ''): HTMLTableCellElement {
  const c = document.createElement(tag);
  if (tag === 'th') c.scope = 'row';
  if (className) c.className = className;
  c.textContent = text;
  return c;
}

export class LabelsPanel {
  /** The last summary shown (tests read it through window.curvelabQuiz). */
  summary: LabelSummaryJson | undefined;

  constructor(
    private readonly core: QuizCore,
    private readonly store: LabelsStore,
  ) {
    $('export-jsonl').addEventListener('click', () => void this.export('jsonl'));
    $('export-csv').addEventListener('click', () => void this.export('csv'));
    $<HTMLInputElement>('import').addEventListener('change', (e) => {
      const input = e.target as HTMLInputElement;
      const file = input.files?.[0];
      input.value = '';
      if (file) void this.importFile(file);
    });
    $('load-sample-labels').addEventListener('click', () => void this.importSample());
    $('clear').addEventListener('click', () => this.askClear());
    const dialog = $<HTMLDialogElement>('confirm-clear');
    dialog.addEventListener('close', () => {
      if (dialog.returnValue === 'clear') void this.clear();
      $('clear').focus();
    });
  }

  private status(text: string): void {
    $('labels-status').textContent = text;
    $('labels-error').hidden = true;
  }

  private problem(text: string): void {
    const p = $('labels-error');
    p.textContent = text;
    p.hidden = false;
    $('labels-status').textContent = '';
  }

  async refresh(): Promise<void> {
    const jsonl = await this.store.jsonl();
    const summary = this.core.labelSummary(jsonl);
    if (summary.error) {
      this.problem(`The stored labels could not be read: ${summary.error.message}`);
      return;
    }
    this.summary = summary.ok;
    const s = summary.ok;
    $('labels-total').textContent =
      s.labels === 0
        ? 'No labels yet: answer an item, or import a file.'
        : `${s.labels} label${s.labels === 1 ? '' : 's'} from ${s.annotators} ` +
          `annotator${s.annotators === 1 ? '' : 's'}, stored in this browser.`;
    const kinds = Object.entries(s.by_kind) as [QuizKind, NonNullable<LabelSummaryJson['by_kind'][QuizKind]>][];
    $('label-counts').hidden = kinds.length === 0;
    $('label-counts')
      .querySelector('tbody')
      ?.replaceChildren(
        ...kinds.map(([kind, k]) => {
          const tr = document.createElement('tr');
          tr.append(
            cell('th', KIND_NAMES[kind] ?? kind),
            cell('td', String(k.labels), 'num'),
            cell('td', String(k.skipped), 'num'),
            cell('td', percent(k.mean_score), 'num'),
          );
          return tr;
        }),
      );
    for (const id of ['export-jsonl', 'export-csv', 'clear']) $<HTMLButtonElement>(id).disabled = s.labels === 0;
    this.showAgreement(s, kinds);
  }

  private showAgreement(
    s: LabelSummaryJson,
    kinds: [QuizKind, NonNullable<LabelSummaryJson['by_kind'][QuizKind]>][],
  ): void {
    const box = $('agreement');
    if (s.annotators < 2) {
      box.replaceChildren();
      if (s.labels > 0) {
        const p = document.createElement('p');
        p.className = 'hint';
        p.textContent =
          'Agreement appears here once labels from several annotators are imported (items answered by two or more).';
        box.append(p);
      }
      return;
    }
    const h = document.createElement('h3');
    h.textContent = 'Agreement among annotators';
    const table = document.createElement('table');
    table.className = 'counts';
    table.innerHTML =
      '<caption>Per kind (computed by the core)</caption><thead><tr><th scope="col">Kind</th><th ' +
      'scope="col">Items</th><th scope="col">Statistic</th><th scope="col">Mean</th></tr></thead>';
    const body = document.createElement('tbody');
    for (const [kind, k] of kinds) {
      if (!k.items_with_agreement) continue;
      const statistic = STATISTIC_OF_KIND(kind);
      const tr = document.createElement('tr');
      tr.append(
        cell('th', KIND_NAMES[kind] ?? kind),
        cell('td', String(k.items_with_agreement), 'num'),
        cell('td', STATISTIC[statistic]),
        cell('td', formatStatistic(statistic, k.mean_agreement), 'num'),
      );
      body.append(tr);
    }
    table.append(body);
    const items = document.createElement('details');
    const summary = document.createElement('summary');
    summary.textContent = `Per item (${s.items.length})`;
    const list = document.createElement('table');
    list.className = 'counts';
    const listBody = document.createElement('tbody');
    for (const item of s.items) {
      const tr = document.createElement('tr');
      tr.append(
        cell('th', item.id),
        cell('td', `${item.annotators} annotators`),
        cell('td', `${STATISTIC[item.statistic]} ${formatStatistic(item.statistic, item.value)}`, 'num'),
      );
      listBody.append(tr);
    }
    list.append(listBody);
    items.append(summary, list);
    const bias = document.createElement('p');
    bias.className = 'hint';
    const pb = s.position_bias;
    const swaps = pb.swap_pairs
      ? `the same run was chosen after a side swap in ${percent(pb.consistent_share)} of ${pb.swap_pairs} pairs`
      : 'no pair was seen both ways yet';
    bias.textContent = pb.pairwise_answers
      ? `Position bias: the left run was chosen in ${percent(pb.share_left)} of ${pb.pairwise_answers} ` +
        `pairwise answers; ${swaps}.`
      : '';
    box.replaceChildren(
      h,
      body.children.length ? table : document.createTextNode('No item has answers from two annotators yet.'),
      items,
      bias,
    );
  }

  async export(format: 'jsonl' | 'csv'): Promise<void> {
    const jsonl = await this.store.jsonl();
    const text = this.core.exportLabels(jsonl, format);
    if (text.error) {
      this.problem(`Export failed: ${text.error.message}`);
      return;
    }
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    downloadText(`curvelab-labels-${stamp}.${format}`, text.ok, format === 'csv' ? 'text/csv' : 'application/x-ndjson');
    this.status(`Exported ${this.summary?.labels ?? ''} labels as ${format.toUpperCase()}.`);
  }

  /** Merges a file into the stored labels, or refuses it whole with the core's reason. */
  async importText(name: string, text: string): Promise<boolean> {
    const stored = await this.store.jsonl();
    const merge = this.core.mergeLabels(stored, text);
    if (merge.error) {
      this.problem(`Import refused: ${name}: ${merge.error.message}. Nothing was changed.`);
      return false;
    }
    const { lines, added, duplicates, rescored } = merge.ok;
    if (!added && !duplicates) {
      this.problem(`Import refused: ${name} holds no labels. Nothing was changed.`);
      return false;
    }
    try {
      await this.store.append(lines.slice(lines.length - added));
    } catch (e) {
      this.problem(`Import failed while storing: ${String(e)}. Nothing was changed.`);
      return false;
    }
    await this.refresh();
    const upgraded = rescored
      ? `; ${rescored} of the previous label schema ${rescored === 1 ? 'was' : 'were'} rescored by the current rules`
      : '';
    this.status(
      `Imported ${added} new label${added === 1 ? '' : 's'} from ` +
        `${name}${duplicates ? `; ${duplicates} already stored (same id) were skipped` : ''}${upgraded}.`,
    );
    return true;
  }

  /** Fetches the sample labels (served next to the page) and imports them as a file is imported. */
  async importSample(): Promise<boolean> {
    let text: string;
    try {
      const response = await fetch(SAMPLE_LABELS);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      text = await response.text();
    } catch (e) {
      this.problem(`The sample labels could not be loaded: ${String(e)}. Nothing was changed.`);
      return false;
    }
    return this.importText(SAMPLE_LABELS, text);
  }

  private async importFile(file: File): Promise<void> {
    await this.importText(file.name, await file.text());
  }

  private askClear(): void {
    const count = this.summary?.labels ?? 0;
    $('confirm-text').textContent =
      `This deletes the ${count} label${count === 1 ? '' : 's'} stored in this browser. Export them first ` +
      `if you need them.`;
    const dialog = $<HTMLDialogElement>('confirm-clear');
    dialog.returnValue = '';
    dialog.showModal();
  }

  async clear(): Promise<void> {
    await this.store.clear();
    await this.refresh();
    this.status('Cleared: no labels are stored in this browser now.');
  }
}
