// Quizzes: items, answers (as JSON and inside a model's free text), scores, ground truth,
// standings and the board.
#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "curvelab/json.hpp"
#include "json_read.hpp"

namespace curvelab {
using namespace json_read;

namespace {

// The field an answer of the kind is written in.
const char* answer_field(QuizKind kind) {
  switch (kind) {
    case QuizKind::StopEarly:
      return "stop";
    case QuizKind::RankMax:
    case QuizKind::RankFastest:
    case QuizKind::RankSlowest:
      return "ranking";
    case QuizKind::Onset:
    case QuizKind::StopPoint:
      return "step";
    case QuizKind::Pairwise:
      return "better";
    case QuizKind::Sequential:
      return "stops";
  }
  return "";
}

std::optional<Error> read_label(const json& j, const std::string& field, const QuizItem& item, int& out) {
  const int n = static_cast<int>(item.runs.size());
  if (j.is_string()) {
    if (const auto index = parse_run_label(j.get<std::string>(), n)) {
      out = *index;
      return std::nullopt;
    }
  }
  return Error{field, field + " must name a run " + run_label(0) + ".." + run_label(n - 1) + ", got " + describe(j)};
}

std::optional<Error> read_labels(const json& j, const std::string& field, const QuizItem& item, std::vector<int>& out) {
  if (!j.is_array()) {
    return type_error(field, "a list of run labels", j);
  }
  for (const json& label : j) {
    int index = 0;
    if (auto e = read_label(label, field, item, index)) {
      return e;
    }
    out.push_back(index);
  }
  return std::nullopt;
}

// What the kind needs of an item beyond each field's own range: run count, target and
// checkpoints, and a size the file reader can afford.
std::optional<Error> validate_item_shape(const QuizItem& item) {
  const int n = static_cast<int>(item.runs.size());
  const std::string kind(quiz_kind_name(item.kind));
  const int fewest = item.kind == QuizKind::Onset ? 1 : 2;
  if (item.kind == QuizKind::Pairwise && n != 2) {
    return Error{"runs", "item.runs of a pairwise item must hold exactly 2 runs, got " + std::to_string(n)};
  }
  if (n < fewest) {
    return Error{"runs", "item.runs of a " + kind + " item must hold at least " + std::to_string(fewest) +
                             " runs, got " + std::to_string(n)};
  }
  if (static_cast<std::int64_t>(n) * item.horizon > kMaxQuizRunSteps) {
    return Error{"runs", "item.runs x item.horizon must be at most " + std::to_string(kMaxQuizRunSteps) +
                             " run-steps, got " + std::to_string(n) + " x " + std::to_string(item.horizon)};
  }
  if (item.kind == QuizKind::StopPoint && item.target < 0) {
    return Error{"target",
                 "item.target is required by a stop-point item: the run asked about (A.." + run_label(n - 1) + ")"};
  }
  if (item.kind == QuizKind::Onset && item.target > 0) {
    return Error{"target",
                 "item.target of an onset item must be A (the run asked about), got " + run_label(item.target)};
  }
  if (item.kind != QuizKind::StopPoint && item.kind != QuizKind::Onset && item.target >= 0) {
    return Error{"target", "item.target must be null for a " + kind + " item"};
  }
  if (item.kind != QuizKind::Sequential) {
    if (!item.checkpoints.empty()) {
      return Error{"checkpoints", "item.checkpoints must be empty for a " + kind + " item"};
    }
    return std::nullopt;
  }
  if (item.checkpoints.empty()) {
    return Error{"checkpoints", "item.checkpoints of a sequential item must hold at least one step"};
  }
  for (std::size_t i = 0; i < item.checkpoints.size(); ++i) {
    const int c = item.checkpoints[i];
    if (c < 1 || c > item.horizon) {
      return out_of_range("item.checkpoints", 1, item.horizon, c);
    }
    if (i > 0 && c <= item.checkpoints[i - 1]) {
      return Error{"checkpoints", "item.checkpoints must be strictly increasing, got " +
                                      std::to_string(item.checkpoints[i - 1]) + " then " + std::to_string(c)};
    }
  }
  return std::nullopt;
}

// A step: an integer, or null where `nullable`.
std::optional<Error> read_step(const json& j, const std::string& field, std::optional<int>& out) {
  if (j.is_null()) {
    out.reset();
    return std::nullopt;
  }
  int step = 0;
  if (auto e = read_int(j, field, step)) {
    return Error{field, field + " must be a step (an integer) or null, got " + describe(j)};
  }
  out = step;
  return std::nullopt;
}

}  // namespace

json to_json(const QuizItem& item) {
  json runs = json::array();
  json labels = json::array();
  for (std::size_t i = 0; i < item.runs.size(); ++i) {
    runs.push_back(to_json(item.runs[i]));
    labels.push_back(run_label(static_cast<int>(i)));
  }
  return json{{"id", item.id},
              {"kind", quiz_kind_name(item.kind)},
              {"seed", item.seed},
              {"index", item.index},
              {"horizon", item.horizon},
              {"shown_until", item.shown_until},
              {"target", item.target >= 0 ? json(run_label(item.target)) : json(nullptr)},
              {"swapped", item.swapped},
              {"checkpoints", item.checkpoints},
              {"smoothing_window", item.smoothing_window},
              {"labels", labels},
              {"runs", runs},
              {"question", quiz_question(item)},
              {"answer_format", quiz_answer_format(item)}};
}

Expected<QuizItem> quiz_item_from_json(const json& j) {
  if (auto e = require_object(j, "item")) {
    return *e;
  }
  QuizItem item;
  const auto need = [&j](const char* key) -> const json* {
    const auto it = j.find(key);
    return it == j.end() ? nullptr : &*it;
  };
  const json* kind = need("kind");
  const auto parsed_kind = kind && kind->is_string() ? parse_quiz_kind(kind->get<std::string>()) : std::nullopt;
  if (!parsed_kind) {
    return Error{"kind",
                 "item.kind must be one of stop-early, rank-max, rank-fastest, rank-slowest, onset, "
                 "stop-point, pairwise, sequential, got " +
                     (kind ? describe(*kind) : std::string("nothing"))};
  }
  item.kind = *parsed_kind;
  const json* id = need("id");
  if (!id || !id->is_string() || id->get<std::string>().empty()) {
    return Error{"id", "item.id must be a non-empty string"};
  }
  item.id = id->get<std::string>();
  const json* runs = need("runs");
  if (!runs || !runs->is_array() || runs->empty()) {
    return Error{"runs", "item.runs must be a non-empty list of experiment configs"};
  }
  if (runs->size() > static_cast<std::size_t>(kMaxItemRuns)) {
    return Error{"runs", "item.runs must hold at most " + std::to_string(kMaxItemRuns) + " runs, got " +
                             std::to_string(runs->size())};
  }
  for (const json& run : *runs) {
    auto config = experiment_from_json(run);
    if (!config) {
      return Error{"runs", "item.runs: " + config.error().message};
    }
    item.runs.push_back(config.value());
  }
  std::optional<Error> e;
  if (const json* seed = need("seed")) {
    e = read_seed(*seed, "item.seed", item.seed);
  }
  if (const json* index = need("index"); index && !e) {
    e = read_int(*index, "item.index", item.index);
  }
  item.horizon = item.runs.front().steps;
  if (const json* horizon = need("horizon"); horizon && !e) {
    e = read_int(*horizon, "item.horizon", item.horizon);
  }
  item.shown_until = item.horizon;
  if (const json* shown = need("shown_until"); shown && !e) {
    e = read_int(*shown, "item.shown_until", item.shown_until);
  }
  item.smoothing_window = 1;
  if (const json* window = need("smoothing_window"); window && !e) {
    e = read_int(*window, "item.smoothing_window", item.smoothing_window);
  }
  if (const json* target = need("target"); target && !target->is_null() && !e) {
    e = read_label(*target, "item.target", item, item.target);
  }
  if (const json* swapped = need("swapped"); swapped && !e) {
    if (!swapped->is_boolean()) {
      e = type_error("item.swapped", "true or false", *swapped);
    } else {
      item.swapped = swapped->get<bool>();
    }
  }
  if (const json* checkpoints = need("checkpoints"); checkpoints && !e) {
    if (!checkpoints->is_array()) {
      e = type_error("item.checkpoints", "a list of steps", *checkpoints);
    } else {
      for (const json& c : *checkpoints) {
        int step = 0;
        if ((e = read_int(c, "item.checkpoints", step))) {
          break;
        }
        item.checkpoints.push_back(step);
      }
    }
  }
  if (e) {
    return *e;
  }
  for (const ExperimentConfig& run : item.runs) {
    if (run.steps != item.horizon) {
      return Error{"horizon", "item.horizon (" + std::to_string(item.horizon) + ") must equal every run's steps (" +
                                  std::to_string(run.steps) + ")"};
    }
  }
  if (item.shown_until < 1 || item.shown_until > item.horizon) {
    return out_of_range("item.shown_until", 1, item.horizon, item.shown_until);
  }
  if (item.smoothing_window < 1 || item.smoothing_window > item.horizon) {
    return out_of_range("item.smoothing_window", 1, item.horizon, item.smoothing_window);
  }
  if (auto invalid = validate_item_shape(item)) {
    return *invalid;
  }
  return item;
}

Expected<std::vector<QuizItem>> quiz_items_from_json(const json& j) {
  if (!j.is_object() || !j.contains("items") || !j["items"].is_array()) {
    return Error{"items", "expected {\"items\": [...]} from `curvelab quiz --format json`"};
  }
  std::vector<QuizItem> items;
  std::set<std::string> ids;
  std::int64_t run_steps = 0;
  for (const json& entry : j["items"]) {
    const std::string where = "item " + std::to_string(items.size() + 1) + ": ";
    auto item = quiz_item_from_json(entry);
    if (!item) {
      return Error{item.error().field, where + item.error().message};
    }
    if (!ids.insert(item->id).second) {
      return Error{"id", where + "item.id \"" + item->id + "\" is used by an earlier item (ids must be unique)"};
    }
    // Each item is within the budget, so the sum cannot overflow before it passes it.
    run_steps += static_cast<std::int64_t>(item->runs.size()) * item->horizon;
    if (run_steps > kMaxQuizRunSteps) {
      return Error{"items", where + "the items ask for more than " + std::to_string(kMaxQuizRunSteps) +
                                " run-steps (runs x horizon, summed over the items)"};
    }
    items.push_back(std::move(item.value()));
  }
  return items;
}

json to_json(const QuizAnswer& answer, const QuizItem& item) {
  if (answer.skipped) {
    return json{{"skipped", true}};
  }
  const auto labels = [](const std::vector<int>& runs) {
    json list = json::array();
    for (const int i : runs) {
      list.push_back(run_label(i));
    }
    return list;
  };
  const char* field = answer_field(item.kind);
  switch (item.kind) {
    case QuizKind::StopEarly:
      return json{{field, labels(answer.stop)}};
    case QuizKind::RankMax:
    case QuizKind::RankFastest:
    case QuizKind::RankSlowest:
      return json{{field, labels(answer.ranking)}};
    case QuizKind::Onset:
    case QuizKind::StopPoint:
      return json{{field, optional_int(answer.step)}};
    case QuizKind::Pairwise:
      return json{{field, answer.better ? json(run_label(*answer.better)) : json(nullptr)}};
    case QuizKind::Sequential: {
      json stops = json::array();
      for (const auto& stop : answer.stops) {
        stops.push_back(optional_int(stop));
      }
      return json{{field, stops}};
    }
  }
  return json::object();
}

Expected<QuizAnswer> quiz_answer_from_json(const json& j, const QuizItem& item) {
  if (!j.is_object()) {
    return Error{"answer", "the answer must be a JSON object, got " + describe(j)};
  }
  QuizAnswer answer;
  if (const auto skipped = j.find("skipped"); skipped != j.end() && *skipped == true) {
    answer.skipped = true;
    return answer;
  }
  const char* field = answer_field(item.kind);
  const auto value = j.find(field);
  if (value == j.end()) {
    return Error{field, std::string("the answer to a ") + std::string(quiz_kind_name(item.kind)) + " item needs \"" +
                            field + "\", e.g. " + quiz_answer_format(item)};
  }
  std::optional<Error> e;
  switch (item.kind) {
    case QuizKind::StopEarly:
      e = read_labels(*value, field, item, answer.stop);
      break;
    case QuizKind::RankMax:
    case QuizKind::RankFastest:
    case QuizKind::RankSlowest:
      e = read_labels(*value, field, item, answer.ranking);
      break;
    case QuizKind::Onset:
    case QuizKind::StopPoint:
      e = read_step(*value, field, answer.step);
      break;
    case QuizKind::Pairwise: {
      int better = 0;
      e = read_label(*value, field, item, better);
      answer.better = better;
      break;
    }
    case QuizKind::Sequential:
      if (!value->is_array()) {
        e = type_error(field, "a list with a step or null per run", *value);
        break;
      }
      for (const json& stop : *value) {
        std::optional<int> at;
        if ((e = read_step(stop, field, at))) {
          break;
        }
        answer.stops.push_back(at);
      }
      break;
  }
  if (e) {
    return *e;
  }
  if (auto invalid = validate_answer(item, answer)) {
    return *invalid;
  }
  return answer;
}

Expected<QuizAnswer> quiz_answer_from_text(std::string_view text, const QuizItem& item) {
  // Every balanced {...} span, found in one pass with a stack of open braces; replies
  // often restate the format before answering, so the last span is tried first. A span
  // deeper than kMaxJsonDepth would be refused by the parser anyway; skipping it bounds
  // the parsing to kMaxJsonDepth passes over each character.
  struct Open {
    std::size_t start;
    int depth;  // of the deepest brace inside, this one counting 1
  };
  std::vector<Open> open;
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (open.empty()) {
      if (c == '{') {
        open.push_back({i, 1});
      }
      continue;  // quotes in the prose around objects are not strings
    }
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      open.push_back({i, 1});
    } else if (c == '}') {
      const Open closed = open.back();
      open.pop_back();
      if (closed.depth <= kMaxJsonDepth) {
        spans.emplace_back(closed.start, i + 1);
      }
      if (!open.empty()) {
        open.back().depth = std::max(open.back().depth, closed.depth + 1);
      } else {
        in_string = false;
      }
    }
  }
  std::sort(spans.begin(), spans.end());
  std::optional<Error> last_error;
  for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
    const auto j = parse_json_text(text.substr(it->first, it->second - it->first));
    if (!j) {
      continue;
    }
    auto answer = quiz_answer_from_json(*j, item);
    if (answer) {
      return answer;
    }
    if (!last_error) {
      last_error = answer.error();
    }
  }
  if (last_error) {
    return *last_error;
  }
  return Error{"answer", "no JSON object in the reply"};
}

json to_json(const QuizScore& s) {
  return json{{"skipped", s.skipped},
              {"score", s.skipped ? json(nullptr) : number_to_json(s.score)},
              {"raw", s.skipped ? json(nullptr) : number_to_json(s.raw)},
              {"chance", s.skipped ? json(nullptr) : number_to_json(s.chance)},
              {"kendall_tau", optional_number(s.kendall_tau)},
              {"top1", optional_bool(s.top1)},
              {"distance", optional_int(s.distance)},
              {"precision", optional_number(s.precision)},
              {"recall", optional_number(s.recall)},
              {"steps_saved", optional_number(s.steps_saved)},
              {"regret", optional_number(s.regret)},
              {"correct", optional_bool(s.correct)},
              {"auc", optional_number(s.auc)},
              {"best_kept", optional_bool(s.best_kept)}};
}

json to_json(const QuizTruth& truth, const QuizItem& item) {
  json runs = json::array();
  for (std::size_t i = 0; i < truth.runs.size(); ++i) {
    json run = to_json(truth.runs[i]);
    run["label"] = run_label(static_cast<int>(i));
    run["below_median"] = truth.cohort.runs[i].below_median;
    run["best_stop_step"] = optional_int(truth.cohort.runs[i].best_stop_step);
    runs.push_back(run);
  }
  return json{
      {"answer", to_json(truth.answer, item)},        {"median_final", number_to_json(truth.cohort.median_final)},
      {"best_run", run_label(truth.cohort.best_run)}, {"truth_raw", number_to_json(truth.truth_raw)},
      {"chance", number_to_json(truth.chance)},       {"runs", runs}};
}

json to_json(const QuizTally& tally) {
  json kinds = json::object();
  for (const QuizTally::Kind& kind : tally.kinds()) {
    json rows = json::array();
    for (const QuizTally::Entry& e : kind.rows) {
      json means = json::object();
      for (const auto& [figure, sum] : e.sums) {
        means[figure] = number_to_json(sum.first / sum.second);
      }
      rows.push_back(json{{"who", e.who},
                          {"items", e.items},
                          {"answered", e.answered},
                          {"skipped", e.skipped},
                          {"mean_score", optional_number(e.mean("score"))},
                          {"reference", is_reference_row(e.who)},
                          {"means", means}});
    }
    kinds[std::string(quiz_kind_name(kind.kind))] = json{{"rows", rows}};
  }
  return kinds;
}

json to_json(const std::vector<BoardRow>& board, const QuizItem& item) {
  json rows = json::array();
  for (const BoardRow& row : board) {
    rows.push_back(json{{"who", row.who},
                        {"answer", row.answer ? to_json(*row.answer, item) : json(nullptr)},
                        {"score", row.score ? to_json(*row.score) : json(nullptr)},
                        {"reference", row.reference}});
  }
  return rows;
}

}  // namespace curvelab
