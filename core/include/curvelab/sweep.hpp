#pragma once
/// \file
/// The parameter study of Sutton and Barto's Figure 2.6: for each of four methods, the
/// average reward over the first `steps` steps as a function of its parameter, on
/// powers of 2.
///
/// Every setting runs the same `runs` bandits (run i has the seed `derive_seed(seed, i)`,
/// so its arms are the same whatever the agent): the comparison between settings is not
/// blurred by different draws of the arms.

#include <cstdint>
#include <iterator>
#include <optional>
#include <string_view>
#include <vector>

#include "curvelab/config.hpp"
#include "curvelab/error.hpp"

namespace curvelab {

/// The four methods of Figure 2.6, each with its parameter and range.
enum class SweepMethod {
  EpsilonGreedy,  ///< sample averages, Q1 = 0; parameter epsilon, 1/128 .. 1/4
  Gradient,       ///< with the baseline; parameter alpha, 1/32 .. 2
  Ucb,            ///< sample averages; parameter c, 1/16 .. 4
  Optimistic,     ///< greedy (epsilon 0), alpha = 0.1; parameter Q0, 1/4 .. 4
};

inline constexpr SweepMethod kAllSweepMethods[] = {SweepMethod::EpsilonGreedy, SweepMethod::Gradient, SweepMethod::Ucb,
                                                   SweepMethod::Optimistic};

/// `epsilon-greedy`, `gradient`, `ucb`, `optimistic`.
std::string_view sweep_method_name(SweepMethod method);
std::optional<SweepMethod> parse_sweep_method(std::string_view name);
/// The parameter's name: `epsilon`, `alpha`, `c`, `Q0`.
std::string_view sweep_parameter_name(SweepMethod method);

/// The study: which methods, on which bandit, how many runs of how many steps.
struct SweepConfig {
  std::vector<SweepMethod> methods{std::begin(kAllSweepMethods), std::end(kAllSweepMethods)};
  BanditConfig bandit;     ///< the 10-armed testbed by default
  int runs = 2000;         ///< runs per setting, 1..100,000
  int steps = 1000;        ///< steps per run, 1..1,000,000 (the figure: 1000)
  std::uint64_t seed = 1;  ///< run i of every setting has the seed derive_seed(seed, i)
};

std::optional<Error> validate(const SweepConfig& config);

/// One setting: a method at parameter 2^log2, and the experiment that runs it.
struct SweepPoint {
  SweepMethod method = SweepMethod::EpsilonGreedy;
  int log2 = 0;             ///< the parameter is 2^log2
  double value = 1.0;       ///< the parameter
  ExperimentConfig config;  ///< the agent and bandit of this setting
};

/// Every setting of the study, method by method, parameters rising (25 for all four
/// methods: 6 + 7 + 7 + 5). Precondition: `validate(config)` found nothing.
std::vector<SweepPoint> sweep_points(const SweepConfig& config);

/// What one setting earned, averaged over its runs.
struct SweepResult {
  SweepPoint point;
  double average_reward = 0.0;  ///< mean reward over every step and run
  double optimal_share = 0.0;   ///< share of optimal actions over every step and run
};

/// Runs one setting (the page steps the study setting by setting).
SweepResult run_sweep_point(const SweepPoint& point, int runs);
/// Runs every setting of the study.
std::vector<SweepResult> run_sweep(const SweepConfig& config);

/// The setting with the highest average reward among `results` of `method` (first of
/// ties), if any.
std::optional<SweepResult> best_of(const std::vector<SweepResult>& results, SweepMethod method);

}  // namespace curvelab
