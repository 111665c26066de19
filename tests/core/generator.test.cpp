// The generator of diverse experiments.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "curvelab/generator.hpp"
#include "curvelab/ground_truth.hpp"
#include "curvelab/run.hpp"

using curvelab::AgentKind;
using curvelab::GeneratorRanges;

TEST_CASE("generated experiments are fixed by the seed and independent of the count", "[generator]") {
  const GeneratorRanges ranges;
  const auto a = curvelab::generate_experiments(ranges, 50, 7);
  const auto b = curvelab::generate_experiments(ranges, 20, 7);
  const auto c = curvelab::generate_experiments(ranges, 20, 8);
  for (std::size_t i = 0; i < 20; ++i) {
    CHECK(a[i].seed == b[i].seed);
    CHECK(a[i].bandit.noise == b[i].bandit.noise);
    CHECK(a[i].seed != c[i].seed);
  }
  const auto fifth = curvelab::sample_experiment(ranges, 7, 5);
  CHECK(fifth.seed == a[5].seed);
  CHECK(fifth.agent.epsilon == a[5].agent.epsilon);
}

TEST_CASE("generated experiments stay in their ranges and cover them", "[generator]") {
  GeneratorRanges ranges;
  ranges.arms = {3, 12};
  ranges.noise = {0.5, 4.0};
  ranges.steps = {100, 300};
  ranges.random_share = 0.25;
  const auto configs = curvelab::generate_experiments(ranges, 2000, 11);
  std::set<int> arms;
  int randoms = 0;
  double min_noise = 10.0;
  double max_noise = 0.0;
  for (const auto& c : configs) {
    REQUIRE(!curvelab::validate(c));
    REQUIRE(c.bandit.arms >= 3);
    REQUIRE(c.bandit.arms <= 12);
    REQUIRE(c.steps >= 100);
    REQUIRE(c.steps <= 300);
    REQUIRE(c.agent.epsilon >= 0.0);
    REQUIRE(c.agent.epsilon <= 0.5);
    REQUIRE(c.seed < (std::uint64_t{1} << 53U));
    arms.insert(c.bandit.arms);
    randoms += c.agent.kind == AgentKind::Random ? 1 : 0;
    min_noise = std::min(min_noise, c.bandit.noise);
    max_noise = std::max(max_noise, c.bandit.noise);
  }
  CHECK(arms.size() == 10);  // both ends included
  CHECK(randoms > 500 - 100);
  CHECK(randoms < 500 + 100);
  CHECK(min_noise < 0.6);
  CHECK(max_noise > 3.9);
}

TEST_CASE("the default ranges give learners and non-learners", "[generator]") {
  const auto configs = curvelab::generate_experiments(GeneratorRanges{}, 200, 7);
  int learners = 0;
  int non_learners = 0;
  for (const auto& c : configs) {
    curvelab::Run run(c);
    run.finish();
    const auto t = curvelab::run_truth(run.true_values(), run.rewards(), run.baseline(), run.best_possible());
    (t.learns ? learners : non_learners) += 1;
  }
  CHECK(learners > 100);
  CHECK(non_learners > 10);
}

TEST_CASE("bad ranges are refused naming the field and the allowed range", "[generator]") {
  GeneratorRanges ranges;
  ranges.noise = {-1.0, 2.0};
  REQUIRE(curvelab::validate(ranges));
  CHECK(curvelab::validate(ranges)->message == "noise.lo must be in [0, 100], got -1");
  ranges = {};
  ranges.arms = {10, 5};
  CHECK(curvelab::validate(ranges)->message == "arms: lo (10) must not exceed hi (5)");
  ranges = {};
  ranges.random_share = 1.5;
  CHECK(curvelab::validate(ranges)->field == "random_share");
  CHECK_FALSE(curvelab::validate(GeneratorRanges{}));
}

TEST_CASE("with the newer shares at 0 the generator draws the experiments it always drew", "[generator][golden]") {
  GeneratorRanges ranges;
  ranges.ucb_share = 0.0;
  ranges.gradient_share = 0.0;
  ranges.constant_step_share = 0.0;
  ranges.optimistic_share = 0.0;
  ranges.walk_share = 0.0;
  // Experiment 5 of seed 7 as the generator drew it before UCB, gradient and drift.
  const auto c = curvelab::sample_experiment(ranges, 7, 5);
  CHECK(c.seed == 7026082056210734ULL);
  CHECK(c.bandit.arms == 30);
  CHECK(c.bandit.noise == 0.4931528449771527);
  CHECK(c.agent.epsilon == 0.36784740353001777);
  CHECK(c.agent.kind == AgentKind::EpsilonGreedy);
  CHECK_FALSE(c.agent.step_size);
  CHECK(c.bandit.walk == 0.0);
  // The shares move only the newer settings: every older field is drawn in its place.
  const auto mixed = curvelab::generate_experiments(GeneratorRanges{}, 300, 7);
  const auto plain = curvelab::generate_experiments(ranges, 300, 7);
  for (std::size_t i = 0; i < 300; ++i) {
    REQUIRE(mixed[i].seed == plain[i].seed);
    REQUIRE(mixed[i].bandit.arm_mean == plain[i].bandit.arm_mean);
    REQUIRE((mixed[i].agent.kind == AgentKind::Random) == (plain[i].agent.kind == AgentKind::Random));
  }
}

TEST_CASE("the default mix holds every agent and drift in its share", "[generator]") {
  const auto configs = curvelab::generate_experiments(GeneratorRanges{}, 4000, 13);
  int ucb = 0;
  int gradient = 0;
  int no_baseline = 0;
  int optimistic = 0;
  int constant = 0;
  int drifting = 0;
  for (const auto& c : configs) {
    REQUIRE(!curvelab::validate(c));
    ucb += c.agent.kind == AgentKind::Ucb ? 1 : 0;
    gradient += c.agent.kind == AgentKind::Gradient ? 1 : 0;
    no_baseline += c.agent.kind == AgentKind::Gradient && !c.agent.baseline ? 1 : 0;
    const bool greedy = c.agent.kind == AgentKind::EpsilonGreedy;
    optimistic += greedy && c.agent.epsilon == 0.0 && c.agent.initial_value > c.bandit.arm_mean ? 1 : 0;
    constant += greedy && c.agent.step_size && c.agent.epsilon > 0.0 ? 1 : 0;
    drifting += c.bandit.walk > 0.0 ? 1 : 0;
  }
  // Expected counts (binomial, within 5 standard deviations): UCB and gradient 15% of
  // 4000 = 600; gradient without baseline 30% of those; epsilon-greedy (60%) optimistic
  // 20% = 480, constant step 25% of the rest = 480; drift 10% = 400.
  CHECK(std::abs(ucb - 600) < 115);
  CHECK(std::abs(gradient - 600) < 115);
  CHECK(std::abs(no_baseline - 180) < 60);
  CHECK(std::abs(optimistic - 480) < 105);
  CHECK(std::abs(constant - 480) < 105);
  CHECK(std::abs(drifting - 400) < 95);
}

TEST_CASE("every learner kind of the default mix mostly learns, the random agent never", "[generator]") {
  const auto configs = curvelab::generate_experiments(GeneratorRanges{}, 600, 17);
  int kinds_learning[4] = {0, 0, 0, 0};
  int kinds_total[4] = {0, 0, 0, 0};
  for (const auto& c : configs) {
    curvelab::Run run(c);
    run.finish();
    const auto t = curvelab::run_truth(run.true_values(), run.rewards(), run.baseline(), run.best_possible());
    const auto k = static_cast<std::size_t>(c.agent.kind);
    kinds_total[k] += 1;
    kinds_learning[k] += t.learns ? 1 : 0;
  }
  // Each learner kind mostly learns; the random agent never does.
  for (const AgentKind kind : {AgentKind::EpsilonGreedy, AgentKind::Ucb, AgentKind::Gradient}) {
    const auto k = static_cast<std::size_t>(kind);
    INFO(curvelab::agent_kind_name(kind));
    CHECK(kinds_total[k] > 50);
    CHECK(kinds_learning[k] > kinds_total[k] / 2);
  }
  CHECK(kinds_learning[static_cast<std::size_t>(AgentKind::Random)] == 0);
}

TEST_CASE("bad shares are refused naming the field", "[generator]") {
  GeneratorRanges ranges;
  ranges.random_share = 0.5;
  ranges.ucb_share = 0.25;
  ranges.gradient_share = 0.5;
  CHECK(curvelab::validate(ranges)->message == "random_share + ucb_share + gradient_share must not exceed 1, got 1.25");
  ranges = {};
  ranges.walk_share = -0.1;
  CHECK(curvelab::validate(ranges)->message == "walk_share must be in [0, 1], got -0.1");
  ranges = {};
  ranges.step_size = {0.0, 0.5};
  CHECK(curvelab::validate(ranges)->message == "step_size.lo must be in (0, 1], got 0");
  ranges = {};
  ranges.walk = {0.0, 20.0};
  CHECK(curvelab::validate(ranges)->message == "walk.hi must be in [0, 10], got 20");
}
