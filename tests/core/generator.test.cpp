// The generator of diverse experiments.

#include <catch2/catch.hpp>

#include <algorithm>
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
