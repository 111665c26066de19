// curvelab labels: label files from the page (or any annotator tool): merge, export to
// CSV, and summarise agreement among annotators.

#include <cmath>
#include <ctime>
#include <limits>
#include <map>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "curvelab/json.hpp"
#include "curvelab/labels.hpp"

namespace curvelab::cli {
namespace {
constexpr const char* kHelp = R"(usage: curvelab labels ACTION FILE... [--format text|json]
       curvelab labels make QUIZ ANSWERS [--annotator NAME] [--created-at TIME]

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
  make QUIZ ANSWERS labels as the page makes them, one per line of ANSWERS (JSON lines
                    {"id", "answer"} as `curvelab score --key` prints them, '-' is stdin)
                    for the items of QUIZ (`curvelab quiz --format json`), as JSONL
    --annotator NAME  the labels' annotator and session (default cli); ids NAME-<item id>
    --created-at TIME the labels' time, YYYY-MM-DDTHH:MM:SSZ (default now)
)";

std::string now_utc() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

bool is_utc_time(const std::string& t) {
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:ddZ";
  if (t.size() != kShape.size()) {
    return false;
  }
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (kShape[i] == 'd' ? (t[i] < '0' || t[i] > '9') : t[i] != kShape[i]) {
      return false;
    }
  }
  return true;
}

// labels make: each answer line through the core's make_label, refused whole on the first bad line.
std::vector<nlohmann::json> make_labels(const std::string& quiz_path, const std::string& answers_path,
                                        const LabelContext& context) {
  const auto quiz_json = parse_json_text(read_file(quiz_path, "QUIZ"));
  if (!quiz_json) {
    throw CliError(quiz_path + ": " + quiz_json.error().message);
  }
  const auto items = quiz_items_from_json(*quiz_json);
  if (!items) {
    throw CliError(quiz_path + ": " + items.error().message);
  }
  std::map<std::string, const QuizItem*> by_id;
  for (const QuizItem& item : *items) {
    by_id[item.id] = &item;
  }
  // Each item answered once: every label runs its item, so the work stays within the quiz's.
  std::map<std::string, int> answered_on;
  const std::string text = read_file(answers_path, "ANSWERS");
  std::vector<nlohmann::json> labels;
  std::size_t start = 0;
  for (int line_no = 1; start < text.size(); ++line_no) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string::npos) {
      continue;
    }
    const std::string where = answers_path + " line " + std::to_string(line_no) + ": ";
    const auto parsed = parse_json_text(line);
    if (!parsed) {
      throw CliError(where + parsed.error().message);
    }
    const nlohmann::json& j = *parsed;
    if (!j.is_object() || !j.contains("id") || !j["id"].is_string() || !j.contains("answer")) {
      throw CliError(where + "not a JSON object with a string \"id\" and an \"answer\"");
    }
    const std::string id = j["id"].get<std::string>();
    const auto found = by_id.find(id);
    if (found == by_id.end()) {
      throw CliError(where + "no item with id " + describe_json(j["id"]) + " in " + quiz_path);
    }
    if (const auto [earlier, first] = answered_on.emplace(id, line_no); !first) {
      throw CliError(where + "item " + describe_json(j["id"]) + " is answered on line " +
                     std::to_string(earlier->second) + " already");
    }
    LabelContext line_context = context;
    line_context.id = context.annotator + "-" + id;
    auto label = make_label(line_context, *found->second, j["answer"]);
    if (!label) {
      throw CliError(where + label.error().message);
    }
    labels.push_back(std::move(label.value()));
  }
  return labels;
}
}  // namespace

int run_labels(Args& args, std::ostream& out) {
  if (args.wants_help()) {
    out << kHelp;
    return 0;
  }
  const std::string format = args.choice("format", {"text", "json"});
  const auto annotator = args.take("annotator");
  const auto created_at = args.take("created-at");
  args.finish(std::numeric_limits<std::size_t>::max());  // an action and its files
  const std::vector<std::string> positionals = args.positionals();
  if (positionals.empty()) {
    throw CliError("an action is required: merge, csv, rescore, summary or make (see --help)");
  }
  const std::string& action = positionals.front();
  if (action != "merge" && action != "csv" && action != "rescore" && action != "summary" && action != "make") {
    throw CliError("the action must be one of merge, csv, rescore, summary, make, got " + quote_value(action));
  }
  if ((annotator || created_at) && action != "make") {
    throw CliError("--annotator and --created-at go with make");
  }
  if (action == "make") {
    if (positionals.size() != 3) {
      throw CliError("make takes 2 files, a quiz and its answers, got " + std::to_string(positionals.size() - 1));
    }
    LabelContext context;
    context.annotator = annotator.value_or("cli");
    if (context.annotator.empty() || context.annotator.size() > 100) {
      throw CliError("--annotator must be 1..100 characters, got " + std::to_string(context.annotator.size()));
    }
    context.session = context.annotator;
    context.created_at = created_at.value_or(now_utc());
    if (!is_utc_time(context.created_at)) {
      throw CliError("--created-at must be a UTC time YYYY-MM-DDTHH:MM:SSZ, got " + quote_value(context.created_at));
    }
    context.app_version = CURVELAB_VERSION;
    out << labels_to_jsonl(make_labels(positionals[1], positionals[2], context));
    return 0;
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
