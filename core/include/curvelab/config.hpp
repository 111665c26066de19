#pragma once
/// \file
/// What an experiment is: a bandit, an agent and a seed. Plain aggregates with their
/// defaults in the member initialisers; `validate` checks a whole configuration once.

#include <cstdint>
#include <optional>
#include <string_view>

#include "curvelab/error.hpp"

namespace curvelab {

/// A k-armed bandit. The true value of each arm is drawn once per run,
/// `q*(a) ~ Normal(arm_mean, arm_spread)`; each pull returns `Normal(q*(a), noise)`.
/// The defaults are Sutton and Barto's 10-armed testbed.
struct BanditConfig {
  int arms = 10;            ///< number of arms, 2..100
  double arm_mean = 0.0;    ///< mean of the arms' true values, [-100, 100]
  double arm_spread = 1.0;  ///< standard deviation of the arms' true values, [0, 100]
  double noise = 1.0;       ///< standard deviation of a reward around its arm's value, [0, 100]
};

/// The kinds of agent. New kinds (UCB, gradient bandit) extend this list.
enum class AgentKind {
  EpsilonGreedy,  ///< sample-average estimates; explores uniformly with probability epsilon
  Random,         ///< pulls uniformly at random and never learns: the baseline
};

/// The JSON and CLI name of an agent kind: `epsilon-greedy`, `random`.
std::string_view agent_kind_name(AgentKind kind);
/// The agent kind of a name, if there is one.
std::optional<AgentKind> parse_agent_kind(std::string_view name);

/// How the agent learns. Fields other than `kind` matter only to the kinds that use them.
struct AgentConfig {
  AgentKind kind = AgentKind::EpsilonGreedy;
  double epsilon = 0.1;         ///< probability of a uniformly random pull, [0, 1]
  double initial_value = 0.0;   ///< initial estimate of every arm, [-1000, 1000]
  double initial_spread = 0.0;  ///< > 0: random initial estimates, Normal(initial_value, initial_spread), [0, 100]
};

/// One experiment: everything a run needs, the seed included.
struct ExperimentConfig {
  BanditConfig bandit;
  AgentConfig agent;
  int steps = 1000;        ///< horizon, 1..1,000,000
  std::uint64_t seed = 1;  ///< fixes the arms, the agent's choices and the rewards
};

inline constexpr int kMinArms = 2;
inline constexpr int kMaxArms = 100;
inline constexpr int kMaxSteps = 1'000'000;

/// The first problem with `config`, or nothing when it is valid.
std::optional<Error> validate(const BanditConfig& config);
std::optional<Error> validate(const AgentConfig& config);
std::optional<Error> validate(const ExperimentConfig& config);

}  // namespace curvelab
