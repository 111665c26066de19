/**
 * The quiz facade over the shared wasm module (loaded once by ../core.ts): typed calls to
 * web/bindings_quiz.cpp. Every item, truth, score, board, label, merge and summary comes
 * from the core; nothing here decides anything.
 */
import { loadCore, type Core } from '../core.js';
import type { CoreError } from '../curvelab-wasm.js';
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

/** A value, or the core's reason for refusing the input. */
export type Outcome<T> = { ok: T; error?: undefined } | { ok?: undefined; error: CoreError };

function outcome<T>(text: string): Outcome<T> {
  const parsed = JSON.parse(text) as T | { error: CoreError };
  if (parsed !== null && typeof parsed === 'object' && 'error' in parsed) {
    return { error: (parsed as { error: CoreError }).error };
  }
  return { ok: parsed as T };
}

/** The item as the core reads it back (without the shown curves it was drawn from). */
export function itemOnly(item: ShownItemJson | QuizItemJson): QuizItemJson {
  const { curves: _curves, ...rest } = item as ShownItemJson;
  return rest;
}

export class QuizCore {
  private readonly m: QuizModuleFunctions;

  constructor(readonly core: Core) {
    this.m = core.module as unknown as QuizModuleFunctions;
  }

  makeQuiz(kinds: QuizKind[] | 'mixed', count: number, seed: number): Outcome<QuizSetJson> {
    return outcome(this.m.makeQuiz(kinds === 'mixed' ? 'mixed' : kinds.join(','), count, seed));
  }

  truth(item: QuizItemJson): Outcome<TruthOfItemJson> {
    return outcome(this.m.quizTruth(JSON.stringify(itemOnly(item))));
  }

  feedback(item: QuizItemJson, answer: AnswerJson): Outcome<FeedbackJson> {
    return outcome(this.m.quizFeedback(JSON.stringify(itemOnly(item)), JSON.stringify(answer)));
  }

  /** Sequential items: the study's best run among those decided so far (`stops`), if any ran to the end. */
  bestSoFar(item: QuizItemJson, stops: (number | null)[]): Outcome<{ best: string | null; value: number | null }> {
    return outcome(this.m.sequentialBestSoFar(JSON.stringify(itemOnly(item)), JSON.stringify(stops)));
  }

  /** The label as one JSONL line (the core's own text, stored as is). */
  makeLabel(context: LabelContextJson, item: QuizItemJson, answer: AnswerJson): Outcome<string> {
    const text = this.m.makeLabel(JSON.stringify(context), JSON.stringify(itemOnly(item)), JSON.stringify(answer));
    const checked = outcome<unknown>(text);
    return checked.error ? { error: checked.error } : { ok: text };
  }

  mergeLabels(storedJsonl: string, incomingJsonl: string): Outcome<LabelMergeJson> {
    return outcome(this.m.mergeLabels(storedJsonl, incomingJsonl));
  }

  exportLabels(jsonl: string, format: 'jsonl' | 'csv'): Outcome<string> {
    const result = outcome<{ text: string }>(this.m.exportLabels(jsonl, format));
    return result.error ? { error: result.error } : { ok: result.ok.text };
  }

  labelSummary(jsonl: string): Outcome<LabelSummaryJson> {
    return outcome(this.m.labelSummary(jsonl));
  }

  sessionStanding(jsonl: string): Outcome<StandingJson> {
    return outcome(this.m.sessionStanding(jsonl));
  }
}

let loading: Promise<QuizCore> | undefined;

/** The quiz facade over the page's one core. */
export function loadQuizCore(): Promise<QuizCore> {
  loading ??= loadCore().then((core) => new QuizCore(core));
  return loading;
}
