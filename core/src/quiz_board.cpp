// An item's board: ground truth, each pruner, the curve model and the reference rows
// (curvelab/quiz.hpp).

#include "curvelab/quiz.hpp"

#include <algorithm>

#include "curvelab/curve_reader.hpp"
#include "curvelab/study.hpp"
#include "quiz_detail.hpp"

namespace curvelab {
using quiz_detail::item_study;

std::vector<BoardPruner> board_pruners() {
  std::vector<BoardPruner> pruners;
  pruners.push_back({"median", default_pruner_spec(PrunerKind::Median)});
  PrunerSpec percentile = default_pruner_spec(PrunerKind::Percentile);
  percentile.percentile = 25.0;
  pruners.push_back({"percentile(25)", percentile});
  pruners.push_back({"successive halving", default_pruner_spec(PrunerKind::SuccessiveHalving)});
  pruners.push_back({"hyperband", default_pruner_spec(PrunerKind::Hyperband)});
  PrunerSpec patient = default_pruner_spec(PrunerKind::Patient);
  patient.patience = 50;
  patient.wrapped = std::make_shared<const PrunerSpec>(default_pruner_spec(PrunerKind::Median));
  pruners.push_back({"patient(50, median)", patient});
  // curvelab's own, not one of Optuna's: the name says so on every board. It checks every
  // 50 steps (its default is 10): a fit per check, and a board is built for every answer.
  PrunerSpec extrapolation = default_pruner_spec(PrunerKind::Extrapolation);
  extrapolation.interval_steps = 50;
  pruners.push_back({"extrapolation (curvelab)", extrapolation});
  return pruners;
}

std::optional<QuizAnswer> pruner_answer(const QuizItem& item, const QuizTruth& truth, const PrunerSpec& pruner) {
  if (item.kind != QuizKind::StopEarly && item.kind != QuizKind::StopPoint && item.kind != QuizKind::Sequential) {
    return std::nullopt;
  }
  StudySpec spec = item_study(item, truth.shown);
  spec.pruner = pruner;
  const auto result = run_study(spec);
  if (!result) {
    return std::nullopt;
  }
  QuizAnswer answer;
  for (std::size_t i = 0; i < result->trials.size(); ++i) {
    const TrialOutcome& outcome = result->trials[i];
    // The display step of a stop: the number of values seen.
    const std::optional<int> at =
        outcome.pruned_at ? std::optional<int>(static_cast<int>(*outcome.pruned_at) + 1) : std::nullopt;
    switch (item.kind) {
      case QuizKind::StopEarly:
        // What a person saw ended at the cut: only stops made by then count.
        if (at && *at <= item.shown_until) {
          answer.stop.push_back(static_cast<int>(i));
        }
        break;
      case QuizKind::StopPoint:
        if (static_cast<int>(i) == item.target) {
          answer.step = at;
        }
        break;
      default: {
        // Sequential: a stop counts at the next checkpoint, where a person could answer.
        std::optional<int> checkpoint;
        if (at) {
          for (const int c : item.checkpoints) {
            if (c >= *at) {
              checkpoint = c;
              break;
            }
          }
        }
        answer.stops.push_back(checkpoint);
        break;
      }
    }
  }
  return answer;
}

bool is_reference_row(std::string_view who) {
  return std::find(std::begin(kReferenceRows), std::end(kReferenceRows), who) != std::end(kReferenceRows);
}

std::optional<std::size_t> best_pruner_row(const std::vector<BoardRow>& board) {
  std::optional<std::size_t> best;
  for (std::size_t r = 0; r < board.size(); ++r) {
    const BoardRow& row = board[r];
    if (row.reference || row.who == "ground truth" || row.who == "you" || row.who == kCurveModelRow || !row.score ||
        row.score->skipped) {
      continue;
    }
    if (!best || row.score->score > board[*best].score->score) {
      best = r;
    }
  }
  return best;
}

std::vector<BoardRow> item_board(const QuizItem& item, const QuizTruth& truth) {
  std::vector<BoardRow> rows;
  rows.push_back({"ground truth", truth.answer, score_answer(item, truth, truth.answer)});
  for (const BoardPruner& pruner : board_pruners()) {
    BoardRow row{pruner.name, pruner_answer(item, truth, pruner.spec), std::nullopt};
    if (row.answer) {
      row.score = score_answer(item, truth, *row.answer);
    }
    rows.push_back(std::move(row));
  }
  const QuizAnswer reader = read_item(shown_item(item, truth.shown));
  rows.push_back({kCurveModelRow, reader, score_answer(item, truth, reader)});
  std::optional<QuizAnswer> all;
  std::optional<QuizAnswer> none;
  const auto n = static_cast<int>(item.runs.size());
  switch (item.kind) {
    case QuizKind::StopEarly:
      all.emplace();
      for (int i = 0; i < n; ++i) {
        all->stop.push_back(i);
      }
      none.emplace();
      break;
    case QuizKind::Sequential:
      all.emplace();
      all->stops.assign(item.runs.size(), item.checkpoints.front());
      none.emplace();
      none->stops.assign(item.runs.size(), std::nullopt);
      break;
    case QuizKind::StopPoint:
      all.emplace();
      all->step = 1;
      none.emplace();
      break;
    default:
      break;  // nothing to stop: the rows stay without an answer
  }
  for (const auto& [name, answer] : {std::pair{kReferenceRows[0], all}, std::pair{kReferenceRows[1], none}}) {
    BoardRow row{name, answer, std::nullopt, true};
    if (answer) {
      row.score = score_answer(item, truth, *answer);
    }
    rows.push_back(std::move(row));
  }
  QuizScore random;
  random.raw = truth.chance;
  random.chance = truth.chance;
  random.score = 0.0;
  rows.push_back({kReferenceRows[2], std::nullopt, random, true});
  return rows;
}

}  // namespace curvelab
