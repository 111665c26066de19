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
/// With `walk > 0` the bandit is nonstationary: after every step each q*(a) takes an
/// independent `Normal(0, walk)` step (Sutton and Barto's Exercise 2.5 uses 0.01).
/// The defaults are Sutton and Barto's 10-armed testbed.
struct BanditConfig {
  int arms = 10;            ///< number of arms, 2..100
  double arm_mean = 0.0;    ///< mean of the arms' true values, [-100, 100]
  double arm_spread = 1.0;  ///< standard deviation of the arms' true values, [0, 100]
  double noise = 1.0;       ///< standard deviation of a reward around its arm's value, [0, 100]
  double walk = 0.0;        ///< standard deviation of each arm's step per time step, [0, 10]; 0: stationary
};

/// The kinds of agent.
enum class AgentKind {
  EpsilonGreedy,  ///< value estimates; explores uniformly with probability epsilon
  Random,         ///< pulls uniformly at random and never learns: the baseline
  Ucb,            ///< value estimates; pulls argmax Q(a) + c sqrt(ln t / N(a)), an untried arm first
  Gradient,       ///< softmax over preferences learnt by stochastic gradient ascent
};

/// The JSON and CLI name of an agent kind: `epsilon-greedy`, `ucb`, `gradient`, `random`.
std::string_view agent_kind_name(AgentKind kind);
/// The agent kind of a name, if there is one.
std::optional<AgentKind> parse_agent_kind(std::string_view name);
/// Every kind, in the order the CLI and the README list them.
inline constexpr AgentKind kAllAgentKinds[] = {AgentKind::EpsilonGreedy, AgentKind::Ucb, AgentKind::Gradient,
                                               AgentKind::Random};

/// The gradient bandit's step size when `step_size` is left out.
inline constexpr double kDefaultGradientStepSize = 0.1;
/// The largest constant step size for value estimates (1 keeps only the last reward).
inline constexpr double kMaxValueStepSize = 1.0;
/// The largest step size of the gradient bandit's preferences.
inline constexpr double kMaxGradientStepSize = 100.0;

/// How the agent learns. Fields other than `kind` matter only to the kinds that use them.
///
/// Every kind keeps value estimates Q(a) (sample averages, or a constant step size), so
/// an agent changed mid-run starts from what was learnt so far; only epsilon-greedy and
/// UCB act on them. The gradient bandit acts on its preferences H(a), which start at the
/// initial estimates (a constant shift does not change the softmax).
struct AgentConfig {
  AgentKind kind = AgentKind::EpsilonGreedy;
  double epsilon = 0.1;         ///< epsilon-greedy: probability of a uniformly random pull, [0, 1]
  double initial_value = 0.0;   ///< initial estimate of every arm, [-1000, 1000]
  double initial_spread = 0.0;  ///< > 0: random initial estimates, Normal(initial_value, initial_spread), [0, 100]
  /// Value estimates: a constant step size alpha in (0, 1], `Q += alpha (R - Q)`; none:
  /// sample averages, `Q += (R - Q) / N`. The gradient bandit: the step size of its
  /// preferences, (0, 100]; none: kDefaultGradientStepSize.
  std::optional<double> step_size;
  double ucb_c = 2.0;  ///< UCB: weight c of the exploration bonus, [0, 100]
  /// Gradient bandit: subtract the baseline R̄_t from each reward, where R̄_t is the mean
  /// of the rewards *before* step t (R̄_1 = R_1, so step 1 changes nothing). Printings of
  /// Sutton and Barto differ on whether R̄_t includes R_t; here it does not, so a reward
  /// is never judged against itself. Off: R̄ = 0.
  bool baseline = true;
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
inline constexpr double kMaxWalk = 10.0;
inline constexpr double kMaxUcbC = 100.0;

/// The step size of the value estimates: none for sample averages (always for the
/// gradient bandit, whose `step_size` is that of its preferences).
std::optional<double> value_step_size(const AgentConfig& config);
/// The gradient bandit's step size: `step_size`, or kDefaultGradientStepSize.
double gradient_step_size(const AgentConfig& config);

/// The first problem with `config`, or nothing when it is valid.
std::optional<Error> validate(const BanditConfig& config);
std::optional<Error> validate(const AgentConfig& config);
std::optional<Error> validate(const ExperimentConfig& config);

}  // namespace curvelab
