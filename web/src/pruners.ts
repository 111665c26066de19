/**
 * The playground's runs as one Optuna study, and what each chosen pruner does with it.
 * Every verdict, reason and summary figure is the core's (`Core.runStudies`); this module
 * only assembles the study (the same one it exports) and shapes the answers for drawing.
 *
 * The study: named `STUDY_NAME` (Hyperband assigns brackets from the name and the trial
 * number), direction maximize, one trial per run in the order the runs were started; a
 * trial's intermediate values are the run's reward curve as drawn (with the view's
 * smoothing), one per step, at study steps 0..n-1 (study step k is the chart's step k + 1);
 * its final value is the run's ground-truth final performance, so the summary's best
 * trial, false stops and regret are judged by ground truth. Runs still growing are trials
 * with the values so far: the study is the one you would have if the runs ended now.
 */
import type { Core, CoreError, PrunerJson, PrunerName, Result, StudyResultJson, StudyTrialInput } from './core.js';
import type { PrunerChoice, PrunerParam } from './state.js';

export const STUDY_NAME = 'curvelab-playground';
export const DIRECTION = 'maximize' as const;

/** How the page names each pruner, and its marker on the chart (Chart.js point styles). */
export const PRUNER_LOOK: Record<
  PrunerName,
  { label: string; style: 'triangle' | 'rectRot' | 'crossRot' | 'star' | 'rect' | 'circle' | 'rectRounded' | 'cross' }
> = {
  median: { label: 'median', style: 'triangle' },
  percentile: { label: 'percentile', style: 'rect' },
  successive_halving: { label: 'successive halving', style: 'rectRot' },
  hyperband: { label: 'hyperband', style: 'star' },
  threshold: { label: 'threshold', style: 'crossRot' },
  patient: { label: 'patient', style: 'circle' },
  nop: { label: 'nop', style: 'rectRounded' },
  extrapolation: { label: 'extrapolation (curvelab)', style: 'cross' },
};

export function prunerLabel(name: string): string {
  return PRUNER_LOOK[name as PrunerName]?.label ?? name;
}

/**
 * The pruner JSON of a choice: Optuna's defaults (from the core) overlaid with the
 * parameters the person set; a wrapped pruner likewise.
 */
export function prunerJson(core: Core, choice: PrunerChoice): PrunerJson {
  let params: Record<string, PrunerParam | PrunerJson> = {};
  if ((core.prunerNames() as string[]).includes(choice.name)) {
    params = { ...(core.prunerDefaults(choice.name as PrunerName).params ?? {}) } as Record<
      string,
      PrunerParam | PrunerJson
    >;
  }
  for (const [key, value] of Object.entries(choice.params)) {
    params[key] = value !== null && typeof value === 'object' ? prunerJson(core, value) : value;
  }
  return { name: choice.name as PrunerName, params: params as PrunerJson['params'] };
}

/** The core's refusal of a choice (unknown name, a parameter Optuna refuses), if any. */
export function checkChoice(core: Core, choice: PrunerChoice): CoreError | undefined {
  return core.validatePruner(prunerJson(core, choice));
}

/** The trials of a study: per run, the values drawn and the ground-truth final performance. */
export type StudyTrials = readonly { values: Float64Array; final: number }[];

/** What one chosen pruner did with the study on screen. */
export interface PrunerVerdicts {
  choice: PrunerChoice;
  pruner: PrunerJson;
  result?: StudyResultJson;
  error?: CoreError;
}

/** Each chosen pruner run on the study, by the core. */
export function judge(core: Core, choices: readonly PrunerChoice[], trials: StudyTrials): PrunerVerdicts[] {
  const pruners = choices.map((c) => prunerJson(core, c));
  const input: StudyTrialInput[] = trials.map((t) => ({ values: t.values, final: t.final }));
  const outcomes: Result<StudyResultJson>[] =
    pruners.length > 0 ? core.runStudies({ study_name: STUDY_NAME, direction: DIRECTION }, pruners, input) : [];
  return choices.map((choice, i) => {
    const o = outcomes[i] as Result<StudyResultJson>;
    const pruner = pruners[i] as PrunerJson;
    return o.error ? { choice, pruner, error: o.error } : { choice, pruner, result: o.ok };
  });
}

/** The export, written by the core: one study JSON for one pruner, `{"studies": [...]}` (the CLI's batch) for more. */
export function exportStudies(
  core: Core,
  pruners: readonly PrunerJson[],
  trials: StudyTrials,
): Result<Record<string, unknown>> {
  const input: StudyTrialInput[] = trials.map((t) => ({ values: t.values, final: t.final }));
  return core.exportStudies({ study_name: STUDY_NAME, direction: DIRECTION }, pruners, input);
}
