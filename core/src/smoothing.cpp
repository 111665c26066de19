#include "curvelab/smoothing.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace curvelab {

std::vector<double> moving_average(std::span<const double> values, int window) {
  assert(window >= 1);
  std::vector<double> out(values.size());
  const auto w = static_cast<std::size_t>(window);
  // Kahan-compensated running sum: long curves keep full precision.
  double sum = 0.0;
  double carry = 0.0;
  const auto add = [&](double x) {
    const double y = x - carry;
    const double t = sum + y;
    carry = (t - sum) - y;
    sum = t;
  };
  for (std::size_t t = 0; t < values.size(); ++t) {
    add(values[t]);
    if (t >= w) {
      add(-values[t - w]);
    }
    out[t] = sum / static_cast<double>(std::min(t + 1, w));
  }
  return out;
}

std::vector<double> ema_debiased(std::span<const double> values, double weight) {
  std::vector<double> out(values.size());
  double last = 0.0;
  double weight_power = 1.0;  // weight^n after n finite points
  for (std::size_t t = 0; t < values.size(); ++t) {
    const double v = values[t];
    if (!std::isfinite(v)) {
      out[t] = v;
      continue;
    }
    last = last * weight + (1.0 - weight) * v;
    weight_power *= weight;
    out[t] = weight_power < 1.0 ? last / (1.0 - weight_power) : v;
  }
  return out;
}

int default_smoothing_window(int horizon) { return std::max(1, static_cast<int>(std::lround(0.05 * horizon))); }

}  // namespace curvelab
