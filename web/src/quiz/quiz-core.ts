/**
 * The quiz facade over the shared wasm module (loaded once by ../core.ts): typed calls to
 * web/bindings_quiz.cpp. Every item, truth, score, board, label, merge and summary comes
 * from the core; nothing here decides anything.
 */
import { loadCore, resultOf, type Core, type Result } from '../core.js';
import type {
  AnswerJson,
  FeedbackJson,
  LabelContextJson,
  LabelMergeJson,
  LabelSummaryJson,
  QuizItemJson,
  QuizKind,
  QuizModuleFunctions,
  QuizSetJson,
  ShownItemJson,
  StandingJson,
  TruthOfItemJson,
} from './quiz-wasm.js';

/** The item as the core reads it back (without the shown curves it was drawn from). */
export function itemOnly(item: ShownItemJson | QuizItemJson): QuizItemJson {
  const { curves: _curves, ...rest } = item as ShownItemJson;
  return rest;
}

export class QuizCore {
  private readonly m: QuizModuleFunctions;

  constructor(readonly core: Core) {
    this.m = core.module;
  }

  makeQuiz(kinds: QuizKind[] | 'mixed', count: number, seed: number): Result<QuizSetJson> {
    return resultOf(this.m.makeQuiz(kinds === 'mixed' ? 'mixed' : kinds.join(','), count, seed));
  }

  truth(item: QuizItemJson): Result<TruthOfItemJson> {
    return resultOf(this.m.quizTruth(JSON.stringify(itemOnly(item))));
  }

  feedback(item: QuizItemJson, answer: AnswerJson): Result<FeedbackJson> {
    return resultOf(this.m.quizFeedback(JSON.stringify(itemOnly(item)), JSON.stringify(answer)));
  }

  /** Sequential items: the study's best run among those decided so far (`stops`), if any ran to the end. */
  bestSoFar(item: QuizItemJson, stops: (number | null)[]): Result<{ best: string | null; value: number | null }> {
    return resultOf(this.m.sequentialBestSoFar(JSON.stringify(itemOnly(item)), JSON.stringify(stops)));
  }

  /** The label as one JSONL line (the core's own text, stored as is). */
  makeLabel(context: LabelContextJson, item: QuizItemJson, answer: AnswerJson): Result<string> {
    const text = this.m.makeLabel(JSON.stringify(context), JSON.stringify(itemOnly(item)), JSON.stringify(answer));
    const checked = resultOf<unknown>(text);
    return checked.error ? { error: checked.error } : { ok: text };
  }

  mergeLabels(storedJsonl: string, incomingJsonl: string): Result<LabelMergeJson> {
    return resultOf(this.m.mergeLabels(storedJsonl, incomingJsonl));
  }

  exportLabels(jsonl: string, format: 'jsonl' | 'csv'): Result<string> {
    const result = resultOf<{ text: string }>(this.m.exportLabels(jsonl, format));
    return result.error ? { error: result.error } : { ok: result.ok.text };
  }

  labelSummary(jsonl: string): Result<LabelSummaryJson> {
    return resultOf(this.m.labelSummary(jsonl));
  }

  sessionStanding(jsonl: string): Result<StandingJson> {
    return resultOf(this.m.sessionStanding(jsonl));
  }
}

let loading: Promise<QuizCore> | undefined;

/** The quiz facade over the page's one core. */
export function loadQuizCore(): Promise<QuizCore> {
  loading ??= loadCore().then((core) => new QuizCore(core));
  return loading;
}
