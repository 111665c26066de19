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
#include "curvelab/pruners.hpp"
#include "curvelab/study.hpp"

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
  double average_reward = 0.0;      ///< mean reward over every step and run
  double optimal_share = 0.0;       ///< share of optimal actions over every step and run
  std::vector<double> mean_reward;  ///< mean reward over the runs at each step (index t: step t + 1)
};

/// Runs one setting (the page steps the study setting by setting).
SweepResult run_sweep_point(const SweepPoint& point, int runs);
/// Runs every setting of the study.
std::vector<SweepResult> run_sweep(const SweepConfig& config);

/// The study computed a few runs at a time, setting by setting, so that a page can
/// compute it between frames. Its results equal `run_sweep`'s bit for bit (the runs of a
/// setting are added in the same order, however they are sliced).
class SweepRunner {
 public:
  /// Precondition: `validate(config)` found nothing.
  explicit SweepRunner(const SweepConfig& config);

  /// Runs up to `max_runs` more runs of the setting under way (never of two settings at
  /// once); returns how many were run, 0 once every setting is done.
  int advance(int max_runs);
  bool done() const { return results_.size() == points_.size(); }
  /// Share of the study's runs done, [0, 1].
  double progress() const;
  const SweepConfig& config() const { return config_; }
  /// Every setting of the study, as `sweep_points` gives them.
  const std::vector<SweepPoint>& points() const { return points_; }
  /// The settings finished so far, in the order of `points()`.
  const std::vector<SweepResult>& results() const { return results_; }

 private:
  SweepConfig config_;
  std::vector<SweepPoint> points_;
  std::vector<SweepResult> results_;
  std::vector<double> reward_sum_;   // of the setting under way, per step
  std::vector<double> optimal_sum_;  // of the setting under way, per step
  int runs_done_ = 0;                // of the setting under way
};

/// One method's settings as a hyper-parameter study with early stopping.
struct SweepMethodStudy {
  SweepMethod method = SweepMethod::EpsilonGreedy;
  /// The pruner's decisions and summary; trial i is the method's i-th setting.
  StudyResult study;
  /// The full sweep's best setting of the method (highest average reward, first of ties).
  SweepResult best;
  /// The best of the settings the pruner let finish, if any finished.
  std::optional<SweepResult> best_kept;
  /// Whether the pruned sweep still picks the full sweep's best parameter.
  bool found_best = false;
};

/// What a pruner does to the parameter study.
struct SweepStudy {
  std::vector<SweepMethodStudy> methods;  ///< in the order the methods appear in the results
  std::int64_t agent_steps_total = 0;     ///< agent-steps of the full sweep (steps x runs x settings)
  std::int64_t agent_steps_run = 0;       ///< agent-steps the pruned sweep runs
  double share_saved = 0.0;               ///< 1 - agent_steps_run / agent_steps_total
  bool found_every_best = false;          ///< every method's best parameter is still found
};

/// The sweep as hyper-parameter tuning with early stopping: for each method, one study
/// (named `sweep-<method>`, maximized) whose trials are its settings in rising order, each
/// reporting its mean reward over the `runs` runs at every step (study steps 0..steps-1)
/// and ending with its average reward. A pruned setting stops all its runs at that step,
/// so it saves (steps - reports) x runs agent-steps. The refusal of the pruner, if any.
/// Precondition: `results` are finished settings of one sweep of `runs` runs.
Expected<SweepStudy> prune_sweep(const std::vector<SweepResult>& results, const PrunerSpec& pruner, int runs);

/// The setting with the highest average reward among `results` of `method` (first of
/// ties), if any.
std::optional<SweepResult> best_of(const std::vector<SweepResult>& results, SweepMethod method);

}  // namespace curvelab
