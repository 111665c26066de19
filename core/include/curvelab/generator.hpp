#pragma once
/// \file
/// Diverse experiments from ranges and one seed: learners and non-learners, few and
/// many arms, smooth and noisy, for datasets, quizzes and pruner studies.

#include <cstdint>
#include <optional>
#include <vector>

#include "curvelab/config.hpp"
#include "curvelab/error.hpp"

namespace curvelab {

struct RealRange {
  double lo = 0.0;
  double hi = 0.0;
};
struct IntRange {
  int lo = 0;
  int hi = 0;
};

/// Where each parameter is drawn from (uniformly, bounds included for integers).
struct GeneratorRanges {
  IntRange arms{2, 50};
  RealRange arm_mean{-1.0, 1.0};
  RealRange arm_spread{0.5, 2.0};
  RealRange noise{0.0, 5.0};
  RealRange epsilon{0.0, 0.5};
  RealRange initial_value{0.0, 0.0};
  IntRange steps{1000, 1000};
  double random_share = 0.1;  ///< share of `random` (never-learning) agents, [0, 1]
};

/// The first problem with `ranges` (bounds outside what a config allows, lo > hi).
std::optional<Error> validate(const GeneratorRanges& ranges);

/// Experiment number `index` of the set generated from `seed`: its parameters are drawn
/// from `derive_seed(seed, index)`, and its run seed is another child of that stream.
/// Precondition: `validate(ranges)` found nothing.
ExperimentConfig sample_experiment(const GeneratorRanges& ranges, std::uint64_t seed, std::uint64_t index);

/// Experiments 0 .. count - 1 of the set generated from `seed`.
std::vector<ExperimentConfig> generate_experiments(const GeneratorRanges& ranges, int count, std::uint64_t seed);

}  // namespace curvelab
