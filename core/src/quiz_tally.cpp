// Standings over many items: the tally per kind and answerer, its ranking and places
// (curvelab/quiz.hpp).

#include "curvelab/quiz.hpp"

#include <algorithm>

namespace curvelab {

std::optional<double> QuizTally::Entry::mean(const std::string& figure) const {
  for (const auto& [name, sum] : sums) {
    if (name == figure && sum.second > 0) {
      return sum.first / sum.second;
    }
  }
  return std::nullopt;
}

std::vector<QuizTally::Entry> ranked_rows(const QuizTally::Kind& kind) {
  std::vector<QuizTally::Entry> rows = kind.rows;
  std::stable_sort(rows.begin(), rows.end(), [](const QuizTally::Entry& a, const QuizTally::Entry& b) {
    const std::optional<double> x = a.mean("score");
    const std::optional<double> y = b.mean("score");
    return x && (!y || *x > *y);
  });
  return rows;
}

TallyPlace tally_place(const QuizTally::Kind& kind, std::string_view who) {
  TallyPlace place;
  for (const QuizTally::Entry& e : ranked_rows(kind)) {
    if (e.who == "ground truth" || is_reference_row(e.who) || (e.who != who && !e.mean("score"))) {
      continue;
    }
    ++place.contenders;
    if (e.who == who) {
      place.place = place.contenders;
    }
  }
  return place;
}

void QuizTally::add(QuizKind kind, const std::string& who, const QuizScore& score) {
  auto k = std::find_if(kinds_.begin(), kinds_.end(), [kind](const Kind& x) { return x.kind == kind; });
  if (k == kinds_.end()) {
    kinds_.push_back(Kind{kind, {}});
    k = kinds_.end() - 1;
  }
  auto row = std::find_if(k->rows.begin(), k->rows.end(), [&who](const Entry& e) { return e.who == who; });
  if (row == k->rows.end()) {
    k->rows.push_back(Entry{who, 0, 0, 0, {}});
    row = k->rows.end() - 1;
  }
  ++row->items;
  if (score.skipped) {
    ++row->skipped;
    return;
  }
  ++row->answered;
  const auto add_figure = [&row](const char* name, double value) {
    auto it = std::find_if(row->sums.begin(), row->sums.end(), [name](const auto& f) { return f.first == name; });
    if (it == row->sums.end()) {
      row->sums.emplace_back(name, std::make_pair(0.0, 0));
      it = row->sums.end() - 1;
    }
    it->second.first += value;
    it->second.second += 1;
  };
  add_figure("score", score.score);
  add_figure("raw", score.raw);
  add_figure("chance", score.chance);
  if (score.kendall_tau) add_figure("kendall_tau", *score.kendall_tau);
  if (score.top1) add_figure("top1", *score.top1 ? 1.0 : 0.0);
  if (score.distance) add_figure("distance", *score.distance);
  if (score.precision) add_figure("precision", *score.precision);
  if (score.recall) add_figure("recall", *score.recall);
  if (score.steps_saved) add_figure("steps_saved", *score.steps_saved);
  if (score.regret) add_figure("regret", *score.regret);
  if (score.correct) add_figure("correct", *score.correct ? 1.0 : 0.0);
  if (score.auc) add_figure("auc", *score.auc);
  if (score.best_kept) add_figure("best_kept", *score.best_kept ? 1.0 : 0.0);
}

}  // namespace curvelab
