#pragma once
/// \file
/// Many independent runs of one configuration, averaged step by step (Sutton and
/// Barto's testbed figures: average reward and share of optimal actions).

#include <vector>

#include "curvelab/config.hpp"

namespace curvelab {

/// Per-step averages over independent runs; index t is step t + 1.
struct AverageCurves {
  std::vector<double> mean_reward;
  std::vector<double> optimal_share;
  std::vector<double> mean_true_value;
};

inline constexpr int kMaxRuns = 100'000;

/// Averages `runs` runs of `config`; run i uses the seed `derive_seed(config.seed, i)`,
/// so it has its own arms, choices and rewards. Precondition: `validate(config)` found
/// nothing and 1 <= runs <= kMaxRuns.
AverageCurves simulate_average(const ExperimentConfig& config, int runs);

}  // namespace curvelab
