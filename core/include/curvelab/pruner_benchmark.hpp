#pragma once
/// \file
/// Pruners side by side on the same studies: kurobako's AUC, the share of steps saved,
/// how often the best trial was kept, and the regret, averaged over studies. The studies
/// are the generator's (`generated_studies`) and the playground's pruner race
/// (`race_preset_study`), so every pruner meets exactly the same curves.

#include <cstdint>
#include <string>
#include <vector>

#include "curvelab/error.hpp"
#include "curvelab/pruners.hpp"
#include "curvelab/study.hpp"

namespace curvelab {

/// A pruner under test: the name of its row and its spec.
struct BenchmarkPruner {
  std::string name;
  PrunerSpec spec;
};

/// The pruners of the README's table: Optuna's (default parameters, and the median with
/// a warm-up) and the extrapolation pruner at two values of p.
std::vector<BenchmarkPruner> benchmark_pruners();

/// The pruners the race preset itself races (median after 200 steps, successive halving
/// and Hyperband from 50), then `benchmark_pruners()`.
std::vector<BenchmarkPruner> race_preset_pruners();

/// One pruner's figures, each the mean over the studies.
struct PrunerBenchmarkRow {
  std::string name;
  int studies = 0;
  double auc = 0.0;          ///< kurobako's AUC (higher is better: the studies maximize)
  double share_saved = 0.0;  ///< share of all steps not run
  double best_kept = 0.0;    ///< share of studies whose best trial completed
  double regret = 0.0;       ///< best final minus best completed final
  double false_stops = 0.0;  ///< pruned trials that would have finished above the median
};

/// `count` studies of `trials` trials each; study i is the generator's experiments
/// 0 .. trials - 1 from seed `derive_seed(seed, i)` at `steps` steps, each trial reporting
/// its run's true-value curve, maximized, named "generated-i".
std::vector<StudySpec> generated_studies(int count, int trials, int steps, std::uint64_t seed);

/// The playground's "pruner race" preset as the page builds its study: the 10-armed
/// testbed, seed 47, 2,000 steps, runs 1 and 2 each played by epsilon 0, 0.01, 0.1, 0.5
/// and 1, reporting their rewards smoothed by the debiased EMA of weight 0.98, each
/// trial's final being its ground-truth final performance.
StudySpec race_preset_study();

/// Every pruner on every study (each study's own pruner is replaced); the first refusal
/// of a pruner's parameters if there is one.
Expected<std::vector<PrunerBenchmarkRow>> benchmark(const std::vector<StudySpec>& studies,
                                                    const std::vector<BenchmarkPruner>& pruners);

}  // namespace curvelab
