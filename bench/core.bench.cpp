// Speed of the simulator: agent-steps per second (Google Benchmark).
//   build/curvelab_bench --benchmark_filter=Cohort

#include <benchmark/benchmark.h>

#include <vector>

#include "curvelab/aggregate.hpp"
#include "curvelab/ground_truth.hpp"
#include "curvelab/run.hpp"
#include "curvelab/simulate.hpp"
#include "curvelab/sweep.hpp"

namespace {

// `runs` runs of `config` averaged per step, a new seed each iteration.
void time_cohort(benchmark::State& state, curvelab::ExperimentConfig config, int runs) {
  std::uint64_t seed = 1;
  for (auto _ : state) {
    config.seed = seed++;
    const auto curves = curvelab::simulate_average(config, runs);
    benchmark::DoNotOptimize(curves.mean_reward.data());
  }
  state.counters["agent_steps_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * runs * config.steps, benchmark::Counter::kIsRate);
}

// A cohort of epsilon-greedy runs on the 10-armed testbed, 1000 steps each.
void BM_CohortEpsilonGreedy(benchmark::State& state) {
  curvelab::ExperimentConfig config;
  config.agent.epsilon = 0.1;
  time_cohort(state, config, static_cast<int>(state.range(0)));
}
BENCHMARK(BM_CohortEpsilonGreedy)->Arg(100)->Arg(2000)->Unit(benchmark::kMillisecond);

// The average view: N epsilon-greedy runs on the 10-armed testbed, 1000 steps, averaged
// with their 95% band (the page's "mean of N runs" curve), against simulate_average's
// plain mean of the same runs, measured in the same run of the benchmark.
void BM_AverageWithBand(benchmark::State& state) {
  const int runs = static_cast<int>(state.range(0));
  curvelab::ExperimentConfig config;
  std::uint64_t seed = 1;
  for (auto _ : state) {
    config.seed = seed++;
    curvelab::RunAverager averager(config, {});
    averager.add(runs);
    const auto average = averager.average();
    benchmark::DoNotOptimize(average.reward.upper.data());
  }
  state.counters["agent_steps_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * runs * config.steps, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_AverageWithBand)->Arg(2000)->Unit(benchmark::kMillisecond);

// A cohort of 2000 runs of `agent` on the 10-armed testbed (drifting when walk > 0).
void cohort(benchmark::State& state, const curvelab::AgentConfig& agent, double walk) {
  curvelab::ExperimentConfig config;
  config.agent = agent;
  config.bandit.walk = walk;
  time_cohort(state, config, 2000);
}

curvelab::AgentConfig agent_of(curvelab::AgentKind kind) {
  curvelab::AgentConfig agent;
  agent.kind = kind;
  return agent;
}

curvelab::AgentConfig constant_step(double initial_value, double epsilon) {
  curvelab::AgentConfig agent;
  agent.step_size = 0.1;
  agent.initial_value = initial_value;
  agent.epsilon = epsilon;
  return agent;
}

// Every agent, 2000 runs x 1000 steps each.
BENCHMARK_CAPTURE(cohort, epsilon_greedy_constant_step, constant_step(0.0, 0.1), 0.0)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(cohort, optimistic_greedy, constant_step(5.0, 0.0), 0.0)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(cohort, ucb, agent_of(curvelab::AgentKind::Ucb), 0.0)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(cohort, gradient, agent_of(curvelab::AgentKind::Gradient), 0.0)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(cohort, random, agent_of(curvelab::AgentKind::Random), 0.0)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(cohort, epsilon_greedy_drift, agent_of(curvelab::AgentKind::EpsilonGreedy), 0.01)
    ->Unit(benchmark::kMillisecond);

// The parameter study of Figure 2.6: 4 methods, 25 settings, 2000 runs of 1000 steps.
void BM_ParameterStudy(benchmark::State& state) {
  curvelab::SweepConfig config;
  config.runs = static_cast<int>(state.range(0));
  for (auto _ : state) {
    const auto results = curvelab::run_sweep(config);
    benchmark::DoNotOptimize(results.data());
  }
}
BENCHMARK(BM_ParameterStudy)->Arg(2000)->Unit(benchmark::kSecond)->Iterations(1);

// One run stepped alone, as the page steps it. Construction (allocating and first
// touching the records, which page faults dominate on a VM) is left out of the timing.
void BM_SingleRunSteps(benchmark::State& state) {
  curvelab::ExperimentConfig config;
  config.bandit.arms = static_cast<int>(state.range(0));
  config.steps = 100'000;
  for (auto _ : state) {
    state.PauseTiming();
    curvelab::Run run(config);
    state.ResumeTiming();
    run.finish();
    benchmark::DoNotOptimize(run.rewards().data());
  }
  state.counters["agent_steps_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * config.steps, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SingleRunSteps)->Arg(10)->Arg(100)->Unit(benchmark::kMillisecond);

// Ground truth of one 1000-step run.
void BM_RunTruth(benchmark::State& state) {
  curvelab::ExperimentConfig config;
  curvelab::Run run(config);
  run.finish();
  for (auto _ : state) {
    const auto truth = curvelab::run_truth(run.true_values(), run.rewards(), run.baseline(), run.best_possible());
    benchmark::DoNotOptimize(truth.final_performance);
  }
}
BENCHMARK(BM_RunTruth);

}  // namespace

BENCHMARK_MAIN();
