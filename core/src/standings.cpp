#include "curvelab/standings.hpp"

#include <algorithm>
#include <map>
#include <string>

#include "curvelab/json.hpp"
#include "curvelab/quiz.hpp"

namespace curvelab {
namespace {
using nlohmann::json;

struct Tally {
  int labels = 0;
  int skipped = 0;
  double score_sum = 0.0;
  int scored = 0;
  void add(const json& label) {
    ++labels;
    if (label.value("skipped", false)) {
      ++skipped;
      return;
    }
    const json& score = label["score"];
    if (const auto it = score.find("score"); it != score.end() && it->is_number()) {
      score_sum += it->get<double>();
      ++scored;
    }
  }
  json mean() const { return scored > 0 ? json(score_sum / scored) : json(nullptr); }
};

struct Row {
  std::string annotator;
  Tally all;
  std::map<std::string, Tally> by_kind;
};
}  // namespace

json label_standings(const std::vector<json>& labels) {
  std::map<std::string, Row> rows;
  for (const json& label : labels) {
    const std::string annotator = label["annotator"].get<std::string>();
    Row& row = rows[annotator];
    row.annotator = annotator;
    row.all.add(label);
    row.by_kind[label["quiz_kind"].get<std::string>()].add(label);
  }
  std::vector<const Row*> order;
  for (const auto& [name, row] : rows) {
    order.push_back(&row);
  }
  std::stable_sort(order.begin(), order.end(), [](const Row* a, const Row* b) {
    const bool a_scored = a->all.scored > 0;
    const bool b_scored = b->all.scored > 0;
    if (a_scored != b_scored) {
      return a_scored;
    }
    return a_scored && a->all.score_sum / a->all.scored > b->all.score_sum / b->all.scored;
  });
  json out = json::array();
  for (const Row* row : order) {
    json kinds = json::object();
    for (const auto& [kind, tally] : row->by_kind) {
      kinds[kind] = json{{"labels", tally.labels}, {"mean_score", tally.mean()}};
    }
    out.push_back(json{{"annotator", row->annotator},
                       {"labels", row->all.labels},
                       {"skipped", row->all.skipped},
                       {"mean_score", row->all.mean()},
                       {"by_kind", kinds}});
  }
  return out;
}

json session_standing(const std::vector<json>& labels) {
  QuizTally tally;
  for (const json& label : labels) {
    if (!label.is_object() || !label.contains("item") || !label.contains("answer") || label.value("skipped", false)) {
      continue;
    }
    const auto item = quiz_item_from_json(label["item"]);
    if (!item) {
      continue;
    }
    const auto answer = quiz_answer_from_json(label["answer"], *item);
    if (!answer || answer->skipped) {
      continue;
    }
    const QuizTruth truth = quiz_truth(*item, run_item(*item));
    const std::vector<BoardRow> board = item_board(*item, truth);
    // Ground truth first: its row counts the items, one score each.
    tally.add(item->kind, board.front().who, *board.front().score);
    tally.add(item->kind, "you", score_answer(*item, truth, *answer));
    for (std::size_t r = 1; r < board.size(); ++r) {
      if (board[r].score) {
        tally.add(item->kind, board[r].who, *board[r].score);
      }
    }
  }
  json kinds = to_json(tally);
  for (const QuizTally::Kind& kind : tally.kinds()) {
    json& entry = kinds[std::string(quiz_kind_name(kind.kind))];
    entry["items"] = entry["rows"].front()["items"];
    const TallyPlace you = tally_place(kind, "you");
    entry["place"] = you.place;
    entry["contenders"] = you.contenders;
    // The rows best first, as the standing shows them.
    json ranked = json::array();
    for (const QuizTally::Entry& e : ranked_rows(kind)) {
      for (const json& row : entry["rows"]) {
        if (row["who"] == e.who) {
          ranked.push_back(row);
        }
      }
    }
    entry["rows"] = std::move(ranked);
  }
  return json{{"kinds", kinds}};
}

}  // namespace curvelab
