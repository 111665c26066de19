#include "curvelab/simulate.hpp"

#include <algorithm>
#include <cassert>

#include "curvelab/random.hpp"
#include "curvelab/run.hpp"

namespace curvelab {

AverageCurves simulate_average(const ExperimentConfig& config, int runs) {
  assert(runs >= 1 && runs <= kMaxRuns);
  const auto horizon = static_cast<std::size_t>(config.steps);
  AverageCurves out;
  out.mean_reward.assign(horizon, 0.0);
  out.optimal_share.assign(horizon, 0.0);
  out.mean_true_value.assign(horizon, 0.0);
  // Batches of runs stepped together: their work overlaps in the processor.
  constexpr int kBatch = 8;
  std::vector<Run> batch;
  batch.reserve(kBatch);
  for (int first = 0; first < runs; first += kBatch) {
    batch.clear();
    for (int i = first; i < std::min(runs, first + kBatch); ++i) {
      ExperimentConfig run_config = config;
      run_config.seed = derive_seed(config.seed, static_cast<std::uint64_t>(i));
      batch.emplace_back(run_config);
    }
    Run::step_together(batch, config.steps);
    for (const Run& run : batch) {
      const auto rewards = run.rewards();
      const auto optimal = run.optimal();
      const auto values = run.true_values();
      for (std::size_t t = 0; t < horizon; ++t) {
        out.mean_reward[t] += rewards[t];
        out.optimal_share[t] += optimal[t];
        out.mean_true_value[t] += values[t];
      }
    }
  }
  const double scale = 1.0 / runs;
  for (std::size_t t = 0; t < horizon; ++t) {
    out.mean_reward[t] *= scale;
    out.optimal_share[t] *= scale;
    out.mean_true_value[t] *= scale;
  }
  return out;
}

}  // namespace curvelab
