// Sutton and Barto (2018), Figure 2.2: the 10-armed testbed, 2000 runs, 1000 steps.

#include <catch2/catch.hpp>

#include <vector>

#include "curvelab/random.hpp"
#include "curvelab/run.hpp"
#include "curvelab/simulate.hpp"

namespace {
struct Tail {
  double reward = 0.0;
  double optimal = 0.0;
  double true_value = 0.0;
};

// Averages over the last 100 steps of 2000 runs.
Tail last_hundred(double epsilon) {
  curvelab::ExperimentConfig config;
  config.agent.epsilon = epsilon;
  config.seed = 2018;
  const auto curves = curvelab::simulate_average(config, 2000);
  Tail tail;
  for (std::size_t t = 900; t < 1000; ++t) {
    tail.reward += curves.mean_reward[t] / 100.0;
    tail.optimal += curves.optimal_share[t] / 100.0;
    tail.true_value += curves.mean_true_value[t] / 100.0;
  }
  return tail;
}
}  // namespace

TEST_CASE("the testbed reproduces Figure 2.2 of Sutton and Barto", "[simulate][figure]") {
  // Read off the book's figure at steps 900-1000: greedy ~1.05 and ~35% optimal;
  // epsilon 0.01 ~1.3 and ~55-60%, still rising; epsilon 0.1 ~1.4 and ~80%.
  // Each band is wider than the run-to-run error of 2000 runs (~0.02) and narrower
  // than the gap between neighbouring curves, so swapping epsilons, dropping the
  // random tie-break or mis-scaling the noise fails.
  const Tail greedy = last_hundred(0.0);
  const Tail small = last_hundred(0.01);
  const Tail large = last_hundred(0.1);

  CHECK(greedy.reward == Approx(1.04).margin(0.06));
  CHECK(greedy.optimal == Approx(0.36).margin(0.04));
  CHECK(small.reward == Approx(1.31).margin(0.06));
  CHECK(small.optimal == Approx(0.58).margin(0.05));
  CHECK(large.reward == Approx(1.38).margin(0.05));
  CHECK(large.optimal == Approx(0.80).margin(0.03));

  // The mean true value is the expected reward: it matches the observed mean.
  for (const Tail& tail : {greedy, small, large}) {
    CHECK(tail.true_value == Approx(tail.reward).margin(0.02));
  }
}

TEST_CASE("simulate averages runs that differ from one another", "[simulate]") {
  curvelab::ExperimentConfig config;
  config.steps = 10;
  const auto one = curvelab::simulate_average(config, 1);
  const auto two = curvelab::simulate_average(config, 2);
  REQUIRE(one.mean_reward.size() == 10);
  CHECK(one.mean_reward != two.mean_reward);
  for (const double share : two.optimal_share) {
    CHECK((share == 0.0 || share == 0.5 || share == 1.0));
  }
}

namespace {
// The per-step mean of `runs` Runs of `config`, added in run order as simulate_average adds.
curvelab::AverageCurves average_of_runs(const curvelab::ExperimentConfig& config, int runs) {
  const auto horizon = static_cast<std::size_t>(config.steps);
  curvelab::AverageCurves out;
  out.mean_reward.assign(horizon, 0.0);
  out.optimal_share.assign(horizon, 0.0);
  out.mean_true_value.assign(horizon, 0.0);
  for (int i = 0; i < runs; ++i) {
    curvelab::ExperimentConfig run_config = config;
    run_config.seed = curvelab::derive_seed(config.seed, static_cast<std::uint64_t>(i));
    curvelab::Run run(run_config);
    run.finish();
    for (std::size_t t = 0; t < horizon; ++t) {
      out.mean_reward[t] += run.rewards()[t];
      out.optimal_share[t] += run.optimal()[t];
      out.mean_true_value[t] += run.true_values()[t];
    }
  }
  for (std::size_t t = 0; t < horizon; ++t) {
    out.mean_reward[t] *= 1.0 / runs;
    out.optimal_share[t] *= 1.0 / runs;
    out.mean_true_value[t] *= 1.0 / runs;
  }
  return out;
}
}  // namespace

TEST_CASE("simulate_average's SIMD lanes give the bits of Run for every agent", "[simulate][lanes]") {
  using curvelab::AgentKind;
  struct Case {
    const char* name;
    curvelab::ExperimentConfig config;
    int runs;
  };
  std::vector<Case> cases;
  auto add = [&](const char* name, int runs, auto&& edit) {
    curvelab::ExperimentConfig config;
    config.steps = 300;
    config.seed = 77;
    edit(config);
    cases.push_back({name, config, runs});
  };
  add("testbed, runs not a multiple of the lanes", 13, [](auto&) {});
  add("one run", 1, [](auto&) {});
  add("greedy", 9, [](auto& c) { c.agent.epsilon = 0.0; });
  add("always exploring", 9, [](auto& c) { c.agent.epsilon = 1.0; });
  add("two arms", 17, [](auto& c) { c.bandit.arms = 2; });
  add("a hundred arms", 9, [](auto& c) { c.bandit.arms = 100; });
  // Equal arms and no noise: ties everywhere, so the tie-breaks and rescans run.
  add("ties", 11, [](auto& c) {
    c.bandit.arms = 7;
    c.bandit.arm_spread = 0.0;
    c.bandit.noise = 0.0;
  });
  add("constant step size", 10, [](auto& c) { c.agent.step_size = 0.1; });
  add("optimistic greedy", 10, [](auto& c) {
    c.agent.step_size = 0.1;
    c.agent.initial_value = 5.0;
    c.agent.epsilon = 0.0;
  });
  add("random initial estimates", 10, [](auto& c) { c.agent.initial_spread = 1.0; });
  add("drifting", 10, [](auto& c) { c.bandit.walk = 0.01; });
  add("drifting, constant step", 10, [](auto& c) {
    c.bandit.walk = 0.5;
    c.agent.step_size = 0.2;
  });
  add("random agent", 10, [](auto& c) { c.agent.kind = AgentKind::Random; });
  add("random agent, drifting", 10, [](auto& c) {
    c.agent.kind = AgentKind::Random;
    c.bandit.walk = 0.1;
    c.agent.initial_spread = 2.0;
  });
  add("UCB", 10, [](auto& c) { c.agent.kind = AgentKind::Ucb; });
  add("UCB, c 0.5, runs not a multiple of the lanes", 13, [](auto& c) {
    c.agent.kind = AgentKind::Ucb;
    c.agent.ucb_c = 0.5;
  });
  add("UCB, c 10, two arms", 17, [](auto& c) {
    c.agent.kind = AgentKind::Ucb;
    c.agent.ucb_c = 10.0;
    c.bandit.arms = 2;
  });
  add("UCB, drifting", 11, [](auto& c) {
    c.agent.kind = AgentKind::Ucb;
    c.agent.ucb_c = 1.0;
    c.bandit.walk = 0.05;
  });
  add("UCB, constant step, random initial estimates, drifting", 9, [](auto& c) {
    c.agent.kind = AgentKind::Ucb;
    c.agent.step_size = 0.1;
    c.agent.initial_spread = 1.0;
    c.bandit.walk = 0.5;
  });
  add("UCB, a hundred arms", 5, [](auto& c) {
    c.agent.kind = AgentKind::Ucb;
    c.bandit.arms = 100;
  });
  // No noise and equal arms: the bounds tie, so the tie-breaks run.
  add("UCB, ties", 11, [](auto& c) {
    c.agent.kind = AgentKind::Ucb;
    c.bandit.arms = 7;
    c.bandit.arm_spread = 0.0;
    c.bandit.noise = 0.0;
  });
  add("UCB, c 0, ties", 10, [](auto& c) {
    c.agent.kind = AgentKind::Ucb;
    c.agent.ucb_c = 0.0;
    c.bandit.arm_spread = 0.0;
    c.bandit.noise = 0.0;
  });
  add("gradient", 10, [](auto& c) { c.agent.kind = AgentKind::Gradient; });
  add("gradient without baseline, runs not a multiple of the lanes", 13, [](auto& c) {
    c.agent.kind = AgentKind::Gradient;
    c.agent.baseline = false;
  });
  add("gradient, alpha 0.4, two arms", 17, [](auto& c) {
    c.agent.kind = AgentKind::Gradient;
    c.agent.step_size = 0.4;
    c.bandit.arms = 2;
  });
  add("gradient, drifting", 11, [](auto& c) {
    c.agent.kind = AgentKind::Gradient;
    c.bandit.walk = 0.05;
  });
  add("gradient without baseline, alpha 0.02, drifting, random initial preferences", 9, [](auto& c) {
    c.agent.kind = AgentKind::Gradient;
    c.agent.baseline = false;
    c.agent.step_size = 0.02;
    c.agent.initial_spread = 2.0;
    c.bandit.walk = 0.5;
  });
  add("gradient, a hundred arms", 5, [](auto& c) {
    c.agent.kind = AgentKind::Gradient;
    c.bandit.arms = 100;
  });
  // Preferences hundreds apart: weights below 2^-1022 and 0, det_exp_nonpositive's rare cases
  // (both occur in thousands of steps of these runs).
  add("gradient, alpha 50, far preferences", 10, [](auto& c) {
    c.agent.kind = AgentKind::Gradient;
    c.agent.step_size = 50.0;
    c.agent.baseline = false;
    c.bandit.arm_mean = 5.0;
    c.bandit.noise = 10.0;
  });
  add("gradient, alpha 20, far preferences", 10, [](auto& c) {
    c.agent.kind = AgentKind::Gradient;
    c.agent.step_size = 20.0;
    c.bandit.arm_mean = 5.0;
    c.bandit.noise = 10.0;
  });
  add("gradient, ties", 11, [](auto& c) {
    c.agent.kind = AgentKind::Gradient;
    c.bandit.arms = 7;
    c.bandit.arm_spread = 0.0;
    c.bandit.noise = 0.0;
  });
  for (const Case& c : cases) {
    INFO(c.name);
    REQUIRE(!curvelab::validate(c.config));
    const auto lanes = curvelab::simulate_average(c.config, c.runs);
    const auto runs = average_of_runs(c.config, c.runs);
    CHECK(lanes.mean_reward == runs.mean_reward);
    CHECK(lanes.optimal_share == runs.optimal_share);
    CHECK(lanes.mean_true_value == runs.mean_true_value);
  }
}
