// The extrapolation pruner: Domhan's rule on studies whose answer is clear by
// construction, its warm-up and interval, its parameters' refusals, and its reasons.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "curvelab/extrapolation_pruner.hpp"
#include "curvelab/json.hpp"
#include "curvelab/pruners.hpp"
#include "curvelab/study.hpp"

using curvelab::Direction;
using curvelab::PrunerKind;
using curvelab::PrunerSpec;
using curvelab::PruneRule;
using curvelab::StudySpec;
using curvelab::TrialSpec;
using curvelab::TrialState;

namespace {

// A rising curve c - a exp(-rate t) at steps 0..n-1, with a small deterministic wiggle.
std::vector<double> rising(double c, double a, double rate, int n) {
  std::vector<double> v;
  for (int t = 0; t < n; ++t) {
    v.push_back(c - a * std::exp(-rate * t) + 0.01 * std::sin(1.7 * t));
  }
  return v;
}

PrunerSpec extrapolation() { return curvelab::default_pruner_spec(PrunerKind::Extrapolation); }

curvelab::StudyResult run(const PrunerSpec& pruner, std::vector<std::vector<double>> curves,
                          Direction direction = Direction::Maximize, const std::string& name = "x") {
  StudySpec spec;
  spec.name = name;
  spec.direction = direction;
  spec.pruner = pruner;
  for (auto& c : curves) {
    spec.trials.push_back(TrialSpec{std::move(c), {}, std::nullopt});
  }
  auto result = curvelab::run_study(spec);
  REQUIRE(result.ok());
  return result.value();
}

std::vector<double> negated(std::vector<double> v) {
  for (double& x : v) {
    x = -x;
  }
  return v;
}

}  // namespace

TEST_CASE("the extrapolation pruner stops a trial that cannot catch the best and keeps one that can",
          "[extrapolation]") {
  const auto best = rising(1.0, 0.8, 0.01, 1000);
  const auto poor = rising(0.3, 0.1, 0.02, 1000);
  const auto twin = rising(1.0, 0.8, 0.01, 1000);
  const auto r = run(extrapolation(), {best, poor, twin});
  CHECK(r.trials[0].state == TrialState::Complete);
  REQUIRE(r.trials[1].state == TrialState::Pruned);
  CHECK(r.trials[1].pruned_at == 100);  // the first check: n_warmup_steps = 100
  CHECK(r.trials[2].state == TrialState::Complete);
  const auto& reason = *r.trials[1].reason;
  CHECK(reason.pruner == PrunerKind::Extrapolation);
  CHECK(reason.rule == PruneRule::UnlikelyToBeatBest);
  CHECK(reason.value == Approx(0.3).margin(0.05));
  CHECK(reason.lower < reason.value);
  CHECK(reason.upper > reason.value);
  CHECK(reason.upper < reason.cutoff);
  CHECK(reason.probability < 0.05);
  CHECK(reason.p == 0.05);
  CHECK(reason.horizon == 1000);
  CHECK(reason.compared_with == 1);
  // The best completed final is the mean of its last 10% of values.
  double tail = 0.0;
  for (int t = 900; t < 1000; ++t) {
    tail += best[static_cast<std::size_t>(t)] / 100.0;
  }
  CHECK(reason.cutoff == Approx(tail).epsilon(1e-12));
  CHECK(r.summary.best_trial_completed);
}

TEST_CASE("the extrapolation pruner mirrors its rule when minimizing", "[extrapolation]") {
  const auto r = run(extrapolation(), {negated(rising(1.0, 0.8, 0.01, 1000)), negated(rising(0.3, 0.1, 0.02, 1000))},
                     Direction::Minimize);
  REQUIRE(r.trials[1].state == TrialState::Pruned);
  CHECK(r.trials[1].reason->value == Approx(-0.3).margin(0.05));
  CHECK(r.trials[1].reason->lower > r.trials[1].reason->cutoff);
}

TEST_CASE("the extrapolation pruner waits for startup trials, the warm-up and the interval", "[extrapolation]") {
  const auto best = rising(1.0, 0.8, 0.01, 1000);
  SECTION("no completed trial: never") {
    const auto r = run(extrapolation(), {rising(0.3, 0.1, 0.02, 1000)});
    CHECK(r.trials[0].state == TrialState::Complete);
  }
  SECTION("n_startup_trials = 2 with one completed: never") {
    PrunerSpec p = extrapolation();
    p.n_startup_trials = 2;
    const auto r = run(p, {best, rising(0.3, 0.1, 0.02, 1000)});
    CHECK(r.trials[1].state == TrialState::Complete);
  }
  SECTION("checks at the first report at or after warmup + k * interval") {
    // Reports every 7 steps: the first at or after 150 is at 154.
    PrunerSpec p = extrapolation();
    p.n_warmup_steps = 150;
    p.interval_steps = 100;
    StudySpec spec;
    spec.name = std::string("gaps");
    spec.direction = Direction::Maximize;
    spec.pruner = p;
    spec.trials.push_back(TrialSpec{best, {}, std::nullopt});
    TrialSpec poor;
    for (int k = 0; k * 7 < 1000; ++k) {
      poor.steps.push_back(k * 7);
      poor.values.push_back(0.3 - 0.1 * std::exp(-0.14 * k));
    }
    spec.trials.push_back(poor);
    const auto r = curvelab::run_study(spec);
    REQUIRE(r.ok());
    REQUIRE(r->trials[1].state == TrialState::Pruned);
    CHECK(r->trials[1].pruned_at == 154);
  }
  SECTION("a warm-up longer than the trials: never") {
    PrunerSpec p = extrapolation();
    p.n_warmup_steps = 1000;
    const auto r = run(p, {best, rising(0.3, 0.1, 0.02, 1000)});
    CHECK(r.trials[1].state == TrialState::Complete);
  }
  SECTION("a trial whose values are all NaN is stopped at the first check") {
    const auto r = run(extrapolation(), {best, std::vector<double>(300, NAN)});
    REQUIRE(r.trials[1].state == TrialState::Pruned);
    CHECK(r.trials[1].reason->rule == PruneRule::AllValuesNan);
    CHECK(r.trials[1].pruned_at == 100);
  }
}

TEST_CASE("a fixed horizon is where the final is predicted", "[extrapolation]") {
  // A slow riser that is behind at step 100 but would pass the best by step 5000.
  const auto best = rising(0.8, 0.6, 0.05, 1000);
  const auto slow = rising(1.5, 1.3, 0.002, 1000);
  const auto at_auto = run(extrapolation(), {best, slow});
  PrunerSpec p = extrapolation();
  p.horizon = curvelab::Resource{false, 5000};
  const auto at_5000 = run(p, {best, slow});
  CHECK(at_5000.trials[1].state == TrialState::Complete);
  if (at_auto.trials[1].reason) {
    CHECK(at_auto.trials[1].reason->horizon == 1000);
  }
}

TEST_CASE("the extrapolation pruner's parameters are refused as Optuna refuses its own", "[extrapolation]") {
  PrunerSpec p = extrapolation();
  CHECK_FALSE(curvelab::validate(p).has_value());
  p.p = 0.0;
  CHECK(curvelab::validate(p)->message == "p must be in (0, 1), got 0");
  p.p = 1.0;
  CHECK(curvelab::validate(p)->field == "p");
  p.p = NAN;
  CHECK(curvelab::validate(p)->message == "p must be in (0, 1), got nan");
  p = extrapolation();
  p.interval_steps = 0;
  CHECK(curvelab::validate(p)->message == "interval_steps must be >= 1, got 0");
  p = extrapolation();
  p.n_warmup_steps = -1;
  CHECK(curvelab::validate(p)->field == "n_warmup_steps");
  p = extrapolation();
  p.n_startup_trials = -1;
  CHECK(curvelab::validate(p)->field == "n_startup_trials");
  p = extrapolation();
  p.horizon = curvelab::Resource{false, 0};
  CHECK(curvelab::validate(p)->message == "horizon must be \"auto\" or >= 1, got 0");
  p = extrapolation();
  p.max_checks = 0;
  CHECK(curvelab::validate(p)->message == "max_checks must be >= 1, got 0");
}

TEST_CASE("the extrapolation pruner's interval grows so that a trial has at most max_checks checks",
          "[extrapolation]") {
  PrunerSpec p = extrapolation();
  REQUIRE(p.interval_steps == 10);
  REQUIRE(p.max_checks == 200);
  CHECK(curvelab::check_interval(p, 1000) == 10);  // 1000 / 200 = 5: the interval stands
  CHECK(curvelab::check_interval(p, 2000) == 10);
  CHECK(curvelab::check_interval(p, 2001) == 11);  // ceil(2001 / 200)
  CHECK(curvelab::check_interval(p, 100000) == 500);
  p.max_checks = 1;
  CHECK(curvelab::check_interval(p, 777) == 777);
  p.interval_steps = 1000;
  CHECK(curvelab::check_interval(p, 777) == 1000);

  // A study of 20,000-step trials is checked every 20,000 / 200 = 100 steps, not every 10.
  PrunerSpec spread = extrapolation();
  const auto r = run(spread, {rising(1.0, 0.8, 0.0005, 20000), rising(0.3, 0.1, 0.001, 20000)});
  REQUIRE(r.trials[1].state == TrialState::Pruned);
  REQUIRE(r.trials[1].pruned_at.has_value());
  CHECK((*r.trials[1].pruned_at - spread.n_warmup_steps) % 100 == 0);
}

TEST_CASE("the extrapolation pruner reads and writes its JSON", "[extrapolation]") {
  using nlohmann::json;
  auto spec = curvelab::pruner_from_json(
      json::parse(R"({"name": "extrapolation", "params": {"p": 0.1, "n_warmup_steps": 20, "horizon": 2000}})"));
  REQUIRE(spec.ok());
  CHECK(spec->kind == PrunerKind::Extrapolation);
  CHECK(spec->p == 0.1);
  CHECK(spec->n_warmup_steps == 20);
  CHECK(spec->interval_steps == 10);
  CHECK(spec->n_startup_trials == 1);
  CHECK_FALSE(spec->horizon.automatic);
  CHECK(spec->horizon.value == 2000);
  CHECK(curvelab::to_json(*spec) == json::parse(R"({"name": "extrapolation", "params": {"p": 0.1, "n_startup_trials": 1,
                        "n_warmup_steps": 20, "interval_steps": 10, "horizon": 2000, "max_checks": 200}})"));
  auto bad = curvelab::pruner_from_json(json::parse(R"({"name": "extrapolation", "params": {"percentile": 5}})"));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message ==
        "unknown parameter \"percentile\" for extrapolation (expected p, n_startup_trials, n_warmup_steps, "
        "interval_steps, horizon, max_checks)");
  bad = curvelab::pruner_from_json(json::parse(R"({"name": "extrapolation", "params": {"interval_steps": 1.5}})"));
  CHECK(bad.error().field == "interval_steps");

  const auto r = run(extrapolation(), {rising(1.0, 0.8, 0.01, 1000), rising(0.3, 0.1, 0.02, 1000)});
  const json reason = curvelab::to_json(*r.trials[1].reason, Direction::Maximize);
  CHECK(reason["rule"] == "unlikely_to_beat_best");
  CHECK(reason["pruner"] == "extrapolation");
  for (const char* key : {"predicted", "lower", "upper", "interval", "best", "probability", "p", "horizon"}) {
    CHECK(reason.contains(key));
  }
  CHECK(reason["interval"].get<double>() == Approx(0.9));
  const std::string text = reason["text"];
  CHECK(text.rfind("predicted final 0.", 0) == 0);
  CHECK(text.find("90% interval") != std::string::npos);
  CHECK(text.find("beats the best completed final") != std::string::npos);
}

TEST_CASE("a completed trial's final is the mean of its last tenth of reports", "[extrapolation]") {
  std::vector<curvelab::Report> reports;
  for (int t = 0; t < 20; ++t) {
    reports.push_back({t, static_cast<double>(t)});
  }
  CHECK(curvelab::reported_final(reports) == 18.5);  // mean of 18 and 19
  reports.back().value = NAN;
  CHECK(curvelab::reported_final(reports) == 18.0);
  CHECK(std::isnan(curvelab::reported_final({})));
}

TEST_CASE("the continuation past a stop is the fitted curve with its band, from the stop to the horizon",
          "[extrapolation]") {
  // 300 steps of 1 - 0.8 exp(-0.01 t), continued to 1000: the curve nears 1.
  const auto values = rising(1.0, 0.8, 0.01, 300);
  std::vector<curvelab::Report> reports;
  for (int t = 0; t < 300; ++t) {
    reports.push_back(curvelab::Report{t, values[static_cast<std::size_t>(t)]});
  }
  const auto c = curvelab::predict_trial_continuation(reports, 1000, 0.05, 50);
  REQUIRE(c);
  REQUIRE(c->steps.size() == 50);
  CHECK(c->steps.front() == 299);  // from the last report
  CHECK(c->steps.back() == 999);   // to the horizon's last step
  for (std::size_t i = 0; i < c->steps.size(); ++i) {
    INFO("step " << c->steps[i]);
    if (i > 0) {
      CHECK(c->steps[i] > c->steps[i - 1]);
    }
    CHECK(c->lower[i] < c->mean[i]);
    CHECK(c->mean[i] < c->upper[i]);
    const double truth = 1.0 - 0.8 * std::exp(-0.01 * static_cast<double>(c->steps[i]));
    CHECK(c->mean[i] == Approx(truth).margin(0.03));
    CHECK(c->lower[i] <= truth);
    CHECK(truth <= c->upper[i]);
  }
  // The band widens the farther it reaches past the data.
  CHECK(c->upper.back() - c->lower.back() > c->upper.front() - c->lower.front());
  // The same fit as the stop's forecast: the continuation's last tenth averages to its predicted final.
  const auto final = curvelab::predict_trial_final(reports, 1000);
  REQUIRE(final);
  double tail = 0.0;
  int n = 0;
  for (std::size_t i = 0; i < c->steps.size(); ++i) {
    if (c->steps[i] >= 900) {
      tail += c->mean[i];
      ++n;
    }
  }
  CHECK(tail / n == Approx(final->mean()).margin(1e-3));
  SECTION("a horizon right after the stop gives two points; refusals name the field") {
    const auto short_one = curvelab::predict_trial_continuation(reports, 301, 0.05, 50);
    REQUIRE(short_one);
    CHECK(short_one->steps == std::vector<std::int64_t>{299, 300});
    CHECK(curvelab::predict_trial_continuation(reports, 300, 0.05, 50).error().field == "horizon");
    CHECK(curvelab::predict_trial_continuation(reports, 1000, 0.5, 50).error().field == "p");
    CHECK(curvelab::predict_trial_continuation(reports, 1000, 0.0, 50).error().field == "p");
    CHECK(curvelab::predict_trial_continuation(reports, 1000, 0.05, 1).error().field == "points");
    CHECK(curvelab::predict_trial_continuation(reports, 1000, 0.05, 1001).error().field == "points");
    CHECK_FALSE(curvelab::predict_trial_continuation({}, 1000, 0.05, 50));
  }
}
