#include "curvelab/standings.hpp"

#include <catch2/catch.hpp>

#include "curvelab/json.hpp"
#include "curvelab/labels.hpp"
#include "curvelab/quiz.hpp"
#include "curvelab/run.hpp"

using nlohmann::json;

namespace {
json label(const std::string& annotator, const std::string& kind, bool skipped, double score) {
  return json{{"annotator", annotator},
              {"quiz_kind", kind},
              {"skipped", skipped},
              {"score", skipped ? json{{"score", nullptr}} : json{{"score", score}}}};
}
}  // namespace

TEST_CASE("standings rank annotators by their mean score over answers not skipped", "[standings]") {
  const std::vector<json> labels{label("b", "onset", false, 0.25), label("a", "onset", false, 1.0),
                                 label("c", "pairwise", true, 0.0), label("a", "pairwise", false, 0.5),
                                 label("b", "pairwise", true, 0.0)};
  const json s = curvelab::label_standings(labels);
  REQUIRE(s.size() == 3);
  CHECK(s[0]["annotator"] == "a");
  CHECK(s[0]["labels"] == 2);
  CHECK(s[0]["mean_score"].get<double>() == 0.75);
  CHECK(s[0]["by_kind"]["onset"]["mean_score"].get<double>() == 1.0);
  CHECK(s[0]["by_kind"]["pairwise"]["mean_score"].get<double>() == 0.5);
  CHECK(s[1]["annotator"] == "b");
  CHECK(s[1]["skipped"] == 1);
  CHECK(s[1]["mean_score"].get<double>() == 0.25);
  CHECK(s[1]["by_kind"]["pairwise"]["mean_score"].is_null());
  // Only skips: no score, listed last.
  CHECK(s[2]["annotator"] == "c");
  CHECK(s[2]["mean_score"].is_null());
}

TEST_CASE("standings of no labels are empty, and ties keep annotator order", "[standings]") {
  CHECK(curvelab::label_standings({}).empty());
  const json s = curvelab::label_standings({label("z", "onset", false, 0.5), label("m", "onset", false, 0.5)});
  CHECK(s[0]["annotator"] == "m");
  CHECK(s[1]["annotator"] == "z");
}

TEST_CASE("a session's standing puts you on each answered item's board, skips left out", "[standings]") {
  using namespace curvelab;
  const QuizItem stop = make_quiz_item(QuizKind::StopEarly, 5, 0);
  const QuizItem pair = make_quiz_item(QuizKind::Pairwise, 5, 1);
  const QuizTruth stop_truth = quiz_truth(stop, run_item(stop));
  const QuizTruth pair_truth = quiz_truth(pair, run_item(pair));
  const LabelContext context{"l1", "ann", "s", "2026-12-01T12:00:00Z", "test"};
  QuizAnswer wrong = pair_truth.answer;
  wrong.better = 1 - *wrong.better;
  const std::vector<json> labels{make_label(context, stop, to_json(stop_truth.answer, stop)).value(),
                                 make_label(context, pair, to_json(wrong, pair)).value(),
                                 make_label(context, pair, json{{"skipped", true}}).value()};
  const json s = session_standing(labels);
  REQUIRE(s["kinds"].size() == 2);
  const auto row = [&](const char* kind, const char* who) {
    for (const json& r : s["kinds"][kind]["rows"]) {
      if (r["who"] == who) {
        return r;
      }
    }
    return json();
  };
  CHECK(s["kinds"]["stop-early"]["items"] == 1);
  CHECK(s["kinds"]["pairwise"]["items"] == 1);  // the skip is not an answered item
  CHECK(s["kinds"]["stop-early"]["rows"][0]["who"] == "ground truth");
  CHECK(row("stop-early", "you")["mean_score"] == 1.0);  // the key scores as ground truth does
  CHECK(row("pairwise", "you")["mean_score"] == -1.0);   // the worse run of two: chance-corrected -1
  CHECK(row("pairwise", "you")["answered"] == 1);
  // Every board row of the item is there: each pruner and the reference rows.
  for (const BoardRow& board_row : item_board(stop, stop_truth)) {
    if (board_row.score) {
      INFO(board_row.who);
      CHECK(row("stop-early", board_row.who.c_str())["mean_score"] == board_row.score->score);
    }
  }
  // Rows best mean score first; "you" has a place among the contenders.
  for (const auto& [kind, entry] : s["kinds"].items()) {
    INFO(kind);
    double last = 2.0;
    for (const json& r : entry["rows"]) {
      if (r["mean_score"].is_number()) {
        CHECK(r["mean_score"].get<double>() <= last);
        last = r["mean_score"].get<double>();
      }
    }
    CHECK(entry["place"].get<int>() >= 1);
    CHECK(entry["place"].get<int>() <= entry["contenders"].get<int>());
  }
  CHECK(s["kinds"]["stop-early"]["place"] == 1);  // the key's score, 1, ties ground truth: no pruner beats it
  CHECK(session_standing({})["kinds"].empty());
}
