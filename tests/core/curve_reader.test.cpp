// The curve reader: it reads only what an item shows (by type, and by behaviour: what is
// not shown cannot change its answer), answers every kind validly, and reads known curves
// right.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "curvelab/curve_reader.hpp"
#include "curvelab/quiz.hpp"

using curvelab::QuizItem;
using curvelab::QuizKind;
using curvelab::QuizTruth;
using curvelab::ShownItem;

// The reader's input holds shown values only: an item, its runs or its ground truth
// cannot be handed to it, nor turned into its input except through `shown_item`.
static_assert(!std::is_invocable_v<decltype(&curvelab::read_item), const QuizItem&>);
static_assert(!std::is_invocable_v<decltype(&curvelab::read_item), const QuizTruth&>);
static_assert(!std::is_constructible_v<ShownItem, const QuizItem&>);
static_assert(!std::is_constructible_v<ShownItem, const QuizTruth&>);
static_assert(!std::is_convertible_v<const QuizItem&, ShownItem>);

namespace {

struct Built {
  QuizItem item;
  QuizTruth truth;
};

Built build(QuizKind kind, std::uint64_t seed, int index) {
  Built b;
  b.item = curvelab::make_quiz_item(kind, seed, index);
  const auto runs = curvelab::run_item(b.item);
  b.truth = curvelab::quiz_truth(b.item, runs);
  return b;
}

bool same(const curvelab::QuizAnswer& a, const curvelab::QuizAnswer& b) {
  return a.stop == b.stop && a.ranking == b.ranking && a.step == b.step && a.better == b.better && a.stops == b.stops;
}

std::vector<double> exp_curve(double start, double gain, double rate, int n) {
  std::vector<double> v;
  for (int t = 1; t <= n; ++t) {
    v.push_back(start + gain * (1.0 - std::exp(-rate * t)));
  }
  return v;
}

}  // namespace

TEST_CASE("the reader's answer does not change with what an item does not show", "[curve-reader]") {
  for (const QuizKind kind : {QuizKind::StopEarly, QuizKind::StopPoint, QuizKind::Pairwise}) {
    const Built b = build(kind, 3, 0);
    const auto answer = curvelab::read_item(curvelab::shown_item(b.item, b.truth.shown));
    auto altered = b.truth.shown;
    for (auto& curve : altered) {
      for (std::size_t t = static_cast<std::size_t>(b.item.shown_until); t < curve.size(); ++t) {
        curve[t] = 1e6;
      }
    }
    const ShownItem shown = curvelab::shown_item(b.item, altered);
    for (const auto& curve : shown.curves) {
      CHECK(curve.size() == static_cast<std::size_t>(b.item.shown_until));
    }
    CHECK(same(curvelab::read_item(shown), answer));
  }
}

TEST_CASE("the reader answers every quiz kind with a valid answer", "[curve-reader]") {
  for (const QuizKind kind : curvelab::kAllQuizKinds) {
    for (int index = 0; index < 3; ++index) {
      const Built b = build(kind, 11, index);
      const auto answer = curvelab::read_item(curvelab::shown_item(b.item, b.truth.shown));
      INFO(curvelab::quiz_kind_name(kind) << " item " << index);
      CHECK_FALSE(curvelab::validate_answer(b.item, answer).has_value());
      const double a = curvelab::answerability(b.item, b.truth);
      CHECK(std::isfinite(a));
      CHECK(a <= 1.0);
    }
  }
}

TEST_CASE("the reader reads onset, half gain and the final off a known curve", "[curve-reader]") {
  // start 0.2, gain 1, rate 0.005: 10% of the gain at step 21, half at step 139.
  const auto curve = exp_curve(0.2, 1.0, 0.005, 1000);
  const auto r = curvelab::read_curve(curve, 1, 1000);
  REQUIRE(r.fitted);
  CHECK(r.start == Approx(0.205).margin(0.01));
  REQUIRE(r.onset);
  CHECK(*r.onset == Approx(21).margin(6));
  REQUIRE(r.time_to_50);
  CHECK(*r.time_to_50 == Approx(139).margin(6));
  CHECK(r.predicted_final == Approx(0.2 + 1.0 - 0.0066).margin(0.01));
  SECTION("a flat curve never learns") {
    const auto flat = curvelab::read_curve(std::vector<double>(500, 0.4), 1, 1000);
    CHECK_FALSE(flat.onset.has_value());
    CHECK_FALSE(flat.time_to_50.has_value());
    CHECK(flat.predicted_final == Approx(0.4).margin(1e-6));
  }
}

TEST_CASE("the reader picks the better of a pair and the faster learner", "[curve-reader]") {
  ShownItem s;
  s.horizon = 1000;
  s.shown_until = 1000;
  s.curves = {exp_curve(0.0, 0.5, 0.02, 1000), exp_curve(0.0, 1.0, 0.004, 1000)};
  s.kind = QuizKind::Pairwise;
  CHECK(curvelab::read_item(s).better == 1);
  std::swap(s.curves[0], s.curves[1]);
  CHECK(curvelab::read_item(s).better == 0);
  s.kind = QuizKind::RankFastest;
  CHECK(curvelab::read_item(s).ranking == std::vector<int>{1, 0});
  s.kind = QuizKind::RankSlowest;
  CHECK(curvelab::read_item(s).ranking == std::vector<int>{0, 1});
  s.kind = QuizKind::RankMax;
  CHECK(curvelab::read_item(s).ranking == std::vector<int>{0, 1});
}

namespace {
std::vector<std::string> ids(const std::vector<QuizItem>& items) {
  std::vector<std::string> out;
  for (const QuizItem& item : items) {
    out.push_back(item.id);
  }
  return out;
}
double answerability_of(const QuizItem& item) {
  return curvelab::answerability(item, curvelab::quiz_truth(item, curvelab::run_item(item)));
}
}  // namespace

TEST_CASE("a quiz kept by answerability keeps the items the shown data supports, and drops the others",
          "[curve-reader]") {
  using curvelab::make_answerable_quiz;
  const std::vector<QuizKind> kinds{QuizKind::StopEarly, QuizKind::Pairwise};
  const auto quiz = make_answerable_quiz(kinds, 6, 1, 0.4);
  REQUIRE(quiz);
  // Stop-early takes indices 0, 2, 4, ... and pairwise 1, 3, 5, ...: pairwise-1-3 falls
  // short of 0.4 in one of its showings, so the pair's place goes to pairwise-1-5.
  CHECK(ids(quiz->items) == std::vector<std::string>{"stop-early-1-0", "pairwise-1-1", "stop-early-1-2", "pairwise-1-5",
                                                     "pairwise-1-1-swapped", "pairwise-1-5-swapped"});
  CHECK(quiz->candidates == 5);
  REQUIRE(quiz->answerability.size() == quiz->items.size());
  for (std::size_t i = 0; i < quiz->items.size(); ++i) {
    INFO(quiz->items[i].id);
    CHECK(quiz->answerability[i] >= 0.4);
    CHECK(quiz->answerability[i] == answerability_of(quiz->items[i]));
  }
  CHECK(quiz->answerability[0] == Approx(0.4876).margin(1e-4));
  const QuizItem dropped = curvelab::make_quiz_item(QuizKind::Pairwise, 1, 3);
  CHECK(std::min(answerability_of(dropped), answerability_of(curvelab::swapped_showing(dropped))) < 0.4);
  SECTION("the same arguments give the same set") {
    const auto again = make_answerable_quiz(kinds, 6, 1, 0.4);
    REQUIRE(again);
    CHECK(ids(again->items) == ids(quiz->items));
    CHECK(again->answerability == quiz->answerability);
  }
  SECTION("stop-early item 1 is dropped at 0.4 and kept at 0.3") {
    const auto single = make_answerable_quiz({QuizKind::StopEarly}, 3, 1, 0.4);
    REQUIRE(single);
    CHECK(ids(single->items) == std::vector<std::string>{"stop-early-1-0", "stop-early-1-2", "stop-early-1-3"});
    CHECK(answerability_of(curvelab::make_quiz_item(QuizKind::StopEarly, 1, 1)) < 0.4);
    const auto lower = make_answerable_quiz({QuizKind::StopEarly}, 3, 1, 0.3);
    REQUIRE(lower);
    CHECK(ids(lower->items) == std::vector<std::string>{"stop-early-1-0", "stop-early-1-1", "stop-early-1-2"});
  }
}

TEST_CASE("a threshold every item reaches gives make_quiz's set", "[curve-reader]") {
  const std::vector<QuizKind> kinds(std::begin(curvelab::kAllQuizKinds), std::end(curvelab::kAllQuizKinds));
  const auto quiz = curvelab::make_answerable_quiz(kinds, 12, 5, -std::numeric_limits<double>::infinity());
  REQUIRE(quiz);
  CHECK(ids(quiz->items) == ids(curvelab::make_quiz(kinds, 12, 5)));
  CHECK(quiz->candidates == 11);  // 12 places, the pair's two showings are one candidate
}

TEST_CASE("a threshold no candidate reaches in the bound is an error naming the kind and the indices tried",
          "[curve-reader]") {
  const auto quiz = curvelab::make_answerable_quiz({QuizKind::Onset}, 4, 1, 0.3);
  REQUIRE_FALSE(quiz);
  CHECK(quiz.error().field == "min_answerability");
  CHECK(quiz.error().message ==
        "min_answerability 0.3: no onset item reaches it among the 50 candidates (indices 56 to 105 of seed 1); lower "
        "it");
}
