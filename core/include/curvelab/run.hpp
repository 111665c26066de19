#pragma once
/// \file
/// A run: one agent on one bandit, stepped incrementally.
///
/// Per step a run records the reward received, whether the pulled arm was optimal at
/// that step, and the policy's *true value*: the expected reward of the action about to
/// be taken under the arms' values at that step. Per agent:
/// - epsilon-greedy: `(1 - epsilon) * mean q* over the arms tied for greedy + epsilon * mean q*`;
/// - UCB: `mean q*` over the arms tied for the highest upper bound (the untried arms, while
///   there are any);
/// - gradient bandit: `sum_a pi(a) q*(a)`, pi the softmax of the preferences;
/// - random: `mean q*`.
/// The true value is the noise-free learning curve that ground truth is computed from.
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

  /// Changes the agent mid-run (the page's sliders): its estimates, preferences and
  /// counts are kept, the new settings apply from the next step (a change to the
  /// gradient bandit starts its baseline at the mean reward so far).
  /// Precondition: `validate(agent)`.
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

  /// The arms' true values q* (on a drifting bandit: now, after the steps taken).
  std::span<const double> arm_values() const { return arm_values_; }
  /// mean q*: what the random agent earns per step in expectation. On a drifting bandit,
  /// the mean over the steps taken of mean q* at each step (before any step: at the
  /// start), so that the random agent's area above it stays 0.
  double baseline() const;
  /// max q*: the best expected reward any policy can earn per step. On a drifting bandit,
  /// the mean over the steps taken of max q* at each step (an oracle's expected reward).
  double best_possible() const;
  /// The agent's current estimates of the arms' values.
  std::span<const double> estimates() const { return estimates_; }
  /// The gradient bandit's preferences H(a) (kept for every kind; they move only while
  /// the gradient bandit acts).
  std::span<const double> preferences() const { return preferences_; }

 private:
  // What a step does, fixed by the agent's kind and update rule.
  // EpsilonGreedyAverage is the stationary case only; on a drifting bandit it is
  // DriftingEpsilonGreedyAverage.
  enum class Mode : std::uint8_t {
    EpsilonGreedyAverage,
    DriftingEpsilonGreedyAverage,
    EpsilonGreedyConstant,
    Ucb,
    Gradient,
    Random
  };

  void choose_mode();
  void step_one();
  void step_other();
  template <bool kConstantStep>
  void step_epsilon_greedy();
  void step_ucb();
  void step_gradient();
  void step_random();
  void rescan_greedy();
  void update_greedy(std::size_t arm, double old_estimate, double new_estimate);
  void drift();
  /// Draws the reward of `arm` and writes the step's records; returns the reward.
  double pull(int arm, double value);
  /// Moves the estimate of `arm` towards `reward`: sample average or constant step.
  template <bool kConstantStep>
  void learn(std::size_t arm, double reward);
  void learn_any(std::size_t arm, double reward);

  ExperimentConfig config_;
  Rng rng_;
  Mode mode_ = Mode::EpsilonGreedyAverage;
  double step_size_ = 0.0;  // the constant step size of the value estimates, when used
  std::vector<double> arm_values_;
  double baseline_ = 0.0;       // mean q* now
  double best_possible_ = 0.0;  // max q* now
  // Drifting bandits: sums over the steps taken of mean q* and max q* at each step.
  double baseline_sum_ = 0.0;
  double best_sum_ = 0.0;

  std::vector<double> estimates_;
  std::vector<std::uint32_t> pulls_;
  int untried_ = 0;  // arms never pulled (UCB pulls them first)
  std::vector<double> preferences_;
  std::vector<double> softmax_;  // scratch: exp(H(a) - max H)
  double reward_mean_ = 0.0;     // mean of the rewards so far: the gradient bandit's baseline
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
