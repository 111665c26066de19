#include "curvelab/ground_truth.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "curvelab/smoothing.hpp"

namespace curvelab {
namespace {
// Index and value of the first maximum.
std::pair<std::size_t, double> first_max(std::span<const double> values) {
  std::size_t best = 0;
  for (std::size_t t = 1; t < values.size(); ++t) {
    if (values[t] > values[best]) {
      best = t;
    }
  }
  return {best, values[best]};
}

// First 1-based step from which every later value satisfies `keeps`, or none when the
// last value does not.
template <class Predicate>
std::optional<int> first_step_from_which(std::span<const double> values, Predicate keeps) {
  std::size_t t = values.size();
  while (t > 0 && keeps(values[t - 1])) {
    --t;
  }
  if (t == values.size()) {
    return std::nullopt;
  }
  return static_cast<int>(t) + 1;
}
}  // namespace

std::optional<int> first_step_staying_above(std::span<const double> values, double threshold, bool strict) {
  if (strict) {
    return first_step_from_which(values, [threshold](double v) { return v > threshold; });
  }
  return first_step_from_which(values, [threshold](double v) { return v >= threshold; });
}

double median(std::vector<double> values) {
  assert(!values.empty());
  const std::size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  const double upper = values[mid];
  if (values.size() % 2 == 1) {
    return upper;
  }
  const double lower = *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
  return lower + (upper - lower) / 2.0;
}

RunTruth run_truth(std::span<const double> true_values, std::span<const double> rewards, double baseline,
                   double best_possible, const GroundTruthOptions& options) {
  assert(!true_values.empty() && true_values.size() == rewards.size());
  RunTruth truth;
  const auto horizon = static_cast<int>(true_values.size());
  truth.horizon = horizon;
  truth.baseline = baseline;
  truth.best_possible = best_possible;

  const auto tail =
      static_cast<std::size_t>(std::clamp(static_cast<int>(std::lround(options.final_fraction * horizon)), 1, horizon));
  double tail_sum = 0.0;
  for (std::size_t t = true_values.size() - tail; t < true_values.size(); ++t) {
    tail_sum += true_values[t];
  }
  truth.final_performance = tail_sum / static_cast<double>(tail);

  const auto [true_index, true_max] = first_max(true_values);
  truth.max_true = true_max;
  truth.max_true_step = static_cast<int>(true_index) + 1;

  truth.smoothing_window = options.smoothing_window > 0
                               ? options.smoothing_window
                               : std::max(1, static_cast<int>(std::lround(options.smoothing_fraction * horizon)));
  const std::vector<double> smoothed = moving_average(rewards, truth.smoothing_window);
  const auto [visible_index, visible_max] = first_max(smoothed);
  truth.max_visible = visible_max;
  truth.max_visible_step = static_cast<int>(visible_index) + 1;

  const double possible_gain = best_possible - baseline;
  const double gain = truth.final_performance - baseline;
  truth.learns = possible_gain > 0.0 && gain > options.learn_tolerance * possible_gain;
  if (truth.learns) {
    // Under the smoothing every viewer is shown: a dip of v for one step (one unlucky
    // sample that switches the greedy arm) moves the smoothed v by 1/window of its depth,
    // where the raw rule would put the onset after it, out of anyone's sight.
    const std::vector<double> seen = moving_average(true_values, truth.smoothing_window);
    truth.time_to_50 = first_step_staying_above(seen, baseline + 0.5 * gain, false);
    truth.time_to_90 = first_step_staying_above(seen, baseline + 0.9 * gain, false);
    truth.onset = first_step_staying_above(seen, baseline + options.onset_fraction * gain, true);
  }

  if (possible_gain > 0.0) {
    double area = 0.0;
    for (const double v : true_values) {
      area += v - baseline;
    }
    truth.normalized_area = area / (horizon * possible_gain);
  }
  return truth;
}

CohortTruth cohort_truth(std::span<const RunTruth> truths, std::span<const std::span<const double>> true_values,
                         double margin) {
  assert(!truths.empty() && truths.size() == true_values.size());
  CohortTruth cohort;
  std::vector<double> finals;
  finals.reserve(truths.size());
  for (const RunTruth& truth : truths) {
    finals.push_back(truth.final_performance);
  }
  cohort.median_final = median(finals);
  const auto best = std::max_element(finals.begin(), finals.end());
  cohort.best_run = static_cast<int>(best - finals.begin());
  cohort.best_final = *best;
  cohort.worst_final = *std::min_element(finals.begin(), finals.end());
  const double bar = cohort.best_final - margin * (cohort.best_final - cohort.worst_final);

  cohort.runs.resize(truths.size());
  for (std::size_t i = 0; i < truths.size(); ++i) {
    StopTruth& stop = cohort.runs[i];
    stop.below_median = finals[i] < cohort.median_final;
    stop.below_best_margin = finals[i] < bar;
    if (stop.below_median) {
      const double target = cohort.median_final;
      const std::vector<double> seen = moving_average(true_values[i], truths[i].smoothing_window);
      stop.best_stop_step =
          first_step_from_which(std::span<const double>(seen), [target](double v) { return v < target; });
    }
  }
  return cohort;
}

}  // namespace curvelab
