#include "curvelab/run.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <numeric>

#include "curvelab/mathfn.hpp"

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
  untried_ = config.bandit.arms;
  preferences_ = estimates_;
  softmax_.assign(arms, 0.0);
  choose_mode();
  rescan_greedy();

  const auto horizon = static_cast<std::size_t>(config.steps);
  rewards_.resize(horizon);
  true_values_.resize(horizon);
  optimal_.resize(horizon);
}

void Run::choose_mode() {
  const AgentConfig& agent = config_.agent;
  step_size_ = value_step_size(agent).value_or(0.0);
  switch (agent.kind) {
    case AgentKind::EpsilonGreedy:
      mode_ = step_size_ > 0.0            ? Mode::EpsilonGreedyConstant
              : config_.bandit.walk > 0.0 ? Mode::DriftingEpsilonGreedyAverage
                                          : Mode::EpsilonGreedyAverage;
      break;
    case AgentKind::Ucb:
      mode_ = Mode::Ucb;
      break;
    case AgentKind::Gradient:
      mode_ = Mode::Gradient;
      break;
    case AgentKind::Random:
      mode_ = Mode::Random;
      break;
  }
}

void Run::set_agent(const AgentConfig& agent) {
  assert(!validate(agent));
  const bool was_gradient = config_.agent.kind == AgentKind::Gradient;
  config_.agent = agent;
  choose_mode();
  rescan_greedy();
  untried_ = static_cast<int>(std::count(pulls_.begin(), pulls_.end(), 0U));
  if (agent.kind == AgentKind::Gradient && !was_gradient) {
    const auto rewards = this->rewards();
    reward_mean_ = rewards.empty()
                       ? 0.0
                       : std::accumulate(rewards.begin(), rewards.end(), 0.0) / static_cast<double>(rewards.size());
  }
}

double Run::baseline() const {
  if (config_.bandit.walk > 0.0 && steps_done_ > 0) {
    return baseline_sum_ / steps_done_;
  }
  return baseline_;
}

double Run::best_possible() const {
  if (config_.bandit.walk > 0.0 && steps_done_ > 0) {
    return best_sum_ / steps_done_;
  }
  return best_possible_;
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

// The sample-average epsilon-greedy agent on a stationary bandit is the common case and
// the benchmark's: one predictable test keeps its step as cheap as it was before the
// other agents existed; everything else goes through step_other.
inline void Run::step_one() {
  if (mode_ == Mode::EpsilonGreedyAverage) {
    step_epsilon_greedy<false>();
    return;
  }
  step_other();
}

void Run::step_other() {
  switch (mode_) {
    case Mode::EpsilonGreedyAverage:
    case Mode::DriftingEpsilonGreedyAverage:
      step_epsilon_greedy<false>();
      break;
    case Mode::EpsilonGreedyConstant:
      step_epsilon_greedy<true>();
      break;
    case Mode::Ucb:
      step_ucb();
      break;
    case Mode::Gradient:
      step_gradient();
      break;
    case Mode::Random:
      step_random();
      break;
  }
  if (config_.bandit.walk > 0.0) {
    drift();
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

template <bool kConstantStep>
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
  learn<kConstantStep>(a, pull(arm, true_value));
  update_greedy(a, old_estimate, estimates_[a]);
}

void Run::step_ucb() {
  const std::size_t arms = arm_values_.size();
  int arm = 0;
  int count = 0;
  double value_sum = 0.0;
  if (untried_ > 0) {
    // An untried arm's bound is infinite: every untried arm maximises it.
    for (std::size_t a = 0; a < arms; ++a) {
      if (pulls_[a] == 0U) {
        value_sum += arm_values_[a];
      }
    }
    count = untried_;
    int pick = count > 1 ? static_cast<int>(rng_.below(static_cast<std::uint32_t>(count))) : 0;
    for (std::size_t a = 0;; ++a) {
      if (pulls_[a] == 0U && pick-- == 0) {
        arm = static_cast<int>(a);
        break;
      }
    }
  } else {
    // t counts steps from 1: ln t / N(a) with this step's t.
    const double log_t = det_log(static_cast<double>(steps_done_ + 1));
    const double c = config_.agent.ucb_c;
    double best = -std::numeric_limits<double>::infinity();
    for (std::size_t a = 0; a < arms; ++a) {
      const double bound = estimates_[a] + c * std::sqrt(log_t / static_cast<double>(pulls_[a]));
      softmax_[a] = bound;  // scratch: the bounds, for the tie-break below
      if (bound > best) {
        best = bound;
        arm = static_cast<int>(a);
        count = 1;
        value_sum = arm_values_[a];
      } else if (bound == best) {
        ++count;
        value_sum += arm_values_[a];
      }
    }
    if (count > 1) {
      int pick = static_cast<int>(rng_.below(static_cast<std::uint32_t>(count)));
      for (std::size_t a = 0;; ++a) {
        if (softmax_[a] == best && pick-- == 0) {
          arm = static_cast<int>(a);
          break;
        }
      }
    }
  }
  const auto a = static_cast<std::size_t>(arm);
  const double reward = pull(arm, value_sum / count);
  if (pulls_[a] == 1U) {
    --untried_;
  }
  learn_any(a, reward);
}

void Run::step_gradient() {
  const std::size_t arms = arm_values_.size();
  const double top = *std::max_element(preferences_.begin(), preferences_.end());
  double total = 0.0;
  double expected = 0.0;
  for (std::size_t a = 0; a < arms; ++a) {
    const double weight = det_exp_nonpositive(preferences_[a] - top);  // <= 1, and 1 for the top
    softmax_[a] = weight;
    total += weight;
    expected += weight * arm_values_[a];
  }
  // Sample from the softmax: the first arm whose cumulative weight passes u * total.
  const double threshold = rng_.uniform() * total;
  std::size_t chosen = arms - 1;
  double cumulative = 0.0;
  for (std::size_t a = 0; a < arms; ++a) {
    cumulative += softmax_[a];
    if (threshold < cumulative) {
      chosen = a;
      break;
    }
  }
  const double inverse = 1.0 / total;
  const int before = steps_done_;
  const double reward = pull(static_cast<int>(chosen), expected * inverse);
  learn<false>(chosen, reward);

  // The baseline is the mean of the rewards before this step (the first reward itself
  // on step 1), so the reward being judged is not part of what it is judged against.
  const double reference = !config_.agent.baseline ? 0.0 : before == 0 ? reward : reward_mean_;
  const double step = gradient_step_size(config_.agent) * (reward - reference);
  for (std::size_t a = 0; a < arms; ++a) {
    const double pi = softmax_[a] * inverse;
    if (a == chosen) {
      preferences_[a] += step * (1.0 - pi);
    } else {
      preferences_[a] -= step * pi;
    }
  }
  reward_mean_ += (reward - reward_mean_) / static_cast<double>(before + 1);
}

inline void Run::step_random() {
  const int arm = static_cast<int>(rng_.below(static_cast<std::uint32_t>(arm_values_.size())));
  learn_any(static_cast<std::size_t>(arm), pull(arm, baseline_));
}

// Each q*(a) takes its step after the step's records are written: a step's true value,
// reward and optimal action all use the values the agent faced.
void Run::drift() {
  baseline_sum_ += baseline_;
  best_sum_ += best_possible_;
  const double sigma = config_.bandit.walk;
  double sum = 0.0;
  double best = -std::numeric_limits<double>::infinity();
  for (double& q : arm_values_) {
    q = rng_.normal(q, sigma);
    sum += q;
    best = std::max(best, q);
  }
  baseline_ = sum / static_cast<double>(arm_values_.size());
  best_possible_ = best;
  if (mode_ == Mode::DriftingEpsilonGreedyAverage || mode_ == Mode::EpsilonGreedyConstant) {
    if (greedy_count_ == 1) {
      greedy_value_sum_ = arm_values_[static_cast<std::size_t>(greedy_arm_)];
      greedy_mean_value_ = greedy_value_sum_;
    } else {
      rescan_greedy();
    }
  }
}

inline double Run::pull(int arm, double value) {
  const auto a = static_cast<std::size_t>(arm);
  const double reward = rng_.normal(arm_values_[a], config_.bandit.noise);
  pulls_[a] += 1U;
  const auto t = static_cast<std::size_t>(steps_done_++);
  rewards_[t] = reward;
  true_values_[t] = value;
  optimal_[t] = arm_values_[a] == best_possible_ ? 1U : 0U;
  return reward;
}

template <bool kConstantStep>
inline void Run::learn(std::size_t arm, double reward) {
  if constexpr (kConstantStep) {
    estimates_[arm] += step_size_ * (reward - estimates_[arm]);
  } else {
    estimates_[arm] += (reward - estimates_[arm]) / static_cast<double>(pulls_[arm]);
  }
}

void Run::learn_any(std::size_t arm, double reward) {
  if (step_size_ > 0.0) {
    learn<true>(arm, reward);
  } else {
    learn<false>(arm, reward);
  }
}

}  // namespace curvelab
