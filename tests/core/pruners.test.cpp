// Known answers for each pruner, on studies small enough to work out on paper.
// The reasoning is Optuna 3.1's rules (optuna/pruners/*.py in 3.1.0); tests/conformance
// checks the same code against Optuna itself on random studies.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "curvelab/limits.hpp"
#include "curvelab/pruners.hpp"
#include "curvelab/random.hpp"
#include "curvelab/study.hpp"

using curvelab::Direction;
using curvelab::PrunerKind;
using curvelab::PrunerSpec;
using curvelab::PruneRule;
using curvelab::StudySpec;
using curvelab::TrialSpec;
using curvelab::TrialState;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

PrunerSpec spec_of(PrunerKind kind) { return curvelab::default_pruner_spec(kind); }

TrialSpec trial(std::vector<double> values, std::vector<std::int64_t> steps = {}) {
  return TrialSpec{std::move(values), std::move(steps), std::nullopt};
}

// Runs a study and returns, per trial, the step it was pruned at (-1 when not pruned).
struct Run {
  std::vector<std::int64_t> pruned_at;
  std::vector<TrialState> states;
  curvelab::StudyResult result;
};

Run run(const PrunerSpec& pruner, std::vector<TrialSpec> trials, Direction direction = Direction::Minimize,
        const std::string& name = "s") {
  StudySpec spec;
  spec.name = name;
  spec.direction = direction;
  spec.pruner = pruner;
  spec.trials = std::move(trials);
  auto result = curvelab::run_study(spec);
  REQUIRE(result.ok());
  Run out;
  for (const auto& t : result->trials) {
    out.pruned_at.push_back(t.pruned_at.value_or(-1));
    out.states.push_back(t.state);
  }
  out.result = result.value();
  return out;
}

using Steps = std::vector<std::int64_t>;

}  // namespace

// ---------------------------------------------------------------------------------------
TEST_CASE("nan_percentile reproduces numpy's linear interpolation to the last bit", "[pruners][percentile]") {
  std::vector<double> scratch;
  const auto p = [&](std::vector<double> v, double q) { return curvelab::nan_percentile(v, q, scratch); };
  SECTION("numpy takes b - d * (1 - t) when t >= 0.5, which is exactly 0.25 here") {
    // v = 1 * 0.6, t = 0.6, d = 0.35 - 0.1 (0.24999999999999997): b - d * (1 - t) is
    // exactly 0.25, while the naive a + d * t is 0.24999999999999997.
    CHECK(p({0.35, 0.1}, 60) == 0.25);
    const double d = 0.35 - 0.1;
    CHECK(0.1 + d * 0.6 != 0.25);
  }
  SECTION("the median of an even count is the mean of the middle two; NaNs are dropped first") {
    CHECK(p({4, 1, 3, 2}, 50) == 2.5);
    CHECK(p({kNaN, 3, 1, kNaN}, 50) == 2.0);
    CHECK(p({7}, 50) == 7.0);
    CHECK(p({1, 2, 3, 4, 5}, 0) == 1.0);
    CHECK(p({1, 2, 3, 4, 5}, 100) == 5.0);
  }
  SECTION("infinities poison the result as numpy's arithmetic does") {
    CHECK(std::isnan(p({-kInf, kInf}, 50)));  // inf - (-inf) times 0.5 then subtracted: NaN
    CHECK(std::isnan(p({1, kInf}, 100)));     // the top neighbour twice: inf - inf = NaN
    CHECK(std::isnan(p({kInf}, 50)));         // a single infinity: inf - inf = NaN
    CHECK(p({-kInf, 1}, 50) == -kInf);        // t = 0.5: 1 - inf * 0.5 = -inf
  }
  SECTION("nothing left after dropping NaNs gives NaN") {
    CHECK(std::isnan(p({kNaN, kNaN}, 50)));
    CHECK(std::isnan(p({}, 50)));
  }
}

TEST_CASE("crc32 is zlib's, as Python's binascii.crc32", "[pruners][hyperband]") {
  CHECK(curvelab::crc32("123456789") == 0xCBF43926U);  // the standard check value
  CHECK(curvelab::crc32("s_0") == 2987163180U);
  CHECK(curvelab::crc32("s_1") == 3305852602U);
  CHECK(curvelab::crc32("\xe7\xa0\x94\xe7\xa9\xb6_\xc3\x9f_0") == 4279485326U);  // "研究_ß_0" in UTF-8
}

TEST_CASE("hyperband counts brackets with Python's floating-point logarithm", "[pruners][hyperband]") {
  // log(243, 3) is 4.999999999999999 in double precision: 5 brackets, not 6.
  CHECK(curvelab::hyperband_bracket_count(1, 243, 3) == 5);
  CHECK(curvelab::hyperband_bracket_count(2, 486, 3) == 5);
  // log(1000, 10) is 2.9999999999999996: 3 brackets, not 4.
  CHECK(curvelab::hyperband_bracket_count(1, 1000, 10) == 3);
  CHECK(curvelab::hyperband_bracket_count(1, 81, 3) == 5);
  CHECK(curvelab::hyperband_bracket_count(1, 100, 3) == 5);
  CHECK(curvelab::hyperband_bracket_count(10, 5, 3) == 0);  // max < min: no brackets at all
}

// ---------------------------------------------------------------------------------------
TEST_CASE("the median pruner judges the best value so far against the completed trials' median at that step",
          "[pruners][median]") {
  PrunerSpec median = spec_of(PrunerKind::Median);
  median.n_startup_trials = 2;
  // Minimize. Trials 0 and 1 complete: medians are (1 + 3) / 2 = 2 at every step.
  // Trial 2 starts at 2.5 > 2: pruned at step 0 (step 0 is already a check step).
  // Trial 3 reports exactly the median, 2: a tie is kept (the comparison is strict).
  // Trial 4 (medians now of {1, 3, 2}: 2) reports 1.5 then 5, 5: its best so far stays
  // 1.5 <= 2, so it is never pruned although its current value is worse than every
  // completed trial's.
  const auto r =
      run(median, {trial({1, 1, 1}), trial({3, 3, 3}), trial({2.5, 0.5, 0.5}), trial({2, 2, 2}), trial({1.5, 5, 5})});
  CHECK(r.pruned_at == std::vector<std::int64_t>{-1, -1, 0, -1, -1});
  CHECK(r.states[2] == TrialState::Pruned);
  CHECK(r.states[4] == TrialState::Complete);
  const auto& reason = *r.result.trials[2].reason;
  CHECK(reason.rule == PruneRule::WorseThanPercentile);
  CHECK(reason.value == 2.5);
  CHECK(reason.cutoff == 2.0);
  CHECK(reason.compared_with == 2);
  CHECK(curvelab::describe(reason, Direction::Minimize) ==
        "best value 2.5 is above the median 2 of 2 completed trials at step 0");
}

TEST_CASE("the median pruner counts only COMPLETE trials, and needs one even with no startup trials",
          "[pruners][median]") {
  SECTION("a failed trial does not count toward n_startup_trials") {
    PrunerSpec median = spec_of(PrunerKind::Median);
    median.n_startup_trials = 2;
    // Trial 1 ends on NaN: FAIL. Only trial 0 is COMPLETE, 1 < 2, so trial 2 (10, far
    // worse than trial 0's 0) cannot be pruned yet.
    const auto r = run(median, {trial({0, 0}), trial({0, kNaN}), trial({10, 10})});
    CHECK(r.states == std::vector<TrialState>{TrialState::Complete, TrialState::Fail, TrialState::Complete});
  }
  SECTION("a pruned trial's values are not in the median") {
    PrunerSpec median = spec_of(PrunerKind::Median);
    median.n_startup_trials = 1;
    // Trial 1 (10) is pruned at step 0. Trial 2 (4) is compared with {0}, not {0, 10}
    // (median 5, which would keep it): pruned.
    const auto r = run(median, {trial({0, 0}), trial({10, 10}), trial({4, 4})});
    CHECK(r.pruned_at == std::vector<std::int64_t>{-1, 0, 0});
  }
  SECTION("n_startup_trials = 0 still waits for the first COMPLETE trial") {
    PrunerSpec median = spec_of(PrunerKind::Median);
    median.n_startup_trials = 0;
    // Trial 0 has no one to be compared with; trial 1 is compared with trial 0.
    const auto r = run(median, {trial({5, 5}), trial({6, 6})});
    CHECK(r.pruned_at == std::vector<std::int64_t>{-1, 0});
  }
}

TEST_CASE("the median pruner never prunes at steps no completed trial reported", "[pruners][median]") {
  PrunerSpec median = spec_of(PrunerKind::Median);
  median.n_startup_trials = 1;
  median.n_warmup_steps = 2;
  // Trial 0 reports steps 0 and 1 and completes. Trial 1 is checked from step 2 on, where
  // no completed trial has a value: its 9s are never compared with anything.
  const auto r = run(median, {trial({0, 0}), trial({9, 9, 9, 9})});
  CHECK(r.pruned_at == std::vector<std::int64_t>{-1, -1});
  SECTION("and n_min_trials counts NaN values of completed trials too") {
    PrunerSpec strict = median;
    strict.n_warmup_steps = 0;
    strict.n_min_trials = 2;
    // At step 0 the completed values are {NaN, 0}: two values, so the check runs, and the
    // median of {0} is 0 < 1: pruned. Without the NaN trial only one value would be there.
    const auto r2 = run(strict, {trial({kNaN, 1}), trial({0, 0}), trial({1, 1})});
    CHECK(r2.pruned_at == std::vector<std::int64_t>{-1, -1, 0});
    const auto r3 = run(strict, {trial({0, 0}), trial({1, 1})});
    CHECK(r3.pruned_at == std::vector<std::int64_t>{-1, -1});
  }
}

TEST_CASE("the median pruner prunes a trial whose values are all NaN at its first check", "[pruners][median]") {
  PrunerSpec median = spec_of(PrunerKind::Median);
  median.n_startup_trials = 1;
  median.n_warmup_steps = 1;
  // Step 0 is warm-up. At step 1 the best of {NaN, NaN} is NaN: pruned, whatever the others did.
  const auto r = run(median, {trial({0, 0, 0}), trial({kNaN, kNaN, 0})});
  CHECK(r.pruned_at == std::vector<std::int64_t>{-1, 1});
  CHECK(r.result.trials[1].reason->rule == PruneRule::AllValuesNan);
}

TEST_CASE("the percentile pruner takes 100 - percentile when maximizing", "[pruners][percentile]") {
  PrunerSpec p = spec_of(PrunerKind::Percentile);
  p.percentile = 25.0;
  p.n_startup_trials = 4;
  // Maximize, completed values at step 0: 1, 2, 3, 4. The 75th percentile of them is
  // 3.25: a trial at 3 is pruned (3 < 3.25), one at 3.5 is kept. Taking the 25th (1.75)
  // instead would keep both.
  const auto r =
      run(p, {trial({1}), trial({2}), trial({3}), trial({4}), trial({3}), trial({3.5})}, Direction::Maximize);
  CHECK(r.pruned_at == std::vector<std::int64_t>{-1, -1, -1, -1, 0, -1});
  CHECK(r.result.trials[4].reason->cutoff == 3.25);
  CHECK(r.result.trials[4].reason->percentile == 75.0);
}

TEST_CASE("warm-up is inclusive and checks happen at the first report in each interval", "[pruners][interval]") {
  PrunerSpec t = spec_of(PrunerKind::Threshold);
  t.lower = 0.0;
  SECTION("pruning is possible at step == n_warmup_steps, not before") {
    t.n_warmup_steps = 2;
    const auto r = run(t, {trial({-1, -1, -1, -1})});
    CHECK(r.pruned_at == std::vector<std::int64_t>{2});
  }
  SECTION("with gaps, a missed pruning point moves to the next report") {
    // Steps 0, 3, 7, 8 with interval 5: the points are 0, 5, 10; step 3 is not checked,
    // step 7 is the first report at or after 5, step 8 is not.
    t.interval_steps = 5;
    const auto r = run(t, {trial({1, -1, -1, -1}, Steps{0, 3, 7, 8})});
    CHECK(r.pruned_at == std::vector<std::int64_t>{7});
  }
  SECTION("a step reported out of order leaves the current step at the largest one") {
    // Steps 0, 6, 4 with interval 5: after the report of 4 the current step is still 6 and
    // the value judged is the one at 6 (1), not the -1 just reported at 4: kept.
    t.interval_steps = 5;
    const auto r = run(t, {trial({1, 1, -1}, Steps{0, 6, 4})});
    CHECK(r.pruned_at == std::vector<std::int64_t>{-1});
  }
}

TEST_CASE("the threshold pruner judges the latest value with strict bounds, whatever the direction",
          "[pruners][threshold]") {
  PrunerSpec t = spec_of(PrunerKind::Threshold);
  t.lower = 0.0;
  t.upper = 1.0;
  // 0 and 1 are inside (strict comparisons); 1.5 is above; a NaN is pruned when checked.
  const auto r = run(t, {trial({0, 1, 0.5}), trial({0.5, 1.5}), trial({0.5, kNaN})}, Direction::Maximize);
  CHECK(r.pruned_at == std::vector<std::int64_t>{-1, 1, 1});
  CHECK(r.result.trials[1].reason->rule == PruneRule::AboveUpper);
  CHECK(r.result.trials[2].reason->rule == PruneRule::ThresholdNan);
  SECTION("a NaN at a step that is not checked has no effect") {
    t.interval_steps = 2;
    const auto r2 = run(t, {trial({0.5, kNaN, 0.5})});
    CHECK(r2.pruned_at == std::vector<std::int64_t>{-1});
  }
}

// ---------------------------------------------------------------------------------------
TEST_CASE("successive halving promotes the top 1/rf at rungs min_resource * rf^k, ties included",
          "[pruners][successive_halving]") {
  PrunerSpec sh = spec_of(PrunerKind::SuccessiveHalving);
  sh.min_resource = {false, 1};
  sh.reduction_factor = 2;
  // Minimize; rungs at steps 1, 2, 4. Trial 0 records 5 at every rung (alone: promoted).
  // Trial 1: at step 1 the rung holds {5, 9}: i = 2 / 2 - 1 = 0, cut-off 5, 9 > 5: pruned.
  // Trial 2: at step 1 it reports 5, a tie with the cut-off {5, 9, 5} -> i = 0 -> 5: promoted;
  //   at step 2 the rung-1 values are {5, 7}: 7 > 5: pruned. The value at the step is used,
  //   not the trial's best (1 at step 0).
  const auto r = run(sh, {trial({5, 5, 5, 5, 5}), trial({0, 9, 9, 9, 9}), trial({1, 5, 7, 7, 7})});
  CHECK(r.pruned_at == std::vector<std::int64_t>{-1, 1, 2});
  const auto& reason = *r.result.trials[2].reason;
  CHECK(reason.rule == PruneRule::RungNotPromoted);
  CHECK(reason.rung == 1);
  CHECK(reason.rung_step == 2);
  CHECK(reason.value == 7);
  CHECK(reason.cutoff == 5);
}

TEST_CASE("successive halving keeps pruned trials' rung values as competitors", "[pruners][successive_halving]") {
  PrunerSpec sh = spec_of(PrunerKind::SuccessiveHalving);
  sh.min_resource = {false, 1};
  sh.reduction_factor = 2;
  // Maximize; rung 0 at step 1. Trial 0 records 1, trial 1 records 2 (best: promoted) and
  // then its rung-1 value 0 at step 2 loses to trial 0's rung 1 (1): pruned at step 2.
  // Trial 2 records 1.5 at rung 0: competitors {1, 2, 1.5}, i = 3 / 2 - 1 = 0, the best (2,
  // pruned trial 1's) is the cut-off: 1.5 < 2: pruned. Without trial 1 it would be promoted.
  const auto r = run(sh, {trial({0, 1, 1}), trial({0, 2, 0}), trial({0, 1.5, 1.5})}, Direction::Maximize);
  CHECK(r.pruned_at == std::vector<std::int64_t>{-1, 2, 1});
}

TEST_CASE("successive halving resolves 'auto' once, from the first completed trial", "[pruners][successive_halving]") {
  PrunerSpec sh = spec_of(PrunerKind::SuccessiveHalving);  // min_resource "auto", rf 4
  // Trial 0 (250 steps) runs before anything is resolved and records no rung. When trial 1
  // first asks, min_resource = max(249 // 100, 1) = 2: rungs at 2, 8, 32. Trial 1 is alone
  // at rung 0 (trial 0 has none): promoted. Trial 2 (a worse 0.5 at step 2) then meets trial
  // 1's 0 there: {0, 0.5}, i = max(2 // 4 - 1, 0) = 0, cut-off 0: pruned at step 2, not 1.
  std::vector<double> zeros(250, 0.0);
  std::vector<double> worse(250, 0.5);
  const auto r = run(sh, {trial(zeros), trial(zeros), trial(worse)});
  CHECK(r.pruned_at == std::vector<std::int64_t>{-1, -1, 2});
  CHECK(r.result.trials[2].reason->rung_step == 2);
}

TEST_CASE("successive halving bootstraps at every rung and prunes a NaN only at a rung step",
          "[pruners][successive_halving]") {
  PrunerSpec sh = spec_of(PrunerKind::SuccessiveHalving);
  sh.min_resource = {false, 1};
  sh.reduction_factor = 2;
  SECTION("the first bootstrap_count trials at each rung are pruned there") {
    sh.bootstrap_count = 1;
    // Trial 0 is the first at rung 0 (step 1): pruned. Trial 1 is second at rung 0 (promoted,
    // it is the best) but first at rung 1 (step 2): pruned there.
    const auto r = run(sh, {trial({0, 0, 0}), trial({0, -1, -1})});
    CHECK(r.pruned_at == std::vector<std::int64_t>{1, 2});
    CHECK(r.result.trials[1].reason->rule == PruneRule::RungBootstrap);
    CHECK(curvelab::describe(*r.result.trials[1].reason, Direction::Minimize) ==
          "the 1st trial to reach rung 1 (step 2) is within bootstrap_count at step 2");
  }
  SECTION("NaN between rungs is ignored; at a rung step it prunes") {
    // Rungs at 1, 2, 4: the NaN at step 3 is never judged; the NaN at step 4 is.
    const auto r = run(sh, {trial({0, 0, 0, kNaN, 0}), trial({0, 0, 0, kNaN, kNaN})});
    CHECK(r.pruned_at == std::vector<std::int64_t>{-1, 4});
    CHECK(r.result.trials[1].reason->rule == PruneRule::RungNan);
  }
}

TEST_CASE("successive halving settles several rungs in one call after a gap", "[pruners][successive_halving]") {
  PrunerSpec sh = spec_of(PrunerKind::SuccessiveHalving);
  sh.min_resource = {false, 1};
  sh.reduction_factor = 2;
  // Trial 0 records 1 at rungs 0 (step 1), 1 (step 2) and 2 (step 4). Trial 1 jumps from step
  // 0 to step 4 with the value 2: rung 0 is settled with 2 (competitors {1, 2}, cut-off 1):
  // pruned at step 4, reported as rung 0.
  const auto r = run(sh, {trial({1, 1, 1, 1, 1}), trial({0, 2}, Steps{0, 4})});
  CHECK(r.pruned_at == std::vector<std::int64_t>{-1, 4});
  CHECK(r.result.trials[1].reason->rung == 0);
}

// ---------------------------------------------------------------------------------------
TEST_CASE("hyperband puts trials in brackets by CRC-32 of name_number and compares within a bracket only",
          "[pruners][hyperband]") {
  PrunerSpec hb = spec_of(PrunerKind::Hyperband);
  hb.max_resource = {false, 9};  // min 1, rf 3: 3 brackets with budgets 9, 5, 3 (total 17)
  // Study "s": crc32("s_0") % 17 = 3 -> bracket 0 (first rung at step 1);
  // crc32("s_1") % 17 = 13 -> 13 - 9 = 4 -> bracket 1 (first rung at step 3).
  // Trial 1 is far worse than trial 0 but alone in its bracket: promoted at step 3.
  const auto r = run(hb, {trial({0, 0, 0, 0}), trial({9, 9, 9, 9})});
  CHECK(r.pruned_at == std::vector<std::int64_t>{-1, -1});
  SECTION("in another study name, the same trials share a bracket and the worse is pruned") {
    // "c_0" and "c_1" both fall in bracket 0 (crc32 % 17 = 2 and 4): at step 1, {0, 9}: pruned.
    const auto r2 = run(hb, {trial({0, 0, 0, 0}), trial({9, 9, 9, 9})}, Direction::Minimize, "c");
    CHECK(r2.pruned_at == std::vector<std::int64_t>{-1, 1});
    CHECK(r2.result.trials[1].reason->bracket == 0);
  }
}

TEST_CASE("hyperband with max_resource auto initialises from the first COMPLETE trial", "[pruners][hyperband]") {
  PrunerSpec hb = spec_of(PrunerKind::Hyperband);
  SECTION("with no brackets (max_resource < min_resource) it never prunes") {
    hb.min_resource = {false, 10};
    // The first trial completes after step 3: max_resource = 4 < 10, log < 0: 0 brackets.
    const auto r = run(hb, {trial({0, 0, 0, 0}), trial(std::vector<double>(30, 9.0))}, Direction::Minimize, "t");
    CHECK(r.pruned_at == std::vector<std::int64_t>{-1, -1});
  }
  SECTION("parameters Optuna refuses only at initialisation are refused then, not before") {
    hb.min_resource = {false, 0};  // Optuna divides by it: ZeroDivisionError when initialising
    StudySpec spec;
    spec.pruner = hb;
    spec.trials = {trial({kNaN})};  // a FAIL trial: nothing initialises, nothing is refused
    CHECK(curvelab::run_study(spec).ok());
    spec.trials = {trial({1}), trial({1})};  // trial 0 completes; trial 1's first report initialises
    const auto refused = curvelab::run_study(spec);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().field == "min_resource");
  }
}

// ---------------------------------------------------------------------------------------
TEST_CASE("the patient pruner fires when the window's best is worse than the best before it by more than min_delta",
          "[pruners][patient]") {
  PrunerSpec patient = spec_of(PrunerKind::Patient);
  patient.patience = 1;
  // Maximize, window of 2 values. At step 2: before {1}, window {2, 1.5}: 1 > 2? no.
  // At step 3: before {1, 2}, window {1.5, 1.4}: 2 > 1.5: pruned.
  auto r = run(patient, {trial({1, 2, 1.5, 1.4})}, Direction::Maximize);
  CHECK(r.pruned_at == std::vector<std::int64_t>{3});
  CHECK(r.result.trials[0].reason->rule == PruneRule::NoImprovement);
  // min_delta is a tolerance: 2 - 0.5 > 1.5 is false (strict), so the trial is kept.
  patient.min_delta = 0.5;
  r = run(patient, {trial({1, 2, 1.5, 1.4})}, Direction::Maximize);
  CHECK(r.pruned_at == std::vector<std::int64_t>{-1});
  SECTION("an all-NaN window never fires") {
    patient.min_delta = 0.0;
    r = run(patient, {trial({1, 2, kNaN, kNaN})}, Direction::Maximize);
    CHECK(r.pruned_at == std::vector<std::int64_t>{-1});
  }
}

TEST_CASE("the patient pruner does not consult the wrapped pruner while the trial is improving", "[pruners][patient]") {
  PrunerSpec sh = spec_of(PrunerKind::SuccessiveHalving);
  sh.min_resource = {false, 1};
  sh.reduction_factor = 2;
  const std::vector<TrialSpec> trials{trial({3, 2, 1, 0}), trial({1, 2.5, 3, 4})};
  // Successive halving alone: trial 0 records 2 at rung 0 (step 1); trial 1's 2.5 there
  // loses ({2, 2.5}, cut-off 2): pruned at step 1.
  CHECK(run(sh, trials).pruned_at == std::vector<std::int64_t>{-1, 1});
  // Wrapped in patience 0: trial 0 always improves (minimize), so successive halving is never
  // asked and trial 0 records no rung. Trial 1 gets worse from step 1 on: successive halving
  // is asked, finds trial 1 alone at rungs 0 and 1: promoted; it completes.
  PrunerSpec patient = spec_of(PrunerKind::Patient);
  patient.patience = 0;
  patient.wrapped = std::make_shared<const PrunerSpec>(sh);
  CHECK(run(patient, trials).pruned_at == std::vector<std::int64_t>{-1, -1});
}

// ---------------------------------------------------------------------------------------
TEST_CASE("parameters Optuna refuses are refused with the field and the allowed range", "[pruners][validation]") {
  const auto refusal = [](const PrunerSpec& spec) {
    const auto e = curvelab::validate(spec);
    return e ? e->field + ": " + e->message : std::string("accepted");
  };
  PrunerSpec p = spec_of(PrunerKind::Percentile);
  p.percentile = 100.5;
  CHECK(refusal(p) == "percentile: percentile must be in [0, 100], got 100.5");
  p.percentile = kNaN;
  CHECK(refusal(p) == "percentile: percentile must be in [0, 100], got nan");
  PrunerSpec m = spec_of(PrunerKind::Median);
  m.interval_steps = 0;
  CHECK(refusal(m) == "interval_steps: interval_steps must be >= 1, got 0");
  m = spec_of(PrunerKind::Median);
  m.n_min_trials = 0;
  CHECK(refusal(m) == "n_min_trials: n_min_trials must be >= 1, got 0");
  PrunerSpec sh = spec_of(PrunerKind::SuccessiveHalving);
  sh.bootstrap_count = 1;  // with min_resource "auto"
  CHECK(refusal(sh) == "bootstrap_count: bootstrap_count must be 0 when min_resource is \"auto\", got 1");
  sh = spec_of(PrunerKind::SuccessiveHalving);
  sh.reduction_factor = 1;
  CHECK(refusal(sh) == "reduction_factor: reduction_factor must be >= 2, got 1");
  PrunerSpec hb = spec_of(PrunerKind::Hyperband);
  hb.reduction_factor = 1;  // Optuna only fails when it initialises
  CHECK(refusal(hb) == "accepted");
  PrunerSpec t = spec_of(PrunerKind::Threshold);
  CHECK(refusal(t) == "lower: threshold needs lower or upper (or both)");
  t.lower = 1.0;
  t.upper = 0.0;
  CHECK(refusal(t) == "lower: lower must be <= upper, got lower 1 > upper 0");
  t.upper = 1.0;  // equal bounds are allowed
  CHECK(refusal(t) == "accepted");
  PrunerSpec patient = spec_of(PrunerKind::Patient);
  patient.min_delta = kNaN;  // NaN passes Optuna's `min_delta < 0` test
  CHECK(refusal(patient) == "accepted");
  patient.wrapped = std::make_shared<const PrunerSpec>(m);
  CHECK(refusal(patient) == "wrapped.n_min_trials: wrapped.n_min_trials must be >= 1, got 0");
}

// ---------------------------------------------------------------------------------------
namespace {
// Bit for bit, NaN equal to NaN.
bool same_bits(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || (a == b && std::signbit(a) == std::signbit(b));
}

// A value from a small grid (ties are common), with NaN and infinities now and then.
double random_value(curvelab::Rng& rng) {
  const std::uint32_t pick = rng.below(40);
  if (pick == 0) {
    return kNaN;
  }
  if (pick == 1) {
    return kInf;
  }
  if (pick == 2) {
    return -kInf;
  }
  if (pick < 20) {
    return static_cast<double>(rng.below(9)) * 0.125 - 0.5;
  }
  return rng.uniform(-3.0, 3.0);
}

// The percentile rule as Optuna 3.1 writes it: nanpercentile over every completed
// trial's value at the step, recomputed on each call.
class ReferencePercentilePruner final : public curvelab::Pruner {
 public:
  explicit ReferencePercentilePruner(const PrunerSpec& spec) : spec_(spec) {}

  bool prune(const curvelab::StudyState& study, const curvelab::TrialRecord& trial,
             curvelab::PruneReason& reason) override {
    const int completed = study.complete_count();
    if (completed == 0 || completed < spec_.n_startup_trials || !trial.has_reports()) {
      return false;
    }
    const std::int64_t step = trial.last_step();
    if (step < spec_.n_warmup_steps ||
        !curvelab::first_in_interval(step, trial.previous_step(), spec_.n_warmup_steps, spec_.interval_steps)) {
      return false;
    }
    const double best = trial.best_so_far();
    if (std::isnan(best)) {
      reason.rule = PruneRule::AllValuesNan;
      return true;
    }
    const auto values = study.complete_values_at(step);
    if (static_cast<std::int64_t>(values.size()) < spec_.n_min_trials) {
      return false;
    }
    const bool maximize = study.direction() == Direction::Maximize;
    const double q = maximize ? 100.0 - spec_.percentile : spec_.percentile;
    std::vector<double> scratch;
    const double cutoff = curvelab::nan_percentile(values, q, scratch);
    if (std::isnan(cutoff)) {
      return false;
    }
    const bool stop = maximize ? best < cutoff : best > cutoff;
    if (stop) {
      reason.rule = PruneRule::WorseThanPercentile;
      reason.cutoff = cutoff;
      reason.compared_with = static_cast<int>(values.size());
    }
    return stop;
  }

 private:
  PrunerSpec spec_;
};
}  // namespace

TEST_CASE("RunningPercentile equals nan_percentile after every value, on random multisets", "[pruners][percentile]") {
  curvelab::Rng rng(20261201);
  std::vector<double> scratch;
  for (int round = 0; round < 300; ++round) {
    const double qs[] = {0.0, 100.0, 50.0, 25.0, 75.0, 33.3, 99.9, rng.uniform(0.0, 100.0)};
    const double q = qs[rng.below(8)];
    curvelab::RunningPercentile running(q);
    std::vector<double> values;
    const std::uint32_t n = 1 + rng.below(120);
    for (std::uint32_t i = 0; i < n; ++i) {
      values.push_back(random_value(rng));
      running.add(values.back());
      const double want = curvelab::nan_percentile(values, q, scratch);
      const double got = running.value();
      if (!same_bits(got, want)) {
        FAIL_CHECK("q " << q << " after " << values.size() << " values: " << got << " != " << want);
      }
    }
  }
}

TEST_CASE("the median and percentile pruners decide as a straightforward nanpercentile over all completed trials",
          "[pruners][percentile]") {
  curvelab::Rng rng(7);
  for (int round = 0; round < 200; ++round) {
    PrunerSpec pruner = spec_of(rng.below(2) == 0 ? PrunerKind::Median : PrunerKind::Percentile);
    pruner.percentile = pruner.kind == PrunerKind::Median ? 50.0 : static_cast<double>(rng.below(101));
    pruner.n_startup_trials = rng.below(4);
    pruner.n_warmup_steps = rng.below(3);
    pruner.interval_steps = 1 + rng.below(3);
    pruner.n_min_trials = 1 + rng.below(3);
    StudySpec spec;
    spec.name = "random-" + std::to_string(round);
    spec.direction = rng.below(2) == 0 ? Direction::Minimize : Direction::Maximize;
    spec.pruner = pruner;
    const std::uint32_t trials = 1 + rng.below(60);
    for (std::uint32_t t = 0; t < trials; ++t) {
      TrialSpec one;
      const std::uint32_t reports = 1 + rng.below(12);
      const bool gaps = rng.below(3) == 0;
      std::int64_t step = 0;
      for (std::uint32_t r = 0; r < reports; ++r) {
        one.values.push_back(random_value(rng));
        if (gaps) {
          step += 1 + rng.below(3);
          one.steps.push_back(step);
        }
      }
      spec.trials.push_back(std::move(one));
    }
    auto fast = curvelab::make_pruner(pruner);
    REQUIRE(fast.ok());
    ReferencePercentilePruner reference(pruner);
    const auto got = curvelab::run_study(spec, *fast.value());
    const auto want = curvelab::run_study(spec, reference);
    REQUIRE(got.ok());
    REQUIRE(want.ok());
    REQUIRE(got->trials.size() == want->trials.size());
    for (std::size_t i = 0; i < got->trials.size(); ++i) {
      INFO("study " << round << ", trial " << i);
      const auto& g = got->trials[i];
      const auto& w = want->trials[i];
      CHECK(g.state == w.state);
      CHECK(g.pruned_at == w.pruned_at);
      REQUIRE(g.reason.has_value() == w.reason.has_value());
      if (g.reason) {
        CHECK(g.reason->rule == w.reason->rule);
        if (w.reason->rule == PruneRule::WorseThanPercentile) {
          CHECK(same_bits(g.reason->cutoff, w.reason->cutoff));
          CHECK(g.reason->compared_with == w.reason->compared_with);
        }
      }
    }
  }
}

TEST_CASE("hyperband's bracket budgets stay defined at the largest accepted parameters", "[pruners][hyperband]") {
  // Every integer is at most 2^53 - 1; at that ratio rf^s * n_brackets must not overflow.
  const std::int64_t max = curvelab::kMaxExactInteger;
  for (const std::int64_t rf : {std::int64_t{2}, std::int64_t{3}, std::int64_t{1} << 26, max}) {
    PrunerSpec hb = spec_of(PrunerKind::Hyperband);
    hb.min_resource = curvelab::Resource{false, 1};
    hb.max_resource = curvelab::Resource{false, max};
    hb.reduction_factor = rf;
    const Run r = run(hb, {trial({1, 2, 3}), trial({3, 2, 1}), trial({0, 0, 0})});
    CHECK(r.states.size() == 3);
    for (const auto& stop : r.result.trials) {
      if (stop.reason) {
        CHECK(stop.reason->bracket >= 0);
        CHECK(stop.reason->bracket < curvelab::hyperband_bracket_count(1, max, rf));
      }
    }
    // Both resources negative: a positive ratio, then Optuna's min_resource >= 1 check.
    hb.min_resource = curvelab::Resource{false, -1};
    hb.max_resource = curvelab::Resource{false, -max};
    StudySpec spec;
    spec.pruner = hb;
    spec.trials = {trial({1, 2}), trial({2, 1})};
    const auto refused = curvelab::run_study(spec);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message ==
          "hyperband: min_resource must be >= 1, got -1 (refused when the pruner initialised, at trial 0, step 0)");
  }
}

TEST_CASE("a wrapped pruner's refusals name the wrapped field in a sentence", "[pruners][patient]") {
  const curvelab::Error unknown{"x", "unknown parameter \"x\" for median (expected n_startup_trials)"};
  CHECK(curvelab::wrapped_error(unknown).field == "wrapped.x");
  CHECK(curvelab::wrapped_error(unknown).message ==
        "wrapped: unknown parameter \"x\" for median (expected n_startup_trials)");
  const curvelab::Error name{"pruner.name", "pruner.name must be one of nop, median, got \"medain\""};
  CHECK(curvelab::wrapped_error(name).field == "wrapped.name");
  CHECK(curvelab::wrapped_error(name).message == "wrapped.name must be one of nop, median, got \"medain\"");
  const curvelab::Error range{"n_min_trials", "n_min_trials must be >= 1, got 0"};
  CHECK(curvelab::wrapped_error(range).message == "wrapped.n_min_trials must be >= 1, got 0");
}
