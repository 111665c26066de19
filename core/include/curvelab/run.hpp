#pragma once
/// \file
/// A run: one agent on one bandit, stepped incrementally.
///
/// Per step a run records the reward received, whether the pulled arm was optimal, and
/// the policy's *true value*: the expected reward of the action about to be taken,
/// `(1 - epsilon) * mean q* over the arms tied for greedy + epsilon * mean q*`
/// (`mean q*` for the random agent). The true value is the noise-free learning curve
/// that ground truth is computed from.
///
/// The three records are contiguous arrays allocated for the whole horizon, so a caller
/// (the page, through typed-array views) reads them in place without copying, and their
/// addresses never change while the run grows.

#include <cstdint>
#include <span>
#include <vector>

#include "curvelab/config.hpp"
#include "curvelab/random.hpp"

namespace curvelab {

class Run {
 public:
  /// A run of `config`, with its arms drawn and nothing stepped yet.
  /// Precondition: `validate(config)` found nothing.
  explicit Run(const ExperimentConfig& config);

  /// Advances by up to `n` steps (never past the horizon); returns how many were taken.
  int step(int n = 1);
  /// Steps to the horizon.
  void finish() { step(horizon() - steps_done()); }

  /// Advances every run in `runs` by up to `n` steps, interleaved step by step so that
  /// the processor overlaps the independent runs' work. Same results as stepping each.
  static void step_together(std::span<Run> runs, int n);

  /// Changes the agent mid-run (the page's sliders): its estimates and counts are kept,
  /// the new epsilon applies from the next step. Precondition: `validate(agent)`.
  void set_agent(const AgentConfig& agent);

  int steps_done() const { return steps_done_; }
  int horizon() const { return config_.steps; }
  bool done() const { return steps_done() >= horizon(); }
  const ExperimentConfig& config() const { return config_; }

  /// Reward received at each step taken so far.
  std::span<const double> rewards() const { return {rewards_.data(), static_cast<std::size_t>(steps_done_)}; }
  /// True value of the policy at each step taken so far.
  std::span<const double> true_values() const { return {true_values_.data(), static_cast<std::size_t>(steps_done_)}; }
  /// 1 where the pulled arm was an optimal one, else 0.
  std::span<const std::uint8_t> optimal() const { return {optimal_.data(), static_cast<std::size_t>(steps_done_)}; }

  /// The arms' true values q*.
  std::span<const double> arm_values() const { return arm_values_; }
  /// mean q*: what the random agent earns per step in expectation.
  double baseline() const { return baseline_; }
  /// max q*: the best expected reward any policy can earn per step.
  double best_possible() const { return best_possible_; }
  /// The agent's current estimates of the arms' values.
  std::span<const double> estimates() const { return estimates_; }

 private:
  void step_one();
  void step_epsilon_greedy();
  void step_random();
  void rescan_greedy();
  void update_greedy(std::size_t arm, double old_estimate, double new_estimate);
  void record(int arm, double value);

  ExperimentConfig config_;
  Rng rng_;
  std::vector<double> arm_values_;
  double baseline_ = 0.0;
  double best_possible_ = 0.0;

  std::vector<double> estimates_;
  std::vector<std::uint32_t> pulls_;
  // The greedy set, maintained incrementally: its estimate, size and summed q*, and the
  // best estimate outside it (so that a greedy arm that drops a little needs no scan).
  double greedy_estimate_ = 0.0;
  int greedy_count_ = 0;
  double greedy_value_sum_ = 0.0;
  double greedy_mean_value_ = 0.0;  // greedy_value_sum_ / greedy_count_
  int greedy_arm_ = 0;              // the first greedy arm; the only one when greedy_count_ == 1
  double runner_up_estimate_ = 0.0;

  // Sized for the whole horizon up front: the data never moves while a run grows.
  int steps_done_ = 0;
  std::vector<double> rewards_;
  std::vector<double> true_values_;
  std::vector<std::uint8_t> optimal_;
};

}  // namespace curvelab
