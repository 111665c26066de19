// A run of one agent on one bandit: determinism, records, and the true-value definition.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <vector>

#include "curvelab/run.hpp"
#include "run_hash.hpp"

using curvelab::AgentKind;
using curvelab::ExperimentConfig;
using curvelab::Run;

namespace {
ExperimentConfig testbed(double epsilon, std::uint64_t seed) {
  ExperimentConfig config;
  config.agent.epsilon = epsilon;
  config.seed = seed;
  return config;
}
}  // namespace

TEST_CASE("a run is fixed by its seed, bit for bit", "[run][golden]") {
  Run a(testbed(0.1, 9));
  Run b(testbed(0.1, 9));
  a.finish();
  b.finish();
  CHECK(hash_run(a) == hash_run(b));
  Run c(testbed(0.1, 10));
  c.finish();
  CHECK(hash_run(a) != hash_run(c));

  SECTION("golden hashes pin the whole simulation") {
    CHECK(hash_run(a) == 0xB0687954974C6FC4ULL);
    ExperimentConfig many = testbed(0.05, 123);
    many.bandit = {100, 0.5, 2.0, 3.0, 0.0};
    many.steps = 5000;
    Run m(many);
    m.finish();
    CHECK(hash_run(m) == 0xD4D50E27B0C76318ULL);
  }
}

TEST_CASE("stepping in pieces gives the same run as stepping at once", "[run]") {
  Run whole(testbed(0.1, 5));
  whole.finish();
  Run pieces(testbed(0.1, 5));
  int taken = 0;
  for (const int n : {1, 7, 100, 0, 392, 600}) {
    taken += pieces.step(n);
  }
  CHECK(taken == 1000);  // the last request is cut at the horizon
  CHECK(pieces.step(5) == 0);
  CHECK(pieces.done());
  CHECK(hash_run(pieces) == hash_run(whole));
}

TEST_CASE("records have one entry per step and the arms follow the bandit's parameters", "[run]") {
  ExperimentConfig config = testbed(0.1, 3);
  config.bandit = {100, 5.0, 0.5, 1.0, 0.0};
  config.steps = 250;
  Run run(config);
  CHECK(run.arm_values().size() == 100);
  const auto q = run.arm_values();
  const double mean = std::accumulate(q.begin(), q.end(), 0.0) / 100.0;
  CHECK(mean == Approx(5.0).margin(0.2));  // 4 standard errors of the mean of 100 draws
  CHECK(run.baseline() == Approx(mean));
  CHECK(run.best_possible() == *std::max_element(q.begin(), q.end()));
  run.step(10);
  CHECK(run.rewards().size() == 10);
  CHECK(run.true_values().size() == 10);
  CHECK(run.optimal().size() == 10);
  run.finish();
  CHECK(run.steps_done() == 250);
}

TEST_CASE("the random agent's true value is the mean of the arms at every step", "[run]") {
  ExperimentConfig config = testbed(0.1, 4);
  config.agent.kind = AgentKind::Random;
  Run run(config);
  run.finish();
  for (const double v : run.true_values()) {
    REQUIRE(v == run.baseline());
  }
  // It pulls every arm about equally: the optimal one about 1 time in 10.
  const auto optimal = run.optimal();
  const int hits = std::accumulate(optimal.begin(), optimal.end(), 0);
  CHECK(hits > 60);
  CHECK(hits < 140);
}

TEST_CASE("true value mixes the greedy arms' values and the mean by epsilon", "[run]") {
  SECTION("epsilon 1 explores always: the true value is the baseline") {
    Run run(testbed(1.0, 8));
    run.finish();
    for (const double v : run.true_values()) {
      REQUIRE(v == Approx(run.baseline()).epsilon(1e-12));
    }
  }
  SECTION("greedy on noiseless rewards: the value of the greedy arm") {
    ExperimentConfig config = testbed(0.0, 8);
    config.bandit.noise = 0.0;
    Run run(config);
    // Before any pull all estimates tie at 0: the mean over all arms.
    run.step(1);
    CHECK(run.true_values()[0] == Approx(run.baseline()).epsilon(1e-12));
    run.finish();
    // Without noise an arm's estimate is exact after one pull; estimates of unpulled arms
    // stay 0. Once an arm with a positive value is pulled it is the only greedy arm for
    // good: every later pull is that arm, and the true value is its value.
    const auto rewards = run.rewards();
    const auto values = run.true_values();
    const auto found = std::find_if(rewards.begin(), rewards.end(), [](double r) { return r > 0.0; });
    REQUIRE(found != rewards.end());
    const auto settled = static_cast<std::size_t>(found - rewards.begin());
    for (std::size_t t = settled + 1; t < values.size(); ++t) {
      REQUIRE(rewards[t] == *found);
      REQUIRE(values[t] == *found);
    }
  }
  SECTION("a general epsilon: (1 - eps) greedy + eps mean") {
    ExperimentConfig config = testbed(0.25, 8);
    config.bandit.noise = 0.0;
    config.bandit.arms = 2;
    Run run(config);
    run.finish();
    // Two noiseless arms: once both were pulled the greedy arm is the best one.
    const double expected = 0.75 * run.best_possible() + 0.25 * run.baseline();
    CHECK(run.true_values().back() == Approx(expected).epsilon(1e-12));
  }
}

TEST_CASE("optimal marks exactly the pulls of the best arm", "[run]") {
  ExperimentConfig config = testbed(0.3, 11);
  config.bandit.noise = 0.0;  // a reward then equals its arm's value
  Run run(config);
  run.finish();
  for (int t = 0; t < run.steps_done(); ++t) {
    const auto i = static_cast<std::size_t>(t);
    REQUIRE((run.optimal()[i] == 1) == (run.rewards()[i] == run.best_possible()));
  }
}

TEST_CASE("estimates are sample averages of the rewards", "[run]") {
  ExperimentConfig config = testbed(1.0, 12);
  config.bandit.arms = 3;
  config.steps = 30'000;
  Run run(config);
  run.finish();
  // Pulled ~10,000 times each with noise 1: standard error 0.01.
  for (std::size_t a = 0; a < 3; ++a) {
    CHECK(run.estimates()[a] == Approx(run.arm_values()[a]).margin(0.05));
  }
}

TEST_CASE("initial estimates: a fixed value or random ones", "[run]") {
  ExperimentConfig config = testbed(0.1, 13);
  config.agent.initial_value = 5.0;
  Run fixed(config);
  for (const double e : fixed.estimates()) {
    CHECK(e == 5.0);
  }
  config.agent.initial_spread = 1.0;
  Run random(config);
  const auto e = random.estimates();
  CHECK(std::adjacent_find(e.begin(), e.end()) == e.end());  // all different
  // The arms are drawn before the estimates: the same bandit either way.
  CHECK(std::equal(fixed.arm_values().begin(), fixed.arm_values().end(), random.arm_values().begin()));
}

TEST_CASE("changing the agent mid-run applies from the next step and keeps what was learnt", "[run]") {
  Run run(testbed(0.1, 14));
  run.step(500);
  const std::vector<double> before(run.estimates().begin(), run.estimates().end());
  curvelab::AgentConfig explore = run.config().agent;
  explore.epsilon = 1.0;
  run.set_agent(explore);
  CHECK(std::equal(before.begin(), before.end(), run.estimates().begin()));
  run.step(1);
  CHECK(run.true_values()[500] == Approx(run.baseline()).epsilon(1e-12));
  CHECK(run.config().agent.epsilon == 1.0);
}
