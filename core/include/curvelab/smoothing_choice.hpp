#pragma once
/// \file
/// A smoothing chosen by name, as the page and its links spell it: `none`,
/// `moving-average` (a window in steps, or "auto") or `ema` (a weight).

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace curvelab {

enum class SmoothingMethod {
  None,           ///< the values as they are
  MovingAverage,  ///< trailing moving average (`moving_average`)
  Ema,            ///< exponential moving average, debiased (`ema_debiased`)
};

/// The method of a name (`none`, `moving-average`, `ema`), if there is one.
std::optional<SmoothingMethod> parse_smoothing_method(std::string_view name);

/// The moving-average window a parameter stands for: `param` >= 1 is a window in steps
/// (at most 1e9); anything below 1 is "auto", the ground truth's default for the horizon
/// (`default_smoothing_window`, 5% of it).
int moving_average_window(double param, int horizon);

/// `values` smoothed by `method`: for a moving average, `param` is the window
/// (`moving_average_window`); for an EMA, the weight in [0, 1) (any other weight leaves
/// the values as they are, as does `None`). `horizon` is the run's, for "auto".
std::vector<double> smooth(std::span<const double> values, SmoothingMethod method, double param, int horizon);

}  // namespace curvelab
