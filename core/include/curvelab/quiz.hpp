#pragma once
/// \file
/// Quiz items: cohorts of runs that ask the questions a practitioner faces, their ground
/// truth, and the scoring of answers. People, pruners and language models are scored by
/// the same functions on the same items, so every item has one board.
///
/// An item is regenerated exactly from its kind, seed and index: its runs are plain
/// experiment configs, and their curves come from running them.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "curvelab/config.hpp"
#include "curvelab/error.hpp"
#include "curvelab/ground_truth.hpp"
#include "curvelab/pruners.hpp"
#include "curvelab/run.hpp"

namespace curvelab {

enum class QuizKind {
  StopEarly,    ///< curves shown up to a cut: pick the runs you would stop
  RankMax,      ///< rank the runs by their highest (smoothed) value
  RankFastest,  ///< rank the runs from fastest to slowest learner
  RankSlowest,  ///< rank the runs from slowest to fastest learner
  Onset,        ///< click the step where learning started
  StopPoint,    ///< click where you would stop the highlighted run
  Pairwise,     ///< which of two runs ends better at the horizon
  Sequential,   ///< runs grow one after another; at checkpoints, continue or stop
};

inline constexpr QuizKind kAllQuizKinds[] = {QuizKind::StopEarly,   QuizKind::RankMax,   QuizKind::RankFastest,
                                             QuizKind::RankSlowest, QuizKind::Onset,     QuizKind::StopPoint,
                                             QuizKind::Pairwise,    QuizKind::Sequential};

/// `stop-early`, `rank-max`, `rank-fastest`, `rank-slowest`, `onset`, `stop-point`, `pairwise`, `sequential`.
std::string_view quiz_kind_name(QuizKind kind);
std::optional<QuizKind> parse_quiz_kind(std::string_view name);
/// A list of kinds, as `--kind` and the page's `makeQuiz` take it: names separated by
/// commas, where `mixed` stands for every kind in the order of kAllQuizKinds (so
/// "onset,mixed" is onset, then all eight); the empty text is `mixed`. A name that is
/// neither a kind nor `mixed` (an empty one between commas too) is refused with one line
/// that starts with `field`.
Expected<std::vector<QuizKind>> parse_quiz_kinds(std::string_view text, std::string_view field = "kinds");

/// One question. Runs are labelled A, B, C, ... in the order they are shown.
struct QuizItem {
  std::string id;  ///< `<kind>-<seed>-<index>`, plus `-swapped` for a pair's second showing
  QuizKind kind = QuizKind::StopEarly;
  std::uint64_t seed = 0;
  int index = 0;
  int horizon = 0;                     ///< steps of every run
  int shown_until = 0;                 ///< the last step shown (stop-early shows a prefix; others all)
  int target = -1;                     ///< stop-point and onset: the run asked about
  bool swapped = false;                ///< pairwise: the second showing, sides swapped
  std::vector<int> checkpoints;        ///< sequential: the steps at which to answer
  std::vector<ExperimentConfig> runs;  ///< regenerate the curves by running these
  int smoothing_window = 1;            ///< the moving-average window every viewer is shown
};

/// The label of run `i`: "A", "B", ..., "Z", "AA", ...
std::string run_label(int i);
/// The index of a label, if it names one of `count` runs.
std::optional<int> parse_run_label(std::string_view label, int count);

/// Item number `index` of a quiz of `kind` from `seed`: a cohort chosen so the question
/// has a clear answer and is not trivial (tried in a fixed order of candidates).
QuizItem make_quiz_item(QuizKind kind, std::uint64_t seed, int index);

/// A set of items: `count` of one kind, or a mix cycling through `kinds`. Every pairwise
/// item is followed later in the set by its swapped showing.
std::vector<QuizItem> make_quiz(const std::vector<QuizKind>& kinds, int count, std::uint64_t seed);

/// Draws the item for place `index` of a set (`index` counts every place, and its kind is
/// `kinds[index % kinds.size()]`); `make_quiz` draws `make_quiz_item(kind, seed, index)`.
using QuizDraw = std::function<Expected<QuizItem>(QuizKind kind, int index)>;
/// `make_quiz` with each original item drawn by `draw`: the same kinds in the same places,
/// each pair followed later by its swapped showing. The first error of `draw` ends it.
Expected<std::vector<QuizItem>> make_quiz(const std::vector<QuizKind>& kinds, int count, const QuizDraw& draw);

/// A pair's second showing: the runs in the other order, `swapped` set, `-swapped` after the id.
QuizItem swapped_showing(const QuizItem& pair);

/// The best run so far of a study shown one run after another: among the runs decided
/// so far (`stops[i]`, none = ran to the horizon) that ran to the end, the one with the
/// highest last shown value, as Optuna's best trial (a trial's objective is its last
/// report). None when no run has finished yet.
std::optional<int> best_finished_run(const std::vector<std::vector<double>>& shown,
                                     const std::vector<std::optional<int>>& stops);

/// The item's runs, stepped to the horizon.
std::vector<Run> run_item(const QuizItem& item);

/// Observed reward curves smoothed as the item shows them (what people and pruners see).
std::vector<std::vector<double>> shown_curves(const QuizItem& item, const std::vector<Run>& runs);

/// An answer, whoever gave it. Fields are used by the kinds that need them.
struct QuizAnswer {
  bool skipped = false;
  std::vector<int> stop;                  ///< stop-early: runs to stop
  std::vector<int> ranking;               ///< rank-*: run indices, first = top
  std::optional<int> step;                ///< onset, stop-point: the clicked step (none = never stop)
  std::optional<int> better;              ///< pairwise: the run judged better
  std::vector<std::optional<int>> stops;  ///< sequential: per run, the checkpoint it was stopped at (none = ran on)
};

/// What ground truth says about an item.
struct QuizTruth {
  std::vector<RunTruth> runs;
  CohortTruth cohort;
  QuizAnswer answer;                       ///< the answer that scores best
  std::vector<std::vector<double>> shown;  ///< the curves as shown (smoothed observed rewards)
  double truth_raw = 1.0;                  ///< the kind's raw utility of `answer`: the best any answer reaches
  double chance = 0.0;  ///< the expected raw utility of a random answerer on this item (see `score_answer`)
};

QuizTruth quiz_truth(const QuizItem& item, const std::vector<Run>& runs);

/// A score: the kind's figures, with `None` for those that do not apply.
struct QuizScore {
  bool skipped = false;
  /// (raw - chance) / (truth_raw - chance): 1 = as good as ground truth, 0 = what a random
  /// answer earns on this item in expectation, below 0 = worse than that. The same meaning
  /// for every kind.
  double score = 0.0;
  double raw = 0.0;                   ///< the kind's raw utility of this answer (see `score_answer`)
  double chance = 0.0;                ///< the item's chance level of `raw` (`QuizTruth::chance`)
  std::optional<double> kendall_tau;  ///< rankings
  std::optional<bool> top1;           ///< rankings
  std::optional<int> distance;        ///< clicks: |answer - truth| in steps
  std::optional<double> precision;    ///< stops (none when nothing was stopped)
  std::optional<double> recall;       ///< stops (none when nothing should stop)
  std::optional<double> steps_saved;  ///< stops: share of all steps not run
  /// stop-early and sequential: (best final - best final of the runs kept) / (best - worst
  /// final) of the cohort; 1 when every run is stopped.
  std::optional<double> regret;
  std::optional<bool> correct;    ///< pairwise
  std::optional<double> auc;      ///< sequential: kurobako's best-so-far AUC of the study
  std::optional<bool> best_kept;  ///< sequential and stop-early: the best run was not stopped
};

/// Scores `answer` against ground truth. The answer must be valid for the item
/// (`validate_answer`). Raw utility and chance (the expected raw of an answerer drawing
/// uniformly among the valid answers), per kind:
/// - rankings: Kendall's tau against the truth; chance 0.
/// - pairwise: 1 if right, 0 if wrong; chance 0.5.
/// - onset, stop-point: max(0, 1 - distance / (T / 20)), "never" counting as step T (T / 20
///   is the shown smoothing window); chance: the mean over every click 1..T (and "never"
///   for stop-point). Stop-point is scored as a click: its run should stop, so stopping it
///   costs no final performance; `steps_saved` is reported beside.
/// - stop-early, sequential: saved on runs that should stop (counted up to the truth's
///   stop, nothing for stopping earlier) - 0.5 * steps cut from runs that should not stop
///   - 0.3 * regret, steps as shares of all the cohort's steps; chance: each run stopped
///   with probability 1/2 (sequential: at a checkpoint drawn uniformly), computed exactly.
QuizScore score_answer(const QuizItem& item, const QuizTruth& truth, const QuizAnswer& answer);

/// The first problem with an answer to `item` (unknown run, ranking not a permutation,
/// step out of range).
std::optional<Error> validate_answer(const QuizItem& item, const QuizAnswer& answer);

/// Kendall's tau-a between two rankings of the same items (permutations of 0..n-1).
double kendall_tau(const std::vector<int>& a, const std::vector<int>& b);

/// The pruners every item is scored against, name shown on the board and spec: Optuna's
/// median, percentile(25), successive halving, hyperband and patient(50, median), then
/// curvelab's own extrapolation pruner ("extrapolation (curvelab)", checking every 50 steps),
/// each with its defaults otherwise.
struct BoardPruner {
  std::string name;
  PrunerSpec spec;
};
std::vector<BoardPruner> board_pruners();

/// What a pruner would have answered: the item's runs run as one study, in the order
/// shown, reporting the shown (smoothed) curves, direction maximize. Stop-early counts
/// the stops made by the cut; sequential moves a stop to the next checkpoint. Kinds a
/// pruner cannot answer (rankings, onset, pairwise) give none.
std::optional<QuizAnswer> pruner_answer(const QuizItem& item, const QuizTruth& truth, const PrunerSpec& pruner);

/// One row of an item's board.
struct BoardRow {
  std::string who;  ///< "ground truth", "you", a pruner's name, "curve model", or a reference row's name
  std::optional<QuizAnswer> answer;
  std::optional<QuizScore> score;
  /// A reference row ("stop all", "stop none", "random"): the floor a reader compares with.
  bool reference = false;
};

/// The curve reader's row (curve_reader.hpp): a judge, not a reference row, that answers
/// every kind from exactly what the item shows, with the curve model. Its score on an item
/// is the item's answerability.
inline constexpr const char* kCurveModelRow = "curve model";

/// The board's best pruner: the index of the highest-scoring row that is not ground truth,
/// "you", the curve model (`kCurveModelRow`) or a reference row and whose score was not
/// skipped; the first of them on ties. None when no pruner answered the item.
std::optional<std::size_t> best_pruner_row(const std::vector<BoardRow>& board);

/// The names of the reference rows, in board order.
inline constexpr const char* kReferenceRows[] = {"stop all", "stop none", "random"};
/// Is `who` the name of a reference row?
bool is_reference_row(std::string_view who);

/// Ground truth, then every board pruner (rows without an answer where a pruner cannot
/// answer), then the curve reader ("curve model", an answer on every kind; on onset a
/// skip when its fit shows no onset), then the reference rows: "stop all" (stop-early: every run; sequential: every
/// run at the first checkpoint; stop-point: step 1), "stop none" (no run stopped; stop-point:
/// never), both without an answer for the kinds that stop nothing (rankings, onset, pairwise),
/// and "random", no answer and the score of the chance level (0 by definition).
std::vector<BoardRow> item_board(const QuizItem& item, const QuizTruth& truth);

/// Standings over many items: per kind and per answerer ("model", "you", "people", a
/// pruner's name), how many items each answered and the mean of every figure of their
/// scores. The CLI's report and the page's session summary are both read from it.
class QuizTally {
 public:
  struct Entry {
    std::string who;
    int items = 0;     ///< scores added, skips included
    int answered = 0;  ///< not skipped
    int skipped = 0;
    /// Mean of a figure ("score", "raw", "chance", "kendall_tau", "top1", "distance",
    /// "precision", "recall", "steps_saved", "regret", "correct", "auc", "best_kept";
    /// booleans count as 0 and 1) over the answers that have it.
    std::optional<double> mean(const std::string& figure) const;
    std::vector<std::pair<std::string, std::pair<double, int>>> sums;  ///< figure -> (sum, count), in first-seen order
  };
  struct Kind {
    QuizKind kind = QuizKind::StopEarly;
    std::vector<Entry> rows;  ///< answerers in the order first added
  };

  void add(QuizKind kind, const std::string& who, const QuizScore& score);
  /// Kinds in the order first added.
  const std::vector<Kind>& kinds() const { return kinds_; }

 private:
  std::vector<Kind> kinds_;
};

/// Where `who` stands in one kind of a tally. The contenders are the answerers that are not
/// ground truth nor a reference row and have a mean score, and `who` itself; they rank by
/// mean score, best first, `who` with no mean score last, ties in the order first added.
struct TallyPlace {
  int place = 0;       ///< 1-based rank of `who` among the contenders; 0 when `who` is not in the kind
  int contenders = 0;  ///< how many contenders, `who` included
};
TallyPlace tally_place(const QuizTally::Kind& kind, std::string_view who);

/// The kind's rows best mean score first (rows with none last), ties in the order first added.
std::vector<QuizTally::Entry> ranked_rows(const QuizTally::Kind& kind);

/// The question as a person or a model reads it, and the expected answer's JSON form.
std::string quiz_question(const QuizItem& item);
std::string quiz_answer_format(const QuizItem& item);

}  // namespace curvelab
