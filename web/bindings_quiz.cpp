// The quiz and labels half of the WebAssembly boundary (the page's quiz mode). Every
// function takes and returns JSON text in the core's own forms (json.hpp, labels.hpp):
// items, answers, truths, boards, scores and labels are made, checked and scored by the
// core; this file only parses the page's arguments and assembles the replies.
//
// Errors never throw (the module is built without exceptions): they come back as
// `{"error": {"field": ..., "message": ...}}`, as in web/bindings.cpp.

#include <emscripten/bind.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "curvelab/error.hpp"
#include "curvelab/json.hpp"
#include "curvelab/labels.hpp"
#include "curvelab/quiz.hpp"
#include "curvelab/run.hpp"
#include "curvelab/standings.hpp"

namespace curvelab::web_quiz {
namespace {
using nlohmann::json;

constexpr double kMaxSafeInteger = 9007199254740991.0;  // 2^53 - 1
constexpr int kMaxQuizItems = 100;  // a session's items and curves cross as one JSON text (~200 KB each)

std::string error_json(const Error& error) {
  return json{{"error", {{"field", error.field}, {"message", error.message}}}}.dump();
}

Expected<json> parse(const std::string& text, const char* what) {
  auto parsed = parse_json_text(text);
  if (!parsed) {
    return Error{what, std::string(what) + ": " + parsed.error().message};
  }
  return parsed;
}

Expected<QuizItem> read_item(const std::string& text) {
  auto parsed = parse(text, "item");
  if (!parsed) {
    return parsed.error();
  }
  return quiz_item_from_json(*parsed);
}

json labelled(const std::vector<std::vector<double>>& curves) {
  json out = json::object();
  for (std::size_t r = 0; r < curves.size(); ++r) {
    out[run_label(static_cast<int>(r))] = curves[r];
  }
  return out;
}

// --- quizzes --------------------------------------------------------------------------

/// A quiz set as `curvelab quiz --format json` prints it (each item with its shown
/// curves, cut at shown_until), plus `reveal`: per item what the page draws once the
/// item is answered (true values and smoothed rewards to the horizon, baselines).
std::string make_quiz_json(const std::string& kinds_text, double count, double seed) {
  const auto kinds = parse_quiz_kinds(kinds_text);
  if (!kinds) {
    return error_json(kinds.error());
  }
  if (!(count >= 1 && count <= kMaxQuizItems && std::floor(count) == count)) {
    return error_json(out_of_range("count", 1, kMaxQuizItems, count));
  }
  if (!(seed >= 0.0 && seed <= kMaxSafeInteger && std::floor(seed) == seed)) {
    return error_json(Error{"seed", "seed must be an integer in [0, 2^53 - 1], got " + format_number(seed)});
  }
  const auto items = make_quiz(*kinds, static_cast<int>(count), static_cast<std::uint64_t>(seed));
  json set{
      {"schema", "curvelab.quiz/1"}, {"seed", static_cast<std::uint64_t>(seed)}, {"count", static_cast<int>(count)}};
  json kind_names = json::array();
  for (const QuizKind kind : *kinds) {
    kind_names.push_back(quiz_kind_name(kind));
  }
  set["kinds"] = kind_names;
  json out_items = json::array();
  json reveal = json::array();
  for (const QuizItem& item : items) {
    const std::vector<Run> runs = run_item(item);
    const auto full = shown_curves(item, runs);
    auto cut = full;
    std::vector<std::vector<double>> true_values;
    json baselines = json::object();
    for (std::size_t r = 0; r < runs.size(); ++r) {
      cut[r].resize(static_cast<std::size_t>(item.shown_until));
      const auto v = runs[r].true_values();
      true_values.emplace_back(v.begin(), v.end());
      baselines[run_label(static_cast<int>(r))] = runs[r].baseline();
    }
    json j = to_json(item);
    j["curves"] = labelled(cut);
    out_items.push_back(std::move(j));
    reveal.push_back(
        json{{"curves", labelled(full)}, {"true_values", labelled(true_values)}, {"baselines", baselines}});
  }
  set["items"] = std::move(out_items);
  set["reveal"] = std::move(reveal);
  return set.dump();
}

/// Ground truth of an item (`curvelab score --key`'s "truth") and its answer.
std::string quiz_truth_json(const std::string& item_text) {
  const auto item = read_item(item_text);
  if (!item) {
    return error_json(item.error());
  }
  const QuizTruth truth = quiz_truth(*item, run_item(*item));
  return json{{"id", item->id}, {"answer", to_json(truth.answer, *item)}, {"truth", to_json(truth, *item)}}.dump();
}

/// Everything the feedback shows for `answer` to `item`: `{"answer": normalised,
/// "score", "truth", "board", "best_pruner", "curve_model", "final_fraction"}`; the board is
/// ground truth, "you", then every pruner, `best_pruner` the index of its best pruner's row
/// (`best_pruner_row`) or null, `curve_model` the index of the curve model's row
/// (`kCurveModelRow`), and `final_fraction` the share of last steps whose mean is a run's
/// final performance.
std::string quiz_feedback_json(const std::string& item_text, const std::string& answer_text) {
  const auto item = read_item(item_text);
  if (!item) {
    return error_json(item.error());
  }
  const auto answer_json = parse(answer_text, "answer");
  if (!answer_json) {
    return error_json(answer_json.error());
  }
  const auto answer = quiz_answer_from_json(*answer_json, *item);
  if (!answer) {
    return error_json(answer.error());
  }
  const QuizTruth truth = quiz_truth(*item, run_item(*item));
  const QuizScore score = score_answer(*item, truth, *answer);
  std::vector<BoardRow> board = item_board(*item, truth);
  board.insert(board.begin() + 1, BoardRow{"you", *answer, score});
  const std::optional<std::size_t> best = best_pruner_row(board);
  const auto reader =
      std::find_if(board.begin(), board.end(), [](const BoardRow& row) { return row.who == kCurveModelRow; });
  return json{{"id", item->id},
              {"answer", to_json(*answer, *item)},
              {"score", to_json(score)},
              {"truth", to_json(truth, *item)},
              {"board", to_json(board, *item)},
              {"best_pruner", best ? json(*best) : json(nullptr)},
              {"curve_model", reader == board.end() ? json(nullptr) : json(reader - board.begin())},
              {"final_fraction", GroundTruthOptions{}.final_fraction}}
      .dump();
}

/// Sequential items, shown with context: the best run so far, as the study sees it once
/// `stops` (JSON: a step or null per run decided so far) are given. It is the study's best
/// trial: among the runs that ran to the horizon, the highest last shown value (a trial's
/// objective is its last report). `{"best": label | null, "value": number | null}`.
std::string sequential_best_so_far_json(const std::string& item_text, const std::string& stops_text) {
  const auto item = read_item(item_text);
  if (!item) {
    return error_json(item.error());
  }
  const auto stops = parse(stops_text, "stops");
  if (!stops) {
    return error_json(stops.error());
  }
  if (!stops->is_array() || stops->size() > item->runs.size()) {
    return error_json(Error{"stops", "stops must be a list with at most one entry per run"});
  }
  std::vector<std::optional<int>> decided;
  for (const json& stop : *stops) {
    decided.push_back(stop.is_null() ? std::nullopt : std::optional<int>(0));
  }
  const auto shown = shown_curves(*item, run_item(*item));
  const std::optional<int> best = best_finished_run(shown, decided);
  if (!best) {
    return json{{"best", nullptr}, {"value", nullptr}}.dump();
  }
  return json{{"best", run_label(*best)}, {"value", shown[static_cast<std::size_t>(*best)].back()}}.dump();
}

// --- labels ---------------------------------------------------------------------------

Expected<LabelContext> read_context(const std::string& text) {
  auto parsed = parse(text, "context");
  if (!parsed) {
    return parsed.error();
  }
  const json& j = *parsed;
  if (!j.is_object()) {
    return Error{"context", "context must be a JSON object"};
  }
  LabelContext context;
  for (const auto& [key, value] : j.items()) {
    std::string* text_field = key == "id"            ? &context.id
                              : key == "annotator"   ? &context.annotator
                              : key == "session"     ? &context.session
                              : key == "created_at"  ? &context.created_at
                              : key == "app_version" ? &context.app_version
                                                     : nullptr;
    if (text_field) {
      if (!value.is_string()) {
        return Error{key, "context." + key + " must be a string"};
      }
      *text_field = value.get<std::string>();
    } else if (key == "display") {
      if (!value.is_object()) {
        return Error{key, "context.display must be a JSON object"};
      }
      context.display = value;
    } else if (key == "latency_ms") {
      if (!value.is_number()) {
        return Error{key, "context.latency_ms must be a number"};
      }
      context.latency_ms = value.get<double>();
    } else {
      return Error{key, "context." + key +
                            " is not a label field (id, annotator, session, created_at, app_version, "
                            "display, latency_ms)"};
    }
  }
  return context;
}

/// The label of `answer` (or {"skipped": true}) to `item`, made and scored by the core.
std::string make_label_json(const std::string& context_text, const std::string& item_text,
                            const std::string& answer_text) {
  const auto context = read_context(context_text);
  if (!context) {
    return error_json(context.error());
  }
  const auto item = read_item(item_text);
  if (!item) {
    return error_json(item.error());
  }
  const auto answer = parse(answer_text, "answer");
  if (!answer) {
    return error_json(answer.error());
  }
  const auto label = make_label(*context, *item, *answer);
  if (!label) {
    return error_json(label.error());
  }
  return label->dump();
}

// Labels from JSONL text; `where` prefixes the core's "line N: ..." message.
Expected<std::vector<json>> read_labels(const std::string& jsonl, const std::string& where) {
  auto labels = parse_labels(jsonl);
  if (!labels) {
    return Error{labels.error().field, where + labels.error().message};
  }
  return labels;
}

json lines_of(const std::vector<json>& labels) {
  json lines = json::array();
  for (const json& label : labels) {
    lines.push_back(label.dump());
  }
  return lines;
}

/// `incoming` (JSONL) merged into `stored` (JSONL), all or nothing, de-duplicated by id:
/// `{"lines": [label JSON text...], "added", "duplicates", "rescored"}` (stored first, then
/// the new ones) or the first problem, naming the line. Incoming labels of the previous
/// schema are rescored by the core's current rules and stored as the current schema.
std::string merge_labels_json(const std::string& stored_text, const std::string& incoming_text) {
  const auto stored = read_labels(stored_text, "stored labels: ");
  if (!stored) {
    return error_json(stored.error());
  }
  const auto read = read_labels(incoming_text, "");
  if (!read) {
    return error_json(read.error());
  }
  const auto incoming = upgrade_labels(*read);
  if (!incoming) {
    return error_json(incoming.error());  // each line validated above: not reached
  }
  const LabelMerge merge = merge_labels(*stored, *incoming);
  // Of the labels added (the tail of the merge, in incoming order), those that were rescored.
  int rescored = 0;
  std::set<std::string> added;
  for (std::size_t i = merge.labels.size() - static_cast<std::size_t>(merge.added); i < merge.labels.size(); ++i) {
    added.insert(merge.labels[i]["id"].get<std::string>());
  }
  for (const json& label : *read) {
    if (label["schema"] == kLabelSchemaV1 && added.erase(label["id"].get<std::string>()) > 0) {
      ++rescored;
    }
  }
  return json{{"lines", lines_of(merge.labels)},
              {"added", merge.added},
              {"duplicates", merge.duplicates},
              {"rescored", rescored}}
      .dump();
}

/// The labels (JSONL) exported as `format` ("jsonl" or "csv"): `{"text": ...}`.
std::string export_labels_json(const std::string& jsonl, const std::string& format) {
  const auto labels = read_labels(jsonl, "");
  if (!labels) {
    return error_json(labels.error());
  }
  if (format == "jsonl") {
    return json{{"text", labels_to_jsonl(*labels)}}.dump();
  }
  if (format == "csv") {
    return json{{"text", labels_to_csv(*labels)}}.dump();
  }
  return error_json(Error{"format", "format must be jsonl or csv, got \"" + format + "\""});
}

/// The core's label_summary of the labels (JSONL).
std::string label_summary_json(const std::string& jsonl) {
  const auto labels = read_labels(jsonl, "");
  if (!labels) {
    return error_json(labels.error());
  }
  const auto summary = label_summary(*labels);
  if (!summary) {
    return error_json(summary.error());
  }
  return to_json(*summary).dump();
}

/// The core's session_standing of the labels (JSONL).
std::string session_standing_json(const std::string& jsonl) {
  const auto labels = read_labels(jsonl, "");
  if (!labels) {
    return error_json(labels.error());
  }
  return session_standing(*labels).dump();
}

}  // namespace
}  // namespace curvelab::web_quiz

EMSCRIPTEN_BINDINGS(curvelab_quiz) {
  using namespace emscripten;
  using namespace curvelab::web_quiz;

  function("makeQuiz", &make_quiz_json);
  function("quizTruth", &quiz_truth_json);
  function("quizFeedback", &quiz_feedback_json);
  function("sequentialBestSoFar", &sequential_best_so_far_json);
  function("makeLabel", &make_label_json);
  function("mergeLabels", &merge_labels_json);
  function("exportLabels", &export_labels_json);
  function("labelSummary", &label_summary_json);
  function("sessionStanding", &session_standing_json);
}
