// curvelab prune-bench: Optuna's pruners and the extrapolation pruner side by side on the
// same studies (the generator's and the playground's pruner race).

#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "curvelab/json.hpp"
#include "curvelab/pruner_benchmark.hpp"

namespace curvelab::cli {
namespace {
using nlohmann::json;

constexpr const char* kHelp =
    R"(usage: curvelab prune-bench [--studies N] [--trials N] [--steps N] [--seed S] [--format markdown|json]

Runs nop, median (default and with a 100-step warm-up), successive halving, Hyperband
(Optuna's defaults) and curvelab's extrapolation pruner (p 0.05 and 0.01) on --studies
generated studies and on the playground's "pruner race" preset (there also with the
preset's own three pruners), and prints, per pruner,
the means over the studies of kurobako's AUC, the share of steps saved, the share of
studies whose best trial was kept, the regret and the false stops.

Generated study i: the generator's experiments 0 .. trials - 1 from seed
derive_seed(S, i), each trial reporting its run's true-value curve, maximized.

options:
  --studies N   1..100000 (default 500)
  --trials N    trials per study, 2..1000 (default 20)
  --steps N     steps per trial, 10..100000 (default 1000)
  --seed S      integer in [0, 2^53 - 1] (default 1)
  --format F    markdown (default) or json
)";

std::string fixed(double value, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  return buffer;
}

json to_json(const std::vector<PrunerBenchmarkRow>& rows) {
  json out = json::array();
  for (const PrunerBenchmarkRow& r : rows) {
    out.push_back(json{{"pruner", r.name},
                       {"studies", r.studies},
                       {"auc", number_to_json(r.auc)},
                       {"share_saved", number_to_json(r.share_saved)},
                       {"best_kept", number_to_json(r.best_kept)},
                       {"regret", number_to_json(r.regret)},
                       {"false_stops", number_to_json(r.false_stops)}});
  }
  return out;
}

void markdown(const std::string& title, const std::vector<PrunerBenchmarkRow>& rows, std::ostream& out) {
  out << title << "\n\n"
      << "| pruner | AUC | steps saved | best kept | regret | false stops |\n"
      << "|---|---:|---:|---:|---:|---:|\n";
  for (const PrunerBenchmarkRow& r : rows) {
    out << "| " << r.name << " | " << fixed(r.auc, 4) << " | " << fixed(100.0 * r.share_saved, 1) << "% | "
        << fixed(100.0 * r.best_kept, 1) << "% | " << fixed(r.regret, 4) << " | " << fixed(r.false_stops, 2) << " |\n";
  }
}
}  // namespace

int run_prune_bench(Args& args, std::ostream& out) {
  if (args.wants_help()) {
    out << kHelp;
    return 0;
  }
  const int studies = args.integer("studies", 500, 1, 100'000);
  const int trials = args.integer("trials", 20, 2, 1000);
  const int steps = args.integer("steps", 1000, 10, 100'000);
  const std::uint64_t seed = args.seed("seed", 1);
  const std::string format = args.choice("format", {"markdown", "json"});
  args.finish();
  const auto pruners = benchmark_pruners();
  auto generated = benchmark(generated_studies(studies, trials, steps, seed), pruners);
  auto race = benchmark({race_preset_study()}, race_preset_pruners());
  if (!generated || !race) {
    throw CliError(generated ? race.error().message : generated.error().message);
  }
  if (format == "json") {
    out << json{{"generated", to_json(*generated)}, {"race_preset", to_json(*race)}}.dump(2) << "\n";
    return 0;
  }
  markdown(std::to_string(studies) + " generated studies (" + std::to_string(trials) + " trials x " +
               std::to_string(steps) + " steps, seed " + std::to_string(seed) + ")",
           *generated, out);
  out << "\n";
  markdown("the playground's pruner race preset (10 runs x 2000 steps)", *race, out);
  return 0;
}

}  // namespace curvelab::cli
