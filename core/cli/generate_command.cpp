// curvelab generate: a dataset of diverse experiments, their curves and ground truth.

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "curvelab/generator.hpp"
#include "curvelab/ground_truth.hpp"
#include "curvelab/json.hpp"
#include "curvelab/run.hpp"

namespace curvelab::cli {
namespace {
constexpr const char* kHelp = R"(usage: curvelab generate [options]

Samples --count experiments from the generator's ranges (all from one seed), runs each
to its horizon, and writes its config, curves and ground truth.

options:
  --count N         experiments, 1..1000000 (default 100)
  --seed S          dataset seed, integer in [0, 2^53 - 1] (default 1)
  --ranges FILE     JSON ranges (missing fields keep their defaults), e.g.
                    {"arms": [2, 50], "arm_mean": [-1, 1], "arm_spread": [0.5, 2],
                     "noise": [0, 5], "epsilon": [0, 0.5], "initial_value": [0, 0],
                     "steps": [1000, 1000], "random_share": 0.1, ...}
                    (--print-ranges shows every field: the agents' shares and ranges too)
  --format F        jsonl (default): one experiment per line with config, truth, rewards, true_values
                    csv: tidy long table run_id,step,reward,true_value
                    metrics-csv: one row per experiment, its config and ground truth
  --print-ranges    print the ranges in force as JSON and exit
)";

void append_optional(std::string& out, const std::optional<int>& step) {
  if (step) {
    out += std::to_string(*step);
  }
}
}  // namespace

int run_generate(Args& args, std::ostream& out) {
  if (args.wants_help()) {
    out << kHelp;
    return 0;
  }
  const int count = args.integer("count", 100, 1, 1'000'000);
  const std::uint64_t seed = args.seed("seed", 1);
  const auto ranges_path = args.take("ranges");
  const std::string format = args.choice("format", {"jsonl", "csv", "metrics-csv"});
  const bool print_ranges = args.take_switch("print-ranges");
  args.finish();

  GeneratorRanges ranges;
  if (ranges_path) {
    const auto parsed = parse_json_text(read_file(*ranges_path, "--ranges"));
    if (!parsed) {
      throw CliError("--ranges " + *ranges_path + ": " + parsed.error().message);
    }
    auto read = ranges_from_json(*parsed);
    if (!read) {
      throw CliError("--ranges " + *ranges_path + ": " + read.error().message);
    }
    ranges = read.value();
  }
  if (print_ranges) {
    out << to_json(ranges).dump(2) << "\n";
    return 0;
  }

  std::string text;
  if (format == "csv") {
    text = "run_id,step,reward,true_value\n";
  } else if (format == "metrics-csv") {
    text =
        "run_id,seed,agent,arms,arm_mean,arm_spread,noise,walk,epsilon,initial_value,step_size,ucb_c,baseline_on,"
        "steps,baseline,best_possible,"
        "final_performance,max_true,max_true_step,max_visible,max_visible_step,learns,time_to_50,time_to_90,"
        "onset,normalized_area\n";
  }
  for (int i = 0; i < count; ++i) {
    const ExperimentConfig config = sample_experiment(ranges, seed, static_cast<std::uint64_t>(i));
    Run run(config);
    run.finish();
    const RunTruth truth = run_truth(run.true_values(), run.rewards(), run.baseline(), run.best_possible());
    if (format == "jsonl") {
      const nlohmann::json line{{"id", i},
                                {"dataset_seed", seed},
                                {"config", to_json(config)},
                                {"truth", to_json(truth)},
                                {"rewards", run.rewards()},
                                {"true_values", run.true_values()}};
      text += line.dump();
      text += '\n';
    } else if (format == "csv") {
      const auto rewards = run.rewards();
      const auto values = run.true_values();
      const std::string prefix = std::to_string(i) + ',';
      for (std::size_t t = 0; t < rewards.size(); ++t) {
        text += prefix;
        text += std::to_string(t + 1);
        text += ',';
        append_number(text, rewards[t]);
        text += ',';
        append_number(text, values[t]);
        text += '\n';
      }
    } else {
      text += std::to_string(i) + ',' + std::to_string(config.seed) + ',' +
              std::string(agent_kind_name(config.agent.kind)) + ',' + std::to_string(config.bandit.arms);
      for (const double x : {config.bandit.arm_mean, config.bandit.arm_spread, config.bandit.noise, config.bandit.walk,
                             config.agent.epsilon, config.agent.initial_value}) {
        text += ',';
        append_number(text, x);
      }
      text += ',';
      if (config.agent.step_size) {
        append_number(text, *config.agent.step_size);  // empty: sample averages
      }
      text += ',';
      append_number(text, config.agent.ucb_c);
      text += std::string(",") + (config.agent.baseline ? "true" : "false");
      text += ',' + std::to_string(config.steps);
      for (const double x : {truth.baseline, truth.best_possible, truth.final_performance, truth.max_true}) {
        text += ',';
        append_number(text, x);
      }
      text += ',' + std::to_string(truth.max_true_step) + ',';
      append_number(text, truth.max_visible);
      text += ',' + std::to_string(truth.max_visible_step) + ',' + (truth.learns ? "true" : "false") + ',';
      append_optional(text, truth.time_to_50);
      text += ',';
      append_optional(text, truth.time_to_90);
      text += ',';
      append_optional(text, truth.onset);
      text += ',';
      append_number(text, truth.normalized_area);
      text += '\n';
    }
    if (text.size() > (1U << 20U)) {
      out << text;
      text.clear();
    }
  }
  out << text;
  return 0;
}

}  // namespace curvelab::cli
