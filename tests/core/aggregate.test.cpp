// The average of many runs with a 95% band: Student's t, Welford's accumulation, and the
// runs averaged exactly as `simulate_average` runs them, mid-run changes included.

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "curvelab/aggregate.hpp"
#include "curvelab/random.hpp"
#include "curvelab/run.hpp"
#include "curvelab/simulate.hpp"

using namespace curvelab;

TEST_CASE("t(0.975) matches the published table and tends to the normal quantile", "[aggregate]") {
  CHECK(t_quantile_975(1) == Approx(12.706205).margin(1e-6));
  CHECK(t_quantile_975(9) == Approx(2.262157).margin(1e-6));
  CHECK(t_quantile_975(30) == Approx(2.042272).margin(1e-6));
  // Beyond the table: the series against published values.
  CHECK(t_quantile_975(31) == Approx(2.039513).margin(2e-6));
  CHECK(t_quantile_975(40) == Approx(2.021075).margin(2e-6));
  CHECK(t_quantile_975(60) == Approx(2.000298).margin(2e-6));
  CHECK(t_quantile_975(120) == Approx(1.979930).margin(2e-6));
  CHECK(t_quantile_975(1999) == Approx(1.961151).margin(2e-6));
  CHECK(t_quantile_975(1'000'000) == Approx(1.959966).margin(2e-6));
  for (int dof = 1; dof < 500; ++dof) {
    REQUIRE(t_quantile_975(dof + 1) < t_quantile_975(dof));
  }
}

TEST_CASE("the band is the mean plus or minus t times the standard error", "[aggregate]") {
  MeanBandAccumulator acc(2);
  SECTION("no curve: an empty band") { CHECK(acc.band().mean.empty()); }
  SECTION("one curve: the mean itself, no width") {
    acc.add(std::vector<double>{1, 2});
    const MeanBand b = acc.band();
    CHECK(b.runs == 1);
    CHECK(b.mean == std::vector<double>{1, 2});
    CHECK(b.lower == b.mean);
    CHECK(b.upper == b.mean);
  }
  SECTION("three curves by hand") {
    acc.add(std::vector<double>{1, 2});
    acc.add(std::vector<double>{3, 6});
    acc.add(std::vector<double>{5, 10});
    const MeanBand b = acc.band();
    // Means 3 and 6; sample standard deviations 2 and 4; t(0.975, 2) = 4.302653.
    CHECK(b.runs == 3);
    CHECK(b.mean[0] == Approx(3.0));
    CHECK(b.mean[1] == Approx(6.0));
    const double half0 = 4.302653 * 2.0 / std::sqrt(3.0);
    CHECK(b.upper[0] == Approx(3.0 + half0).epsilon(1e-6));
    CHECK(b.lower[0] == Approx(3.0 - half0).epsilon(1e-6));
    CHECK(b.upper[1] - b.lower[1] == Approx(4.0 * half0).epsilon(1e-6));
  }
  SECTION("identical curves: no spread, no width") {
    for (int i = 0; i < 5; ++i) acc.add(std::vector<double>{0.1, -7});
    const MeanBand b = acc.band();
    CHECK(b.lower == b.mean);
    CHECK(b.upper == b.mean);
  }
}

TEST_CASE("the band narrows as one over the square root of the runs", "[aggregate]") {
  // Alternating +1 / -1: the sample standard deviation tends to 1.
  const auto width = [](int n) {
    MeanBandAccumulator acc(1);
    for (int i = 0; i < n; ++i) acc.add(std::vector<double>{i % 2 == 0 ? 1.0 : -1.0});
    const MeanBand b = acc.band();
    return b.upper[0] - b.lower[0];
  };
  CHECK(width(400) / width(1600) == Approx(2.0).epsilon(0.01));
  CHECK(width(1600) == Approx(2.0 * t_quantile_975(1599) * std::sqrt(1600.0 / 1599.0) / 40.0).epsilon(1e-9));
}

TEST_CASE("the run average equals simulate_average's, added in any slices", "[aggregate]") {
  ExperimentConfig config;
  config.steps = 300;
  config.seed = 11;
  const AverageCurves reference = simulate_average(config, 20);
  RunAverager whole(config, {});
  CHECK(whole.add(20) == 20);
  RunAverager sliced(config, {});
  CHECK(sliced.add(3) == 3);
  CHECK(sliced.add(9) == 9);
  CHECK(sliced.add(8) == 8);
  const RunAverage a = whole.average();
  const RunAverage b = sliced.average();
  REQUIRE(a.reward.runs == 20);
  CHECK(a.reward.mean == b.reward.mean);
  CHECK(a.reward.upper == b.reward.upper);
  CHECK(a.true_value.lower == b.true_value.lower);
  for (std::size_t t = 0; t < 300; ++t) {
    REQUIRE(a.reward.mean[t] == Approx(reference.mean_reward[t]).margin(1e-12));
    REQUIRE(a.true_value.mean[t] == Approx(reference.mean_true_value[t]).margin(1e-12));
    REQUIRE(a.reward.lower[t] <= a.reward.mean[t]);
    REQUIRE(a.reward.upper[t] >= a.reward.mean[t]);
  }
  double baseline = 0.0;
  double best = 0.0;
  for (int i = 0; i < 20; ++i) {
    ExperimentConfig c = config;
    c.seed = derive_seed(config.seed, static_cast<std::uint64_t>(i));
    const Run run(c);
    baseline += run.baseline() / 20.0;
    best += run.best_possible() / 20.0;
  }
  CHECK(a.baseline == Approx(baseline).margin(1e-12));
  CHECK(a.best_possible == Approx(best).margin(1e-12));
}

TEST_CASE("scheduled changes apply to every averaged run at their step", "[aggregate]") {
  ExperimentConfig config;
  config.steps = 200;
  AgentConfig random;
  random.kind = AgentKind::Random;
  RunAverager averager(config, {ScheduledChange{50, random}});
  averager.add(10);
  const RunAverage a = averager.average();
  // From step 51 the random agent's true value is its bandit's baseline: the mean is the mean baseline.
  for (std::size_t t = 50; t < 200; ++t) {
    REQUIRE(a.true_value.mean[t] == Approx(a.baseline).margin(1e-12));
  }
  // Before the change the runs are the epsilon-greedy ones.
  RunAverager unchanged(config, {});
  unchanged.add(10);
  for (std::size_t t = 0; t < 50; ++t) {
    REQUIRE(unchanged.average().reward.mean[t] == a.reward.mean[t]);
  }
}

TEST_CASE("a smoothed average is the mean of the smoothed runs (smoothing is linear)", "[aggregate]") {
  ExperimentConfig config;
  config.steps = 100;
  RunAverager raw(config, {});
  RunAverager smoothed(config, {}, SmoothingMethod::MovingAverage, 10);
  raw.add(6);
  smoothed.add(6);
  const std::vector<double> expected = smooth(raw.average().reward.mean, SmoothingMethod::MovingAverage, 10, 100);
  for (std::size_t t = 0; t < 100; ++t) {
    REQUIRE(smoothed.average().reward.mean[t] == Approx(expected[t]).margin(1e-12));
  }
  CHECK(smoothed.average().true_value.mean == raw.average().true_value.mean);
}

TEST_CASE("the averager stops at its run limit", "[aggregate]") {
  ExperimentConfig config;
  config.steps = 1;
  RunAverager averager(config, {});
  CHECK(averager.add(kMaxAveragedRuns + 5) == kMaxAveragedRuns);
  CHECK(averager.add(1) == 0);
  CHECK(averager.add(-3) == 0);
}
