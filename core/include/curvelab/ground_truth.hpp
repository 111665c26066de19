#pragma once
/// \file
/// Ground truth of a run and of a cohort, computed from the noise-free true-value curve
/// (after Taylor and Stone, JMLR 2009: asymptotic performance, total reward, time to
/// threshold). Steps are counted from 1: "step t" is the t-th pull.

#include <optional>
#include <span>
#include <vector>

namespace curvelab {

/// Knobs of the definitions; the defaults are the documented ones.
struct GroundTruthOptions {
  double final_fraction = 0.10;      ///< final performance: mean of v over this last share of steps
  double smoothing_fraction = 0.05;  ///< visible maximum: moving-average window, as a share of T
  double learn_tolerance = 0.05;     ///< learns iff final - b > this share of (q*max - b)
  double onset_fraction = 0.10;      ///< onset: v stays above b + this share of the final gain
  /// The moving-average window (steps) every viewer is shown; 0 = `smoothing_fraction` of T.
  /// The "from this step on" rules (onset, time to threshold, best stop step) read v under
  /// this smoothing, so a change of v lasting fewer steps cannot move them.
  int smoothing_window = 0;
};

/// Everything ground truth says about one run of horizon T.
struct RunTruth {
  int horizon = 0;
  double baseline = 0.0;           ///< b = mean q*, what the random agent earns
  double best_possible = 0.0;      ///< q*max
  double final_performance = 0.0;  ///< mean of v over the last 10% of steps
  double max_true = 0.0;           ///< highest v[t]
  int max_true_step = 0;           ///< first step where it is reached
  double max_visible = 0.0;        ///< highest value of the smoothed observed reward curve
  int max_visible_step = 0;        ///< first step where it is reached
  int smoothing_window = 1;        ///< the moving-average window of the visible maximum and of the step rules
  bool learns = false;             ///< final - b > 5% of (q*max - b)
  /// First step from which the smoothed v (moving average over `smoothing_window`) stays at
  /// or above b + 0.5 (final - b); none if it never learns.
  std::optional<int> time_to_50;
  std::optional<int> time_to_90;  ///< the same at 0.9
  /// First step from which the smoothed v stays above b + 0.1 (final - b); none if it never learns.
  std::optional<int> onset;
  double normalized_area = 0.0;  ///< sum_t (v[t] - b) / (T (q*max - b)); 0 when q*max == b
};

/// Ground truth of one run from its true values, observed rewards (same length, >= 1),
/// baseline and best possible value.
RunTruth run_truth(std::span<const double> true_values, std::span<const double> rewards, double baseline,
                   double best_possible, const GroundTruthOptions& options = {});

/// The first step (1-based) from which `values` stays at or above `threshold`
/// (`strict`: above), or none when even the last value falls short.
std::optional<int> first_step_staying_above(std::span<const double> values, double threshold, bool strict);

/// Per run of a cohort: should it have been stopped, and when at the earliest.
struct StopTruth {
  bool below_median = false;       ///< final performance below the cohort's median final performance
  bool below_best_margin = false;  ///< final below best - margin * (best - worst) of the cohort
  /// For runs below the median: the first step from which the smoothed v (the run's
  /// `RunTruth::smoothing_window`) stays below the median final.
  std::optional<int> best_stop_step;
};

struct CohortTruth {
  double median_final = 0.0;  ///< median of the runs' final performances
  double best_final = 0.0;
  double worst_final = 0.0;
  int best_run = 0;  ///< index of the run with the highest final performance (first on ties)
  std::vector<StopTruth> runs;
};

/// Stop verdicts for a cohort. `true_values[i]` is run i's curve and `truths[i]` its
/// `run_truth`; `margin` in [0, 1] is the share of the cohort's final-performance range.
CohortTruth cohort_truth(std::span<const RunTruth> truths, std::span<const std::span<const double>> true_values,
                         double margin = 0.1);

/// Median with the mean of the two middle values for even counts. Precondition: non-empty, no NaN.
double median(std::vector<double> values);

}  // namespace curvelab
