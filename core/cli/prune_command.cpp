// curvelab prune: Optuna's pruners on a study (or many), with the reason for every stop.

#include <charconv>
#include <cstdlib>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "agent_pruner.hpp"
#include "commands.hpp"
#include "curvelab/generator.hpp"
#include "curvelab/json.hpp"
#include "curvelab/limits.hpp"
#include "curvelab/run.hpp"
#include "curvelab/study.hpp"

namespace curvelab::cli {
namespace {
using nlohmann::json;

constexpr const char* kHelp = R"(usage: curvelab prune [FILE|-] [--pretty]
       curvelab prune --generate N [--seed S] [--pruner NAME] [--param KEY=VALUE]... [options]

Runs Optuna 3.1's pruners, decision for decision, on studies whose trials run one after
another. Reads a study, or {"studies": [...]}, from FILE or stdin ("-" or no FILE):

  {"study_name": "s", "direction": "maximize",
   "pruner": {"name": "median", "params": {"n_startup_trials": 5, "n_warmup_steps": 0}},
   "trials": [{"values": [0.1, 0.2, 0.3]}, {"values": [0.0, null, "inf"], "steps": [0, 5, 10], "final": 0.2}]}

and writes {"pruned_at": [...], "states": [...], "reasons": [...], "summary": {...}}
(a batch gives {"results": [...]}; a study whose parameters Optuna refuses gives
{"error": "..."}). NaN is null, infinities "inf" / "-inf".

pruners and their parameters (Optuna's names and defaults):
  nop
  median              n_startup_trials=5 n_warmup_steps=0 interval_steps=1 n_min_trials=1
  percentile          percentile (required) and the median's
  successive_halving  min_resource=auto reduction_factor=4 min_early_stopping_rate=0 bootstrap_count=0
  hyperband           min_resource=1 max_resource=auto reduction_factor=3 bootstrap_count=0
  threshold           lower upper (at least one) n_warmup_steps=0 interval_steps=1
  patient             patience (required) min_delta=0 wrapped=NAME (and wrapped.KEY=VALUE)

curvelab's own pruner (not one of Optuna's; see "The extrapolation pruner" in the README):
  extrapolation       p=0.05 n_startup_trials=1 n_warmup_steps=100 interval_steps=10 horizon=auto max_checks=200
                      stops a trial when a learning-curve model fitted to its values gives
                      its final a probability below p of beating the best completed final

options:
  --generate N      run the pruner on N experiments from the generator instead, 1..100000;
                    each run's true-value curve (the noise-free expected reward, one value
                    per step) is a trial's intermediate values, maximized
  --seed S          generator seed, integer in [0, 2^53 - 1] (default 1)
  --pruner NAME     the pruner for --generate (default median)
  --param KEY=VALUE a parameter of that pruner, repeatable: an integer, a number, auto,
                    inf, -inf, nan or null
  --steps N         horizon of the generated runs, 1..1000000 (default 1000)
  --curve C         true-value (default) or reward: the curve reported by generated trials
  --study-name NAME study name of the generated study (default "generated")
  --emit-study      print the generated study JSON instead of running it
  --pretty          indent the JSON output

an external pruner (any program; see "An external pruner" in the README):
  --agent 'COMMAND' the decisions come from COMMAND (run with /bin/sh -c), speaking JSON
                    lines: at each checkpoint it reads {"type": "checkpoint", "id", "trial", "step",
                    "values", "steps", "completed": {...}} and answers {"prune": true|false,
                    "reason": "...", "id": ...}; a study's own pruner is then ignored
  --interval N      ask after every N-th report of a trial, 1..1000000 (default 1)
  --timeout-ms MS   the deadline of each checkpoint, for writing it and reading the answer,
                    1..600000 (default 2000); a time-out, a malformed answer (or a line over
                    1 MiB) or a program that exits means "continue", and is reported under
                    "agent" in the output. COMMAND's stderr is passed through; its process
                    group is ended when the study ends or curvelab is interrupted
)";

// An upper bound on what each value of a generated study costs: its trial's copy, the
// study's report, best-so-far and per-step index (40 bytes with nop, every trial complete)
// or the JSON of --emit-study (50 bytes); peak RSS of `prune --generate 1000 --steps 10000
// --pruner nop` and `... --emit-study` under `/usr/bin/time -v`.
constexpr std::size_t kBytesPerGeneratedValue = 64;

json parse_param_value(const std::string& key, const std::string& text) {
  if (text == "auto") {
    return "auto";
  }
  if (text == "null" || text == "none" || text == "None") {
    return nullptr;
  }
  if (text == "inf" || text == "+inf" || text == "-inf" || text == "nan") {
    return text;
  }
  if (is_decimal_number(text)) {
    std::int64_t integer = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), integer);
    if (ec == std::errc() && ptr == text.data() + text.size()) {
      // The core refuses integers beyond 2^53 - 1 with the message a study file gets.
      return integer;
    }
    if (ec == std::errc::result_out_of_range && text.find_first_of(".eE") == std::string::npos) {
      throw CliError("--param " + exact_integer_error(key, quote_value(text)).message);
    }
    return std::strtod(text.c_str(), nullptr);
  }
  throw CliError("--param " + key + " must be an integer, a number, auto, inf, -inf, nan or null, got " +
                 quote_value(text));
}

PrunerSpec pruner_from_flags(const std::string& name, const std::vector<std::string>& params) {
  json pruner{{"name", name}, {"params", json::object()}};
  for (const std::string& param : params) {
    const auto eq = param.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw CliError("--param must be KEY=VALUE, got " + quote_value(param));
    }
    const std::string key = param.substr(0, eq);
    const std::string text = param.substr(eq + 1);
    if (key == "wrapped") {
      json& wrapped = pruner["params"]["wrapped"];
      const json params_so_far = wrapped.is_object() ? wrapped["params"] : json::object();
      wrapped = json{{"name", text}, {"params", params_so_far}};
    } else if (key.rfind("wrapped.", 0) == 0) {
      json& wrapped = pruner["params"]["wrapped"];
      if (!wrapped.is_object()) {
        wrapped = json{{"name", "nop"}, {"params", json::object()}};
      }
      wrapped["params"][key.substr(8)] = parse_param_value(key, text);
    } else {
      pruner["params"][key] = parse_param_value(key, text);
    }
  }
  auto spec = pruner_from_json(pruner);
  if (!spec) {
    if (spec.error().field == "pruner.name") {
      throw CliError(
          "--pruner must be one of nop, median, percentile, successive_halving, hyperband, threshold, "
          "patient, extrapolation, got " +
          quote_value(name));
    }
    if (spec.error().field == "wrapped.name") {
      throw CliError("--param wrapped" + spec.error().message.substr(std::string("wrapped.name").size()));
    }
    throw CliError("--param " + spec.error().message);
  }
  if (auto e = validate(*spec)) {
    throw CliError("--param " + e->message);
  }
  return spec.value();
}

json run_one(const json& study_json) {
  auto spec = study_from_json(study_json);
  if (!spec) {
    return json{{"error", spec.error().message}};
  }
  auto result = run_study(*spec);
  if (!result) {
    return json{{"error", result.error().message}};
  }
  return to_json(*result, spec->direction);
}

json to_json(const AgentLog& log) {
  return json{{"asked", log.asked},       {"answered", log.answered},   {"pruned", log.pruned},
              {"timeouts", log.timeouts}, {"malformed", log.malformed}, {"late", log.late},
              {"exited", log.exited},     {"exit_note", log.exit_note}, {"problems", log.problems}};
}

// One study decided by an external program.
json run_agent(const StudySpec& spec, const AgentOptions& options) {
  AgentPruner agent(options);
  auto result = run_study(spec, agent);
  agent.finish();
  if (!result) {
    throw CliError(result.error().message);
  }
  json j = to_json(*result, spec.direction);
  j["agent"] = to_json(agent.log());
  return j;
}

std::string dump(const json& j, bool pretty) {
  return j.dump(pretty ? 2 : -1, ' ', false, json::error_handler_t::replace);
}
}  // namespace

int run_prune(Args& args, std::ostream& out) {
  if (args.wants_help()) {
    out << kHelp;
    return 0;
  }
  const auto generate = args.take("generate");
  const std::uint64_t seed = args.seed("seed", 1);
  const auto pruner_name = args.take("pruner");
  const auto params = args.take_all("param");
  const int steps = args.integer("steps", 1000, 1, 1'000'000);
  const std::string curve = args.choice("curve", {"true-value", "reward"});
  const auto study_name = args.take("study-name");
  const bool emit_study = args.take_switch("emit-study");
  const bool pretty = args.take_switch("pretty");
  const auto agent_command = args.take("agent");
  AgentOptions agent;
  agent.interval = args.integer("interval", 1, 1, 1'000'000);
  agent.timeout_ms = args.integer("timeout-ms", 2000, 1, 600'000);
  args.finish(std::numeric_limits<std::size_t>::max());  // one study FILE, checked below
  if (agent_command) {
    if (agent_command->empty()) {
      throw CliError("--agent needs a command");
    }
    if (pruner_name || !params.empty()) {
      throw CliError("--agent replaces the pruner: drop --pruner and --param");
    }
    agent.command = *agent_command;
  }
  const auto positionals = args.positionals();

  if (generate) {
    if (!positionals.empty()) {
      throw CliError("give either a study FILE or --generate, not both");
    }
    int count = 0;
    const auto [ptr, ec] = std::from_chars(generate->data(), generate->data() + generate->size(), count);
    if (generate->empty() || ec != std::errc() || ptr != generate->data() + generate->size() || count < 1 ||
        count > 100'000) {
      throw CliError("--generate must be an integer in [1, 100000], got " + quote_value(*generate));
    }
    const auto total_values = static_cast<std::uint64_t>(count) * static_cast<std::uint64_t>(steps);
    const std::uint64_t max_values = kMemoryBudgetBytes / kBytesPerGeneratedValue;
    if (total_values > max_values) {
      throw CliError("--generate " + std::to_string(count) + " with --steps " + std::to_string(steps) + " is " +
                     std::to_string(total_values) + " values, more than the " + std::to_string(max_values) +
                     " that fit the memory budget of " + std::to_string(kMemoryBudgetBytes >> 20U) +
                     " MiB: lower --generate or --steps");
    }
    StudySpec spec;
    spec.name = study_name.value_or("generated");
    if (auto e = validate_study_name(spec.name)) {
      throw flag_error(*e);
    }
    spec.direction = Direction::Maximize;
    spec.pruner = agent_command ? default_pruner_spec(PrunerKind::Nop)
                                : pruner_from_flags(pruner_name.value_or("median"), params);
    GeneratorRanges ranges;
    ranges.steps = IntRange{steps, steps};
    for (const ExperimentConfig& config : generate_experiments(ranges, count, seed)) {
      Run run(config);
      run.finish();
      const auto curve_values = curve == "reward" ? run.rewards() : run.true_values();
      spec.trials.push_back(TrialSpec{std::vector<double>(curve_values.begin(), curve_values.end()), {}, {}});
    }
    if (emit_study) {
      out << dump(to_json(spec), pretty) << "\n";
      return 0;
    }
    if (agent_command) {
      out << dump(run_agent(spec, agent), pretty) << "\n";
      return 0;
    }
    auto result = run_study(spec);
    if (!result) {
      throw CliError("--param " + result.error().message);
    }
    json j = to_json(*result, spec.direction);
    j["pruner"] = to_json(spec.pruner);
    out << dump(j, pretty) << "\n";
    return 0;
  }

  if (pruner_name || !params.empty() || study_name || emit_study) {
    throw CliError("--pruner, --param, --study-name and --emit-study need --generate (a study FILE names its pruner)");
  }
  if (positionals.size() > 1) {
    throw CliError("expected one study FILE (or - for stdin), got " + std::to_string(positionals.size()));
  }
  const std::string path = positionals.empty() ? "-" : positionals.front();
  const auto parsed = parse_json_text(read_file(path, "FILE"));
  if (!parsed) {
    throw CliError((path == "-" ? std::string("stdin") : path) + ": " + parsed.error().message);
  }
  const json& input = *parsed;
  if (agent_command) {
    if (input.is_object() && input.contains("studies")) {
      throw CliError("--agent runs one study at a time, not a batch");
    }
    auto spec = study_from_json(input);
    if (!spec) {
      throw CliError(spec.error().message);
    }
    out << dump(run_agent(*spec, agent), pretty) << "\n";
    return 0;
  }
  if (input.is_object() && input.contains("studies")) {
    if (input.size() != 1 || !input["studies"].is_array()) {
      throw CliError("a batch must be {\"studies\": [study, ...]} and nothing else");
    }
    json results = json::array();
    for (const json& study : input["studies"]) {
      results.push_back(run_one(study));
    }
    out << dump(json{{"results", std::move(results)}}, pretty) << "\n";
    return 0;
  }
  const json result = run_one(input);
  out << dump(result, pretty) << "\n";
  if (result.contains("error")) {
    throw CliError(result["error"].get<std::string>());
  }
  return 0;
}

}  // namespace curvelab::cli
