// Speed of the learning-curve model (Google Benchmark): 20 runs x 1,000 steps of the
// 10-armed testbed, each run's observed rewards fitted once and its final forecast.
//   build/curvelab_curve_bench
// tests/web/bench-curve-wasm.mjs times the same work in WebAssembly.

#include <benchmark/benchmark.h>

#include <vector>

#include "curvelab/curve_model.hpp"
#include "curvelab/run.hpp"

namespace {

std::vector<std::vector<double>> testbed_rewards(int runs, int steps) {
  std::vector<std::vector<double>> out;
  for (int i = 0; i < runs; ++i) {
    curvelab::ExperimentConfig config;
    config.steps = steps;
    config.seed = static_cast<std::uint64_t>(i) + 1;
    curvelab::Run run(config);
    run.finish();
    out.emplace_back(run.rewards().begin(), run.rewards().end());
  }
  return out;
}

void fit_twenty_runs(benchmark::State& state) {
  const auto curves = testbed_rewards(20, static_cast<int>(state.range(0)));
  for (auto _ : state) {
    double sum = 0.0;
    for (const auto& c : curves) {
      const auto model = curvelab::fit_curve(c);
      sum += model->final_performance(2.0 * static_cast<double>(c.size())).quantile(0.9);
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * 20);
}
BENCHMARK(fit_twenty_runs)->Arg(1000)->Arg(100)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
