// curvelab labels: label files from the page (or any annotator tool): merge, export to
// CSV, and summarise agreement among annotators.

#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "curvelab/labels.hpp"

namespace curvelab::cli {
namespace {
constexpr const char* kHelp = R"(usage: curvelab labels ACTION FILE... [--format text|json]

Label files are JSON lines exported from the page (schema curvelab.label/2, or the older
curvelab.label/1). Each file is checked whole: a malformed or foreign file is refused,
naming the line and the problem.

actions:
  merge FILE...     all labels, de-duplicated by id (the first copy wins), as JSONL
  csv FILE...       the same as CSV, one row per label
  rescore FILE      the labels of FILE with their score recomputed by the current rules
                    from the item and answer each one stores, as JSONL (schema
                    curvelab.label/2; every other field as it was)
  summary FILE...   counts and mean scores per kind, agreement per item and kind among
                    annotators (Kendall's W for rankings, Fleiss' kappa for stop choices,
                    percent agreement for pairs, mean pairwise distance for clicks) and
                    position bias of pairwise answers (--format json for the full report)
)";
}  // namespace

int run_labels(Args& args, std::ostream& out) {
  if (args.wants_help()) {
    out << kHelp;
    return 0;
  }
  const std::string format = args.choice("format", {"text", "json"});
  args.finish(std::numeric_limits<std::size_t>::max());  // an action and its files
  const std::vector<std::string> positionals = args.positionals();
  if (positionals.empty()) {
    throw CliError("an action is required: merge, csv, rescore or summary (see --help)");
  }
  const std::string& action = positionals.front();
  if (action != "merge" && action != "csv" && action != "rescore" && action != "summary") {
    throw CliError("the action must be one of merge, csv, rescore, summary, got " + quote_value(action));
  }
  if (positionals.size() < 2) {
    throw CliError(action + " needs at least one label file");
  }
  if (action == "rescore") {
    if (positionals.size() != 2) {
      throw CliError("rescore takes one label file, got " + std::to_string(positionals.size() - 1));
    }
    const std::string& path = positionals[1];
    const auto parsed = parse_labels(read_file(path, path));
    if (!parsed) {
      throw CliError(path + ": " + parsed.error().message);
    }
    std::vector<nlohmann::json> rescored;
    for (const nlohmann::json& label : parsed.value()) {
      auto again = rescore_label(label);
      if (!again) {
        throw CliError(path + ": " + again.error().message);  // parse_labels checked each line: not reached
      }
      rescored.push_back(std::move(again.value()));
    }
    out << labels_to_jsonl(rescored);
    return 0;
  }
  std::vector<nlohmann::json> labels;
  int duplicates = 0;
  for (std::size_t i = 1; i < positionals.size(); ++i) {
    const auto parsed = parse_labels(read_file(positionals[i], "FILE"));
    if (!parsed) {
      throw CliError(positionals[i] + ": " + parsed.error().message);
    }
    LabelMerge merged = merge_labels(std::move(labels), parsed.value());
    labels = std::move(merged.labels);
    duplicates += merged.duplicates;
  }
  if (action == "merge") {
    out << labels_to_jsonl(labels);
    return 0;
  }
  if (action == "csv") {
    out << labels_to_csv(labels);
    return 0;
  }
  const auto summarized = label_summary(labels);
  if (!summarized) {
    throw CliError(summarized.error().message);
  }
  if (format == "json") {
    out << to_json(*summarized).dump(2) << "\n";
    return 0;
  }
  out << label_summary_text(*summarized, duplicates);
  return 0;
}

}  // namespace curvelab::cli
