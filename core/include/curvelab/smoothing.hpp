#pragma once
/// \file
/// Curve smoothing, as drawn on the page and as used by the visible maximum.

#include <span>
#include <vector>

namespace curvelab {

/// Trailing moving average: out[t] is the mean of values[max(0, t - window + 1) .. t],
/// so the first points average what exists so far. `window` >= 1 (1 returns the input).
std::vector<double> moving_average(std::span<const double> values, int window);

/// Exponential moving average debiased as TensorBoard does: with `weight` in [0, 1),
/// `last = last * weight + (1 - weight) * v`, divided by `1 - weight^n` after n points,
/// so the start is not pulled towards zero. Non-finite values pass through unchanged and
/// do not enter the average.
std::vector<double> ema_debiased(std::span<const double> values, double weight);

/// The default moving-average window for a horizon: 5% of it, at least 1 step.
int default_smoothing_window(int horizon);

}  // namespace curvelab
