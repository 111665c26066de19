// curvelab sweep: the parameter study of Sutton and Barto's Figure 2.6.

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "curvelab/simulate.hpp"
#include "curvelab/sweep.hpp"

namespace curvelab::cli {
namespace {
constexpr const char* kHelp = R"(usage: curvelab sweep [options]

The parameter study of Sutton and Barto's Figure 2.6: the average reward over the first
--steps steps of --runs runs on the 10-armed testbed, for each method over its parameter
on powers of 2. Every setting runs the same bandits (run i: seed derive(seed, i)).

  epsilon-greedy  sample averages, Q1 = 0          epsilon  1/128 .. 1/4
  gradient        with the baseline                alpha    1/32 .. 2
  ucb             sample averages                  c        1/16 .. 4
  optimistic      greedy, alpha 0.1                Q0       1/4 .. 4

options:
  --methods LIST  comma-separated methods (default: all four)
  --runs N        runs per setting, 1..100000 (default 2000)
  --steps N       steps per run, 1..1000000 (default 1000)
  --seed S        integer in [0, 2^53 - 1] (default 1)
  --format F      csv (default) or json

csv:  method,parameter,log2,value,average_reward,optimal_share   (one row per setting)
json: {"runs": N, "steps": N, "seed": S, "methods": [{"method", "parameter",
       "points": [{"log2", "value", "average_reward", "optimal_share"}, ...],
       "best": {"log2", "value", "average_reward"}}, ...]}
)";

std::vector<SweepMethod> parse_methods(const std::string& list) {
  std::vector<SweepMethod> methods;
  std::stringstream in(list);
  std::string name;
  while (std::getline(in, name, ',')) {
    const auto method = parse_sweep_method(name);
    if (!method) {
      throw CliError("--methods must list epsilon-greedy, gradient, ucb, optimistic, got " + quote_value(name));
    }
    for (const SweepMethod m : methods) {
      if (m == *method) {
        throw CliError("--methods names " + name + " twice");
      }
    }
    methods.push_back(*method);
  }
  if (methods.empty()) {
    throw CliError("--methods must list epsilon-greedy, gradient, ucb, optimistic, got " + quote_value(list));
  }
  return methods;
}
}  // namespace

int run_sweep(Args& args, std::ostream& out) {
  if (args.wants_help()) {
    out << kHelp;
    return 0;
  }
  SweepConfig config;
  if (const auto list = args.take("methods")) {
    config.methods = parse_methods(*list);
  }
  config.runs = args.integer("runs", config.runs, 1, kMaxRuns);
  config.steps = args.integer("steps", config.steps, 1, kMaxSteps);
  config.seed = args.seed("seed", config.seed);
  const std::string format = args.choice("format", {"csv", "json"});
  args.finish();
  if (auto error = validate(config)) {
    throw flag_error(*error);
  }

  const std::vector<SweepResult> results = curvelab::run_sweep(config);
  if (format == "json") {
    nlohmann::json methods = nlohmann::json::array();
    for (const SweepMethod method : config.methods) {
      nlohmann::json points = nlohmann::json::array();
      for (const SweepResult& r : results) {
        if (r.point.method == method) {
          points.push_back({{"log2", r.point.log2},
                            {"value", r.point.value},
                            {"average_reward", r.average_reward},
                            {"optimal_share", r.optimal_share}});
        }
      }
      const auto best = best_of(results, method);
      methods.push_back(
          {{"method", sweep_method_name(method)},
           {"parameter", sweep_parameter_name(method)},
           {"points", points},
           {"best",
            {{"log2", best->point.log2}, {"value", best->point.value}, {"average_reward", best->average_reward}}}});
    }
    const nlohmann::json j{{"runs", config.runs}, {"steps", config.steps}, {"seed", config.seed}, {"methods", methods}};
    out << j.dump() << "\n";
    return 0;
  }
  std::string text = "method,parameter,log2,value,average_reward,optimal_share\n";
  for (const SweepResult& r : results) {
    text += std::string(sweep_method_name(r.point.method)) + ',' + std::string(sweep_parameter_name(r.point.method)) +
            ',' + std::to_string(r.point.log2) + ',';
    append_number(text, r.point.value);
    text += ',';
    append_number(text, r.average_reward);
    text += ',';
    append_number(text, r.optimal_share);
    text += '\n';
  }
  out << text;
  return 0;
}

}  // namespace curvelab::cli
