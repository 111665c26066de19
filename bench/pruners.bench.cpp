// Speed of the pruners: one study of 100 trials x 1000 steps per pruner (Google Benchmark).
//   build-pruners/curvelab_pruners_bench
// tests/conformance/speed.py runs the same studies through Optuna and reports the ratio.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "curvelab/generator.hpp"
#include "curvelab/json.hpp"
#include "curvelab/run.hpp"
#include "curvelab/study.hpp"

namespace {

// The cohort `curvelab prune --generate 100 --seed 1` uses: true-value curves, 1000 steps.
std::vector<curvelab::TrialSpec> cohort(int trials, int steps) {
  curvelab::GeneratorRanges ranges;
  ranges.steps = curvelab::IntRange{steps, steps};
  std::vector<curvelab::TrialSpec> out;
  for (const auto& config : curvelab::generate_experiments(ranges, trials, 1)) {
    curvelab::Run run(config);
    run.finish();
    const auto v = run.true_values();
    out.push_back(curvelab::TrialSpec{std::vector<double>(v.begin(), v.end()), {}, {}});
  }
  return out;
}

curvelab::PrunerSpec pruner(const std::string& name) {
  auto parsed = curvelab::pruner_from_json(nlohmann::json::parse(name));
  return parsed.value();
}

void run(benchmark::State& state, const std::string& pruner_json) {
  curvelab::StudySpec spec;
  spec.name = "bench";
  spec.direction = curvelab::Direction::Maximize;
  spec.pruner = pruner(pruner_json);
  spec.trials = cohort(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  for (auto _ : state) {
    auto result = curvelab::run_study(spec);
    benchmark::DoNotOptimize(result);
  }
  state.counters["reports_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * static_cast<double>(state.range(0) * state.range(1)),
                         benchmark::Counter::kIsRate);
}

}  // namespace

// The same pruner specs as tests/conformance/speed.py.
BENCHMARK_CAPTURE(run, nop, R"({"name": "nop"})")->Args({100, 1000})->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, median, R"({"name": "median"})")->Args({100, 1000})->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, percentile, R"({"name": "percentile", "params": {"percentile": 25}})")
    ->Args({100, 1000})
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, successive_halving, R"({"name": "successive_halving"})")
    ->Args({100, 1000})
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, hyperband, R"({"name": "hyperband"})")->Args({100, 1000})->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, threshold, R"({"name": "threshold", "params": {"lower": 0.0}})")
    ->Args({100, 1000})
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, patient_median,
                  R"({"name": "patient", "params": {"patience": 10, "wrapped": {"name": "median"}}})")
    ->Args({100, 1000})
    ->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
