#include "curvelab/labels.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "curvelab/agreement.hpp"
#include "curvelab/json.hpp"

namespace curvelab {
namespace {
using nlohmann::json;

std::optional<Error> require_string(const json& label, const char* field) {
  const auto it = label.find(field);
  if (it == label.end() || !it->is_string() || it->get<std::string>().empty()) {
    return Error{field, std::string(field) + " must be a non-empty string"};
  }
  return std::nullopt;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) {
    return text;
  }
  std::string quoted = "\"";
  for (const char c : text) {
    quoted += c;
    if (c == '"') {
      quoted += '"';
    }
  }
  return quoted + "\"";
}

std::string csv_value(const json& j) {
  if (j.is_null()) {
    return "";
  }
  if (j.is_string()) {
    return csv_field(j.get<std::string>());
  }
  if (j.is_number()) {
    return format_number(j.get<double>());
  }
  return csv_field(j.dump());
}

// Null where nothing was counted, and where hostile figures (scores near the largest
// double) would sum to an infinity: never a NaN or an infinity in the summary.
std::optional<double> mean_of(double sum, int n) {
  const double mean = n > 0 ? sum / n : 0.0;
  return n > 0 && std::isfinite(mean) ? std::optional<double>(mean) : std::nullopt;
}

// `second` shows the pair of `first` with sides swapped: both pairwise, the same runs in
// the other order.
bool is_swapped_showing(const QuizItem& first, const QuizItem& second) {
  return first.kind == QuizKind::Pairwise && second.kind == QuizKind::Pairwise && second.swapped &&
         first.runs.size() == 2 && second.runs.size() == 2 && first.horizon == second.horizon &&
         to_json(first.runs[0]) == to_json(second.runs[1]) && to_json(first.runs[1]) == to_json(second.runs[0]);
}
}  // namespace

Expected<json> make_label(const LabelContext& context, const QuizItem& item, const json& answer_json) {
  const auto answer = quiz_answer_from_json(answer_json, item);
  if (!answer) {
    return answer.error();
  }
  const QuizTruth truth = quiz_truth(item, run_item(item));
  json label{{"schema", kLabelSchema},
             {"id", context.id},
             {"annotator", context.annotator},
             {"session", context.session},
             {"created_at", context.created_at},
             {"app_version", context.app_version},
             {"quiz_kind", quiz_kind_name(item.kind)},
             {"item", to_json(item)},
             {"display", context.display},
             {"answer", to_json(answer.value(), item)},
             {"skipped", answer->skipped},
             {"latency_ms", context.latency_ms},
             {"score", to_json(score_answer(item, truth, answer.value()))}};
  if (auto e = validate_label(label)) {
    return *e;
  }
  return label;
}

std::optional<Error> validate_label(const json& label) {
  if (!label.is_object()) {
    return Error{"label", "not a JSON object"};
  }
  const auto schema = label.find("schema");
  if (schema == label.end() || (*schema != kLabelSchema && *schema != kLabelSchemaV1)) {
    return Error{"schema", std::string("not a curvelab label: schema must be \"") + kLabelSchema + "\" or \"" +
                               kLabelSchemaV1 + "\", got " +
                               (schema == label.end() ? std::string("nothing") : describe_json(*schema))};
  }
  const bool current = *schema == kLabelSchema;
  for (const char* field : {"id", "annotator", "session", "created_at", "app_version", "quiz_kind"}) {
    if (auto e = require_string(label, field)) {
      return e;
    }
  }
  const auto item_json = label.find("item");
  if (item_json == label.end()) {
    return Error{"item", "item is missing"};
  }
  const auto item = quiz_item_from_json(*item_json);
  if (!item) {
    return item.error();
  }
  if (label["quiz_kind"] != quiz_kind_name(item->kind)) {
    return Error{"quiz_kind", "quiz_kind " + describe_json(label["quiz_kind"]) + " does not match the item's kind \"" +
                                  std::string(quiz_kind_name(item->kind)) + "\""};
  }
  const auto answer = label.find("answer");
  if (answer == label.end()) {
    return Error{"answer", "answer is missing"};
  }
  const auto parsed = quiz_answer_from_json(*answer, item.value());
  if (!parsed) {
    return Error{"answer", "answer: " + parsed.error().message};
  }
  // A current label must keep the answer whole: what the core reads back from it, written
  // again, is the answer itself, so nothing given was dropped and rescoring sees it all.
  if (const json whole = to_json(parsed.value(), item.value()); current && whole != *answer) {
    return Error{"answer",
                 "answer must be the whole answer as the core writes it, " + whole.dump() + ", got " + answer->dump()};
  }
  const auto skipped = label.find("skipped");
  if (skipped == label.end() || !skipped->is_boolean()) {
    return Error{"skipped", "skipped must be true or false"};
  }
  if (current && skipped->get<bool>() != parsed->skipped) {
    return Error{"skipped", std::string("skipped must be ") + (parsed->skipped ? "true" : "false") +
                                ", as the answer says, got " + skipped->dump()};
  }
  const auto latency = label.find("latency_ms");
  if (latency == label.end() || !latency->is_number() || latency->get<double>() < 0.0) {
    return Error{"latency_ms", "latency_ms must be a number >= 0"};
  }
  for (const char* field : {"display", "score"}) {
    const auto it = label.find(field);
    if (it == label.end() || !it->is_object()) {
      return Error{field, std::string(field) + " must be a JSON object"};
    }
  }
  return std::nullopt;
}

Expected<json> rescore_label(const json& label) {
  if (auto e = validate_label(label)) {
    return *e;
  }
  const auto item = quiz_item_from_json(label["item"]);
  const auto answer = quiz_answer_from_json(label["answer"], item.value());
  json rescored = label;
  rescored["schema"] = kLabelSchema;
  rescored["answer"] = to_json(answer.value(), item.value());
  rescored["skipped"] = answer->skipped;
  rescored["score"] =
      to_json(score_answer(item.value(), quiz_truth(item.value(), run_item(item.value())), answer.value()));
  return rescored;
}

Expected<std::vector<json>> upgrade_labels(const std::vector<json>& labels) {
  std::vector<json> upgraded;
  upgraded.reserve(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i].is_object() && labels[i].value("schema", json()) == kLabelSchema) {
      upgraded.push_back(labels[i]);
      continue;
    }
    auto rescored = rescore_label(labels[i]);
    if (!rescored) {
      return Error{rescored.error().field, "label " + std::to_string(i + 1) + ": " + rescored.error().message};
    }
    upgraded.push_back(std::move(rescored.value()));
  }
  return upgraded;
}

Expected<std::vector<json>> parse_labels(std::string_view jsonl) {
  if (jsonl.size() > kMaxInputBytes) {
    return Error{"jsonl", "the labels are " + std::to_string(jsonl.size()) + " bytes, more than the limit of " +
                              std::to_string(kMaxInputBytes) + " (" + std::to_string(kMaxInputBytes >> 20) + " MiB)"};
  }
  std::vector<json> labels;
  std::size_t start = 0;
  int line_no = 0;
  while (start < jsonl.size()) {
    std::size_t end = jsonl.find('\n', start);
    if (end == std::string_view::npos) {
      end = jsonl.size();
    }
    const std::string_view line = jsonl.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
      continue;
    }
    auto label = parse_json_text(line);
    const std::string where = "line " + std::to_string(line_no) + ": ";
    if (!label) {
      return Error{"jsonl", where + label.error().message};
    }
    if (auto e = validate_label(*label)) {
      return Error{e->field, where + e->message};
    }
    labels.push_back(std::move(label.value()));
  }
  return labels;
}

LabelMerge merge_labels(std::vector<json> stored, const std::vector<json>& incoming) {
  LabelMerge merge;
  std::set<std::string> ids;
  for (const json& label : stored) {
    ids.insert(label["id"].get<std::string>());
  }
  merge.labels = std::move(stored);
  for (const json& label : incoming) {
    if (ids.insert(label["id"].get<std::string>()).second) {
      merge.labels.push_back(label);
      ++merge.added;
    } else {
      ++merge.duplicates;
    }
  }
  return merge;
}

std::string labels_to_jsonl(const std::vector<json>& labels) {
  std::string text;
  for (const json& label : labels) {
    text += label.dump() + "\n";
  }
  return text;
}

std::string labels_to_csv(const std::vector<json>& labels) {
  std::string text =
      "id,annotator,session,created_at,app_version,quiz_kind,item_id,item_seed,item_index,skipped,latency_ms,score,"
      "answer,display\n";
  for (const json& l : labels) {
    const json& item = l["item"];
    const json& score = l["score"];
    text += csv_value(l["id"]) + ',' + csv_value(l["annotator"]) + ',' + csv_value(l["session"]) + ',' +
            csv_value(l["created_at"]) + ',' + csv_value(l["app_version"]) + ',' + csv_value(l["quiz_kind"]) + ',' +
            csv_value(item["id"]) + ',' + csv_value(item.value("seed", json(nullptr))) + ',' +
            csv_value(item.value("index", json(nullptr))) + ',' + (l["skipped"].get<bool>() ? "true" : "false") + ',' +
            csv_value(l["latency_ms"]) + ',' + csv_value(score.value("score", json(nullptr))) + ',' +
            csv_field(l["answer"].dump()) + ',' + csv_field(l["display"].dump()) + '\n';
  }
  return text;
}

Expected<LabelSummary> label_summary(const std::vector<json>& labels) {
  // Per item: each annotator's first answer (not skipped), in the order stored. Items are
  // told apart by their whole identity (kind, seed, index, runs, horizon, ...), and two
  // labels that give one id to different items are refused: their answers cannot be
  // compared.
  struct ItemAnswers {
    QuizItem item;
    std::string identity;  ///< the item's JSON
    std::size_t first_label = 0;
    std::vector<std::string> annotators;
    std::vector<QuizAnswer> answers;
  };
  std::map<std::string, ItemAnswers> items;
  std::set<std::string> annotators;
  struct KindTally {
    int labels = 0;
    int skipped = 0;
    double score_sum = 0.0;
    int scored = 0;
    double agreement_sum = 0.0;
    int agreement_items = 0;
  };
  std::map<std::string, KindTally> kinds;
  int left = 0;
  int pairwise = 0;
  for (std::size_t n = 0; n < labels.size(); ++n) {
    const json& label = labels[n];
    const std::string where = "label " + std::to_string(n + 1) + ": ";
    if (auto e = validate_label(label)) {
      return Error{e->field, where + e->message};
    }
    const auto item = quiz_item_from_json(label["item"]);
    const auto answer = quiz_answer_from_json(label["answer"], item.value());
    const std::string identity = to_json(item.value()).dump();
    const auto [found, added] = items.try_emplace(item->id, ItemAnswers{item.value(), identity, n, {}, {}});
    ItemAnswers& entry = found->second;
    if (!added && entry.identity != identity) {
      return Error{"item", where + "item.id " + describe_json(item->id) + " names another item in label " +
                               std::to_string(entry.first_label + 1) +
                               " (kind, seed, index, runs or horizon differ): labels of different items cannot "
                               "share an id"};
    }
    const std::string annotator = label["annotator"].get<std::string>();
    annotators.insert(annotator);
    KindTally& tally = kinds[std::string(quiz_kind_name(item->kind))];
    ++tally.labels;
    if (answer->skipped) {
      ++tally.skipped;
      continue;
    }
    if (const auto score = label["score"].find("score"); score != label["score"].end() && score->is_number()) {
      tally.score_sum += score->get<double>();
      ++tally.scored;
    }
    if (item->kind == QuizKind::Pairwise) {
      ++pairwise;
      left += answer->better == 0 ? 1 : 0;
    }
    if (std::find(entry.annotators.begin(), entry.annotators.end(), annotator) == entry.annotators.end()) {
      entry.annotators.push_back(annotator);
      entry.answers.push_back(answer.value());
    }
  }

  LabelSummary summary;
  for (const auto& [id, entry] : items) {
    const std::size_t m = entry.answers.size();
    const bool ranking = entry.item.kind == QuizKind::RankMax || entry.item.kind == QuizKind::RankFastest ||
                         entry.item.kind == QuizKind::RankSlowest;
    if (m < 2 || (ranking && entry.item.runs.size() < 2)) {
      continue;  // agreement needs two annotators, and a ranking two runs
    }
    const QuizItem& item = entry.item;
    std::string statistic;
    double value = 0.0;
    switch (item.kind) {
      case QuizKind::RankMax:
      case QuizKind::RankFastest:
      case QuizKind::RankSlowest: {
        std::vector<std::vector<int>> rankings;
        for (const QuizAnswer& a : entry.answers) {
          rankings.push_back(a.ranking);
        }
        statistic = "kendall_w";
        value = std::clamp(kendall_w(rankings), 0.0, 1.0);
        break;
      }
      case QuizKind::StopEarly:
      case QuizKind::Sequential: {
        // Subjects are the runs; categories stop / keep.
        std::vector<std::vector<int>> counts(item.runs.size(), std::vector<int>(2, 0));
        for (const QuizAnswer& a : entry.answers) {
          std::vector<bool> stopped(item.runs.size(), false);
          if (item.kind == QuizKind::StopEarly) {
            for (const int i : a.stop) {
              stopped[static_cast<std::size_t>(i)] = true;
            }
          } else {
            for (std::size_t i = 0; i < a.stops.size(); ++i) {
              stopped[i] = a.stops[i].has_value();
            }
          }
          for (std::size_t i = 0; i < stopped.size(); ++i) {
            ++counts[i][stopped[i] ? 0 : 1];
          }
        }
        statistic = "fleiss_kappa";
        value = fleiss_kappa(counts);
        break;
      }
      case QuizKind::Pairwise: {
        std::vector<int> choices;
        for (const QuizAnswer& a : entry.answers) {
          choices.push_back(*a.better);
        }
        statistic = "percent_agreement";
        value = percent_agreement(choices);
        break;
      }
      case QuizKind::Onset:
      case QuizKind::StopPoint: {
        std::vector<int> clicks;
        for (const QuizAnswer& a : entry.answers) {
          clicks.push_back(a.step.value_or(item.horizon));
        }
        statistic = "mean_pairwise_distance";
        value = mean_pairwise_distance(clicks);
        break;
      }
    }
    KindTally& tally = kinds[std::string(quiz_kind_name(item.kind))];
    tally.agreement_sum += value;
    ++tally.agreement_items;
    summary.items.push_back({id, item.kind, static_cast<int>(m), statistic, value});
  }

  // Position bias: the share of pairs where the left run (A) was chosen, and whether an
  // annotator chose the same run when the sides were swapped.
  int swap_pairs = 0;
  int consistent = 0;
  for (const auto& [id, entry] : items) {
    if (entry.item.kind != QuizKind::Pairwise || entry.item.swapped) {
      continue;
    }
    const auto swapped = items.find(id + "-swapped");
    if (swapped == items.end() || !is_swapped_showing(entry.item, swapped->second.item)) {
      continue;
    }
    for (std::size_t a = 0; a < entry.annotators.size(); ++a) {
      const auto& others = swapped->second.annotators;
      const auto found = std::find(others.begin(), others.end(), entry.annotators[a]);
      if (found == others.end()) {
        continue;
      }
      const QuizAnswer& second = swapped->second.answers[static_cast<std::size_t>(found - others.begin())];
      ++swap_pairs;
      // Sides are swapped: choosing A first and B second is the same run.
      consistent += *entry.answers[a].better != *second.better ? 1 : 0;
    }
  }

  for (const auto& [kind, tally] : kinds) {
    summary.kinds.push_back({*parse_quiz_kind(kind), tally.labels, tally.skipped,
                             mean_of(tally.score_sum, tally.scored), tally.agreement_items,
                             mean_of(tally.agreement_sum, tally.agreement_items)});
  }
  summary.labels = static_cast<int>(labels.size());
  summary.annotators = static_cast<int>(annotators.size());
  summary.pairwise_answers = pairwise;
  summary.share_left = mean_of(left, pairwise);
  summary.swap_pairs = swap_pairs;
  summary.consistent_share = mean_of(consistent, swap_pairs);
  return summary;
}

json to_json(const LabelSummary& summary) {
  const auto or_null = [](const std::optional<double>& v) { return v ? json(*v) : json(); };
  json by_kind = json::object();
  for (const LabelSummary::Kind& k : summary.kinds) {
    by_kind[std::string(quiz_kind_name(k.kind))] = json{{"labels", k.labels},
                                                        {"skipped", k.skipped},
                                                        {"mean_score", or_null(k.mean_score)},
                                                        {"items_with_agreement", k.items_with_agreement},
                                                        {"mean_agreement", or_null(k.mean_agreement)}};
  }
  json items = json::array();
  for (const LabelSummary::Agreement& a : summary.items) {
    items.push_back(json{{"id", a.id},
                         {"kind", quiz_kind_name(a.kind)},
                         {"annotators", a.annotators},
                         {"statistic", a.statistic},
                         {"value", a.value}});
  }
  return json{{"labels", summary.labels},
              {"annotators", summary.annotators},
              {"by_kind", by_kind},
              {"items", items},
              {"position_bias", json{{"pairwise_answers", summary.pairwise_answers},
                                     {"share_left", or_null(summary.share_left)},
                                     {"swap_pairs", summary.swap_pairs},
                                     {"consistent_share", or_null(summary.consistent_share)}}}};
}

std::string label_summary_text(const LabelSummary& summary, int duplicates_ignored) {
  const auto rounded = [](double v, double scale) { return format_number(std::round(v * scale) / scale); };
  std::ostringstream out;
  out << summary.labels << " labels from " << summary.annotators << " annotators";
  if (duplicates_ignored > 0) {
    out << " (" << duplicates_ignored << " duplicates ignored)";
  }
  out << "\n\n";
  for (const LabelSummary::Kind& k : summary.kinds) {
    out << quiz_kind_name(k.kind) << ": " << k.labels << " labels, " << k.skipped << " skipped";
    if (k.mean_score) {
      out << ", mean score " << rounded(*k.mean_score, 1000);
    }
    if (k.items_with_agreement > 0) {
      out << ", agreement " << rounded(*k.mean_agreement, 1000) << " over " << k.items_with_agreement
          << " items answered by several annotators";
    }
    out << "\n";
  }
  if (summary.pairwise_answers > 0) {
    out << "\npairwise: the left curve was chosen in " << format_number(std::round(*summary.share_left * 1000) / 10)
        << "% of " << summary.pairwise_answers << " answers";
    if (summary.swap_pairs > 0) {
      out << "; the same run was chosen after swapping sides in "
          << format_number(std::round(*summary.consistent_share * 1000) / 10) << "% of " << summary.swap_pairs
          << " pairs";
    }
    out << "\n";
  }
  return out.str();
}

LabelsOnQuiz labels_on_quiz(std::string_view jsonl, const std::vector<QuizItem>& items,
                            const std::vector<QuizTruth>& truths) {
  std::map<std::string, std::size_t, std::less<>> by_id;
  for (std::size_t i = 0; i < items.size(); ++i) {
    by_id.emplace(items[i].id, i);
  }
  LabelsOnQuiz on;
  int line_no = 0;
  std::size_t start = 0;
  while (start < jsonl.size()) {
    const std::size_t end = std::min(jsonl.find('\n', start), jsonl.size());
    const std::string_view line = jsonl.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
      continue;
    }
    const auto parsed = parse_json_text(line);
    if (!parsed) {
      on.problems.push_back({line_no, "", parsed.error().message});
      continue;
    }
    if (auto e = validate_label(*parsed)) {
      on.problems.push_back({line_no, "", e->message});
      continue;
    }
    const json& label = *parsed;
    const auto found = by_id.find(label["item"]["id"].get_ref<const std::string&>());
    if (found == by_id.end()) {
      ++on.other_items;
      continue;
    }
    const QuizItem& item = items[found->second];
    // One id, one item: a label on another item that reuses the id is refused, not scored.
    if (to_json(quiz_item_from_json(label["item"]).value()) != to_json(item)) {
      on.problems.push_back({line_no, item.id, "the label's item differs from the quiz item with this id"});
      continue;
    }
    const QuizAnswer answer = quiz_answer_from_json(label["answer"], item).value();
    const QuizScore score = score_answer(item, truths[found->second], answer);
    on.tally.add(item.kind, "people", score);
    on.scores.emplace_back(found->second, score);
    ++on.used;
  }
  return on;
}

}  // namespace curvelab
