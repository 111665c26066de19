#include "curvelab/pruner_benchmark.hpp"

#include <cmath>

#include "curvelab/generator.hpp"
#include "curvelab/ground_truth.hpp"
#include "curvelab/random.hpp"
#include "curvelab/run.hpp"
#include "curvelab/smoothing.hpp"

namespace curvelab {

std::vector<BenchmarkPruner> benchmark_pruners() {
  std::vector<BenchmarkPruner> out;
  out.push_back({"nop", default_pruner_spec(PrunerKind::Nop)});
  out.push_back({"median", default_pruner_spec(PrunerKind::Median)});
  PrunerSpec warm = default_pruner_spec(PrunerKind::Median);
  warm.n_warmup_steps = 100;
  out.push_back({"median n_warmup_steps=100", warm});
  out.push_back({"successive_halving", default_pruner_spec(PrunerKind::SuccessiveHalving)});
  out.push_back({"hyperband", default_pruner_spec(PrunerKind::Hyperband)});
  out.push_back({"extrapolation", default_pruner_spec(PrunerKind::Extrapolation)});
  PrunerSpec strict = default_pruner_spec(PrunerKind::Extrapolation);
  strict.p = 0.01;
  out.push_back({"extrapolation p=0.01", strict});
  return out;
}

std::vector<BenchmarkPruner> race_preset_pruners() {
  PrunerSpec median = default_pruner_spec(PrunerKind::Median);
  median.n_warmup_steps = 200;
  PrunerSpec halving = default_pruner_spec(PrunerKind::SuccessiveHalving);
  halving.min_resource = Resource{false, 50};
  PrunerSpec hyperband = default_pruner_spec(PrunerKind::Hyperband);
  hyperband.min_resource = Resource{false, 50};
  std::vector<BenchmarkPruner> out{{"median n_warmup_steps=200", median},
                                   {"successive_halving min_resource=50", halving},
                                   {"hyperband min_resource=50", hyperband}};
  for (BenchmarkPruner& p : benchmark_pruners()) {
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<StudySpec> generated_studies(int count, int trials, int steps, std::uint64_t seed) {
  GeneratorRanges ranges;
  ranges.steps = IntRange{steps, steps};
  std::vector<StudySpec> studies;
  studies.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    StudySpec spec;
    spec.name = "generated-" + std::to_string(i);
    spec.direction = Direction::Maximize;
    for (const ExperimentConfig& config :
         generate_experiments(ranges, trials, derive_seed(seed, static_cast<std::uint64_t>(i)))) {
      Run run(config);
      run.finish();
      spec.trials.push_back(TrialSpec{std::vector<double>(run.true_values().begin(), run.true_values().end()), {}, {}});
    }
    studies.push_back(std::move(spec));
  }
  return studies;
}

StudySpec race_preset_study() {
  StudySpec spec;
  spec.name = "curvelab-playground";
  spec.direction = Direction::Maximize;
  ExperimentConfig base;
  base.steps = 2000;
  base.seed = 47;
  const double epsilons[] = {0.0, 0.01, 0.1, 0.5, 1.0};
  for (int i = 0; i < 10; ++i) {
    ExperimentConfig config = base;
    config.agent.epsilon = epsilons[i % 5];
    config.seed = derive_seed(base.seed, static_cast<std::uint64_t>(i / 5));
    Run run(config);
    run.finish();
    const RunTruth truth = run_truth(run.true_values(), run.rewards(), run.baseline(), run.best_possible());
    spec.trials.push_back(TrialSpec{ema_debiased(run.rewards(), 0.98), {}, truth.final_performance});
  }
  return spec;
}

Expected<std::vector<PrunerBenchmarkRow>> benchmark(const std::vector<StudySpec>& studies,
                                                    const std::vector<BenchmarkPruner>& pruners) {
  std::vector<PrunerBenchmarkRow> rows;
  for (const BenchmarkPruner& pruner : pruners) {
    PrunerBenchmarkRow row;
    row.name = pruner.name;
    for (const StudySpec& study : studies) {
      StudySpec spec = study;
      spec.pruner = pruner.spec;
      auto result = run_study(spec);
      if (!result) {
        return Error{pruner.name + "." + result.error().field, pruner.name + ": " + result.error().message};
      }
      const StudySummary& s = result->summary;
      ++row.studies;
      row.auc += std::isnan(s.auc) ? 0.0 : s.auc;
      row.share_saved += s.share_saved;
      row.best_kept += s.best_trial_completed ? 1.0 : 0.0;
      row.regret += std::isnan(s.regret) ? 0.0 : s.regret;
      row.false_stops += s.false_stops;
    }
    if (row.studies > 0) {
      const double n = row.studies;
      row.auc /= n;
      row.share_saved /= n;
      row.best_kept /= n;
      row.regret /= n;
      row.false_stops /= n;
    }
    rows.push_back(row);
  }
  return rows;
}

}  // namespace curvelab
