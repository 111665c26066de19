// curvelab bench: a quick measure of the simulator's speed on this machine. The full
// benchmarks are Google Benchmark programs (build/curvelab_bench, build/curvelab_pruners_bench).

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "commands.hpp"
#include "curvelab/simulate.hpp"

namespace curvelab::cli {
namespace {
constexpr const char* kHelp = R"(usage: curvelab bench [--runs N] [--steps N] [--repeat N]

Times Sutton and Barto's testbed (10 arms, epsilon 0.1) over --runs runs of --steps
steps, --repeat times, and prints the best rate in agent-steps per second (one core).

options:
  --runs N     1..100000 (default 2000)
  --steps N    1..1000000 (default 1000)
  --repeat N   1..100 (default 5)
)";
}  // namespace

int run_bench(Args& args, std::ostream& out) {
  if (args.wants_help()) {
    out << kHelp;
    return 0;
  }
  ExperimentConfig config;
  const int runs = args.integer("runs", 2000, 1, kMaxRuns);
  config.steps = args.integer("steps", 1000, 1, kMaxSteps);
  const int repeat = args.integer("repeat", 5, 1, 100);
  args.finish();
  double best = 0.0;
  for (int r = 0; r < repeat; ++r) {
    config.seed = static_cast<std::uint64_t>(r) + 1;
    const auto start = std::chrono::steady_clock::now();
    const AverageCurves curves = simulate_average(config, runs);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    if (curves.mean_reward.empty()) {
      return 1;
    }
    best = std::max(best, static_cast<double>(runs) * config.steps / elapsed.count());
  }
  char line[160];
  std::snprintf(line, sizeof line,
                "%.1f million agent-steps per second (epsilon-greedy, 10 arms, %d runs x %d steps, best of %d)\n",
                best / 1e6, runs, config.steps, repeat);
  out << line;
  return 0;
}

}  // namespace curvelab::cli
