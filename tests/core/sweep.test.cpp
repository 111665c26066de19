// The parameter study computed in slices, and a pruner cutting it.

#include <catch2/catch.hpp>

#include <vector>

#include "curvelab/json.hpp"
#include "curvelab/sweep.hpp"

using curvelab::SweepMethod;
using curvelab::SweepResult;

namespace {
curvelab::SweepConfig small_study() {
  curvelab::SweepConfig config;
  config.runs = 21;  // not a multiple of the slices below, nor of the core's batches
  config.steps = 60;
  config.seed = 5;
  return config;
}

SweepResult setting(SweepMethod method, int log2, std::vector<double> curve) {
  SweepResult r;
  r.point.method = method;
  r.point.log2 = log2;
  r.point.value = 1.0;
  double sum = 0.0;
  for (const double v : curve) {
    sum += v;
  }
  r.average_reward = sum / static_cast<double>(curve.size());
  r.mean_reward = std::move(curve);
  return r;
}

curvelab::PrunerSpec threshold_below(double lower) {
  curvelab::PrunerSpec spec = curvelab::default_pruner_spec(curvelab::PrunerKind::Threshold);
  spec.lower = lower;
  return spec;
}
}  // namespace

TEST_CASE("the parameter study computed a few runs at a time equals the whole study bit for bit", "[sweep]") {
  const curvelab::SweepConfig config = small_study();
  const std::vector<SweepResult> whole = curvelab::run_sweep(config);
  curvelab::SweepRunner runner(config);
  REQUIRE(runner.points().size() == whole.size());
  double progress = runner.progress();
  CHECK(progress == 0.0);
  int calls = 0;
  while (!runner.done()) {
    const int ran = runner.advance(4);
    CHECK(ran >= 1);
    CHECK(ran <= 4);
    CHECK(runner.progress() > progress);
    progress = runner.progress();
    ++calls;
  }
  // 21 runs in slices of 4: 6 calls per setting (a slice never spans two settings).
  CHECK(calls == 6 * static_cast<int>(whole.size()));
  CHECK(runner.progress() == 1.0);
  CHECK(runner.advance(4) == 0);
  REQUIRE(runner.results().size() == whole.size());
  for (std::size_t i = 0; i < whole.size(); ++i) {
    INFO(i);
    CHECK(runner.results()[i].average_reward == whole[i].average_reward);
    CHECK(runner.results()[i].optimal_share == whole[i].optimal_share);
    CHECK(runner.results()[i].mean_reward == whole[i].mean_reward);
    CHECK(runner.results()[i].point.log2 == whole[i].point.log2);
  }
  // The curve kept per setting is the one whose mean is the setting's average reward.
  double sum = 0.0;
  for (const double v : whole[3].mean_reward) {
    sum += v;
  }
  CHECK(sum / config.steps == Approx(whole[3].average_reward).epsilon(1e-12));
}

TEST_CASE("a pruner that stops the poor settings at once saves their steps and keeps the best", "[sweep]") {
  const std::vector<SweepResult> results{
      setting(SweepMethod::EpsilonGreedy, -3, {1, 1, 1, 1}), setting(SweepMethod::EpsilonGreedy, -2, {2, 2, 2, 2}),
      setting(SweepMethod::EpsilonGreedy, -1, {3, 3, 3, 3}), setting(SweepMethod::Ucb, 0, {4, 4, 4, 4})};
  const auto study = curvelab::prune_sweep(results, threshold_below(2.5), 10);
  REQUIRE(study);
  REQUIRE(study->methods.size() == 2);
  const auto& eps = study->methods[0];
  CHECK(eps.method == SweepMethod::EpsilonGreedy);
  // Settings 1 and 2 report once (step 0) and stop: 1 + 1 + 4 reports, then UCB's 4.
  CHECK(eps.study.trials[0].pruned_at == 0);
  CHECK(eps.study.trials[1].pruned_at == 0);
  CHECK(!eps.study.trials[2].pruned_at);
  CHECK(study->agent_steps_total == 16 * 10);
  CHECK(study->agent_steps_run == 10 * 10);
  CHECK(study->share_saved == Approx(6.0 / 16.0));
  CHECK(eps.best.point.log2 == -1);
  REQUIRE(eps.best_kept);
  CHECK(eps.best_kept->point.log2 == -1);
  CHECK(eps.found_best);
  CHECK(study->methods[1].found_best);
  CHECK(study->found_every_best);
}

TEST_CASE("a pruner that stops a late bloomer loses the best parameter, and says so", "[sweep]") {
  // The best setting earns nothing for three steps, then 8: a threshold of 0.5 cuts it at step 0.
  const std::vector<SweepResult> results{setting(SweepMethod::Gradient, -1, {1, 1, 1, 1}),
                                         setting(SweepMethod::Gradient, 0, {0, 0, 0, 8})};
  const auto study = curvelab::prune_sweep(results, threshold_below(0.5), 3);
  REQUIRE(study);
  const auto& gradient = study->methods.at(0);
  CHECK(gradient.best.point.log2 == 0);
  REQUIRE(gradient.best_kept);
  CHECK(gradient.best_kept->point.log2 == -1);
  CHECK_FALSE(gradient.found_best);
  CHECK_FALSE(study->found_every_best);
  CHECK(study->share_saved == Approx(3.0 / 8.0));
  const nlohmann::json j = curvelab::to_json(*study);
  CHECK(j["methods"][0]["method"] == "gradient");
  CHECK(j["methods"][0]["parameter"] == "alpha");
  CHECK(j["methods"][0]["found_best"] == false);
  CHECK(j["methods"][0]["best"]["log2"] == 0);
  CHECK(j["methods"][0]["best_kept"]["log2"] == -1);
  CHECK(j["methods"][0]["study"]["pruned_at"] == nlohmann::json::array({nullptr, 0}));
  CHECK(j["agent_steps_run"] == 15);
}

TEST_CASE("the nop pruner runs the whole parameter study and finds every best", "[sweep]") {
  const curvelab::SweepConfig config = small_study();
  const auto results = curvelab::run_sweep(config);
  const auto study =
      curvelab::prune_sweep(results, curvelab::default_pruner_spec(curvelab::PrunerKind::Nop), config.runs);
  REQUIRE(study);
  CHECK(study->methods.size() == 4);
  CHECK(study->share_saved == 0.0);
  CHECK(study->agent_steps_total == 25LL * config.steps * config.runs);
  CHECK(study->agent_steps_run == study->agent_steps_total);
  CHECK(study->found_every_best);
  for (const auto& m : study->methods) {
    CHECK(m.best.point.log2 == curvelab::best_of(results, m.method)->point.log2);
  }
}

TEST_CASE("a pruner Optuna refuses is refused for the parameter study", "[sweep]") {
  curvelab::PrunerSpec bad = curvelab::default_pruner_spec(curvelab::PrunerKind::Percentile);
  bad.percentile = 150;
  const auto study = curvelab::prune_sweep({setting(SweepMethod::Ucb, 0, {1, 2})}, bad, 1);
  REQUIRE_FALSE(study);
  CHECK(study.error().field == "percentile");
}
