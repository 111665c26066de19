#pragma once
/// \file
/// How sure a mean score is: a percentile bootstrap interval over the items, with the
/// core's own generator so that the same scores and seed give the same interval natively
/// and in WebAssembly.

#include <cstdint>
#include <span>

namespace curvelab {

/// A mean and its interval; `lo == hi == mean` when there is one value, none when empty.
struct MeanInterval {
  int n = 0;          ///< values averaged
  double mean = 0.0;  ///< their mean (0 when n == 0)
  double lo = 0.0;    ///< lower end of the interval
  double hi = 0.0;    ///< upper end
};

/// The mean of `values` with its percentile bootstrap interval at `level` (in (0, 1),
/// e.g. 0.95): `resamples` resamples with replacement (1..1,000,000), drawn from `seed`;
/// the interval runs between the (1 - level) / 2 and (1 + level) / 2 quantiles of the
/// resampled means (nearest rank).
MeanInterval bootstrap_mean(std::span<const double> values, double level, int resamples, std::uint64_t seed);

}  // namespace curvelab
