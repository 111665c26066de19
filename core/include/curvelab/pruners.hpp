#pragma once
/// \file
/// Optuna 3.1's pruners, decision for decision: nop, median, percentile, successive
/// halving, Hyperband, threshold and patient (wrapping any other); and curvelab's own
/// extrapolation pruner, which is not one of Optuna's (see extrapolation_pruner.hpp).
///
/// A pruner is asked after each report whether to stop the running trial. Each one
/// carries the state Optuna keeps in its pruner object for one study (successive
/// halving's resolved "auto" minimum resource and its rungs, Hyperband's brackets), so
/// use one pruner per study. Every "stop" comes with its reason as data
/// (`PruneReason`): the value judged, what it was compared with, against how many
/// trials, the rung and bracket, the step.
///
/// The rules are Optuna 3.1.0's (optuna/pruners/*.py is the reference), and they are
/// checked against Debian's python3-optuna 3.1.0 by tests/conformance.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "curvelab/error.hpp"
#include "curvelab/study_state.hpp"

namespace curvelab {

/// The pruners.
enum class PrunerKind { Nop, Median, Percentile, SuccessiveHalving, Hyperband, Threshold, Patient, Extrapolation };

/// `nop`, `median`, `percentile`, `successive_halving`, `hyperband`, `threshold`, `patient`,
/// `extrapolation`.
std::string_view pruner_kind_name(PrunerKind kind);
/// The pruner kind of a name, if there is one.
std::optional<PrunerKind> parse_pruner_kind(std::string_view name);

/// A resource (a step count) that Optuna can also resolve by itself: "auto".
struct Resource {
  bool automatic = true;   ///< "auto"
  std::int64_t value = 0;  ///< the count when not automatic
};

/// A pruner and its parameters, named and defaulted as in Optuna 3.1.
/// Only the fields of `kind` matter; `default_pruner_spec(kind)` gives Optuna's defaults
/// (which differ between kinds for `min_resource` and `reduction_factor`).
struct PrunerSpec {
  PrunerKind kind = PrunerKind::Median;

  // Median and Percentile (Median is Percentile at 50).
  double percentile = 50.0;           ///< [0, 100]; Percentile's is required
  std::int64_t n_startup_trials = 5;  ///< >= 0: COMPLETE trials needed before pruning (also Extrapolation)
  std::int64_t n_warmup_steps = 0;    ///< >= 0: steps below this are never checked (also Threshold, Extrapolation)
  std::int64_t interval_steps = 1;    ///< >= 1: checks at warmup + k * interval (also Threshold, Extrapolation)
  std::int64_t n_min_trials = 1;      ///< >= 1: completed trials that must have reported the step

  // SuccessiveHalving and Hyperband.
  Resource min_resource{true, 0};            ///< SH: "auto" or >= 1; Hyperband: 1 (an integer)
  Resource max_resource{true, 0};            ///< Hyperband: "auto" or an integer
  std::int64_t reduction_factor = 4;         ///< SH: >= 2, default 4; Hyperband: default 3
  std::int64_t min_early_stopping_rate = 0;  ///< SH: >= 0
  std::int64_t bootstrap_count = 0;          ///< >= 0; > 0 needs a fixed min_resource (SH) / max_resource (Hyperband)

  // Threshold: at least one bound; a missing one is -inf / +inf.
  std::optional<double> lower;
  std::optional<double> upper;

  // Patient.
  std::shared_ptr<const PrunerSpec> wrapped;  ///< may be empty: then the patience test alone decides
  std::int64_t patience = 0;                  ///< >= 0; required
  double min_delta = 0.0;                     ///< >= 0: how much worse the window may be than the best before it

  // Extrapolation (curvelab's own; defaults from `default_pruner_spec`).
  double p = 0.05;                ///< (0, 1): stop when P(final beats the best completed final) < p
  Resource horizon{true, 0};      ///< steps a trial runs: "auto" (the longest COMPLETE trial's) or >= 1
  std::int64_t max_checks = 200;  ///< >= 1: the most checks over a horizon (the interval grows to fit)
};

/// Optuna's defaults for `kind`.
PrunerSpec default_pruner_spec(PrunerKind kind);

/// The first parameter Optuna's constructor refuses, as a clear message naming it and its
/// allowed range (the same refusals Optuna gives; Hyperband's own refusals that Optuna
/// only raises when it initialises come from the pruner then, see `Pruner::error`).
std::optional<Error> validate(const PrunerSpec& spec);

/// An error of a patient pruner's wrapped pruner, restated for the patient pruner: the
/// field gets `wrapped.` in front (`wrapped.n_startup_trials`, `wrapped.name`), and so
/// does the sentence when it starts with the field (else it starts with `wrapped: `).
Error wrapped_error(const Error& inner);

/// Which rule stopped a trial.
enum class PruneRule {
  None,                 ///< not stopped
  WorseThanPercentile,  ///< median/percentile: best so far worse than the completed trials' percentile at this step
  AllValuesNan,         ///< median/percentile: every value reported so far is NaN
  RungNan,              ///< successive halving: the value at a rung step is NaN
  RungBootstrap,        ///< successive halving: among the first `bootstrap_count` trials to reach this rung
  RungNotPromoted,      ///< successive halving: not among the top 1/reduction_factor of this rung
  BelowLower,           ///< threshold: latest value < lower
  AboveUpper,           ///< threshold: latest value > upper
  ThresholdNan,         ///< threshold: latest value is NaN
  NoImprovement,        ///< patient without a wrapped pruner: the window is worse than the best before it
  External,             ///< an external program (`curvelab prune --agent`) said stop; `note` has its reason
  UnlikelyToBeatBest,   ///< extrapolation: the predicted final beats the best completed final with probability < p
};

/// `worse_than_percentile`, `all_values_nan`, ... (the JSON spelling).
std::string_view prune_rule_name(PruneRule rule);

/// Why a trial was stopped: the data behind the decision.
struct PruneReason {
  PrunerKind pruner = PrunerKind::Nop;  ///< the pruner whose rule fired (the wrapped one inside patient)
  PruneRule rule = PruneRule::None;
  std::int64_t step = -1;       ///< the trial's current step (its largest reported step)
  double value = 0.0;           ///< the value judged: best so far (percentile), latest (threshold), at the rung (SH)
  double cutoff = 0.0;          ///< what it was compared with: the percentile value, the bound, the rung's cut-off
  double percentile = 0.0;      ///< the percentile taken (100 - p when maximizing)
  int compared_with = 0;        ///< how many trials' values it was compared against (SH: with itself)
  int rung = -1;                ///< successive halving rung
  std::int64_t rung_step = -1;  ///< the step at which that rung is decided
  std::int64_t reduction_factor = 0;  ///< successive halving's reduction factor
  int bracket = -1;                   ///< Hyperband bracket
  // Patient's test, when a patient pruner let the decision through.
  bool patient = false;
  std::int64_t patience = 0;
  double best_before = 0.0;     ///< best value before the window
  double best_in_window = 0.0;  ///< best value of the last patience + 1 values
  double min_delta = 0.0;
  std::string note;  ///< External: the reason the program gave
  // Extrapolation: the predicted final (`value`), its central 1 - 2p interval, the best
  // completed trial's final (`cutoff`) and the probability of beating it.
  double probability = 0.0;  ///< P(final beats `cutoff`), < p when stopped
  double p = 0.0;            ///< the pruner's p: the interval below is the central 1 - 2p
  double lower = 0.0;        ///< the p-quantile of the predicted final
  double upper = 0.0;        ///< the (1 - p)-quantile
  std::int64_t horizon = 0;  ///< the steps the final was predicted for
};

/// One line a person reads: "best value 0.31 is below the median 0.42 of 7 completed
/// trials at step 140".
std::string describe(const PruneReason& reason, Direction direction);

/// A pruner with its per-study state.
class Pruner {
 public:
  virtual ~Pruner() = default;
  Pruner() = default;
  Pruner(const Pruner&) = delete;
  Pruner& operator=(const Pruner&) = delete;

  /// Optuna's `prune(study, trial)` for `trial`, the running trial of `study`, after
  /// its latest report. On true, `reason` says why; otherwise `reason` is unspecified.
  virtual bool prune(const StudyState& study, const TrialRecord& trial, PruneReason& reason) = 0;

  /// A refusal met while pruning (Hyperband refuses some parameters only when it
  /// initialises, as Optuna does); once set, the study cannot go on.
  const std::optional<Error>& error() const { return error_; }

 protected:
  std::optional<Error> error_;
};

/// A fresh pruner for one study; the spec's refusal if `validate` finds one.
Expected<std::unique_ptr<Pruner>> make_pruner(const PrunerSpec& spec);

/// numpy 1.24's `nanpercentile(values, q)` (linear method), bit for bit: NaNs dropped,
/// NaN when nothing is left. `q` in [0, 100]. `scratch` is reused storage.
double nan_percentile(std::span<const double> values, double q, std::vector<double>& scratch);

/// nan_percentile of a multiset that only grows, bit for bit the same, in O(log n) per
/// added value instead of a pass over all of them per query: the k + 1 smallest values
/// (k the lower neighbour of numpy's virtual index) sit in a max-heap, the others in a
/// min-heap, so both neighbours are at the tops. This is what keeps a median study of a
/// million trials within seconds.
class RunningPercentile {
 public:
  /// `q` in [0, 100], fixed for the life of the object.
  explicit RunningPercentile(double q) : q_(q) {}

  /// Adds a value; NaN is dropped, as nanpercentile drops it.
  void add(double value);
  /// The non-NaN values added so far.
  std::size_t size() const { return lower_.size() + upper_.size(); }
  /// `nan_percentile(values added, q)`: NaN when no value is left.
  double value();

 private:
  double q_;
  std::vector<double> lower_;  // max-heap
  std::vector<double> upper_;  // min-heap
};

/// Optuna's `_is_first_in_interval_step`: whether a report at `step`, the one before it
/// being at `previous_step` (-1 if none), is the first at or after the pruning point
/// `warmup + k * interval` at or below `step`. Precondition: step >= warmup, interval >= 1.
bool first_in_interval(std::int64_t step, std::int64_t previous_step, std::int64_t warmup, std::int64_t interval);

/// zlib's CRC-32 (the one Python's `binascii.crc32` computes).
std::uint32_t crc32(std::string_view bytes);

/// Hyperband's number of brackets for (min_resource, max_resource, reduction_factor):
/// `floor(log(max / min) / log(rf)) + 1`, computed as Python's `math.log` does.
/// Precondition: min != 0, max / min > 0, rf > 0, rf != 1.
int hyperband_bracket_count(std::int64_t min_resource, std::int64_t max_resource, std::int64_t reduction_factor);

}  // namespace curvelab
