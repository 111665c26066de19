#pragma once
/// \file
/// curvelab's own pruner (not one of Optuna's): learning-curve extrapolation, after
/// Domhan, Springenberg and Hutter (IJCAI 2015).
///
/// At each check (after `n_warmup_steps`, every `interval_steps`, with Optuna's interval
/// rule; the interval grows to `ceil(horizon / max_checks)` when that is longer, so that a
/// long trial costs at most `max_checks` fits) the curve model (curve_model.hpp) is fitted to the running trial's
/// values so far and predicts its final: the mean of its noise-free curve over the last 10% of `horizon` steps. The
/// trial is stopped when the probability that this final beats the best final of the COMPLETE trials is below `p`. A
/// completed trial's final is read the same way from what it reported: the mean of its finite values over its last 10%
/// of reports. Nothing is checked before `n_startup_trials` trials have completed.

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "curvelab/curve_model.hpp"
#include "curvelab/pruners.hpp"
#include "curvelab/study_state.hpp"

namespace curvelab {

/// The share of a trial's steps its final is the mean of.
inline constexpr double kTrialFinalFraction = 0.10;

/// The steps between two checks of a trial of `horizon` steps: `interval_steps`, or
/// `ceil(horizon / max_checks)` when that is longer.
std::int64_t check_interval(const PrunerSpec& spec, std::int64_t horizon);

/// A fresh extrapolation pruner. Precondition: `validate(spec)` found nothing.
std::unique_ptr<Pruner> make_extrapolation_pruner(const PrunerSpec& spec);

/// The final of a finished trial as the pruner reads it: the mean of its finite values
/// over its last `kTrialFinalFraction` of reports (at least one); NaN when it has none.
double reported_final(std::span<const Report> reports);

/// What the model predicts for a trial's final, given its reports so far (steps from 0,
/// as in a study) and the horizon in steps; an error when too few values are finite.
Expected<Forecast> predict_trial_final(std::span<const Report> reports, std::int64_t horizon);

/// The continuation of a trial the pruner expected at a check: the noise-free curve of the
/// model fitted to `reports` (as `predict_trial_final` fits them), at `points` evenly
/// spaced study steps from the last report's to `horizon - 1`, each with its central
/// `1 - 2p` predictive interval (the p- and (1 - p)-quantiles), the interval of the
/// stop's reason. Steps and values are in the study's units (steps from 0).
struct TrialContinuation {
  std::vector<std::int64_t> steps;  ///< increasing; the first is the last report's step
  std::vector<double> mean;         ///< the predicted curve at each step
  std::vector<double> lower;        ///< its p-quantile
  std::vector<double> upper;        ///< its (1 - p)-quantile
};

/// Points of a continuation: [2, 1000].
inline constexpr int kMaxContinuationPoints = 1000;

/// An error when too few values are finite to fit, `p` is not in (0, 0.5), `points` is not
/// in [2, kMaxContinuationPoints], or `horizon` is not past the last report.
Expected<TrialContinuation> predict_trial_continuation(std::span<const Report> reports, std::int64_t horizon, double p,
                                                       int points);

}  // namespace curvelab
