/**
 * A quiz session: the core's items in order, the position, and the labels answered so
 * far. Each answer becomes a label made by the core and written to the store before the
 * feedback is computed and shown.
 */
import { randomId, type LabelsStore } from './labels-store.js';
import type { Result } from '../core.js';
import type { QuizCore } from './quiz-core.js';
import { displayOf, type Draft } from './quiz-state.js';
import type { AnswerJson, FeedbackJson, QuizSetJson, RevealJson, ShownItemJson } from './quiz-wasm.js';

export const APP_VERSION = '0.1.0';

export interface SessionOptions {
  /** sequential items show each run's random baseline */
  context: boolean;
}

export class Session {
  index = 0;
  /** this session's labels, as the core wrote them */
  readonly lines: string[] = [];
  private shownAt = 0;

  constructor(
    readonly set: QuizSetJson,
    readonly options: SessionOptions,
    private readonly core: QuizCore,
    private readonly store: LabelsStore,
    private readonly annotator: string,
    /** a session resumed after a reload keeps its id (its labels carry it) */
    readonly id = `session-${randomId()}`,
  ) {}

  get item(): ShownItemJson {
    return this.set.items[this.index] as ShownItemJson;
  }

  get reveal(): RevealJson {
    return this.set.reveal[this.index] as RevealJson;
  }

  get done(): boolean {
    return this.index >= this.set.items.length;
  }

  /** Starts the clock of the current item. */
  shown(): void {
    this.shownAt = performance.now();
  }

  /**
   * Records `answer` (or a skip): the core makes and scores the label, the store keeps it
   * (awaited: durable before anything else happens), then the core gives the feedback.
   */
  async answer(answer: AnswerJson, draft: Draft): Promise<Result<{ label: string; feedback: FeedbackJson }>> {
    const item = this.item;
    const label = this.core.makeLabel(
      {
        id: randomId(),
        annotator: this.annotator,
        session: this.id,
        created_at: new Date().toISOString(),
        app_version: APP_VERSION,
        display: displayOf(item, draft, {
          context: this.options.context,
          position: this.index + 1,
          of: this.set.items.length,
        }),
        latency_ms: Math.max(0, Math.round(performance.now() - this.shownAt)),
      },
      item,
      answer,
    );
    if (label.error) return { error: label.error };
    await this.store.append([label.ok]);
    this.lines.push(label.ok);
    const feedback = this.core.feedback(item, answer);
    if (feedback.error) return { error: feedback.error };
    return { ok: { label: label.ok, feedback: feedback.ok } };
  }

  jsonl(): string {
    return this.lines.length ? `${this.lines.join('\n')}\n` : '';
  }
}
