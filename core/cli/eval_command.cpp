// curvelab eval: a quiz set answered by a language model, over a grid of prompt formats.

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "curvelab/json.hpp"
#include "eval.hpp"
#include "raster.hpp"

namespace curvelab::cli {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kHelp = R"(usage: curvelab eval --endpoint URL --model NAME --out DIR [options]

Asks a language model behind an OpenAI-compatible chat-completions endpoint (OpenAI,
vLLM, llama.cpp's server, Ollama's /v1) a quiz set, in every prompt format of a grid,
and scores its answers on the same board as the pruners. Sequential items are asked
checkpoint by checkpoint; no prompt shows a value past its decision point.

the model:
  --endpoint URL       the server's base URL, http or https (e.g. http://127.0.0.1:11434/v1)
  --model NAME         the model to ask
  --api-key-env NAME   environment variable holding the API key (default OPENAI_API_KEY;
                       unset or empty sends no key); the key is never printed or written
  --temperature T      0..2 (default: the server's)
  --max-tokens N       1..1000000 (default: the server's)
  --model-seed S       sampling seed, where the server honours one
  --concurrency N      requests in flight, 1..64 (default 4)
  --timeout-s S        deadline of one request, 1..3600 (default 120)
  --retries N          0..20 (default 4): exponential back-off with jitter on 429, 5xx,
                       time-outs and network errors, honouring Retry-After
  --budget-tokens N    stop asking before the tokens spent could exceed N

the grid:
  --formats LIST       comma-separated, of list, csv, markdown, json, image, image+list
                       (default all six; image sends the chart as a PNG)
  --context C          off (default), on, or both: add each run's random-policy level and
                       the best run so far
  --downsample N       show every N-th step in the data formats, 1..1000 (default 10)
  --round D            decimals, 0..12 (default 3)

the quiz:
  --kind K             as `curvelab quiz --kind` (default mixed)
  --count N            items, 1..10000 (default 20)
  --seed S             the quiz's seed (default 1)

output:
  --out DIR            report.md, report.json, chart.svg, chart.png, responses.jsonl (every
                       reply with its token usage and latency) and cache/ (every reply,
                       keyed by endpoint, model, parameters and prompt)
  --resume             continue in a DIR that holds an eval of the same settings: replies in
                       its cache are not asked again (a finished eval makes no calls)
  --quiet              no progress line on stderr
  --labels FILE        people's labels exported from the page (JSONL): a "people" row on
                       the board of every kind they answered, scored on the same items
)";

std::vector<EvalCondition> parse_conditions(const std::string& formats, const std::string& context) {
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start <= formats.size()) {
    const std::size_t comma = formats.find(',', start);
    const std::string name = formats.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const auto& known = eval_formats();
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      throw CliError("--formats must list list, csv, markdown, json, image, image+list, got \"" + name + "\"");
    }
    if (std::find(names.begin(), names.end(), name) != names.end()) {
      throw CliError("--formats lists \"" + name + "\" twice");
    }
    names.push_back(name);
    if (comma == std::string::npos) {
      break;
    }
    start = comma + 1;
  }
  std::vector<EvalCondition> conditions;
  for (const bool with : {false, true}) {
    if ((with && context == "off") || (!with && context == "on")) {
      continue;
    }
    for (const std::string& name : names) {
      conditions.push_back(EvalCondition{name, with});
    }
  }
  return conditions;
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary);
  file << text;
  if (!file.flush()) {
    throw CliError("--out: cannot write \"" + path.string() + "\"");
  }
}
}  // namespace

int run_eval(Args& args, std::ostream& out) {
  if (args.wants_help()) {
    out << kHelp;
    return 0;
  }
  const auto endpoint = args.take("endpoint");
  const auto model = args.take("model");
  const auto out_dir = args.take("out");
  const std::string key_env = args.take("api-key-env").value_or("OPENAI_API_KEY");
  const double temperature = args.real("temperature", NAN, 0, 2);
  const int max_tokens = args.integer("max-tokens", -1, 1, 1'000'000);
  const std::uint64_t model_seed = args.seed("model-seed", UINT64_MAX);
  const int concurrency = args.integer("concurrency", 4, 1, 64);
  const int timeout_s = args.integer("timeout-s", 120, 1, 3600);
  const int retries = args.integer("retries", 4, 0, 20);
  const double budget = args.real("budget-tokens", NAN, 1, 1e15);
  const std::string formats = args.take("formats").value_or("list,csv,markdown,json,image,image+list");
  const std::string context = args.choice("context", {"off", "on", "both"});
  const int downsample = args.integer("downsample", 10, 1, 1000);
  const int decimals = args.integer("round", 3, 0, 12);
  const std::vector<QuizKind> kinds = parse_kind_flags(args.take_all("kind"));
  const int count = args.integer("count", 20, 1, 10'000);
  const std::uint64_t seed = args.seed("seed", 1);
  const bool resume = args.take_switch("resume");
  const bool quiet = args.take_switch("quiet");
  const auto labels_path = args.take("labels");
  args.finish();
  if (!endpoint || !(endpoint->rfind("http://", 0) == 0 || endpoint->rfind("https://", 0) == 0)) {
    throw CliError("--endpoint must be an http:// or https:// URL" +
                   std::string(endpoint ? ", got \"" + endpoint->substr(0, 80) + "\"" : " (required)"));
  }
  if (!model || model->empty()) {
    throw CliError("--model must name the model to ask (required)");
  }
  if (!out_dir || out_dir->empty()) {
    throw CliError("--out must name the directory for the report and the cache (required)");
  }

  EvalOptions options;
  options.conditions = parse_conditions(formats, context);
  options.model = *model;
  if (!std::isnan(temperature)) {
    options.temperature = temperature;
  }
  if (max_tokens > 0) {
    options.max_tokens = max_tokens;
  }
  if (model_seed != UINT64_MAX) {
    options.model_seed = model_seed;
  }
  options.downsample = downsample;
  options.decimals = decimals;
  for (const EvalCondition& c : options.conditions) {
    if (c.format.rfind("image", 0) == 0 && !have_rasteriser()) {
      throw CliError("--formats " + c.format + " needs rsvg-convert: apt-get install librsvg2-bin");
    }
  }

  // What identifies the eval: a DIR holds one, so that a cache never mixes two.
  json settings{{"endpoint", *endpoint},
                {"model", *model},
                {"temperature", options.temperature ? json(*options.temperature) : json()},
                {"max_tokens", options.max_tokens ? json(*options.max_tokens) : json()},
                {"model_seed", options.model_seed ? json(*options.model_seed) : json()},
                {"formats", formats},
                {"context", context},
                {"downsample", downsample},
                {"round", decimals},
                {"count", count},
                {"seed", seed}};
  json kind_names = json::array();
  for (const QuizKind kind : kinds) {
    kind_names.push_back(quiz_kind_name(kind));
  }
  settings["kinds"] = kind_names;
  const fs::path dir(*out_dir);
  const fs::path settings_path = dir / "eval.json";
  std::error_code error;
  if (fs::exists(settings_path, error)) {
    if (!resume) {
      throw CliError("--out \"" + out_dir->substr(0, 120) +
                     "\" holds an eval already: pass --resume to continue it (a finished one is re-read from its "
                     "cache), or choose another directory");
    }
    // Read as every input is: bounded in size and depth; anything unreadable differs.
    const auto text = read_input(settings_path.string(), "--resume");
    const auto parsed = text ? parse_json_text(*text) : Expected<json>(text.error());
    if (!parsed || !parsed->is_object()) {
      throw CliError("--resume: \"" + out_dir->substr(0, 120) + "\"/eval.json is not an eval's settings" +
                     (parsed ? std::string() : ": " + parsed.error().message));
    }
    const json& stored = *parsed;
    if (stored != settings) {
      for (const auto& [key, value] : settings.items()) {
        if (!stored.is_object() || !stored.contains(key) || stored[key] != value) {
          throw CliError("--resume: \"" + out_dir->substr(0, 120) + "\" holds an eval with another " + key + " (" +
                         (stored.is_object() && stored.contains(key) ? stored[key].dump() : "none") +
                         "); use the same flags or another --out");
        }
      }
      throw CliError("--resume: \"" + out_dir->substr(0, 120) + "\"/eval.json is not an eval's settings");
    }
  } else {
    if (resume) {
      throw CliError("--resume: \"" + out_dir->substr(0, 120) + "\" holds no eval to continue");
    }
    fs::create_directories(dir, error);
    if (error || !fs::is_directory(dir)) {
      throw CliError("--out: cannot create the directory \"" + out_dir->substr(0, 120) + "\"");
    }
    write_text(settings_path, settings.dump(2) + "\n");
  }

  options.items = make_quiz(kinds, count, seed);
  // Read before any call: a bad path is refused before the model is asked anything.
  const std::optional<std::string> labels_text =
      labels_path ? std::optional<std::string>(read_file(*labels_path, "--labels")) : std::nullopt;
  ClientOptions client_options;
  client_options.endpoint = *endpoint;
  if (const char* key = std::getenv(key_env.c_str())) {
    client_options.api_key = key;
  }
  client_options.timeout_s = timeout_s;
  client_options.retries = retries;
  const ChatClient client(client_options);
  const ReplyCache cache(dir / "cache");
  std::ofstream log(dir / "responses.jsonl", std::ios::app);
  RunnerOptions runner_options;
  runner_options.concurrency = concurrency;
  if (!std::isnan(budget)) {
    runner_options.budget_tokens = static_cast<long long>(budget);
  }
  // Sequential items take one call per checkpoint reached: the count is an upper bound.
  long long calls = 0;
  for (const QuizItem& item : options.items) {
    calls += item.kind == QuizKind::Sequential ? static_cast<long long>(item.runs.size() * item.checkpoints.size()) : 1;
  }
  calls *= static_cast<long long>(options.conditions.size());
  Progress progress(quiet ? nullptr : &std::cerr, isatty(STDERR_FILENO) != 0, calls);
  ModelRunner runner(client, &cache, &log, runner_options, &progress);
  const EvalResult result = run_eval(options, runner);
  progress.finish(runner.tally());

  std::optional<LabelsOnQuiz> people;
  if (labels_text) {
    people = labels_on_quiz(*labels_text, options.items, result.truths);
    if (!quiet) {
      std::cerr << "curvelab eval: --labels: " << people->used << " labels on these items, " << people->other_items
                << " on other items";
      if (!people->problems.empty()) {
        const LabelProblem& first = people->problems.front();
        std::cerr << ", " << people->problems.size() << " refused (first: line " << first.line << ": " << first.error
                  << ")";
      }
      std::cerr << "\n";
    }
  }
  const json report = eval_report(options, result, people ? &*people : nullptr);
  write_text(dir / "report.json", report.dump(2) + "\n");
  const std::string markdown = eval_report_markdown(report);
  write_text(dir / "report.md", markdown);
  const std::string svg = eval_chart_svg(report);
  write_text(dir / "chart.svg", svg);
  if (have_rasteriser()) {
    auto png = svg_to_png(svg);
    if (png) {
      write_text(dir / "chart.png", *png);
    } else {
      std::cerr << "curvelab eval: chart.png not written: " << png.error().message << "\n";
    }
  }
  out << markdown;
  return 0;
}

}  // namespace curvelab::cli
