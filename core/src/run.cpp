#include "curvelab/run.hpp"

#include <algorithm>
#include <cassert>
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
  rewards_.reserve(horizon);
  true_values_.reserve(horizon);
  optimal_.reserve(horizon);
}

void Run::set_agent(const AgentConfig& agent) {
  assert(!validate(agent));
  config_.agent = agent;
  rescan_greedy();
}

int Run::step(int n) {
  const int taken = std::clamp(n, 0, horizon() - steps_done());
  if (config_.agent.kind == AgentKind::EpsilonGreedy) {
    for (int i = 0; i < taken; ++i) {
      step_epsilon_greedy();
    }
  } else {
    for (int i = 0; i < taken; ++i) {
      step_random();
    }
  }
  return taken;
}

void Run::rescan_greedy() {
  greedy_estimate_ = estimates_[0];
  greedy_count_ = 0;
  greedy_value_sum_ = 0.0;
  for (std::size_t a = 0; a < estimates_.size(); ++a) {
    if (estimates_[a] > greedy_estimate_) {
      greedy_estimate_ = estimates_[a];
      greedy_count_ = 0;
      greedy_value_sum_ = 0.0;
    }
    if (estimates_[a] == greedy_estimate_) {
      if (greedy_count_ == 0) {
        greedy_arm_ = static_cast<int>(a);
      }
      ++greedy_count_;
      greedy_value_sum_ += arm_values_[a];
    }
  }
}

void Run::step_epsilon_greedy() {
  const double epsilon = config_.agent.epsilon;
  const double greedy_mean = greedy_value_sum_ / greedy_count_;
  const double true_value = (1.0 - epsilon) * greedy_mean + epsilon * baseline_;

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
  const double updated = estimates_[a];

  // Keep the greedy set current without scanning all arms on every step.
  if (updated > greedy_estimate_) {
    greedy_estimate_ = updated;
    greedy_count_ = 1;
    greedy_value_sum_ = arm_values_[a];
    greedy_arm_ = arm;
  } else if (updated == greedy_estimate_) {
    if (old_estimate != greedy_estimate_) {
      ++greedy_count_;
      greedy_value_sum_ += arm_values_[a];
    }
  } else if (old_estimate == greedy_estimate_) {
    rescan_greedy();  // the arm left the greedy set
  }
}

void Run::step_random() {
  const int arm = static_cast<int>(rng_.below(static_cast<std::uint32_t>(arm_values_.size())));
  record(arm, baseline_);
}

void Run::record(int arm, double value) {
  const auto a = static_cast<std::size_t>(arm);
  const double reward = rng_.normal(arm_values_[a], config_.bandit.noise);
  pulls_[a] += 1U;
  estimates_[a] += (reward - estimates_[a]) / static_cast<double>(pulls_[a]);
  rewards_.push_back(reward);
  true_values_.push_back(value);
  optimal_.push_back(arm_values_[a] == best_possible_ ? 1U : 0U);
}

}  // namespace curvelab
