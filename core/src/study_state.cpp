#include "curvelab/study_state.hpp"

#include <algorithm>
#include <cmath>

namespace curvelab {

std::string_view direction_name(Direction direction) {
  return direction == Direction::Maximize ? "maximize" : "minimize";
}

std::optional<Direction> parse_direction(std::string_view name) {
  if (name == "minimize") {
    return Direction::Minimize;
  }
  if (name == "maximize") {
    return Direction::Maximize;
  }
  return std::nullopt;
}

std::string_view trial_state_name(TrialState state) {
  switch (state) {
    case TrialState::Running:
      return "RUNNING";
    case TrialState::Complete:
      return "COMPLETE";
    case TrialState::Pruned:
      return "PRUNED";
    case TrialState::Fail:
      return "FAIL";
  }
  return "RUNNING";
}

double nan_best(double a, double b, Direction direction) {
  if (std::isnan(a)) {
    return b;
  }
  if (std::isnan(b)) {
    return a;
  }
  return direction == Direction::Maximize ? (b > a ? b : a) : (b < a ? b : a);
}

bool TrialRecord::report(std::int64_t step, double value) {
  if (reports_.empty() || step > reports_.back().step) {
    // The usual case: steps arrive in order.
    reports_.push_back(Report{step, value});
    prefix_best_.push_back(prefix_best_.empty() ? value : nan_best(prefix_best_.back(), value, direction_));
    return true;
  }
  const auto at = std::lower_bound(reports_.begin(), reports_.end(), step,
                                   [](const Report& r, std::int64_t s) { return r.step < s; });
  if (at != reports_.end() && at->step == step) {
    return false;  // Optuna keeps the first value of a step reported twice
  }
  const auto index = static_cast<std::size_t>(at - reports_.begin());
  reports_.insert(at, Report{step, value});
  prefix_best_.resize(reports_.size());
  for (std::size_t i = index; i < reports_.size(); ++i) {
    prefix_best_[i] = i == 0 ? reports_[0].value : nan_best(prefix_best_[i - 1], reports_[i].value, direction_);
  }
  return true;
}

std::optional<double> TrialRecord::value_at(std::int64_t step) const {
  const auto at = std::lower_bound(reports_.begin(), reports_.end(), step,
                                   [](const Report& r, std::int64_t s) { return r.step < s; });
  if (at == reports_.end() || at->step != step) {
    return std::nullopt;
  }
  return at->value;
}

double TrialRecord::best_from(std::size_t first) const {
  double best = reports_[first].value;
  for (std::size_t i = first + 1; i < reports_.size(); ++i) {
    best = nan_best(best, reports_[i].value, direction_);
  }
  return best;
}

TrialRecord& StudyState::begin_trial() {
  trials_.emplace_back(static_cast<int>(trials_.size()), direction_);
  return trials_.back();
}

void StudyState::finish_current(TrialState state) {
  TrialRecord& trial = trials_.back();
  trial.set_state(state);
  if (state != TrialState::Complete) {
    return;
  }
  ++complete_count_;
  for (const Report& r : trial.reports()) {
    if (r.step < kDenseSteps) {
      if (dense_values_.size() <= static_cast<std::size_t>(r.step)) {
        dense_values_.resize(static_cast<std::size_t>(r.step) + 1);
      }
      dense_values_[static_cast<std::size_t>(r.step)].push_back(r.value);
    } else {
      sparse_values_[r.step].push_back(r.value);
    }
  }
  if (trial.has_reports()) {
    max_complete_last_step_ = std::max(max_complete_last_step_, trial.last_step());
  }
}

std::span<const double> StudyState::complete_values_at(std::int64_t step) const {
  if (step < kDenseSteps) {
    return static_cast<std::size_t>(step) < dense_values_.size()
               ? std::span<const double>(dense_values_[static_cast<std::size_t>(step)])
               : std::span<const double>();
  }
  const auto found = sparse_values_.find(step);
  if (found == sparse_values_.end()) {
    return {};
  }
  return found->second;
}

}  // namespace curvelab
