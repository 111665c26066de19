#pragma once
/// \file
/// A study as the pruners see it: trials in order of creation, each with its
/// intermediate values by step and its state, exactly as Optuna 3.1's in-memory
/// storage holds them while trials run one after another.
///
/// The record keeps what Optuna's pruners recompute on every call ready to read
/// (the trial's best value so far, the values of the completed trials at a step),
/// so that asking a pruner costs next to nothing.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace curvelab {

/// Whether the objective is to be minimised (Optuna's default) or maximised.
enum class Direction { Minimize, Maximize };

/// `minimize` / `maximize`.
std::string_view direction_name(Direction direction);
/// The direction of a name, if there is one.
std::optional<Direction> parse_direction(std::string_view name);

/// Optuna's trial states that pruners can meet.
enum class TrialState {
  Running,   ///< the trial being judged
  Complete,  ///< finished with a value that is not NaN (+inf and -inf are fine)
  Pruned,    ///< stopped by the pruner
  Fail,      ///< finished with NaN (Optuna's `tell(trial, nan)`)
};

/// `RUNNING`, `COMPLETE`, `PRUNED`, `FAIL`, as Optuna spells them.
std::string_view trial_state_name(TrialState state);

/// One intermediate value and the step it was reported at.
struct Report {
  std::int64_t step = 0;
  double value = 0.0;
};

/// The better of two values for `direction`, ignoring NaN as numpy's nanmin/nanmax do:
/// NaN only when both are NaN.
double nan_best(double a, double b, Direction direction);

/// One trial: its number, state and intermediate values.
class TrialRecord {
 public:
  TrialRecord(int number, Direction direction) : number_(number), direction_(direction) {}

  int number() const { return number_; }
  TrialState state() const { return state_; }
  void set_state(TrialState state) { state_ = state; }

  /// Optuna's `Trial.report`: a step reported before keeps its first value and the new
  /// one is ignored (returns false). Steps may come in any order and with gaps.
  bool report(std::int64_t step, double value);

  /// Room for `count` reports.
  void reserve(std::size_t count) {
    reports_.reserve(count);
    prefix_best_.reserve(count);
  }

  /// The reports sorted by step, one per step.
  std::span<const Report> reports() const { return reports_; }
  bool has_reports() const { return !reports_.empty(); }
  /// Optuna's `last_step`: the largest step reported (not necessarily the latest report).
  std::int64_t last_step() const { return reports_.back().step; }
  /// The largest step reported other than `last_step()`, or -1 when there is none.
  std::int64_t previous_step() const { return reports_.size() < 2 ? -1 : reports_[reports_.size() - 2].step; }
  /// The value at `last_step()`.
  double last_value() const { return reports_.back().value; }
  /// The value reported at `step`, if any.
  std::optional<double> value_at(std::int64_t step) const;
  /// numpy's nanmin (minimize) or nanmax (maximize) over all values; NaN if all are NaN.
  double best_so_far() const { return prefix_best_.back(); }
  /// The same over the first `count` reports in step order (`count` >= 1).
  double best_of_first(std::size_t count) const { return prefix_best_[count - 1]; }
  /// The same over the reports from position `first` (in step order) to the end.
  double best_from(std::size_t first) const;

 private:
  int number_;
  Direction direction_;
  TrialState state_ = TrialState::Running;
  std::vector<Report> reports_;
  std::vector<double> prefix_best_;  // prefix_best_[i]: nan-best of reports_[0..i]
};

/// The trials of one study, the running one last.
class StudyState {
 public:
  StudyState(std::string name, Direction direction) : name_(std::move(name)), direction_(direction) {}

  const std::string& name() const { return name_; }
  Direction direction() const { return direction_; }
  std::span<const TrialRecord> trials() const { return trials_; }

  /// Creates the next trial (numbered 0, 1, 2, ... in order of creation), RUNNING.
  TrialRecord& begin_trial();
  /// The trial created last.
  TrialRecord& current() { return trials_.back(); }
  const TrialRecord& current() const { return trials_.back(); }
  /// Finishes the current trial: COMPLETE trials join the indexes below.
  void finish_current(TrialState state);

  /// How many trials are COMPLETE.
  int complete_count() const { return complete_count_; }
  /// The value at exactly `step` of every COMPLETE trial that reported it, NaN included.
  std::span<const double> complete_values_at(std::int64_t step) const;
  /// The largest `last_step` over COMPLETE trials that reported something; -1 if none.
  std::int64_t max_complete_last_step() const { return max_complete_last_step_; }

 private:
  std::string name_;
  Direction direction_;
  std::vector<TrialRecord> trials_;
  int complete_count_ = 0;
  std::int64_t max_complete_last_step_ = -1;
  // Values of COMPLETE trials by step: a plain vector for the usual small steps, a hash map
  // for the rest.
  static constexpr std::int64_t kDenseSteps = 1 << 16;
  std::vector<std::vector<double>> dense_values_;
  std::unordered_map<std::int64_t, std::vector<double>> sparse_values_;
};

}  // namespace curvelab
