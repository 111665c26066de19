#pragma once
/// \file
/// Diverse experiments from ranges and one seed: learners and non-learners, few and
/// many arms, smooth and noisy, for datasets, quizzes and pruner studies.

#include <cstdint>
#include <optional>
#include <vector>

#include "curvelab/config.hpp"
#include "curvelab/error.hpp"
#include "curvelab/random.hpp"

namespace curvelab {

struct RealRange {
  double lo = 0.0;
  double hi = 0.0;
};
struct IntRange {
  int lo = 0;
  int hi = 0;
};

/// Where each parameter is drawn from (uniformly, bounds included for integers), and
/// the mix of agents and bandits. The kind of agent is `random`, `ucb` or `gradient`
/// with their shares (which sum to at most 1), else `epsilon-greedy`. The other shares
/// apply within the kinds they name. With every new share at 0 the generator draws
/// exactly the experiments it drew before those agents existed.
struct GeneratorRanges {
  IntRange arms{2, 50};
  RealRange arm_mean{-1.0, 1.0};
  RealRange arm_spread{0.5, 2.0};
  RealRange noise{0.0, 5.0};
  RealRange epsilon{0.0, 0.5};
  RealRange initial_value{0.0, 0.0};
  IntRange steps{1000, 1000};
  double random_share = 0.1;     ///< share of `random` (never-learning) agents, [0, 1]
  double ucb_share = 0.15;       ///< share of UCB agents, [0, 1]
  double gradient_share = 0.15;  ///< share of gradient bandits, [0, 1]
  /// Share of epsilon-greedy and UCB agents with a constant step size (drawn from
  /// `step_size`) instead of sample averages, [0, 1].
  double constant_step_share = 0.25;
  /// Share of epsilon-greedy agents that are optimistic and greedy: epsilon 0, initial
  /// estimates `arm_mean + optimism`, constant step size (the late bloomers), [0, 1].
  double optimistic_share = 0.2;
  double baseline_off_share = 0.3;  ///< share of gradient bandits without a baseline, [0, 1]
  double walk_share = 0.1;          ///< share of drifting (nonstationary) bandits, [0, 1]
  RealRange step_size{0.05, 0.5};   ///< constant step sizes, and the gradient bandit's
  RealRange ucb_c{0.25, 4.0};       ///< UCB's c
  RealRange optimism{2.0, 5.0};     ///< how far above arm_mean optimistic estimates start
  RealRange walk{0.005, 0.05};      ///< a drifting bandit's standard deviation per step
};

/// The first problem with `ranges` (bounds outside what a config allows, lo > hi).
std::optional<Error> validate(const GeneratorRanges& ranges);

/// Experiment number `index` of the set generated from `seed`: its parameters are drawn
/// from `derive_seed(seed, index)`, and its run seed is another child of that stream.
/// Precondition: `validate(ranges)` found nothing.
ExperimentConfig sample_experiment(const GeneratorRanges& ranges, std::uint64_t seed, std::uint64_t index);

/// Gives `config` the newer agents' settings, drawn from `rng` in a fixed order: for an
/// epsilon-greedy agent optimism (`optimistic_share`) or a constant step size
/// (`constant_step_share`); for UCB its c and maybe a constant step size; for the
/// gradient bandit its step size and baseline; and a drifting bandit (`walk_share`).
/// `sample_experiment` uses it after its own draws.
void draw_agent_settings(const GeneratorRanges& ranges, ExperimentConfig& config, Rng& rng);

/// Makes an epsilon-greedy `config` a UCB agent or a gradient bandit with their shares
/// among the learners (`ucb_share / (1 - random_share)`, ...), then draws its settings
/// (`draw_agent_settings`). For cohorts drawn elsewhere (quiz items) that should hold
/// the generator's shapes. Other kinds keep their kind and get their settings.
void mix_learner(const GeneratorRanges& ranges, ExperimentConfig& config, Rng& rng);

/// Experiments 0 .. count - 1 of the set generated from `seed`.
std::vector<ExperimentConfig> generate_experiments(const GeneratorRanges& ranges, int count, std::uint64_t seed);

}  // namespace curvelab
