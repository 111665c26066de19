// curvelab quiz: quiz items as JSON (the file `score` reads) or as prompts for models.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "curvelab/curve_reader.hpp"
#include "curvelab/json.hpp"
#include "curvelab/quiz.hpp"
#include "prompt.hpp"
#include "quiz_agent.hpp"
#include "raster.hpp"
#include "score_report.hpp"

namespace curvelab::cli {
namespace {
constexpr const char* kHelp = R"(usage: curvelab quiz [options]

Builds quiz items (cohorts of runs with a clear, non-trivial answer), regenerated exactly
from the kind, the seed and the item's index, and writes them out (options below), or
has a program answer them and scores it.

with --agent (see the README, "quiz --agent"), and --kind, --count, --seed:
  --agent 'CMD'     runs CMD with /bin/sh -c and asks it every item over JSON lines on its
                    stdin and stdout (sequential items checkpoint by checkpoint), then
                    prints the report of `curvelab score`; CMD's stderr is passed through
  --timeout-ms MS   per question, 1..600000 (default 30000): a time-out, a malformed
                    reply or a program that ends makes the item a skip
  --out FILE        also write the answers as JSON lines, as `curvelab score --answers`
                    reads them
  --with-context    sequential: also send the random-policy level and the best run so far
  --format F        text (default) or json: the report

answerability (the curve model's score on an item: 1 = the ground truth's answer, 0 = what
random answers earn, below 0 = the shown data points the wrong way):
  --min-answerability X  keep only items whose answerability is at least X, in [-1, 1]:
                    each place of the set takes the next candidate of its kind's stream
                    of items (the indices the set without X gives it, then every
                    kinds-th index after), at most 50 candidates per place; the json set
                    then gives each item's "answerability"
  --answerability   instead of the quiz, how answerability is spread per kind over the
                    items (--format text, the default here, or json)

options:
  --kind K          stop-early, rank-max, rank-fastest, rank-slowest, onset, stop-point,
                    pairwise, sequential, or mixed (all, in turn); repeatable or comma-separated
                    (default mixed)
  --count N         items, 1..10000 (default 20); pairs come back later with sides swapped
  --seed S          integer in [0, 2^53 - 1] (default 1)
  --format F        json (default): the quiz set, read by `curvelab score`
                    text | csv | markdown: one prompt per item, separated by a line of '='
                    jsonl: one {"id", "kind", "prompt"} per line
  --data D          the curves' format inside prompts: list ("step: value"), csv, markdown,
                    json (default: csv for --format csv, markdown for markdown and jsonl,
                    list for text)
  --downsample N    show every N-th step, 1..1000 (default 10)
  --round D         decimals, 0..12 (default 3)
  --sparkline       add an ASCII sparkline per run
  --with-context    add each run's random baseline and the best run so far
  --svg DIR         also write an SVG chart per item to DIR/<id>.svg
  --png             with --svg: also DIR/<id>.png, rasterised by rsvg-convert (librsvg,
                    Debian package librsvg2-bin, which the setup installs)

Prompts and charts show each curve only up to the step at which its question is asked
(stop-early: the cut); onset prompts give the random-policy level of the run asked about.
Sequential items ask at every checkpoint, each decision after the ones before it, so they
have no batch prompt: they are left out of the prompts and charts with a note on stderr,
and asked through `curvelab quiz --agent` instead. The json set keeps them (it is what
`curvelab score` reads, not a prompt).
)";

// The q-quantile of sorted values, by linear interpolation between order statistics.
double quantile_of(const std::vector<double>& sorted, double q) {
  const double at = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(at));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (at - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

// Per kind, how the items' answerability is spread: count, mean, quantiles, shares.
int write_answerability_report(const std::vector<QuizItem>& items, const std::vector<double>& figures,
                               std::uint64_t seed, double min_answerability, int candidates, const std::string& format,
                               std::ostream& out) {
  nlohmann::json by_kind = nlohmann::json::object();
  std::string table;
  char line[256];
  std::snprintf(line, sizeof line, "%-13s %5s %6s %6s %6s %6s %6s %6s %6s %6s %5s %5s\n", "kind", "n", "mean", "min",
                "p10", "p25", "median", "p75", "p90", "max", ">=0", ">=0.5");
  table += line;
  for (const QuizKind kind : kAllQuizKinds) {
    std::vector<double> values;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (items[i].kind == kind) {
        values.push_back(figures[i]);
      }
    }
    if (values.empty()) {
      continue;
    }
    std::sort(values.begin(), values.end());
    double sum = 0.0;
    int non_negative = 0;
    int half = 0;
    for (const double v : values) {
      sum += v;
      non_negative += v >= 0.0;
      half += v >= 0.5;
    }
    const auto n = static_cast<double>(values.size());
    const nlohmann::json entry{{"n", values.size()},
                               {"mean", sum / n},
                               {"min", values.front()},
                               {"p10", quantile_of(values, 0.1)},
                               {"p25", quantile_of(values, 0.25)},
                               {"median", quantile_of(values, 0.5)},
                               {"p75", quantile_of(values, 0.75)},
                               {"p90", quantile_of(values, 0.9)},
                               {"max", values.back()},
                               {"share_at_least_0", non_negative / n},
                               {"share_at_least_0_5", half / n}};
    by_kind[std::string(quiz_kind_name(kind))] = entry;
    std::snprintf(line, sizeof line, "%-13s %5zu %6.3f %6.3f %6.3f %6.3f %6.3f %6.3f %6.3f %6.3f %4.0f%% %4.0f%%\n",
                  std::string(quiz_kind_name(kind)).c_str(), values.size(), sum / n, values.front(),
                  quantile_of(values, 0.1), quantile_of(values, 0.25), quantile_of(values, 0.5),
                  quantile_of(values, 0.75), quantile_of(values, 0.9), values.back(), 100.0 * non_negative / n,
                  100.0 * half / n);
    table += line;
  }
  if (format == "json") {
    out << nlohmann::json{{"seed", seed},
                          {"items", items.size()},
                          {"candidates", candidates},
                          {"min_answerability",
                           std::isnan(min_answerability) ? nlohmann::json(nullptr) : nlohmann::json(min_answerability)},
                          {"by_kind", by_kind}}
               .dump(2)
        << "\n";
    return 0;
  }
  out << "answerability of " << items.size() << " items (seed " << seed << ", " << candidates << " read"
      << (std::isnan(min_answerability) ? std::string() : ", kept at >= " + format_number(min_answerability))
      << "): the curve model's score on each item, 1 = the ground truth's answer, 0 = what random answers earn\n\n"
      << table;
  return 0;
}

// The quiz answered by a program, scored as `curvelab score` scores an answers file.
int run_quiz_with_agent(const std::vector<QuizItem>& items, const std::string& command, int timeout_ms,
                        bool with_context, const std::optional<std::string>& out_path, const std::string& format,
                        std::ostream& out) {
  if (command.empty()) {
    throw CliError("--agent needs a command");
  }
  std::ofstream answers_file;
  if (out_path) {
    answers_file.open(*out_path);
    if (!answers_file) {
      throw CliError("--out: cannot write \"" + *out_path + "\"");
    }
  }
  QuizAgentOptions options;
  options.command = command;
  options.timeout_ms = timeout_ms;
  options.with_context = with_context;
  QuizAgentResult result = run_quiz_agent(items, options, [&](const QuizItem& item, const QuizAnswer& answer) {
    if (out_path) {
      answers_file << nlohmann::json{{"id", item.id}, {"answer", to_json(answer, item)}}.dump() << "\n";
      answers_file.flush();
    }
  });
  if (out_path && !answers_file) {
    throw CliError("--out: cannot write \"" + *out_path + "\"");
  }
  ScoreReport report;
  report.items = items;
  report.truths = std::move(result.truths);
  for (std::size_t i = 0; i < items.size(); ++i) {
    report.model.emplace_back(score_answer(items[i], report.truths[i], result.answers[i]));
  }
  report.answerer = "agent";
  report.extra["agent"] = to_json(result.log);
  write_score_report(report, format, out);
  if (format == "text") {
    const QuizAgentLog& log = result.log;
    out << "\nagent: " << log.asked << " questions, " << log.answered << " answered, " << log.timeouts << " timed out, "
        << log.malformed << " malformed, " << log.late << " late answers dropped; " << log.skipped << " of "
        << items.size() << " items skipped\n";
    if (log.exited) {
      out << "  " << log.exit_note << "\n";
    }
    for (const std::string& problem : log.problems) {
      out << "  " << problem << "\n";
    }
  }
  return 0;
}
}  // namespace

int run_quiz(Args& args, std::ostream& out) {
  if (args.wants_help()) {
    out << kHelp;
    return 0;
  }
  const std::vector<QuizKind> kinds = parse_kind_flags(args.take_all("kind"));
  const int count = args.integer("count", 20, 1, 10'000);
  const std::uint64_t seed = args.seed("seed", 1);
  const auto agent_command = args.take("agent");
  const double min_answerability = args.real("min-answerability", std::numeric_limits<double>::quiet_NaN(), -1.0, 1.0);
  const bool answerability_report = args.take_switch("answerability");
  const std::string format = agent_command || answerability_report
                                 ? args.choice("format", {"text", "json"})
                                 : args.choice("format", {"json", "text", "csv", "markdown", "jsonl"});
  const auto data_flag = args.take("data");
  PromptOptions options;
  options.downsample = args.integer("downsample", 10, 1, 1000);
  options.decimals = args.integer("round", 3, 0, 12);
  options.sparkline = args.take_switch("sparkline");
  const bool with_context = args.take_switch("with-context");
  const auto svg_dir = args.take("svg");
  const bool png = args.take_switch("png");
  const int timeout_ms = args.integer("timeout-ms", 30'000, 1, 600'000);
  const auto out_path = args.take("out");
  args.finish();
  if (answerability_report &&
      (agent_command || data_flag || svg_dir || png || options.sparkline || with_context || out_path)) {
    throw CliError(
        "--answerability reports the items' figures only: drop --agent, --data, --svg, --png, "
        "--sparkline, --with-context and --out");
  }
  // The items: the set of the seed, or the items of it the shown data supports.
  std::vector<QuizItem> items;
  std::vector<double> figures;
  int candidates = count;
  if (std::isnan(min_answerability)) {
    items = make_quiz(kinds, count, seed);
  } else {
    auto answerable = make_answerable_quiz(kinds, count, seed, min_answerability);
    if (!answerable) {
      const std::string& message = answerable.error().message;
      throw CliError("--min-answerability" + message.substr(std::string("min_answerability").size()));
    }
    items = std::move(answerable->items);
    figures = answerable->answerability;
    candidates = answerable->candidates;
  }
  if (answerability_report) {
    if (figures.empty()) {
      for (const QuizItem& item : items) {
        figures.push_back(answerability(item, quiz_truth(item, run_item(item))));
      }
      candidates = static_cast<int>(items.size());
    }
    return write_answerability_report(items, figures, seed, min_answerability, candidates, format, out);
  }
  if (agent_command) {
    if (data_flag || svg_dir || png || options.sparkline) {
      throw CliError("--agent sends the curves as JSON: drop --data, --svg, --png and --sparkline");
    }
    return run_quiz_with_agent(items, *agent_command, timeout_ms, with_context, out_path, format, out);
  }
  if (out_path) {
    throw CliError("--out is the answers of --agent; without it the quiz is written to stdout");
  }
  if (png && !svg_dir) {
    throw CliError("--png needs --svg DIR (the PNGs are written next to the SVGs)");
  }
  if (png && !have_rasteriser()) {
    throw CliError("--png needs rsvg-convert: apt-get install librsvg2-bin");
  }

  options.data = format == "csv" ? DataFormat::Csv : format == "text" ? DataFormat::List : DataFormat::Markdown;
  if (data_flag) {
    const std::string& d = *data_flag;
    if (d == "list") {
      options.data = DataFormat::List;
    } else if (d == "csv") {
      options.data = DataFormat::Csv;
    } else if (d == "markdown") {
      options.data = DataFormat::Markdown;
    } else if (d == "json") {
      options.data = DataFormat::Json;
    } else {
      throw CliError("--data must be one of list, csv, markdown, json, got " + quote_value(d));
    }
  }
  if (svg_dir) {
    std::error_code error;
    std::filesystem::create_directories(*svg_dir, error);
    if (error) {
      throw CliError("--svg: cannot create " + quote_value(*svg_dir) + ": " + error.message());
    }
  }

  nlohmann::json set{{"schema", "curvelab.quiz/1"}, {"seed", seed}, {"count", count}};
  if (!figures.empty()) {
    set["min_answerability"] = min_answerability;
    set["candidates"] = candidates;
  }
  nlohmann::json kind_names = nlohmann::json::array();
  for (const QuizKind kind : kinds) {
    kind_names.push_back(quiz_kind_name(kind));
  }
  set["kinds"] = kind_names;
  set["items"] = nlohmann::json::array();
  std::string text;
  const bool prompts = format != "json";
  int left_out = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const QuizItem& item = items[i];
    const std::vector<Run> runs = run_item(item);
    const QuizTruth truth = quiz_truth(item, runs);
    if (format == "json") {
      nlohmann::json j = to_json(item);
      if (!figures.empty()) {
        j["answerability"] = figures[i];
      }
      nlohmann::json curves = nlohmann::json::object();
      for (std::size_t r = 0; r < truth.shown.size(); ++r) {
        const auto& curve = truth.shown[r];
        curves[run_label(static_cast<int>(r))] = std::vector<double>(
            curve.begin(), curve.begin() + std::min<std::ptrdiff_t>(item.shown_until, curve.size()));
      }
      j["curves"] = curves;
      set["items"].push_back(j);
    }
    // A prompt or chart cannot wait for decisions: sequential items go through --agent.
    if (item.kind == QuizKind::Sequential) {
      left_out += prompts || svg_dir.has_value();
      continue;
    }
    std::vector<double> baselines;
    for (const Run& run : runs) {
      baselines.push_back(run.baseline());
    }
    const nlohmann::json message = question_message(item, truth, baselines, with_context);
    if (svg_dir) {
      const std::string path = *svg_dir + "/" + item.id + ".svg";
      const std::string svg = render_svg(message);
      std::ofstream file(path);
      file << svg;
      file.close();
      if (!file) {
        throw CliError("--svg: cannot write \"" + path + "\"");
      }
      if (png) {
        const std::string png_path = *svg_dir + "/" + item.id + ".png";
        auto bytes = svg_to_png(svg);
        std::ofstream png_file(png_path, std::ios::binary);
        png_file << (bytes ? *bytes : std::string());
        if (!bytes || !png_file.flush()) {
          throw CliError("--png: cannot write \"" + png_path + "\"" + (bytes ? "" : ": " + bytes.error().message));
        }
      }
    }
    if (format == "json") {
      continue;
    }
    const std::string prompt = render_prompt(message, options);
    if (format == "jsonl") {
      text += nlohmann::json{{"id", item.id}, {"kind", quiz_kind_name(item.kind)}, {"prompt", prompt}}.dump() + "\n";
    } else {
      text += (text.empty() ? "" : "\n==========\n\n") + prompt;
    }
  }
  if (left_out > 0) {
    const std::string what = prompts ? (svg_dir ? "the prompts and charts" : "the prompts") : "the charts";
    const std::string note = "left out " + std::to_string(left_out) + " sequential item" + (left_out == 1 ? "" : "s") +
                             " from " + what +
                             ": a batch prompt would show each run past its checkpoints; ask them through "
                             "curvelab quiz --agent 'CMD', which reveals each run up to the current checkpoint";
    if (prompts && left_out == static_cast<int>(items.size())) {
      throw CliError("--format " + format + ": every item is sequential, and " + note.substr(note.find(':') + 2));
    }
    std::cerr << "curvelab quiz: " << note << "\n";
  }
  if (format == "json") {
    out << set.dump() << "\n";
  } else {
    out << text;
  }
  return 0;
}

}  // namespace curvelab::cli
