#include "curvelab/smoothing_choice.hpp"

#include <algorithm>

#include "curvelab/smoothing.hpp"

namespace curvelab {

std::optional<SmoothingMethod> parse_smoothing_method(std::string_view name) {
  if (name == "none") return SmoothingMethod::None;
  if (name == "moving-average") return SmoothingMethod::MovingAverage;
  if (name == "ema") return SmoothingMethod::Ema;
  return std::nullopt;
}

int moving_average_window(double param, int horizon) {
  return param >= 1.0 ? static_cast<int>(std::min(param, 1e9)) : default_smoothing_window(horizon);
}

std::vector<double> smooth(std::span<const double> values, SmoothingMethod method, double param, int horizon) {
  if (method == SmoothingMethod::MovingAverage) {
    return moving_average(values, moving_average_window(param, horizon));
  }
  if (method == SmoothingMethod::Ema && param >= 0.0 && param < 1.0) {
    return ema_debiased(values, param);
  }
  return {values.begin(), values.end()};
}

}  // namespace curvelab
