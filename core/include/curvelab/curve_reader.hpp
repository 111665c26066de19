#pragma once
/// \file
/// The curve reader: a judge that answers every quiz kind from exactly what an item
/// shows, with the curve model (curve_model.hpp), and the answerability of an item (how
/// well the reader scores on it: what the shown data supports).
///
/// The reader's input type, `ShownItem`, holds the shown values and the question's
/// terms, and nothing a judge is not shown: no configs, seeds, true values or ground
/// truth, so the reader cannot regenerate or read them. `shown_item` is the one place an
/// item is turned into what it shows; it cuts each curve at the last step shown.

#include <cstdint>
#include <optional>
#include <vector>

#include "curvelab/quiz.hpp"

namespace curvelab {

/// What an item shows a judge.
struct ShownItem {
  QuizKind kind = QuizKind::StopEarly;
  int horizon = 0;               ///< the steps every run has (stated in the question)
  int shown_until = 0;           ///< the last step shown
  int target = -1;               ///< onset and stop-point: the run asked about
  std::vector<int> checkpoints;  ///< sequential: the steps at which to answer
  int smoothing_window = 1;      ///< the moving average the curves are shown with
  /// Per run, in the order shown: its shown values at steps 1 .. shown_until.
  std::vector<std::vector<double>> curves;
};

/// What `item` shows, from its shown curves (`shown_curves(item, runs)`, or
/// `QuizTruth::shown`): each cut at `item.shown_until`.
ShownItem shown_item(const QuizItem& item, const std::vector<std::vector<double>>& shown);

/// What the reader reads off one shown curve.
struct CurveReading {
  double predicted_final = 0.0;   ///< mean over the last 10% of the horizon, predicted
  double final_sd = 0.0;          ///< its predictive standard deviation
  double start = 0.0;             ///< the fitted curve at step 1: where learning starts from
  std::optional<int> onset;       ///< first step from which the fitted curve stays above start + 10% of the gain
  std::optional<int> time_to_50;  ///< the same at 50%: the time to half the gain
  double shown_max = 0.0;         ///< the highest shown value
  bool fitted = false;            ///< false when too few values were shown to fit
};

/// Reads one curve shown with a trailing moving average of `window` steps, for a run of
/// `horizon` steps.
CurveReading read_curve(const std::vector<double>& shown, int window, int horizon);

/// The reader's answer to an item: a valid answer for every kind (`validate_answer`).
///  - stop-early: stop the runs whose predicted final is below the median predicted final;
///  - rank-max: by the highest shown value; rank-fastest / rank-slowest: by the fitted
///    time to half the gain (a run that never gets there is the slowest);
///  - onset: the fitted onset of run A; stop-point: for a target predicted below the
///    others' median, the first of 20 evenly spaced steps at which a fit of the curve so
///    far gives it a probability below 5% of reaching that median, else never;
///  - pairwise: the higher predicted final;
///  - sequential: at each checkpoint, the extrapolation pruner's rule against the best
///    run finished so far (p 0.05), on the curve up to that checkpoint only.
QuizAnswer read_item(const ShownItem& shown);

/// The reader's score on `item` (its answer scored against ground truth): how far the
/// shown data supports the right answer. In the units of `QuizScore::score`: at most 1
/// (the reader gives the ground truth's answer), 0 for what random answers earn, and
/// below 0 where the data points the wrong way; an onset the reader cannot see (a skip)
/// is 0.
double answerability(const QuizItem& item, const QuizTruth& truth);

/// The most candidates read for one place of a quiz kept by answerability.
inline constexpr int kAnswerabilityCandidates = 50;

/// A quiz of items whose answerability reaches a threshold, with each item's figure.
struct AnswerableQuiz {
  std::vector<QuizItem> items;
  std::vector<double> answerability;  ///< per item, in the order of `items`
  int candidates = 0;                 ///< items generated and read, kept or not (a pair counts once)
};

/// `make_quiz(kinds, count, seed)` keeping only items the shown data supports: each place
/// takes the first candidate, in the order of its stream, whose answerability is at least
/// `min_answerability` (a pair: both showings). The stream of the places at position `p`
/// of `kinds` is the item indices `p`, `p + kinds.size()`, `p + 2 kinds.size()`, ... of
/// `seed`, those `make_quiz` gives that position, taken in turn by its places; so a
/// threshold every item reaches gives `make_quiz`'s set. A place with no candidate among
/// the next `kAnswerabilityCandidates` of its stream is an error naming the kind and the
/// indices tried.
Expected<AnswerableQuiz> make_answerable_quiz(const std::vector<QuizKind>& kinds, int count, std::uint64_t seed,
                                              double min_answerability);

}  // namespace curvelab
