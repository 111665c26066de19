// Ground truth on curves whose answers are known by construction.

#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "curvelab/ground_truth.hpp"

using curvelab::cohort_truth;
using curvelab::run_truth;
using curvelab::RunTruth;

namespace {
std::vector<double> step_curve(int flat, int high, double low_value, double high_value) {
  std::vector<double> v(static_cast<std::size_t>(flat), low_value);
  v.insert(v.end(), static_cast<std::size_t>(high), high_value);
  return v;
}
}  // namespace

TEST_CASE("a step from the baseline to the best value: every metric by hand", "[ground-truth]") {
  // 50 steps at b = 0, then 50 at q*max = 1; T = 100.
  const auto v = step_curve(50, 50, 0.0, 1.0);
  const RunTruth t = run_truth(v, v, 0.0, 1.0);
  CHECK(t.horizon == 100);
  CHECK(t.final_performance == 1.0);  // mean of the last 10 steps
  CHECK(t.learns);
  // The step rules read v under the 5-step moving average: 1/5, 2/5, ... from step 51
  // (steps count from 1).
  CHECK(t.onset == 51);       // 0.2 > 0.1
  CHECK(t.time_to_50 == 53);  // 0.6 >= 0.5
  CHECK(t.time_to_90 == 55);  // 1.0 >= 0.9
  CHECK(t.max_true == 1.0);
  CHECK(t.max_true_step == 51);
  CHECK(t.normalized_area == Approx(0.5));  // 50 steps of gain 1 out of 100 possible
  CHECK(t.smoothing_window == 5);
  CHECK(t.max_visible == 1.0);
  CHECK(t.max_visible_step == 55);  // the first full window of ones ends at step 55
}

TEST_CASE("a linear ramp: thresholds land where the line crosses them", "[ground-truth]") {
  // v[i] = i / 99 for i = 0..99; final = mean of i = 90..99 over 99 = 94.5 / 99.
  std::vector<double> v(100);
  for (std::size_t i = 0; i < v.size(); ++i) {
    v[i] = static_cast<double>(i) / 99.0;
  }
  const RunTruth t = run_truth(v, v, 0.0, 1.0);
  CHECK(t.final_performance == Approx(94.5 / 99.0));
  // The 5-step moving average of the ramp lags it by 2: (i - 2) / 99 from i = 4.
  // 50%: i - 2 >= 47.25 first at i = 50, step 51. 90%: i - 2 >= 85.05 -> i = 88, step 89.
  // Onset (10%, strict): i - 2 > 9.45 -> i = 12, step 13.
  CHECK(t.time_to_50 == 51);
  CHECK(t.time_to_90 == 89);
  CHECK(t.onset == 13);
  CHECK(t.normalized_area == Approx(0.5));  // sum i/99 = 50, over 100
}

TEST_CASE("a run that rises, dips and recovers learns only from where it stays up", "[ground-truth]") {
  // 0 x 10, 1 x 10, 0 x 10, 1 x 70: it first crosses at step 11, falls back at 21 for
  // 10 steps (longer than the 5-step window), and stays from step 31.
  std::vector<double> v = step_curve(10, 10, 0.0, 1.0);
  const auto rest = step_curve(10, 70, 0.0, 1.0);
  v.insert(v.end(), rest.begin(), rest.end());
  const RunTruth t = run_truth(v, v, 0.0, 1.0);
  CHECK(t.time_to_50 == 33);  // the moving average: 0.2, 0.4, 0.6 from step 31
  CHECK(t.onset == 31);
  CHECK(t.max_true_step == 11);  // the first time the maximum is reached
}

TEST_CASE("a run that never learns has no time to threshold and no onset", "[ground-truth]") {
  std::vector<double> v(200, 0.3);
  v[150] = 0.9;  // a blip in the middle
  const RunTruth t = run_truth(v, v, 0.3, 2.0);
  CHECK_FALSE(t.learns);
  CHECK_FALSE(t.time_to_50.has_value());
  CHECK_FALSE(t.time_to_90.has_value());
  CHECK_FALSE(t.onset.has_value());
  CHECK(t.max_true == 0.9);
  CHECK(t.normalized_area == Approx(0.6 / (200 * 1.7)));

  SECTION("a gain below 5% of the possible gain counts as not learning") {
    const std::vector<double> barely(100, 0.3 + 0.04 * 1.7);
    CHECK_FALSE(run_truth(barely, barely, 0.3, 2.0).learns);
    const std::vector<double> enough(100, 0.3 + 0.06 * 1.7);
    CHECK(run_truth(enough, enough, 0.3, 2.0).learns);
  }
  SECTION("a bandit whose arms are all equal cannot be learnt") {
    const std::vector<double> flat(100, 1.0);
    const RunTruth f = run_truth(flat, flat, 1.0, 1.0);
    CHECK_FALSE(f.learns);
    CHECK(f.normalized_area == 0.0);
  }
}

TEST_CASE("the visible maximum smooths the observed rewards and the true maximum does not", "[ground-truth]") {
  // True values flat at 1; one observed spike of 100 at step 50 in 100 steps (window 5).
  const std::vector<double> v(100, 1.0);
  std::vector<double> r(100, 1.0);
  r[49] = 100.0;
  const RunTruth t = run_truth(v, r, 0.0, 2.0);
  CHECK(t.max_true == 1.0);
  CHECK(t.max_visible == Approx((4.0 + 100.0) / 5.0));
  CHECK(t.max_visible_step == 50);
}

TEST_CASE("the median of a cohort's final performance decides which runs should stop", "[ground-truth][cohort]") {
  // Four flat runs at 1, 2, 3, 4: median 2.5, best 4, worst 1.
  std::vector<std::vector<double>> curves;
  std::vector<RunTruth> truths;
  for (const double level : {1.0, 2.0, 3.0, 4.0}) {
    curves.emplace_back(100, level);
    truths.push_back(run_truth(curves.back(), curves.back(), 0.0, 5.0));
  }
  // Run 1 starts high and falls below the median at step 41 for good; its 5-step moving
  // average (2.8, 2.6, 2.4, ...) from step 43.
  for (std::size_t i = 0; i < 40; ++i) {
    curves[1][i] = 3.0;
  }
  truths[1] = run_truth(curves[1], curves[1], 0.0, 5.0);
  const std::vector<std::span<const double>> views(curves.begin(), curves.end());
  const auto cohort = cohort_truth(truths, views, 0.1);
  CHECK(cohort.median_final == 2.5);
  CHECK(cohort.best_final == 4.0);
  CHECK(cohort.worst_final == 1.0);
  CHECK(cohort.best_run == 3);
  REQUIRE(cohort.runs.size() == 4);
  CHECK(cohort.runs[0].below_median);
  CHECK(cohort.runs[1].below_median);
  CHECK_FALSE(cohort.runs[2].below_median);
  CHECK_FALSE(cohort.runs[3].below_median);
  // Margin 10% of the range: the bar is 4 - 0.3 = 3.7; run 2 (3.0) is below it too.
  CHECK(cohort.runs[2].below_best_margin);
  CHECK_FALSE(cohort.runs[3].below_best_margin);
  // Best stop steps: run 0 is below the median from the start; run 1 from step 43.
  CHECK(cohort.runs[0].best_stop_step == 1);
  CHECK(cohort.runs[1].best_stop_step == 43);
  CHECK_FALSE(cohort.runs[2].best_stop_step.has_value());
}

TEST_CASE("median takes the mean of the middle pair for even counts", "[ground-truth]") {
  CHECK(curvelab::median({3.0, 1.0, 2.0}) == 2.0);
  CHECK(curvelab::median({4.0, 1.0, 3.0, 2.0}) == 2.5);
  CHECK(curvelab::median({7.0}) == 7.0);
}

namespace {
// T = 1000 (the smoothing window is 50 steps): v = 0 (the random-policy level) before
// `rise`, 1 from it.
std::vector<double> learner(int rise) { return step_curve(rise - 1, 1000 - (rise - 1), 0.0, 1.0); }
}  // namespace

TEST_CASE("a one-step dip of the true value moves no step rule", "[ground-truth][visible]") {
  // From step 100, the 50-step moving average is (t - 99) / 50: above 0.1 from step 105,
  // at 0.5 from 124, at 0.9 from 144.
  const std::vector<double> clean = learner(100);
  std::vector<double> dipped = clean;
  dipped[560] = -1.0;  // step 561: one unlucky sample switches the greedy arm for one step
  for (const std::vector<double>* v : std::vector<const std::vector<double>*>{&clean, &dipped}) {
    const RunTruth t = run_truth(*v, *v, 0.0, 1.0);
    CHECK(t.smoothing_window == 50);
    CHECK(t.onset == 105);
    CHECK(t.time_to_50 == 124);
    CHECK(t.time_to_90 == 144);
  }
  SECTION("read on the raw v, the dip would put every rule after it") {
    curvelab::GroundTruthOptions raw;
    raw.smoothing_window = 1;
    const RunTruth t = run_truth(dipped, dipped, 0.0, 1.0, raw);
    CHECK(t.onset == 562);
    CHECK(t.time_to_50 == 562);
    CHECK(curvelab::first_step_staying_above(dipped, 0.1, true) == 562);
  }
}

TEST_CASE("a run that really learns late gets late step rules", "[ground-truth][visible]") {
  SECTION("it rises at step 700") {
    const std::vector<double> v = learner(700);
    const RunTruth t = run_truth(v, v, 0.0, 1.0);
    CHECK(t.onset == 705);
    CHECK(t.time_to_50 == 724);
    CHECK(t.time_to_90 == 744);
  }
  SECTION("it rises at step 100 and falls back to the random level for 200 steps, longer than the window") {
    std::vector<double> v = learner(100);
    std::fill(v.begin() + 200, v.begin() + 400, 0.0);  // steps 201-400
    const RunTruth t = run_truth(v, v, 0.0, 1.0);
    CHECK(t.onset == 406);  // ones again from step 401: (t - 400) / 50
    CHECK(t.time_to_50 == 425);
    CHECK(t.time_to_90 == 445);
  }
}

TEST_CASE("the best stop step ignores a one-step rise and follows a late fall", "[ground-truth][visible][cohort]") {
  // Four runs of 1000 steps at 1, 2, 3, 4 (median final 2.5); run 1 is at 3 until `fall`,
  // then at 2. Its 50-step moving average is 2 + (fall + 50 - t) / 50 after the fall:
  // below 2.5 from step fall + 26.
  const auto cohort_with = [](int fall, bool spike) {
    std::vector<std::vector<double>> curves;
    for (const double level : {1.0, 2.0, 3.0, 4.0}) {
      curves.emplace_back(1000, level);
    }
    std::fill(curves[1].begin(), curves[1].begin() + fall, 3.0);
    if (spike) {
      curves[1][599] = 3.0;  // step 600: one lucky step back above the median
    }
    std::vector<RunTruth> truths;
    for (const auto& c : curves) {
      truths.push_back(run_truth(c, c, 0.0, 5.0));
    }
    const std::vector<std::span<const double>> views(curves.begin(), curves.end());
    return cohort_truth(truths, views, 0.1).runs[1];
  };
  CHECK(cohort_with(400, false).best_stop_step == 426);
  CHECK(cohort_with(400, true).best_stop_step == 426);
  CHECK(cohort_with(800, false).best_stop_step == 826);  // a late fall gives a late stop
}
