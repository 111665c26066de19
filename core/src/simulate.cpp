#include "curvelab/simulate.hpp"

#include <algorithm>
#include <cassert>
#include <cstdlib>
#include <limits>
#include <string_view>
#include <vector>

#include "curvelab/random.hpp"
#include "curvelab/run.hpp"
#include "lane_support.hpp"

#if defined(__wasm_simd128__)
// The batched simulator in WebAssembly's SIMD128. (On x86-64 it is compiled for AVX2 and
// AVX-512 in their own files; SSE2 alone, two lanes without 64-bit comparisons or
// gathers, measured slower than stepping Runs, which a processor without AVX2 does.)
#define CURVELAB_LANES wasm
#include "lane_batch.hpp"
#undef CURVELAB_LANES
#endif

namespace curvelab {

double lanes_finish_normal(std::uint64_t state[4], unsigned layer, double u) {
  Rng rng = Rng::from_state({state[0], state[1], state[2], state[3]});
  const double z = rng.normal_resume(layer, u);
  std::copy(rng.state().begin(), rng.state().end(), state);
  return z;
}

std::uint64_t lanes_finish_below(std::uint64_t state[4], std::uint64_t m, std::uint32_t n) {
  auto low = static_cast<std::uint32_t>(m);
  if (low < n) {
    Rng rng = Rng::from_state({state[0], state[1], state[2], state[3]});
    const std::uint32_t threshold = (0U - n) % n;
    while (low < threshold) {
      m = (rng.next_u64() >> 32U) * n;
      low = static_cast<std::uint32_t>(m);
    }
    std::copy(rng.state().begin(), rng.state().end(), state);
  }
  return m >> 32U;
}

void lanes_start_run(const ExperimentConfig& config, std::uint64_t index, std::span<double> q,
                     std::span<double> estimates, std::uint64_t state[4]) {
  // Run's constructor: the arms' values, then the initial estimates when random.
  Rng rng(derive_seed(config.seed, index));
  for (double& value : q) {
    value = rng.normal(config.bandit.arm_mean, config.bandit.arm_spread);
  }
  std::fill(estimates.begin(), estimates.end(), config.agent.initial_value);
  if (config.agent.initial_spread > 0.0) {
    for (double& estimate : estimates) {
      estimate = rng.normal(config.agent.initial_value, config.agent.initial_spread);
    }
  }
  std::copy(rng.state().begin(), rng.state().end(), state);
}

#if CURVELAB_X86_LANES
namespace avx2 {
void add_batched(const ExperimentConfig& config, int first_run, int runs, RunSums sums);
}
namespace avx512 {
void add_batched(const ExperimentConfig& config, int first_run, int runs, RunSums sums);
}

namespace {
enum class LaneSet { Runs, Avx2, Avx512 };

// The widest instruction set this processor has (Runs without AVX2), or a narrower one
// named by the environment variable CURVELAB_LANES (`avx2`, or `runs` for the Run path):
// for tests and benchmarks; every choice gives the same bits.
LaneSet lane_set() {
  static const LaneSet chosen = [] {
    LaneSet best = LaneSet::Runs;
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")) {
      best = LaneSet::Avx512;
    } else if (__builtin_cpu_supports("avx2")) {
      best = LaneSet::Avx2;
    }
    const char* asked = std::getenv("CURVELAB_LANES");
    const std::string_view name = asked == nullptr ? "" : asked;
    if (name == "runs") {
      return LaneSet::Runs;
    }
    if (name == "avx2" && best == LaneSet::Avx512) {
      return LaneSet::Avx2;
    }
    return best;
  }();
  return chosen;
}
}  // namespace
#endif

namespace {

// Runs stepped one by one: the path without lanes (a processor without AVX2, or
// CURVELAB_LANES=runs; unused in WebAssembly, whose lanes are always there).
[[maybe_unused]] void add_runs(const ExperimentConfig& config, int first_run, int runs, RunSums sums) {
  const auto horizon = static_cast<std::size_t>(config.steps);
  // Batches of runs stepped together: their work overlaps in the processor.
  constexpr int kBatch = 8;
  std::vector<Run> batch;
  batch.reserve(kBatch);
  for (int first = first_run; first < first_run + runs; first += kBatch) {
    batch.clear();
    for (int i = first; i < std::min(first_run + runs, first + kBatch); ++i) {
      ExperimentConfig run_config = config;
      run_config.seed = derive_seed(config.seed, static_cast<std::uint64_t>(i));
      batch.emplace_back(run_config);
    }
    Run::step_together(batch, config.steps);
    for (const Run& run : batch) {
      const auto rewards = run.rewards();
      const auto optimal = run.optimal();
      const auto values = run.true_values();
      for (std::size_t t = 0; t < horizon; ++t) {
        sums.reward[t] += rewards[t];
        sums.optimal[t] += optimal[t];
      }
      for (std::size_t t = 0; sums.value != nullptr && t < horizon; ++t) {
        sums.value[t] += values[t];
      }
    }
  }
}

}  // namespace

void add_run_sums(const ExperimentConfig& config, int first, int count, RunSums sums) {
#if CURVELAB_X86_LANES
  switch (lane_set()) {
    case LaneSet::Avx512:
      // UCB's and the gradient bandit's lanes are proven bit-identical to Run with AVX2;
      // until the same tests have run on an AVX-512 processor, they step with AVX2 there.
      if (config.agent.kind == AgentKind::Ucb || config.agent.kind == AgentKind::Gradient) {
        avx2::add_batched(config, first, count, sums);
      } else {
        avx512::add_batched(config, first, count, sums);
      }
      break;
    case LaneSet::Avx2:
      avx2::add_batched(config, first, count, sums);
      break;
    case LaneSet::Runs:
      add_runs(config, first, count, sums);
      break;
  }
#elif defined(__wasm_simd128__)
  wasm::add_batched(config, first, count, sums);
#else
  add_runs(config, first, count, sums);
#endif
}

AverageCurves simulate_average(const ExperimentConfig& config, int runs) {
  assert(runs >= 1 && runs <= kMaxRuns);
  const auto horizon = static_cast<std::size_t>(config.steps);
  AverageCurves out;
  out.mean_reward.assign(horizon, 0.0);
  out.optimal_share.assign(horizon, 0.0);
  out.mean_true_value.assign(horizon, 0.0);
  add_run_sums(config, 0, runs, RunSums{out.mean_reward.data(), out.optimal_share.data(), out.mean_true_value.data()});
  const double scale = 1.0 / runs;
  for (std::size_t t = 0; t < horizon; ++t) {
    out.mean_reward[t] *= scale;
    out.optimal_share[t] *= scale;
    out.mean_true_value[t] *= scale;
  }
  return out;
}

}  // namespace curvelab
