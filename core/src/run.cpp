#include "curvelab/run.hpp"

#include <algorithm>
#include <cassert>
#include <limits>
#include <numeric>

namespace curvelab {

Run::Run(const ExperimentConfig& config) : config_(config), rng_(config.seed) {
  assert(!validate(config));
  const auto arms = static_cast<std::size_t>(config.bandit.arms);
  arm_values_.resize(arms);
  for (double& q : arm_values_) {
    q = rng_.normal(config.bandit.arm_mean, config.bandit.arm_spread);
  }
  baseline_ = std::accumulate(arm_values_.begin(), arm_values_.end(), 0.0) / static_cast<double>(arms);
  best_possible_ = *std::max_element(arm_values_.begin(), arm_values_.end());

  estimates_.assign(arms, config.agent.initial_value);
  if (config.agent.initial_spread > 0.0) {
    for (double& estimate : estimates_) {
      estimate = rng_.normal(config.agent.initial_value, config.agent.initial_spread);
    }
  }
  pulls_.assign(arms, 0);
  rescan_greedy();

  const auto horizon = static_cast<std::size_t>(config.steps);
  rewards_.resize(horizon);
  true_values_.resize(horizon);
  optimal_.resize(horizon);
}

void Run::set_agent(const AgentConfig& agent) {
  assert(!validate(agent));
  config_.agent = agent;
  rescan_greedy();
}

int Run::step(int n) {
  const int taken = std::clamp(n, 0, horizon() - steps_done());
  for (int i = 0; i < taken; ++i) {
    step_one();
  }
  return taken;
}

void Run::step_together(std::span<Run> runs, int n) {
  for (int i = 0; i < n; ++i) {
    for (Run& run : runs) {
      if (!run.done()) {
        run.step_one();
      }
    }
  }
}

inline void Run::step_one() {
  if (config_.agent.kind == AgentKind::EpsilonGreedy) {
    step_epsilon_greedy();
  } else {
    step_random();
  }
}

void Run::rescan_greedy() {
  greedy_estimate_ = *std::max_element(estimates_.begin(), estimates_.end());
  greedy_count_ = 0;
  greedy_value_sum_ = 0.0;
  runner_up_estimate_ = -std::numeric_limits<double>::infinity();
  for (std::size_t a = 0; a < estimates_.size(); ++a) {
    if (estimates_[a] == greedy_estimate_) {
      if (greedy_count_ == 0) {
        greedy_arm_ = static_cast<int>(a);
      }
      ++greedy_count_;
      greedy_value_sum_ += arm_values_[a];
    } else {
      runner_up_estimate_ = std::max(runner_up_estimate_, estimates_[a]);
    }
  }
  greedy_mean_value_ = greedy_value_sum_ / greedy_count_;
}

// Keeps the greedy set current after one estimate changed. Ties are rare once every arm
// has been pulled, so the common cases avoid scanning the arms and their branches are
// predictable; anything involving a tie falls back to a scan.
inline void Run::update_greedy(std::size_t arm, double old_estimate, double new_estimate) {
  if (greedy_count_ != 1) {
    rescan_greedy();
    return;
  }
  if (static_cast<int>(arm) == greedy_arm_) {
    if (new_estimate > runner_up_estimate_) {
      greedy_estimate_ = new_estimate;  // still alone at the top
    } else {
      rescan_greedy();
    }
    return;
  }
  if (new_estimate < greedy_estimate_) {
    if (new_estimate > runner_up_estimate_) {
      runner_up_estimate_ = new_estimate;
    } else if (old_estimate >= runner_up_estimate_) {
      rescan_greedy();  // the runner-up fell: find the next one
    }
    return;
  }
  if (new_estimate > greedy_estimate_) {
    runner_up_estimate_ = greedy_estimate_;
    greedy_estimate_ = new_estimate;
    greedy_arm_ = static_cast<int>(arm);
    greedy_value_sum_ = arm_values_[arm];
    greedy_mean_value_ = arm_values_[arm];
    return;
  }
  rescan_greedy();  // a new tie at the top
}

inline void Run::step_epsilon_greedy() {
  const double epsilon = config_.agent.epsilon;
  const double true_value = (1.0 - epsilon) * greedy_mean_value_ + epsilon * baseline_;

  int arm = greedy_arm_;
  if (rng_.uniform() < epsilon) {
    arm = static_cast<int>(rng_.below(static_cast<std::uint32_t>(arm_values_.size())));
  } else if (greedy_count_ > 1) {
    // Random tie-breaking: the pick-th of the tied arms.
    int pick = static_cast<int>(rng_.below(static_cast<std::uint32_t>(greedy_count_)));
    for (std::size_t a = 0;; ++a) {
      if (estimates_[a] == greedy_estimate_ && pick-- == 0) {
        arm = static_cast<int>(a);
        break;
      }
    }
  }

  const auto a = static_cast<std::size_t>(arm);
  const double old_estimate = estimates_[a];
  record(arm, true_value);
  update_greedy(a, old_estimate, estimates_[a]);
}

inline void Run::step_random() {
  const int arm = static_cast<int>(rng_.below(static_cast<std::uint32_t>(arm_values_.size())));
  record(arm, baseline_);
}

inline void Run::record(int arm, double value) {
  const auto a = static_cast<std::size_t>(arm);
  const double reward = rng_.normal(arm_values_[a], config_.bandit.noise);
  pulls_[a] += 1U;
  estimates_[a] += (reward - estimates_[a]) / static_cast<double>(pulls_[a]);
  const auto t = static_cast<std::size_t>(steps_done_++);
  rewards_[t] = reward;
  true_values_[t] = value;
  optimal_[t] = arm_values_[a] == best_possible_ ? 1U : 0U;
}

}  // namespace curvelab
