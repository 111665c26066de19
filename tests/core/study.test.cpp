// Studies: trials one after another, how each one ends, the summary, and the study JSON.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "curvelab/json.hpp"
#include "curvelab/study.hpp"

using curvelab::Direction;
using curvelab::PrunerKind;
using curvelab::StudySpec;
using curvelab::TrialSpec;
using curvelab::TrialState;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

StudySpec study_of(PrunerKind kind, std::vector<TrialSpec> trials, Direction direction = Direction::Minimize) {
  StudySpec spec;
  spec.name = "s";
  spec.direction = direction;
  spec.pruner = curvelab::default_pruner_spec(kind);
  spec.trials = std::move(trials);
  return spec;
}

std::vector<TrialState> states_of(const curvelab::StudyResult& result) {
  std::vector<TrialState> states;
  for (const auto& t : result.trials) {
    states.push_back(t.state);
  }
  return states;
}

}  // namespace

TEST_CASE("a trial never pruned completes with its final value, and NaN makes it FAIL", "[study]") {
  // Default final: the last value given. [1, NaN] ends on NaN: FAIL; [NaN, 1] ends on 1:
  // COMPLETE; a given final overrides the last value (inf is fine, NaN fails); a trial with
  // no values and no final has nothing to complete with: FAIL.
  const auto spec =
      study_of(PrunerKind::Nop, {TrialSpec{{1, 2}, {}, {}}, TrialSpec{{1, kNaN}, {}, {}}, TrialSpec{{kNaN, 1}, {}, {}},
                                 TrialSpec{{1, kNaN}, {}, kInf}, TrialSpec{{1, 2}, {}, kNaN}, TrialSpec{{}, {}, {}},
                                 TrialSpec{{}, {}, 3.0}});
  const auto result = curvelab::run_study(spec);
  REQUIRE(result.ok());
  CHECK(states_of(*result) == std::vector<TrialState>{TrialState::Complete, TrialState::Fail, TrialState::Complete,
                                                      TrialState::Complete, TrialState::Fail, TrialState::Fail,
                                                      TrialState::Complete});
}

TEST_CASE("a step reported twice keeps its first value", "[study]") {
  auto spec = study_of(PrunerKind::Threshold, {TrialSpec{{1, -1}, {0, 0}, {}}});
  spec.pruner.lower = 0.0;
  // The second report at step 0 (-1, below the bound) is ignored: the value judged stays 1.
  const auto result = curvelab::run_study(spec);
  REQUIRE(result.ok());
  CHECK(result->trials[0].state == TrialState::Complete);
  CHECK(result->trials[0].steps_run == 2);
}

TEST_CASE("pruned_at is the step just reported, which an out-of-order report can make differ from the current step",
          "[study]") {
  auto spec = study_of(PrunerKind::Patient, {TrialSpec{{1, 1, 0.5}, {0, 10, 5}, {}}});
  spec.pruner.patience = 0;
  // Minimize, window of one value. At step 10: before {1}, window {1}: 1 < 1 is false.
  // Then step 5 arrives: in step order the values are 1 (0), 0.5 (5), 1 (10), so before is
  // {1, 0.5} (best 0.5) and the window {1}: 0.5 < 1, pruned. The trial stops on the report
  // of step 5, while its current step (the largest) is still 10.
  const auto result = curvelab::run_study(spec);
  REQUIRE(result.ok());
  CHECK(result->trials[0].pruned_at == std::optional<std::int64_t>{5});
  CHECK(result->trials[0].reason->step == 10);
}

TEST_CASE("the summary counts steps saved, false stops, regret and kurobako's AUC", "[study][summary]") {
  auto spec = study_of(PrunerKind::Median,
                       {TrialSpec{{1, 2, 3}, {}, {}}, TrialSpec{{0, 0, 5}, {}, {}}, TrialSpec{{2, 2, 2}, {}, {}},
                        TrialSpec{{1, 3, 4}, {}, {}}},
                       Direction::Maximize);
  spec.pruner.n_startup_trials = 1;
  // Maximize, compared with trial 0 (the only COMPLETE one until trial 3 ends):
  //   trial 1: best 0 < 1 at step 0: pruned after 1 step (its final would have been 5, the best);
  //   trial 2: 2 >= 1, 2 >= 2, then best 2 < 3 at step 2: pruned after 3 steps;
  //   trial 3: 1 >= 1, 3 >= 2, 4 >= 3: completes with 4.
  const auto result = curvelab::run_study(spec);
  REQUIRE(result.ok());
  const auto& s = result->summary;
  CHECK(s.steps_total == 12);
  CHECK(s.steps_run == 10);  // 3 + 1 + 3 + 3
  CHECK(s.share_saved == Approx(2.0 / 12.0));
  CHECK(s.best_trial == std::optional<int>{1});
  CHECK_FALSE(s.best_trial_completed);
  // Median of the finals {3, 5, 2, 4} is 3.5: trial 1 (5) is a false stop, trial 2 (2) is not.
  CHECK(s.median_final == 3.5);
  CHECK(s.false_stops == 1);
  CHECK(s.regret == 1.0);  // 5 - 4
  // Best-so-far COMPLETE value over steps spent: 3 from step 3 (trial 0 ends) to step 10
  // (trial 3 ends), then 4 up to the full budget of 12 steps: 3 * 7 + 4 * 2 = 29, in units
  // of one trial (3 steps): 29 / 3.
  CHECK(s.auc == Approx(29.0 / 3.0));
}

TEST_CASE("study JSON reads NaN as null, infinities as strings, and refuses what Optuna would not run",
          "[study][json]") {
  const auto parse = [](const char* text) { return curvelab::study_from_json(nlohmann::json::parse(text)); };
  SECTION("values, steps and finals") {
    const auto spec = parse(R"({"study_name": "x", "direction": "maximize",
        "pruner": {"name": "percentile", "params": {"percentile": 25, "n_startup_trials": 0}},
        "trials": [{"values": [0.5, null, "inf", "-inf"], "steps": [0, 2, 4, 9], "final": null}, {"values": []}]})");
    REQUIRE(spec.ok());
    CHECK(spec->name == "x");
    CHECK(spec->direction == Direction::Maximize);
    CHECK(spec->pruner.kind == PrunerKind::Percentile);
    CHECK(spec->pruner.percentile == 25.0);
    CHECK(spec->pruner.n_startup_trials == 0);
    CHECK(spec->pruner.n_warmup_steps == 0);  // Optuna's default
    const auto& v = spec->trials[0].values;
    CHECK((v[0] == 0.5 && std::isnan(v[1]) && v[2] == kInf && v[3] == -kInf));
    CHECK(spec->trials[0].steps == std::vector<std::int64_t>{0, 2, 4, 9});
    CHECK(std::isnan(*spec->trials[0].final_value));
    CHECK_FALSE(spec->trials[1].final_value.has_value());
  }
  SECTION("defaults: Optuna's median pruner, minimize") {
    const auto spec = parse(R"({"trials": []})");
    REQUIRE(spec.ok());
    CHECK(spec->pruner.kind == PrunerKind::Median);
    CHECK(spec->pruner.n_startup_trials == 5);
    CHECK(spec->direction == Direction::Minimize);
  }
  SECTION("refusals name the field") {
    CHECK(
        parse(R"({"trials": [], "pruner": {"name": "median", "params": {"n_startup_trials": 2.5}}})").error().message ==
        "n_startup_trials must be an integer in [-(2^53 - 1), 2^53 - 1], got 2.5");
    CHECK(
        parse(R"({"trials": [], "pruner": {"name": "median", "params": {"n_startup_trials": -1}}})").error().message ==
        "n_startup_trials must be >= 0, got -1");
    CHECK(parse(R"({"trials": [], "pruner": {"name": "median", "params": {"percentile": 20}}})").error().message ==
          "unknown parameter \"percentile\" for median (expected n_startup_trials, n_warmup_steps, interval_steps, "
          "n_min_trials)");
    CHECK(parse(R"({"trials": [], "pruner": {"name": "percentile"}})").error().field == "percentile");
    CHECK(parse(R"({"trials": [{"values": [1], "steps": [-1]}]})").error().message ==
          "trials[0].steps must be >= 0, got -1");
    CHECK(parse(R"({"trials": [{"values": [1, 2], "steps": [0]}]})").error().field == "trials[0].steps");
    CHECK(parse(R"({"trials": [], "study_name": ""})").error().field == "study_name");
    CHECK(parse(R"({"trials": [], "colour": 1})").error().field == "colour");
    CHECK(parse(R"({"study_name": "s"})").error().field == "trials");
  }
}

TEST_CASE("a study result is written with null for trials not pruned and a reason for each stop", "[study][json]") {
  auto spec = study_of(PrunerKind::Threshold, {TrialSpec{{1, 1}, {}, {}}, TrialSpec{{1, kNaN, 1}, {}, {}}});
  spec.pruner.upper = 2.0;
  const auto result = curvelab::run_study(spec);
  REQUIRE(result.ok());
  const auto j = curvelab::to_json(*result, spec.direction);
  CHECK(j["pruned_at"] == nlohmann::json::parse("[null, 1]"));
  CHECK(j["states"] == nlohmann::json::parse(R"(["COMPLETE", "PRUNED"])"));
  CHECK(j["reasons"][0].is_null());
  CHECK(j["reasons"][1]["rule"] == "threshold_nan");
  CHECK(j["reasons"][1]["value"].is_null());  // NaN is written null
  CHECK(j["reasons"][1]["text"] == "value is NaN at step 1");
  CHECK(j["summary"]["steps_run"] == 4);
}
