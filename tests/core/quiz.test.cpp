// Quiz items, their ground truth, and the scoring shared by people, pruners and models.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

#include "curvelab/curve_reader.hpp"
#include "curvelab/quiz.hpp"
#include "curvelab/random.hpp"

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
    const std::vector<int>& order = fast.truth.answer.ranking;
    REQUIRE(order.size() == fast.item.runs.size());
    for (std::size_t i = 1; i < order.size(); ++i) {
      CHECK(*fast.truth.runs[static_cast<std::size_t>(order[i - 1])].time_to_50 <
            *fast.truth.runs[static_cast<std::size_t>(order[i])].time_to_50);
    }
    // The same runs asked slowest first: the truth is the fastest order reversed.
    QuizItem slow_item = fast.item;
    slow_item.kind = QuizKind::RankSlowest;
    const QuizTruth slow = quiz_truth(slow_item, run_item(slow_item));
    CHECK(slow.answer.ranking == std::vector<int>(order.rbegin(), order.rend()));
    // A generated rank-slowest item orders its own runs slowest first.
    const Built generated = build(QuizKind::RankSlowest);
    const std::vector<int>& slowest = generated.truth.answer.ranking;
    REQUIRE(slowest.size() == generated.item.runs.size());
    for (std::size_t i = 1; i < slowest.size(); ++i) {
      CHECK(*generated.truth.runs[static_cast<std::size_t>(slowest[i - 1])].time_to_50 >
            *generated.truth.runs[static_cast<std::size_t>(slowest[i])].time_to_50);
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

TEST_CASE("stop answers score precision, recall, steps saved and regret", "[quiz]") {
  const Built b = build(QuizKind::StopEarly);
  const auto& should = b.truth.answer.stop;  // 3 runs
  std::vector<int> keep;
  for (int i = 0; i < 6; ++i) {
    if (std::find(should.begin(), should.end(), i) == should.end()) {
      keep.push_back(i);
    }
  }
  REQUIRE(should.size() == 3);
  const int best = b.truth.cohort.best_run;
  const int other = keep[0] == best ? keep[1] : keep[0];  // above the median, not the best
  // Each stopped run saves 750 of the 6000 steps.
  CHECK(b.truth.truth_raw == Approx(3 * 750.0 / 6000.0));
  SECTION("stopping one right run and one wrong one that is not the best") {
    QuizAnswer a;
    a.stop = {should[0], other};
    const QuizScore s = score_answer(b.item, b.truth, a);
    CHECK(s.precision == 0.5);
    CHECK(s.recall == Approx(1.0 / 3.0));
    CHECK(s.steps_saved == Approx(2 * 750.0 / 6000.0));
    CHECK(s.regret == 0.0);
    CHECK(s.raw == Approx(0.125 - 0.5 * 0.125));  // saved right - half the steps cut wrongly
    CHECK(s.chance == b.truth.chance);
    CHECK(s.score == Approx((s.raw - s.chance) / (b.truth.truth_raw - s.chance)));
  }
  SECTION("stopping nothing: no precision, zero recall, nothing saved, best kept, below chance") {
    const QuizScore s = score_answer(b.item, b.truth, QuizAnswer{});
    CHECK_FALSE(s.precision.has_value());
    CHECK(s.recall == 0.0);
    CHECK(s.steps_saved == 0.0);
    CHECK(s.best_kept == true);
    CHECK(s.regret == 0.0);
    CHECK(s.raw == 0.0);
    CHECK(s.score < 0.0);
  }
  SECTION("stopping the best run costs its regret") {
    QuizAnswer a;
    a.stop = {best};
    const QuizScore s = score_answer(b.item, b.truth, a);
    CHECK(s.best_kept == false);
    // The best kept is then the second best final.
    std::vector<double> finals;
    for (const RunTruth& r : b.truth.runs) {
      finals.push_back(r.final_performance);
    }
    std::sort(finals.rbegin(), finals.rend());
    CHECK(*s.regret == Approx((finals[0] - finals[1]) / (finals[0] - finals[5])));
    CHECK(s.raw == Approx(-0.5 * 0.125 - 0.3 * *s.regret));
  }
  SECTION("stopping every run keeps nothing: regret 1, below chance") {
    QuizAnswer a;
    a.stop = {0, 1, 2, 3, 4, 5};
    const QuizScore s = score_answer(b.item, b.truth, a);
    CHECK(s.regret == 1.0);
    CHECK(s.raw == Approx(0.375 - 0.5 * 0.375 - 0.3));
    CHECK(s.score < 0.0);
  }
}

TEST_CASE("clicks score by their distance in steps, chance-corrected", "[quiz]") {
  const Built b = build(QuizKind::Onset);
  const int truth = *b.truth.answer.step;
  QuizAnswer a;
  a.step = truth + 25;  // half of the 50-step tolerance
  const QuizScore s = score_answer(b.item, b.truth, a);
  CHECK(s.distance == 25);
  CHECK(s.raw == Approx(0.5));
  CHECK(s.score == Approx((0.5 - s.chance) / (1.0 - s.chance)));
  // A uniform click earns 1/20 in expectation on an inner truth (a triangle of area 50 in
  // 1000 steps), less near the ends.
  CHECK(s.chance > 0.025);
  CHECK(s.chance <= 0.05);
  a.step = truth > 500 ? truth - 300 : truth + 300;  // beyond the tolerance
  const QuizScore far = score_answer(b.item, b.truth, a);
  CHECK(far.raw == 0.0);
  CHECK(far.score == Approx(-far.chance / (1.0 - far.chance)));
}

TEST_CASE("rankings score Kendall tau and top-1", "[quiz]") {
  const Built b = build(QuizKind::RankMax);
  QuizAnswer a;
  a.ranking = b.truth.answer.ranking;
  std::reverse(a.ranking.begin(), a.ranking.end());
  const QuizScore s = score_answer(b.item, b.truth, a);
  CHECK(s.kendall_tau == -1.0);
  CHECK(s.top1 == false);
  CHECK(s.chance == 0.0);
  CHECK(s.score == -1.0);
}

TEST_CASE("the chance level is the mean raw utility over every answer a random answerer gives", "[quiz][chance]") {
  SECTION("stop-early: all 64 subsets") {
    const Built b = build(QuizKind::StopEarly, 8, 1);
    double sum = 0.0;
    for (unsigned mask = 0; mask < 64; ++mask) {
      QuizAnswer a;
      for (int i = 0; i < 6; ++i) {
        if ((mask >> static_cast<unsigned>(i)) & 1U) {
          a.stop.push_back(i);
        }
      }
      sum += score_answer(b.item, b.truth, a).raw;
    }
    CHECK(b.truth.chance == Approx(sum / 64).margin(1e-12));
  }
  SECTION("onset and stop-point: every click, and never for stop-point") {
    for (const QuizKind kind : {QuizKind::Onset, QuizKind::StopPoint}) {
      const Built b = build(kind, 8, 2);
      double sum = 0.0;
      int clicks = 0;
      for (int step = 1; step <= b.item.horizon; ++step, ++clicks) {
        QuizAnswer a;
        a.step = step;
        sum += score_answer(b.item, b.truth, a).raw;
      }
      if (kind == QuizKind::StopPoint) {
        sum += score_answer(b.item, b.truth, QuizAnswer{}).raw;
        ++clicks;
      }
      CHECK(b.truth.chance == Approx(sum / clicks).margin(1e-12));
    }
  }
  SECTION("rankings: the 24 orders of 4 runs average tau 0") {
    const Built b = build(QuizKind::RankFastest, 8, 3);
    std::vector<int> order{0, 1, 2, 3};
    double sum = 0.0;
    int count = 0;
    do {
      QuizAnswer a;
      a.ranking = order;
      sum += score_answer(b.item, b.truth, a).raw;
      ++count;
    } while (std::next_permutation(order.begin(), order.end()));
    CHECK(count == 24);
    CHECK(sum / count == Approx(0.0).margin(1e-12));
    CHECK(b.truth.chance == 0.0);
  }
  SECTION("pairwise: one side of two") {
    const Built b = build(QuizKind::Pairwise, 8, 4);
    QuizAnswer left;
    left.better = 0;
    QuizAnswer right;
    right.better = 1;
    CHECK(b.truth.chance ==
          Approx((score_answer(b.item, b.truth, left).raw + score_answer(b.item, b.truth, right).raw) / 2));
  }
  SECTION("sequential: a fair coin per run, then a uniform checkpoint (sampled)") {
    const Built b = build(QuizKind::Sequential, 8, 5);
    Rng rng(99);
    const int samples = 4000;
    double sum = 0.0;
    double squares = 0.0;
    for (int k = 0; k < samples; ++k) {
      QuizAnswer a;
      for (int i = 0; i < 6; ++i) {
        a.stops.push_back(rng.uniform() < 0.5 ? std::optional<int>(b.item.checkpoints[static_cast<std::size_t>(
                                                    rng.between(0, static_cast<int>(b.item.checkpoints.size()) - 1))])
                                              : std::nullopt);
      }
      const double raw = score_answer(b.item, b.truth, a).raw;
      sum += raw;
      squares += raw * raw;
    }
    const double mean = sum / samples;
    const double sd = std::sqrt(squares / samples - mean * mean);
    CHECK(std::abs(mean - b.truth.chance) < 4.0 * sd / std::sqrt(samples));
  }
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

namespace {
bool same_answer(const QuizAnswer& a, const QuizAnswer& b) {
  return a.skipped == b.skipped && a.stop == b.stop && a.ranking == b.ranking && a.step == b.step &&
         a.better == b.better && a.stops == b.stops;
}
}  // namespace

TEST_CASE("every item has a board: ground truth, each pruner, the curve model, then the reference rows", "[quiz]") {
  const Built seq = build(QuizKind::Sequential);
  const auto board = item_board(seq.item, seq.truth);
  // Rows past the pruners: the curve model is board[1 + pruners], the references follow.
  const std::size_t pruners = board_pruners().size() + 1;
  REQUIRE(board.size() == 1 + pruners + 3);
  CHECK(board[0].who == "ground truth");
  CHECK(board[0].score->score == 1.0);
  CHECK_FALSE(board[0].reference);
  for (std::size_t i = 1; i <= pruners; ++i) {
    INFO(board[i].who);
    REQUIRE(board[i].answer.has_value());
    CHECK(board[i].answer->stops.size() == 6);
    CHECK_FALSE(validate_answer(seq.item, *board[i].answer));
  }
  SECTION("the curve model is a judge: the reader's answer and score, on every kind") {
    for (const QuizKind kind : kAllQuizKinds) {
      const Built b = build(kind);
      const auto rows = item_board(b.item, b.truth);
      const BoardRow& reader = rows[pruners];
      INFO(quiz_kind_name(kind));
      CHECK(reader.who == "curve model");
      CHECK_FALSE(reader.reference);
      CHECK_FALSE(is_reference_row(reader.who));
      REQUIRE(reader.answer.has_value());
      CHECK(same_answer(*reader.answer, read_item(shown_item(b.item, b.truth.shown))));
      REQUIRE(reader.score.has_value());
      CHECK(reader.score->score == answerability(b.item, b.truth));
    }
  }
  SECTION("sequential references: every run stopped at the first checkpoint, none, and the chance level") {
    const BoardRow& all = board[1 + pruners];
    const BoardRow& none = board[2 + pruners];
    const BoardRow& random = board[3 + pruners];
    CHECK(all.who == "stop all");
    CHECK(none.who == "stop none");
    CHECK(random.who == "random");
    for (const BoardRow* row : {&all, &none, &random}) {
      CHECK(row->reference);
      CHECK(is_reference_row(row->who));
    }
    CHECK(all.answer->stops == std::vector<std::optional<int>>(6, 100));
    CHECK(none.answer->stops == std::vector<std::optional<int>>(6, std::nullopt));
    CHECK(all.score->regret == 1.0);
    CHECK(none.score->steps_saved == 0.0);
    CHECK(all.score->score < 0.0);
    CHECK(none.score->score < 0.0);
    CHECK_FALSE(random.answer.has_value());
    CHECK(random.score->score == 0.0);
    CHECK(random.score->raw == seq.truth.chance);
  }
  SECTION("stop-early and stop-point references") {
    const Built early = build(QuizKind::StopEarly);
    const auto b = item_board(early.item, early.truth);
    CHECK(b[1 + pruners].answer->stop == std::vector<int>{0, 1, 2, 3, 4, 5});
    CHECK(b[2 + pruners].answer->stop.empty());
    const Built point = build(QuizKind::StopPoint);
    const auto p = item_board(point.item, point.truth);
    CHECK(p[1 + pruners].answer->step == 1);
    CHECK_FALSE(p[2 + pruners].answer->step.has_value());  // never
  }
  SECTION("kinds that stop nothing: pruners and stop all / stop none have no answer, random has score 0") {
    const Built rank = build(QuizKind::RankMax);
    const auto rank_board = item_board(rank.item, rank.truth);
    REQUIRE(rank_board.size() == 1 + pruners + 3);
    CHECK_FALSE(rank_board[1].answer.has_value());
    CHECK_FALSE(rank_board[1 + pruners].answer.has_value());
    CHECK_FALSE(rank_board[1 + pruners].score.has_value());
    CHECK_FALSE(rank_board[2 + pruners].answer.has_value());
    CHECK(rank_board[3 + pruners].score->score == 0.0);
  }
}

namespace {
// Items for the property tests: mixed kinds from several seeds, pairs with their swapped
// showings. CURVELAB_PROPERTY_ITEMS lowers the count for slow (sanitizer) builds.
std::vector<Built> property_items() {
  int count = 560;
  if (const char* env = std::getenv("CURVELAB_PROPERTY_ITEMS")) {
    count = std::max(16, std::atoi(env));
  }
  std::vector<Built> built;
  const std::vector<QuizKind> kinds(std::begin(kAllQuizKinds), std::end(kAllQuizKinds));
  const int per_seed = (count + 3) / 4;
  for (const std::uint64_t seed : {101U, 202U, 303U, 404U}) {
    for (QuizItem& item : make_quiz(kinds, per_seed, seed)) {
      Built b{std::move(item), {}};
      b.truth = quiz_truth(b.item, run_item(b.item));
      built.push_back(std::move(b));
    }
  }
  return built;
}

const std::vector<Built>& shared_property_items() {
  static const std::vector<Built> items = property_items();
  return items;
}

struct Mean {
  double sum = 0.0;
  double squares = 0.0;
  int count = 0;
  void add(double v) {
    sum += v;
    squares += v * v;
    ++count;
  }
  double value() const { return count > 0 ? sum / count : 0.0; }
  double standard_error() const {
    return count > 1 ? std::sqrt(std::max(0.0, squares / count - value() * value()) / (count - 1)) : 1.0;
  }
};
}  // namespace

TEST_CASE("no trivial strategy scores above chance on average, and ground truth scores exactly 1", "[quiz][property]") {
  const std::vector<Built>& items = shared_property_items();
  const bool reduced = std::getenv("CURVELAB_PROPERTY_ITEMS") != nullptr;
  REQUIRE(items.size() >= (reduced ? 16U : 500U));
  std::map<std::string, Mean> means;
  const int clicks[] = {1, 100, 250, 500, 750, 1000};
  Rng rng(2024);
  for (const Built& b : items) {
    INFO(b.item.id);
    const auto score = [&](const QuizAnswer& a) {
      REQUIRE_FALSE(validate_answer(b.item, a));
      const double s = score_answer(b.item, b.truth, a).score;
      CHECK(s <= 1.0);  // no answer beats ground truth
      return s;
    };
    CHECK(score(b.truth.answer) == 1.0);
    const std::string kind(quiz_kind_name(b.item.kind));
    const auto n = static_cast<int>(b.item.runs.size());
    switch (b.item.kind) {
      case QuizKind::StopEarly: {
        QuizAnswer all;
        for (int i = 0; i < n; ++i) {
          all.stop.push_back(i);
        }
        means[kind + ": stop all (the cut is the first checkpoint)"].add(score(all));
        means[kind + ": stop none"].add(score(QuizAnswer{}));
        for (int draw = 0; draw < 16; ++draw) {
          QuizAnswer random;
          for (int i = 0; i < n; ++i) {
            if (rng.uniform() < 0.5) {
              random.stop.push_back(i);
            }
          }
          means[kind + ": random stops"].add(score(random));
        }
        break;
      }
      case QuizKind::Sequential: {
        QuizAnswer all;
        QuizAnswer none;
        for (int i = 0; i < n; ++i) {
          all.stops.push_back(b.item.checkpoints.front());
          none.stops.push_back(std::nullopt);
        }
        means[kind + ": stop all at the first checkpoint"].add(score(all));
        means[kind + ": never stop"].add(score(none));
        for (int draw = 0; draw < 16; ++draw) {
          QuizAnswer random;
          for (int i = 0; i < n; ++i) {
            random.stops.push_back(
                rng.uniform() < 0.5
                    ? std::optional<int>(b.item.checkpoints[static_cast<std::size_t>(rng.between(0, 8))])
                    : std::nullopt);
          }
          means[kind + ": random stops"].add(score(random));
        }
        break;
      }
      case QuizKind::Onset:
      case QuizKind::StopPoint: {
        for (const int c : clicks) {
          QuizAnswer a;
          a.step = c;
          means[kind + ": click " + std::to_string(c) + " on every item"].add(score(a));
        }
        for (int draw = 0; draw < 16; ++draw) {
          QuizAnswer random;
          random.step = rng.between(1, b.item.horizon);
          means[kind + ": random click"].add(score(random));
        }
        if (b.item.kind == QuizKind::StopPoint) {
          means[kind + ": never stop"].add(score(QuizAnswer{}));
        }
        break;
      }
      case QuizKind::RankMax:
      case QuizKind::RankFastest:
      case QuizKind::RankSlowest: {
        QuizAnswer identity;
        for (int i = 0; i < n; ++i) {
          identity.ranking.push_back(i);
        }
        means["rankings: the order shown"].add(score(identity));
        QuizAnswer reversed = identity;
        std::reverse(reversed.ranking.begin(), reversed.ranking.end());
        means["rankings: the order shown, reversed"].add(score(reversed));
        break;
      }
      case QuizKind::Pairwise: {
        QuizAnswer left;
        left.better = 0;
        QuizAnswer right;
        right.better = 1;
        means[kind + ": always the left curve"].add(score(left));
        means[kind + ": always the right curve"].add(score(right));
        break;
      }
    }
  }
  for (const auto& [strategy, mean] : means) {
    INFO(strategy << ": mean score " << mean.value() << " over " << mean.count << " answers");
    if (std::getenv("CURVELAB_PRINT_MEANS")) {
      WARN(strategy << ": " << mean.value());
    }
    CHECK(mean.count > 0);
    // A reduced set (sanitizer builds) allows three standard errors of its sampling.
    CHECK(mean.value() <= 0.05 + (reduced ? 3.0 * mean.standard_error() : 0.0));
  }
}

TEST_CASE("an answer that stops the best run never scores above one that keeps it with the same savings",
          "[quiz][property]") {
  Rng rng(77);
  for (const Built& b : shared_property_items()) {
    if (b.item.kind != QuizKind::StopEarly && b.item.kind != QuizKind::Sequential) {
      continue;
    }
    INFO(b.item.id);
    const int best = b.truth.cohort.best_run;
    for (int trial = 0; trial < 8; ++trial) {
      // A random answer that stops the best run and keeps some other run; the same answer
      // with the two swapped saves exactly as much.
      std::vector<std::optional<int>> at(b.item.runs.size());
      for (auto& a : at) {
        a = rng.uniform() < 0.5
                ? std::optional<int>(b.item.kind == QuizKind::Sequential
                                         ? b.item.checkpoints[static_cast<std::size_t>(rng.between(0, 8))]
                                         : b.item.shown_until)
                : std::nullopt;
      }
      const auto best_i = static_cast<std::size_t>(best);
      at[best_i] = b.item.kind == QuizKind::Sequential ? b.item.checkpoints[static_cast<std::size_t>(rng.between(0, 8))]
                                                       : b.item.shown_until;
      std::vector<std::size_t> kept;
      for (std::size_t i = 0; i < at.size(); ++i) {
        if (!at[i]) {
          kept.push_back(i);
        }
      }
      if (kept.empty()) {
        continue;
      }
      const std::size_t other = kept[static_cast<std::size_t>(rng.between(0, static_cast<int>(kept.size()) - 1))];
      std::vector<std::optional<int>> swapped = at;
      std::swap(swapped[best_i], swapped[other]);
      const auto answer = [&](const std::vector<std::optional<int>>& stops) {
        QuizAnswer a;
        if (b.item.kind == QuizKind::Sequential) {
          a.stops = stops;
        } else {
          for (std::size_t i = 0; i < stops.size(); ++i) {
            if (stops[i]) {
              a.stop.push_back(static_cast<int>(i));
            }
          }
        }
        return score_answer(b.item, b.truth, a);
      };
      const QuizScore stops_best = answer(at);
      const QuizScore keeps_best = answer(swapped);
      CHECK(stops_best.steps_saved == Approx(*keeps_best.steps_saved));
      CHECK(stops_best.best_kept == false);
      CHECK(keeps_best.best_kept == true);
      CHECK(stops_best.score <= keeps_best.score);
    }
  }
}

TEST_CASE("a kind list names kinds by commas, mixed standing for all of them in turn", "[quiz][kinds]") {
  const std::vector<QuizKind> all(std::begin(kAllQuizKinds), std::end(kAllQuizKinds));
  CHECK(parse_quiz_kinds("").value() == all);
  CHECK(parse_quiz_kinds("mixed").value() == all);
  CHECK(parse_quiz_kinds("onset").value() == std::vector<QuizKind>{QuizKind::Onset});
  CHECK(parse_quiz_kinds("pairwise,rank-max,pairwise").value() ==
        std::vector<QuizKind>{QuizKind::Pairwise, QuizKind::RankMax, QuizKind::Pairwise});
  std::vector<QuizKind> onset_then_all{QuizKind::Onset};
  onset_then_all.insert(onset_then_all.end(), all.begin(), all.end());
  CHECK(parse_quiz_kinds("onset,mixed").value() == onset_then_all);
  const auto unknown = parse_quiz_kinds("onset,nope", "--kind");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().field == "--kind");
  CHECK(unknown.error().message ==
        "--kind must be one of stop-early, rank-max, rank-fastest, rank-slowest, onset, stop-point, pairwise, "
        "sequential, mixed, got \"nope\"");
  for (const char* bad : {",", "onset,", ",onset", "onset,,pairwise", "Onset", "onset "}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_quiz_kinds(bad).ok());
  }
}

TEST_CASE(
    "the board's best pruner: the highest pruner score, first on ties, never truth, you, the model or a reference",
    "[quiz]") {
  using curvelab::best_pruner_row;
  const auto scored = [](const char* who, double s, bool reference = false) {
    QuizScore score;
    score.score = s;
    return BoardRow{who, std::nullopt, score, reference};
  };
  QuizScore skipped;
  skipped.skipped = true;
  skipped.score = 9.0;
  const std::vector<BoardRow> board{scored("ground truth", 1.0),
                                    scored("you", 0.9),
                                    scored("median", 0.25),
                                    scored("patient", 0.5),
                                    scored("threshold", 0.5),
                                    BoardRow{"hyperband", std::nullopt, std::nullopt},
                                    BoardRow{"asha", std::nullopt, skipped},
                                    scored(kCurveModelRow, 0.8),
                                    scored("stop all", 0.7, true)};
  CHECK(best_pruner_row(board) == std::optional<std::size_t>(3));  // patient, before threshold's tie
  CHECK_FALSE(best_pruner_row({board[0], board[1], board[5], board[6], board[7], board[8]}).has_value());
  CHECK_FALSE(best_pruner_row({}).has_value());
  SECTION("on a real board it is one of the pruners") {
    const Built b = build(QuizKind::StopEarly);
    const auto rows = item_board(b.item, b.truth);
    const auto best = best_pruner_row(rows);
    REQUIRE(best.has_value());
    CHECK(*best >= 1);
    CHECK(*best <= board_pruners().size());
    for (std::size_t r = 1; r <= board_pruners().size(); ++r) {
      if (rows[r].score) {
        CHECK(rows[r].score->score <= rows[*best].score->score);
      }
    }
  }
}

TEST_CASE("a tally's place: contenders by mean score, truth and references left out, ties in first-added order",
          "[quiz]") {
  const auto with = [](double s) {
    QuizScore score;
    score.score = s;
    return score;
  };
  QuizScore skipped;
  skipped.skipped = true;
  QuizTally tally;
  tally.add(QuizKind::StopEarly, "ground truth", with(1.0));
  tally.add(QuizKind::StopEarly, "you", with(0.5));
  tally.add(QuizKind::StopEarly, "median", with(0.75));
  tally.add(QuizKind::StopEarly, "patient", with(0.5));
  tally.add(QuizKind::StopEarly, "stop all", with(0.9));
  tally.add(QuizKind::StopEarly, "threshold", skipped);  // no mean: not a contender
  tally.add(QuizKind::Pairwise, "you", skipped);
  tally.add(QuizKind::Pairwise, "median", with(0.0));
  REQUIRE(tally.kinds().size() == 2);
  const TallyPlace early = tally_place(tally.kinds()[0], "you");
  CHECK(early.place == 2);  // after median; before patient's tie
  CHECK(early.contenders == 3);
  CHECK(tally_place(tally.kinds()[0], "patient").place == 3);
  CHECK(tally_place(tally.kinds()[0], "nobody").place == 0);
  const TallyPlace pair = tally_place(tally.kinds()[1], "you");  // no mean: last, still counted
  CHECK(pair.place == 2);
  CHECK(pair.contenders == 2);
  std::vector<std::string> order;
  for (const auto& e : ranked_rows(tally.kinds()[0])) {
    order.push_back(e.who);
  }
  CHECK(order == std::vector<std::string>{"ground truth", "stop all", "median", "you", "patient", "threshold"});
}
