#include "curvelab/study.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <string>

namespace curvelab {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The objective a trial would have returned had it run to its end.
double would_be_final(const TrialSpec& trial) {
  if (trial.final_value) {
    return *trial.final_value;
  }
  return trial.values.empty() ? kNaN : trial.values.back();
}

bool better(double a, double b, Direction direction) { return direction == Direction::Maximize ? a > b : a < b; }

}  // namespace

namespace {
// The trials' own problems (the pruner's parameters aside).
std::optional<Error> validate_trials(const StudySpec& spec) {
  for (std::size_t i = 0; i < spec.trials.size(); ++i) {
    const TrialSpec& trial = spec.trials[i];
    const std::string field = "trials[" + std::to_string(i) + "]";
    if (!trial.steps.empty() && trial.steps.size() != trial.values.size()) {
      return Error{field + ".steps", field + ".steps must have one step per value (" +
                                         std::to_string(trial.values.size()) + "), got " +
                                         std::to_string(trial.steps.size())};
    }
    for (const std::int64_t step : trial.steps) {
      if (step < 0) {
        return Error{field + ".steps", field + ".steps must be >= 0, got " + std::to_string(step)};
      }
    }
  }
  return std::nullopt;
}
}  // namespace

std::optional<Error> validate_study_name(const std::string& name) {
  if (name.empty()) {
    return Error{"study_name", "study_name must not be empty (Optuna would replace it by a random name)"};
  }
  return std::nullopt;
}

std::optional<Error> validate(const StudySpec& spec) {
  if (auto e = validate_trials(spec)) {
    return e;
  }
  return validate(spec.pruner);
}

Expected<StudyResult> run_study(const StudySpec& spec) {
  if (auto e = validate(spec)) {
    return *e;
  }
  auto made = make_pruner(spec.pruner);
  if (!made) {
    return made.error();
  }
  return run_study(spec, *made.value());
}

Expected<StudyResult> run_study(const StudySpec& spec, Pruner& pruner) {
  if (auto e = validate_trials(spec)) {  // without copying the trials
    return *e;
  }
  StudyState study(spec.name, spec.direction);
  std::vector<TrialOutcome> outcomes;
  outcomes.reserve(spec.trials.size());
  PruneReason reason;
  for (const TrialSpec& trial_spec : spec.trials) {
    TrialRecord& trial = study.begin_trial();
    trial.reserve(trial_spec.values.size());
    TrialOutcome outcome;
    for (std::size_t j = 0; j < trial_spec.values.size(); ++j) {
      const std::int64_t step = trial_spec.steps.empty() ? static_cast<std::int64_t>(j) : trial_spec.steps[j];
      trial.report(step, trial_spec.values[j]);  // a repeated step keeps its first value
      ++outcome.steps_run;
      reason = PruneReason{};
      const bool stop = pruner.prune(study, trial, reason);
      if (pruner.error()) {
        Error e = *pruner.error();
        e.message = std::string(pruner_kind_name(PrunerKind::Hyperband)) + ": " + e.message +
                    " (refused when the pruner initialised, at trial " + std::to_string(trial.number()) + ", step " +
                    std::to_string(step) + ")";
        return e;
      }
      if (stop) {
        outcome.state = TrialState::Pruned;
        outcome.pruned_at = step;
        outcome.reason = reason;
        break;
      }
    }
    if (outcome.state != TrialState::Pruned) {
      outcome.state = std::isnan(would_be_final(trial_spec)) ? TrialState::Fail : TrialState::Complete;
    }
    study.finish_current(outcome.state);
    outcomes.push_back(std::move(outcome));
  }
  StudyResult result;
  result.summary = summarize(spec, outcomes);
  result.trials = std::move(outcomes);
  return result;
}

StudySummary summarize(const StudySpec& spec, const std::vector<TrialOutcome>& outcomes) {
  StudySummary s;
  const Direction direction = spec.direction;
  s.trials = static_cast<int>(outcomes.size());
  std::vector<double> finals;
  std::size_t longest = 0;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const TrialOutcome& o = outcomes[i];
    s.complete += o.state == TrialState::Complete ? 1 : 0;
    s.pruned += o.state == TrialState::Pruned ? 1 : 0;
    s.failed += o.state == TrialState::Fail ? 1 : 0;
    s.steps_total += static_cast<std::int64_t>(spec.trials[i].values.size());
    s.steps_run += o.steps_run;
    longest = std::max(longest, spec.trials[i].values.size());
    const double f = would_be_final(spec.trials[i]);
    finals.push_back(f);
    if (!std::isnan(f) && (!s.best_trial || better(f, finals[static_cast<std::size_t>(*s.best_trial)], direction))) {
      s.best_trial = static_cast<int>(i);
    }
  }
  s.share_saved =
      s.steps_total == 0 ? 0.0 : 1.0 - static_cast<double>(s.steps_run) / static_cast<double>(s.steps_total);
  s.best_trial_completed =
      s.best_trial && outcomes[static_cast<std::size_t>(*s.best_trial)].state == TrialState::Complete;

  std::vector<double> scratch;
  s.median_final = nan_percentile(finals, 50.0, scratch);
  double best_complete = kNaN;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    if (outcomes[i].state == TrialState::Pruned && better(finals[i], s.median_final, direction)) {
      ++s.false_stops;
    }
    if (outcomes[i].state == TrialState::Complete) {
      best_complete = nan_best(best_complete, finals[i], direction);
    }
  }
  const double best_all = s.best_trial ? finals[static_cast<std::size_t>(*s.best_trial)] : kNaN;
  s.regret = direction == Direction::Maximize ? best_all - best_complete : best_complete - best_all;

  // kurobako's AUC: the best-so-far COMPLETE value over the steps spent, from the end of
  // the first completed trial to the whole budget, in units of one (longest) trial.
  s.auc = kNaN;
  double best = kNaN;
  std::int64_t spent = 0;
  std::int64_t previous = -1;
  double area = 0.0;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    spent += outcomes[i].steps_run;
    if (outcomes[i].state != TrialState::Complete) {
      continue;
    }
    if (previous >= 0) {
      area += best * static_cast<double>(spent - previous);
    }
    best = nan_best(best, finals[i], direction);
    previous = spent;
  }
  if (previous >= 0 && longest > 0) {
    area += best * static_cast<double>(s.steps_total - previous);
    s.auc = area / static_cast<double>(longest);
  }
  return s;
}

}  // namespace curvelab
