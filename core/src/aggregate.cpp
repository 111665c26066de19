#include "curvelab/aggregate.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <utility>

#include "curvelab/random.hpp"
#include "curvelab/run.hpp"

namespace curvelab {

double t_quantile_975(int dof) {
  assert(dof >= 1);
  // t(0.975, dof) for 1..30 degrees of freedom, to six decimals.
  static constexpr std::array<double, 30> kTable = {
      12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157, 2.228139,
      2.200985,  2.178813, 2.160369, 2.144787, 2.131450, 2.119905, 2.109816, 2.100922, 2.093024, 2.085963,
      2.079614,  2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407, 2.045230, 2.042272};
  if (dof <= static_cast<int>(kTable.size())) {
    return kTable[static_cast<std::size_t>(dof - 1)];
  }
  // Beyond 30: the Cornish-Fisher expansion of t around the normal quantile, four terms
  // (error below 1e-6 from 30 degrees of freedom on).
  const double z = 1.959963984540054;
  const double z2 = z * z;
  const double z3 = z2 * z;
  const double z5 = z3 * z2;
  const double z7 = z5 * z2;
  const double z9 = z7 * z2;
  const double v = dof;
  const double g1 = (z3 + z) / 4.0;
  const double g2 = (5.0 * z5 + 16.0 * z3 + 3.0 * z) / 96.0;
  const double g3 = (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / 384.0;
  const double g4 = (79.0 * z9 + 776.0 * z7 + 1482.0 * z5 - 1920.0 * z3 - 945.0 * z) / 92160.0;
  return z + g1 / v + g2 / (v * v) + g3 / (v * v * v) + g4 / (v * v * v * v);
}

MeanBandAccumulator::MeanBandAccumulator(std::size_t length) : mean_(length, 0.0), m2_(length, 0.0) {}

void MeanBandAccumulator::add(std::span<const double> values) {
  assert(values.size() == mean_.size());
  ++count_;
  const double n = count_;
  for (std::size_t t = 0; t < mean_.size(); ++t) {
    const double delta = values[t] - mean_[t];
    mean_[t] += delta / n;
    m2_[t] += delta * (values[t] - mean_[t]);
  }
}

MeanBand MeanBandAccumulator::band() const {
  MeanBand out;
  out.runs = count_;
  if (count_ == 0) {
    return out;
  }
  out.mean = mean_;
  out.lower = mean_;
  out.upper = mean_;
  if (count_ < 2) {
    return out;
  }
  const double n = count_;
  const double t = t_quantile_975(count_ - 1);
  for (std::size_t i = 0; i < mean_.size(); ++i) {
    const double variance = m2_[i] > 0.0 ? m2_[i] / (n - 1.0) : 0.0;
    const double half = t * std::sqrt(variance / n);
    out.lower[i] = mean_[i] - half;
    out.upper[i] = mean_[i] + half;
  }
  return out;
}

RunAverager::RunAverager(const ExperimentConfig& config, std::vector<ScheduledChange> changes, SmoothingMethod method,
                         double param)
    : config_(config),
      changes_(std::move(changes)),
      method_(method),
      param_(param),
      reward_(static_cast<std::size_t>(config.steps)),
      true_value_(static_cast<std::size_t>(config.steps)) {}

int RunAverager::add(int n) {
  const int target = std::min(runs() + std::max(n, 0), kMaxAveragedRuns);
  const int added = target - runs();
  // Batches of runs stepped together, as in `simulate_average`: their work overlaps.
  constexpr int kBatch = 8;
  std::vector<Run> batch;
  batch.reserve(kBatch);
  while (runs() < target) {
    batch.clear();
    for (int i = runs(); i < std::min(target, runs() + kBatch); ++i) {
      ExperimentConfig c = config_;
      c.seed = derive_seed(config_.seed, static_cast<std::uint64_t>(i));
      batch.emplace_back(c);
    }
    for (const ScheduledChange& change : changes_) {
      Run::step_together(batch, change.step - batch.front().steps_done());
      for (Run& run : batch) {
        run.set_agent(change.agent);
      }
    }
    Run::step_together(batch, config_.steps);
    for (const Run& run : batch) {
      if (method_ == SmoothingMethod::None) {
        reward_.add(run.rewards());
      } else {
        reward_.add(smooth(run.rewards(), method_, param_, config_.steps));
      }
      true_value_.add(run.true_values());
      baseline_sum_ += run.baseline();
      best_sum_ += run.best_possible();
    }
  }
  return added;
}

RunAverage RunAverager::average() const {
  RunAverage out;
  out.reward = reward_.band();
  out.true_value = true_value_.band();
  if (runs() > 0) {
    out.baseline = baseline_sum_ / runs();
    out.best_possible = best_sum_ / runs();
  }
  return out;
}

}  // namespace curvelab
