// Speed of the learning-curve model (Google Benchmark): 20 runs x 1,000 steps of the
// 10-armed testbed, each run's observed rewards fitted once and its final forecast.
//   build/curvelab_curve_bench
// tests/web/bench-curve-wasm.mjs times the same work in WebAssembly.
// Also the cost of the curve reader on a board: per kind, one item's `item_board` (ground
// truth's rows, every pruner, the curve model, the references) and the curve model's part
// of it (`read_item` on what the item shows).
//   build/curvelab_curve_bench --benchmark_filter='board|reader'

#include <benchmark/benchmark.h>

#include <vector>

#include "curvelab/curve_model.hpp"
#include "curvelab/curve_reader.hpp"
#include "curvelab/quiz.hpp"
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

struct BoardInput {
  curvelab::QuizItem item;
  curvelab::QuizTruth truth;
};

// Four items of one kind (seed 1), with their truth: what a board is built from.
std::vector<BoardInput> board_inputs(curvelab::QuizKind kind) {
  std::vector<BoardInput> out;
  for (int index = 0; index < 4; ++index) {
    BoardInput b{curvelab::make_quiz_item(kind, 1, index), {}};
    b.truth = curvelab::quiz_truth(b.item, curvelab::run_item(b.item));
    out.push_back(std::move(b));
  }
  return out;
}

void board_per_item(benchmark::State& state) {
  const auto kind = curvelab::kAllQuizKinds[state.range(0)];
  const auto inputs = board_inputs(kind);
  for (auto _ : state) {
    for (const BoardInput& b : inputs) {
      benchmark::DoNotOptimize(curvelab::item_board(b.item, b.truth));
    }
  }
  state.SetLabel(std::string(curvelab::quiz_kind_name(kind)));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(inputs.size()));
}
BENCHMARK(board_per_item)->DenseRange(0, 7)->Unit(benchmark::kMillisecond);

void reader_per_item(benchmark::State& state) {
  const auto kind = curvelab::kAllQuizKinds[state.range(0)];
  const auto inputs = board_inputs(kind);
  std::vector<curvelab::ShownItem> shown;
  for (const BoardInput& b : inputs) {
    shown.push_back(curvelab::shown_item(b.item, b.truth.shown));
  }
  for (auto _ : state) {
    for (const curvelab::ShownItem& s : shown) {
      benchmark::DoNotOptimize(curvelab::read_item(s));
    }
  }
  state.SetLabel(std::string(curvelab::quiz_kind_name(kind)));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(shown.size()));
}
BENCHMARK(reader_per_item)->DenseRange(0, 7)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
