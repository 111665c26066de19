// Sutton and Barto (2018), chapter 2, figure for figure: each test asserts the book's
// finding with tolerances that the wrong agent fails (noted per test). 2000 runs where
// the book uses 2000; the per-step standard error of a mean reward is then about 0.03,
// of an optimal share about 0.01.

#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "curvelab/simulate.hpp"
#include "curvelab/sweep.hpp"

using curvelab::AgentKind;
using curvelab::AverageCurves;
using curvelab::ExperimentConfig;

namespace {
double mean(const std::vector<double>& curve, int first_step, int last_step) {
  double sum = 0.0;
  for (int t = first_step; t <= last_step; ++t) {
    sum += curve[static_cast<std::size_t>(t - 1)];
  }
  return sum / (last_step - first_step + 1);
}

double at(const std::vector<double>& curve, int step) { return curve[static_cast<std::size_t>(step - 1)]; }

AverageCurves average(const ExperimentConfig& config, int runs = 2000) {
  return curvelab::simulate_average(config, runs);
}
}  // namespace

TEST_CASE("Figure 2.3: optimistic greedy is worse early, better late, with a spike at step 11", "[chapter2][figure]") {
  ExperimentConfig optimistic;
  optimistic.agent.epsilon = 0.0;
  optimistic.agent.initial_value = 5.0;
  optimistic.agent.step_size = 0.1;
  ExperimentConfig realistic;
  realistic.agent.epsilon = 0.1;
  realistic.agent.step_size = 0.1;
  const AverageCurves o = average(optimistic);
  const AverageCurves r = average(realistic);
  // Steps 1-10 try each arm once (every untried estimate is still 5): 1 in 10 optimal.
  for (int t = 1; t <= 10; ++t) {
    CHECK(at(o.optimal_share, t) == Approx(0.1).margin(0.035));
  }
  // Step 11 pulls the arm whose single reward was highest: often the best one. Sample
  // averages (which forget Q1 after one pull) or a Q1 below the arms have no such spike.
  CHECK(at(o.optimal_share, 11) > 0.35);
  for (int t = 12; t <= 20; ++t) {
    CHECK(at(o.optimal_share, t) < at(o.optimal_share, 11) - 0.08);
  }
  CHECK(mean(o.optimal_share, 1, 100) < mean(r.optimal_share, 1, 100) - 0.1);
  CHECK(mean(o.optimal_share, 801, 1000) > mean(r.optimal_share, 801, 1000) + 0.05);
  CHECK(mean(o.optimal_share, 901, 1000) > 0.8);
}

TEST_CASE("Figure 2.4: UCB is near zero on steps 1-10, spikes at step 11 and leads from then on",
          "[chapter2][figure]") {
  ExperimentConfig ucb;
  ucb.agent.kind = AgentKind::Ucb;
  ucb.agent.ucb_c = 2.0;
  ExperimentConfig greedy;
  greedy.agent.epsilon = 0.1;
  const AverageCurves u = average(ucb);
  const AverageCurves e = average(greedy);
  // Each untried arm first: the mean of q*, which is 0 on the testbed. A UCB that gave an
  // untried arm a finite bonus, or none, would start exploiting within these steps.
  for (int t = 1; t <= 10; ++t) {
    CHECK(std::abs(at(u.mean_reward, t)) < 0.1);
  }
  // Step 11: every bonus is equal, so the arm with the best single reward: E ~ 1.09.
  CHECK(at(u.mean_reward, 11) > 0.9);
  for (int t = 12; t <= 20; ++t) {
    CHECK(at(u.mean_reward, t) < at(u.mean_reward, 11) - 0.1);
  }
  // After the spike's aftermath UCB leads in every 100-step window.
  CHECK(mean(u.mean_reward, 51, 1000) > mean(e.mean_reward, 51, 1000) + 0.08);
  for (int first = 101; first < 1000; first += 100) {
    CHECK(mean(u.mean_reward, first, first + 99) > mean(e.mean_reward, first, first + 99));
  }
}

TEST_CASE("Figure 2.5: the baseline matters a great deal to the gradient bandit", "[chapter2][figure]") {
  const auto late_optimal = [](double alpha, bool baseline) {
    ExperimentConfig config;
    config.bandit.arm_mean = 4.0;  // q* ~ Normal(4, 1)
    config.agent.kind = AgentKind::Gradient;
    config.agent.step_size = alpha;
    config.agent.baseline = baseline;
    return mean(average(config).optimal_share, 901, 1000);
  };
  const double with_01 = late_optimal(0.1, true);
  const double with_04 = late_optimal(0.4, true);
  const double without_01 = late_optimal(0.1, false);
  const double without_04 = late_optimal(0.4, false);
  // Measured: 0.84, 0.71, 0.51, 0.29. Without a baseline every reward (about 4) pushes
  // the pulled arm up, whichever it is.
  CHECK(with_01 > 0.78);
  CHECK(with_04 > 0.62);
  CHECK(with_01 > without_01 + 0.2);
  CHECK(with_04 > without_04 + 0.3);
  CHECK(without_04 < 0.4);
}

TEST_CASE("Exercise 2.5: on a drifting bandit a constant step size beats sample averages", "[chapter2][figure]") {
  ExperimentConfig config;
  config.bandit.arm_spread = 0.0;  // every q*(a) starts equal ...
  config.bandit.walk = 0.01;       // ... and takes its own Normal(0, 0.01) steps
  config.steps = 10'000;
  config.agent.epsilon = 0.1;
  const AverageCurves averages = average(config, 500);
  config.agent.step_size = 0.1;
  const AverageCurves constant = average(config, 500);
  // Measured over steps 9001-10000: reward 1.07 against 1.32, optimal 46% against 76%.
  CHECK(mean(constant.mean_reward, 9001, 10'000) > mean(averages.mean_reward, 9001, 10'000) + 0.12);
  CHECK(mean(constant.optimal_share, 9001, 10'000) > mean(averages.optimal_share, 9001, 10'000) + 0.2);
  // The true value is the expected reward under drift too.
  CHECK(mean(constant.mean_true_value, 9001, 10'000) == Approx(mean(constant.mean_reward, 9001, 10'000)).margin(0.03));
}

TEST_CASE("Figure 2.6: every method peaks at an intermediate parameter and UCB is best", "[chapter2][figure]") {
  curvelab::SweepConfig config;
  config.runs = 500;  // the study at a quarter of the book's runs: the shape holds
  const auto results = curvelab::run_sweep(config);
  REQUIRE(results.size() == 25);
  double ucb_best = 0.0;
  double others_best = 0.0;
  for (const curvelab::SweepMethod method : curvelab::kAllSweepMethods) {
    std::vector<double> curve;
    for (const auto& r : results) {
      if (r.point.method == method) {
        curve.push_back(r.average_reward);
      }
    }
    const auto peak = std::max_element(curve.begin(), curve.end());
    const auto at_peak = static_cast<std::size_t>(peak - curve.begin());
    INFO(curvelab::sweep_method_name(method));
    CHECK(at_peak > 0);
    CHECK(at_peak + 1 < curve.size());
    // A clear peak: both ends are well below it.
    CHECK(curve.front() < *peak - 0.05);
    CHECK(curve.back() < *peak - 0.05);
    (method == curvelab::SweepMethod::Ucb ? ucb_best : others_best) =
        std::max(method == curvelab::SweepMethod::Ucb ? ucb_best : others_best, *peak);
  }
  CHECK(ucb_best > others_best);
  // The book's levels: UCB about 1.5, epsilon-greedy about 1.35 at its best.
  CHECK(ucb_best == Approx(1.5).margin(0.06));
  CHECK(curvelab::best_of(results, curvelab::SweepMethod::EpsilonGreedy)->average_reward == Approx(1.34).margin(0.06));
}

TEST_CASE("the parameter study's settings are the figure's powers of 2", "[chapter2]") {
  const auto points = curvelab::sweep_points(curvelab::SweepConfig{});
  REQUIRE(points.size() == 25);
  CHECK(points.front().value == 1.0 / 128);
  CHECK(points.front().config.agent.epsilon == 1.0 / 128);
  CHECK(points[6].config.agent.kind == AgentKind::Gradient);
  CHECK(points[6].config.agent.step_size == 1.0 / 32);
  CHECK(points[12].value == 2.0);
  CHECK(points[13].config.agent.ucb_c == 1.0 / 16);
  CHECK(points.back().config.agent.initial_value == 4.0);
  CHECK(points.back().config.agent.step_size == 0.1);
  CHECK(points.back().config.agent.epsilon == 0.0);
  curvelab::SweepConfig bad;
  bad.runs = 0;
  CHECK(curvelab::validate(bad)->message == "runs must be in [1, 100000], got 0");
}
