// Quiz items, their ground truth, and the scoring shared by people, pruners and models.

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "curvelab/quiz.hpp"

using namespace curvelab;

namespace {
struct Built {
  QuizItem item;
  QuizTruth truth;
};

Built build(QuizKind kind, std::uint64_t seed = 3, int index = 0) {
  Built b{make_quiz_item(kind, seed, index), {}};
  b.truth = quiz_truth(b.item, run_item(b.item));
  return b;
}
}  // namespace

TEST_CASE("kendall tau counts agreeing and disagreeing pairs", "[quiz]") {
  CHECK(kendall_tau({0, 1, 2, 3}, {0, 1, 2, 3}) == 1.0);
  CHECK(kendall_tau({0, 1, 2, 3}, {3, 2, 1, 0}) == -1.0);
  // One adjacent swap among 4: 5 concordant and 1 discordant pair of 6.
  CHECK(kendall_tau({1, 0, 2, 3}, {0, 1, 2, 3}) == Approx(4.0 / 6.0));
  CHECK(kendall_tau({2, 0, 1}, {0, 1, 2}) == Approx(-1.0 / 3.0));
}

TEST_CASE("run labels go A..Z, then AA", "[quiz]") {
  CHECK(run_label(0) == "A");
  CHECK(run_label(25) == "Z");
  CHECK(run_label(26) == "AA");
  CHECK(parse_run_label("C", 5) == 2);
  CHECK_FALSE(parse_run_label("F", 5).has_value());
}

TEST_CASE("an item is regenerated exactly from its kind, seed and index", "[quiz]") {
  for (const QuizKind kind : kAllQuizKinds) {
    const QuizItem a = make_quiz_item(kind, 11, 4);
    const QuizItem b = make_quiz_item(kind, 11, 4);
    REQUIRE(a.runs.size() == b.runs.size());
    CHECK(a.id == std::string(quiz_kind_name(kind)) + "-11-4");
    CHECK(a.target == b.target);
    for (std::size_t i = 0; i < a.runs.size(); ++i) {
      CHECK(a.runs[i].seed == b.runs[i].seed);
      CHECK(a.runs[i].agent.epsilon == b.runs[i].agent.epsilon);
    }
    const QuizItem other = make_quiz_item(kind, 11, 5);
    CHECK(other.runs[0].seed != a.runs[0].seed);
  }
}

TEST_CASE("the ground-truth answer of every kind scores 1", "[quiz]") {
  for (const QuizKind kind : kAllQuizKinds) {
    for (int index = 0; index < 3; ++index) {
      const Built b = build(kind, 5, index);
      INFO(b.item.id);
      REQUIRE_FALSE(validate_answer(b.item, b.truth.answer));
      const QuizScore s = score_answer(b.item, b.truth, b.truth.answer);
      CHECK(s.score == 1.0);
    }
  }
}

TEST_CASE("items have the clear answers they claim", "[quiz]") {
  SECTION("rank-max: the maxima are well apart, and the truth orders them") {
    const Built b = build(QuizKind::RankMax);
    const auto& r = b.truth.answer.ranking;
    for (std::size_t i = 1; i < r.size(); ++i) {
      CHECK(b.truth.runs[static_cast<std::size_t>(r[i - 1])].max_visible >
            b.truth.runs[static_cast<std::size_t>(r[i])].max_visible);
    }
  }
  SECTION("rank-fastest and rank-slowest are each other's reverse on the same runs") {
    const Built fast = build(QuizKind::RankFastest);
    std::vector<int> expected = fast.truth.answer.ranking;
    for (std::size_t i = 1; i < expected.size(); ++i) {
      CHECK(*fast.truth.runs[static_cast<std::size_t>(expected[i - 1])].time_to_50 <
            *fast.truth.runs[static_cast<std::size_t>(expected[i])].time_to_50);
    }
  }
  SECTION("onset: a learner whose onset lies inside the horizon") {
    const Built b = build(QuizKind::Onset);
    REQUIRE(b.truth.answer.step.has_value());
    CHECK(*b.truth.answer.step >= 50);
    CHECK(*b.truth.answer.step <= 800);
    CHECK(*b.truth.answer.step == b.truth.runs[0].onset);
  }
  SECTION("stop-point: the target should stop, at its best stop step") {
    const Built b = build(QuizKind::StopPoint);
    REQUIRE(b.item.target >= 0);
    const auto& stop = b.truth.cohort.runs[static_cast<std::size_t>(b.item.target)];
    CHECK(stop.below_median);
    CHECK(b.truth.answer.step == stop.best_stop_step);
  }
  SECTION("stop-early: the truth stops exactly the runs below the median, shown only to the cut") {
    const Built b = build(QuizKind::StopEarly);
    CHECK(b.item.shown_until == 250);
    CHECK(b.truth.answer.stop.size() == 3);  // 6 runs with distinct finals: 3 below the median
    for (const int i : b.truth.answer.stop) {
      CHECK(b.truth.runs[static_cast<std::size_t>(i)].final_performance < b.truth.cohort.median_final);
    }
  }
}

TEST_CASE("stop answers score precision, recall and steps saved", "[quiz]") {
  const Built b = build(QuizKind::StopEarly);
  const auto& should = b.truth.answer.stop;  // 3 runs
  std::vector<int> keep;
  for (int i = 0; i < 6; ++i) {
    if (std::find(should.begin(), should.end(), i) == should.end()) {
      keep.push_back(i);
    }
  }
  SECTION("stopping one right run and one wrong one") {
    QuizAnswer a;
    a.stop = {should[0], keep[0]};
    const QuizScore s = score_answer(b.item, b.truth, a);
    CHECK(s.precision == 0.5);
    CHECK(s.recall == Approx(1.0 / 3.0));
    CHECK(s.score == Approx(2.0 * 1 / (2 + 3)));  // F1
    CHECK(s.steps_saved == Approx(2 * 750.0 / 6000.0));
  }
  SECTION("stopping nothing: no precision, zero recall, nothing saved, best kept") {
    const QuizScore s = score_answer(b.item, b.truth, QuizAnswer{});
    CHECK_FALSE(s.precision.has_value());
    CHECK(s.recall == 0.0);
    CHECK(s.steps_saved == 0.0);
    CHECK(s.best_kept == true);
    CHECK(s.score == 0.0);
  }
  SECTION("stopping the best run is recorded") {
    QuizAnswer a;
    a.stop = {b.truth.cohort.best_run};
    CHECK(score_answer(b.item, b.truth, a).best_kept == false);
  }
}

TEST_CASE("clicks score by their distance in steps", "[quiz]") {
  const Built b = build(QuizKind::Onset);
  const int truth = *b.truth.answer.step;
  QuizAnswer a;
  a.step = truth + 125;  // half of the 250-step tolerance
  const QuizScore s = score_answer(b.item, b.truth, a);
  CHECK(s.distance == 125);
  CHECK(s.score == Approx(0.5));
  a.step = truth > 500 ? truth - 300 : truth + 300;  // beyond the tolerance
  CHECK(score_answer(b.item, b.truth, a).score == 0.0);
}

TEST_CASE("rankings score Kendall tau and top-1", "[quiz]") {
  const Built b = build(QuizKind::RankMax);
  QuizAnswer a;
  a.ranking = b.truth.answer.ranking;
  std::reverse(a.ranking.begin(), a.ranking.end());
  const QuizScore s = score_answer(b.item, b.truth, a);
  CHECK(s.kendall_tau == -1.0);
  CHECK(s.top1 == false);
  CHECK(s.score == 0.0);
}

TEST_CASE("pairs come back with sides swapped, and the truth follows the run", "[quiz]") {
  const auto quiz = make_quiz({QuizKind::Pairwise}, 6, 9);
  REQUIRE(quiz.size() == 6);
  int swapped = 0;
  for (const QuizItem& item : quiz) {
    if (!item.swapped) {
      continue;
    }
    ++swapped;
    const auto original = std::find_if(quiz.begin(), quiz.end(), [&](const QuizItem& other) {
      return !other.swapped && other.id + "-swapped" == item.id;
    });
    REQUIRE(original != quiz.end());
    CHECK(original < std::find_if(
                         quiz.begin(), quiz.end(), [&](const QuizItem& o) { return o.id == item.id; }));
    CHECK(item.runs[0].seed == original->runs[1].seed);
    const QuizTruth t1 = quiz_truth(*original, run_item(*original));
    const QuizTruth t2 = quiz_truth(item, run_item(item));
    CHECK(*t1.answer.better == 1 - *t2.answer.better);
  }
  CHECK(swapped == 3);

  // An odd count of pairs only: the last original has no room for its swap.
  CHECK(make_quiz({QuizKind::Pairwise}, 5, 9).size() == 5);
}

TEST_CASE("a mixed quiz cycles through the kinds", "[quiz]") {
  const auto quiz = make_quiz({QuizKind::RankMax, QuizKind::Onset, QuizKind::StopEarly, QuizKind::Pairwise}, 9, 1);
  std::set<QuizKind> kinds;
  for (const auto& item : quiz) {
    kinds.insert(item.kind);
  }
  CHECK(kinds.size() == 4);
  std::set<std::string> ids;
  for (const auto& item : quiz) {
    ids.insert(item.id);
  }
  CHECK(ids.size() == 9);  // no item twice
}

TEST_CASE("answers that do not fit the item are refused with the reason", "[quiz]") {
  const Built rank = build(QuizKind::RankMax);
  QuizAnswer a;
  a.ranking = {0, 0, 1, 2};
  REQUIRE(validate_answer(rank.item, a));
  CHECK(validate_answer(rank.item, a)->message == "ranking must name each of the 4 runs (A..D) exactly once");
  const Built onset = build(QuizKind::Onset);
  QuizAnswer click;
  click.step = 1001;
  CHECK(validate_answer(onset.item, click)->message == "step must be in [1, 1000], got 1001");
  const Built seq = build(QuizKind::Sequential);
  QuizAnswer stops;
  stops.stops = {std::nullopt, 150, std::nullopt, std::nullopt, std::nullopt, std::nullopt};
  CHECK(validate_answer(seq.item, stops)->message == "stops: 150 is not a checkpoint");
  QuizAnswer skipped;
  skipped.skipped = true;
  CHECK_FALSE(validate_answer(seq.item, skipped));
  CHECK(score_answer(seq.item, seq.truth, skipped).skipped);
}

TEST_CASE("sequential answers get the pruners' study summary", "[quiz]") {
  const Built b = build(QuizKind::Sequential);
  QuizAnswer none;
  none.stops.assign(6, std::nullopt);
  const QuizScore s = score_answer(b.item, b.truth, none);
  CHECK(s.steps_saved == 0.0);
  CHECK(s.best_kept == true);
  CHECK(s.auc.has_value());
  // Stopping every run at the first checkpoint saves 90% of the steps but loses the best.
  QuizAnswer all;
  all.stops.assign(6, 100);
  const QuizScore t = score_answer(b.item, b.truth, all);
  CHECK(t.steps_saved == Approx(0.9));
  CHECK(t.best_kept == false);
  CHECK(t.precision == 0.5);
  CHECK(t.recall == 1.0);
}

TEST_CASE("every item has a board: ground truth, then each pruner", "[quiz]") {
  const Built seq = build(QuizKind::Sequential);
  const auto board = item_board(seq.item, seq.truth);
  REQUIRE(board.size() == 1 + board_pruners().size());
  CHECK(board[0].who == "ground truth");
  CHECK(board[0].score->score == 1.0);
  for (std::size_t i = 1; i < board.size(); ++i) {
    INFO(board[i].who);
    REQUIRE(board[i].answer.has_value());
    CHECK(board[i].answer->stops.size() == 6);
    CHECK_FALSE(validate_answer(seq.item, *board[i].answer));
  }
  // Pruners do not rank: their rows have no answer.
  const Built rank = build(QuizKind::RankMax);
  const auto rank_board = item_board(rank.item, rank.truth);
  CHECK_FALSE(rank_board[1].answer.has_value());
}
