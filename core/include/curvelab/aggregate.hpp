#pragma once
/// \file
/// The average of many runs with a confidence band, as Sutton and Barto draw their
/// testbed figures: per step, the mean over the runs and a 95% interval of that mean.
///
/// The interval is Student's t: `mean ± t(0.975, n - 1) * s / sqrt(n)`, where `s` is the
/// sample standard deviation of the n runs' values at that step. With one run the band has
/// no width (nothing is known about the spread). Values are accumulated step by step with
/// Welford's update, so memory is one horizon, whatever the number of runs.

#include <cstdint>
#include <span>
#include <vector>

#include "curvelab/agent_change.hpp"
#include "curvelab/config.hpp"
#include "curvelab/smoothing_choice.hpp"

namespace curvelab {

/// Per step (index t is step t + 1): the mean of the runs and the band around it.
struct MeanBand {
  int runs = 0;               ///< how many runs were averaged
  std::vector<double> mean;   ///< mean over the runs
  std::vector<double> lower;  ///< lower end of the 95% interval of the mean (= mean with one run)
  std::vector<double> upper;  ///< upper end of the 95% interval of the mean
};

/// The two-sided 95% quantile of Student's t with `dof` >= 1 degrees of freedom,
/// t(0.975, dof): 12.706 for 1, 2.262 for 9, 1.960 in the limit. Exact to 3 decimals.
double t_quantile_975(int dof);

/// Running per-step mean and spread of curves of one length (Welford's update).
class MeanBandAccumulator {
 public:
  /// Curves of `length` >= 0 points.
  explicit MeanBandAccumulator(std::size_t length);

  /// Adds one curve. Precondition: `values.size()` equals the length.
  void add(std::span<const double> values);

  int count() const { return count_; }
  /// The mean and 95% band of the curves added so far (empty curves when none).
  MeanBand band() const;

 private:
  int count_ = 0;
  std::vector<double> mean_;
  std::vector<double> m2_;  // sum of squared deviations from the running mean
};

/// What the average view shows: the mean reward (each run's rewards smoothed first, as
/// the view asks: the mean of smoothed curves, with the band of that mean) and the mean
/// true value over the runs, each with its band, and the mean baseline and best possible value of the runs' bandits.
struct RunAverage {
  MeanBand reward;
  MeanBand true_value;
  double baseline = 0.0;       ///< mean over the runs of mean q*
  double best_possible = 0.0;  ///< mean over the runs of max q*
};

/// Averages runs 0, 1, 2, ... of `config` (run i has the seed `derive_seed(seed, i)`, as
/// in `simulate_average`), each with the same scheduled agent changes, added a few at a
/// time so that a page can compute a large average in slices between frames.
class RunAverager {
 public:
  /// Precondition: `validate(config)` and `validate_changes(changes, config.steps)` found
  /// nothing. Each run's rewards are smoothed by `method` and `param` (as `smooth` takes
  /// them) before they are averaged.
  RunAverager(const ExperimentConfig& config, std::vector<ScheduledChange> changes,
              SmoothingMethod method = SmoothingMethod::None, double param = 0.0);

  /// Runs up to `n` more runs to the horizon and adds them; returns how many were added.
  int add(int n);
  int runs() const { return reward_.count(); }
  RunAverage average() const;

 private:
  ExperimentConfig config_;
  std::vector<ScheduledChange> changes_;
  SmoothingMethod method_;
  double param_;
  MeanBandAccumulator reward_;
  MeanBandAccumulator true_value_;
  double baseline_sum_ = 0.0;
  double best_sum_ = 0.0;
};

/// Most runs the average view takes for one curve, and most agent-steps for a whole average.
inline constexpr int kMaxAveragedRuns = 10'000;

}  // namespace curvelab
