#pragma once
/// \file
/// curvelab's own pruner (not one of Optuna's): learning-curve extrapolation, after
/// Domhan, Springenberg and Hutter (IJCAI 2015).
///
/// At each check (after `n_warmup_steps`, every `interval_steps`, with Optuna's interval
/// rule) the curve model (curve_model.hpp) is fitted to the running trial's values so far
/// and predicts its final: the mean of its noise-free curve over the last 10% of
/// `horizon` steps. The trial is stopped when the probability that this final beats the
/// best final of the COMPLETE trials is below `p`. A completed trial's final is read the
/// same way from what it reported: the mean of its finite values over its last 10% of
/// reports. Nothing is checked before `n_startup_trials` trials have completed.

#include <cstdint>
#include <memory>
#include <span>

#include "curvelab/curve_model.hpp"
#include "curvelab/pruners.hpp"
#include "curvelab/study_state.hpp"

namespace curvelab {

/// The share of a trial's steps its final is the mean of.
inline constexpr double kTrialFinalFraction = 0.10;

/// A fresh extrapolation pruner. Precondition: `validate(spec)` found nothing.
std::unique_ptr<Pruner> make_extrapolation_pruner(const PrunerSpec& spec);

/// The final of a finished trial as the pruner reads it: the mean of its finite values
/// over its last `kTrialFinalFraction` of reports (at least one); NaN when it has none.
double reported_final(std::span<const Report> reports);

/// What the model predicts for a trial's final, given its reports so far (steps from 0,
/// as in a study) and the horizon in steps; an error when too few values are finite.
Expected<Forecast> predict_trial_final(std::span<const Report> reports, std::int64_t horizon);

}  // namespace curvelab
