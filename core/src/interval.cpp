#include "curvelab/interval.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "curvelab/random.hpp"

namespace curvelab {

MeanInterval bootstrap_mean(std::span<const double> values, double level, int resamples, std::uint64_t seed) {
  MeanInterval result;
  result.n = static_cast<int>(values.size());
  if (values.empty()) {
    return result;
  }
  double sum = 0.0;
  for (const double v : values) {
    sum += v;
  }
  result.mean = sum / static_cast<double>(values.size());
  result.lo = result.hi = result.mean;
  if (values.size() == 1 || resamples < 1) {
    return result;
  }
  Rng rng(seed);
  const auto n = static_cast<std::uint32_t>(values.size());
  std::vector<double> means(static_cast<std::size_t>(resamples));
  for (double& mean : means) {
    double s = 0.0;
    for (std::uint32_t i = 0; i < n; ++i) {
      s += values[rng.below(n)];
    }
    mean = s / static_cast<double>(n);
  }
  std::sort(means.begin(), means.end());
  const auto rank = [&means](double q) {
    // Nearest rank: the smallest resampled mean with at least a share q at or below it.
    const auto r = static_cast<std::size_t>(std::ceil(q * static_cast<double>(means.size())));
    return means[std::clamp<std::size_t>(r, 1, means.size()) - 1];
  };
  result.lo = rank((1.0 - level) / 2.0);
  result.hi = rank((1.0 + level) / 2.0);
  return result;
}

}  // namespace curvelab
