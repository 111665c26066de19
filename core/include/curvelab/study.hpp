#pragma once
/// \file
/// A study run the way Optuna runs one when trials go one after another: each trial
/// reports one intermediate value per step, the pruner is asked after every report, a
/// pruned trial stops there, and a trial never pruned completes with its final value
/// (NaN makes it FAIL). Plus a summary of what the pruner saved and what it cost.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "curvelab/error.hpp"
#include "curvelab/pruners.hpp"
#include "curvelab/study_state.hpp"

namespace curvelab {

/// One trial of a study: what it would report if never stopped.
struct TrialSpec {
  std::vector<double> values;         ///< one intermediate value per report (NaN and infinities allowed)
  std::vector<std::int64_t> steps;    ///< the step of each value (>= 0, gaps allowed); empty: 0, 1, 2, ...
  std::optional<double> final_value;  ///< its objective if not pruned; default its last value (NaN if none)
};

/// A whole study.
struct StudySpec {
  /// Hyperband assigns brackets from CRC-32("{study_name}_{number}"): always name studies.
  std::string name = "curvelab";
  Direction direction = Direction::Minimize;  ///< Optuna's default
  PrunerSpec pruner;
  std::vector<TrialSpec> trials;
};

/// The first problem with `spec` (steps and values of different lengths, a negative
/// step) or with its pruner's parameters.
std::optional<Error> validate(const StudySpec& spec);

/// A study name as a file or a flag gives it: not empty, since Optuna would replace an
/// empty name by a random one and the name decides Hyperband's brackets.
std::optional<Error> validate_study_name(const std::string& name);

/// What happened to one trial.
struct TrialOutcome {
  TrialState state = TrialState::Complete;
  std::optional<std::int64_t> pruned_at;  ///< the step whose report the pruner stopped the trial on
  std::optional<PruneReason> reason;      ///< why, when pruned
  int steps_run = 0;                      ///< reports made (all of them unless pruned)
};

/// What the pruner saved and what it cost, over the trials' would-be final values
/// (a pruned trial's final is known here, because the whole curve was given).
struct StudySummary {
  int trials = 0;
  int complete = 0;
  int pruned = 0;
  int failed = 0;
  std::int64_t steps_total = 0;  ///< reports if nothing were pruned
  std::int64_t steps_run = 0;    ///< reports made
  double share_saved = 0.0;      ///< 1 - steps_run / steps_total (0 for an empty study)
  /// The trial with the best final value (first of ties; NaN finals skipped), and whether it completed.
  std::optional<int> best_trial;
  bool best_trial_completed = false;
  /// Median of all trials' finals (NaN skipped) and how many pruned trials would have
  /// finished better than it (above when maximizing, below when minimizing).
  double median_final = 0.0;
  int false_stops = 0;
  /// Best final over all trials minus best over COMPLETE trials, >= 0 (NaN if none completed).
  double regret = 0.0;
  /// kurobako's AUC: the area under the best-so-far COMPLETE value as a function of the
  /// steps spent, from the end of the first completed trial to `steps_total` (the budget
  /// of the unpruned study), divided by the longest trial's length (NaN if none completed).
  /// Lower is better when minimizing, higher when maximizing.
  double auc = 0.0;
};

/// A study's decisions and summary.
struct StudyResult {
  std::vector<TrialOutcome> trials;
  StudySummary summary;
};

/// Runs `spec` through a fresh pruner; the refusal if its parameters are refused
/// (before the run, or when Hyperband initialises, as Optuna does).
Expected<StudyResult> run_study(const StudySpec& spec);

/// Runs `spec` with `pruner` in place of the one the spec names (an external program's
/// decisions, say); `spec.pruner` is not used. The refusal if the trials are malformed.
Expected<StudyResult> run_study(const StudySpec& spec, Pruner& pruner);

/// The summary of a run of `spec`.
StudySummary summarize(const StudySpec& spec, const std::vector<TrialOutcome>& outcomes);

}  // namespace curvelab
