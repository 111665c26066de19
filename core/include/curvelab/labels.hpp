#pragma once
/// \file
/// Labels: every answer, kept as one JSON object per line (JSONL), schema-versioned, with
/// enough of the item to regenerate its curves exactly. The page stores them; the core
/// makes, checks, merges, exports and summarises them, so no rule lives in TypeScript.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "curvelab/error.hpp"
#include "curvelab/quiz.hpp"

namespace curvelab {

/// The schema of the labels made now. A label keeps the whole answer (every kind's field as
/// `to_json(QuizAnswer)` writes it: each stop, each rank, a click or "never" as null, the
/// step each sequential run was stopped at), so its score can always be recomputed.
inline constexpr const char* kLabelSchema = "curvelab.label/2";
/// The previous schema: the same fields, scored by earlier rules. Still read; upgraded by
/// `rescore_label`.
inline constexpr const char* kLabelSchemaV1 = "curvelab.label/1";

/// What the annotating tool knows about an answer besides the item and the answer.
struct LabelContext {
  std::string id;          ///< unique label id
  std::string annotator;   ///< anonymous, stable per browser
  std::string session;     ///< one quiz session
  std::string created_at;  ///< ISO 8601 time
  std::string app_version;
  nlohmann::json display = nlohmann::json::object();  ///< what was shown: smoothing, context curves, order
  double latency_ms = 0.0;                            ///< from showing the item to the answer
};

/// A label for `answer` (JSON as in json.hpp, or {"skipped": true}) to `item`: the answer
/// is checked against the item and scored against ground truth.
Expected<nlohmann::json> make_label(const LabelContext& context, const QuizItem& item, const nlohmann::json& answer);

/// The first problem with one label (schema, fields, item, answer), or nothing. Both
/// schemas are accepted; a schema-2 label must hold its answer exactly as the core writes
/// it (nothing missing, nothing extra), and `skipped` must agree with it.
std::optional<Error> validate_label(const nlohmann::json& label);

/// The label with `score` recomputed by the current rules from its stored item and answer,
/// and `schema` set to the current one; `answer` and `skipped` are written in the core's
/// whole form (as every label the page made already has them), every other field is kept
/// as it is. Refuses a label that does not validate.
Expected<nlohmann::json> rescore_label(const nlohmann::json& label);

/// Labels of an older schema rescored (`rescore_label`); current ones are kept as they
/// are. What an import stores, so that every stored score follows the current rules.
Expected<std::vector<nlohmann::json>> upgrade_labels(const std::vector<nlohmann::json>& labels);

/// Labels from JSONL text, all or nothing: the first bad line refuses the whole text,
/// naming the line and the problem. Blank lines are skipped.
Expected<std::vector<nlohmann::json>> parse_labels(std::string_view jsonl);

struct LabelMerge {
  std::vector<nlohmann::json> labels;  ///< stored, then the new ones
  int added = 0;
  int duplicates = 0;  ///< incoming labels whose id was already stored (the stored one is kept)
};

/// `incoming` merged into `stored`, de-duplicated by id.
LabelMerge merge_labels(std::vector<nlohmann::json> stored, const std::vector<nlohmann::json>& incoming);

std::string labels_to_jsonl(const std::vector<nlohmann::json>& labels);

/// One row per label: id, annotator, session, created_at, app_version, quiz_kind, item_id,
/// item_seed, item_index, skipped, latency_ms, score, answer (as JSON text), display (JSON text).
std::string labels_to_csv(const std::vector<nlohmann::json>& labels);

/// A label line left off a quiz's board, and why.
struct LabelProblem {
  int line = 0;    ///< 1-based line of the JSONL text
  std::string id;  ///< the item id, when the label names one in the quiz
  std::string error;
};

/// People on a quiz's board: the labels of `jsonl` (as the page exports them, either schema)
/// that answer one of `items`, each scored against that item's truth (`truths[i]` for
/// `items[i]`) by the current rules, whatever score the label stored.
struct LabelsOnQuiz {
  QuizTally tally;  ///< one "people" score per label used, per kind
  /// Each label used: the index of its item in `items`, and its score.
  std::vector<std::pair<std::size_t, QuizScore>> scores;
  int used = 0;
  int other_items = 0;                 ///< valid labels on items the quiz does not hold: not on this board
  std::vector<LabelProblem> problems;  ///< lines refused: not JSON, not a label, or an item that differs
};

/// Reads `jsonl` line by line: a line that is not a valid label (`validate_label`), or a
/// label whose item has a quiz item's id but is not that item, is a problem; the other
/// lines are still used. Each line is parsed as every input is (`parse_json_text`).
LabelsOnQuiz labels_on_quiz(std::string_view jsonl, const std::vector<QuizItem>& items,
                            const std::vector<QuizTruth>& truths);

/// What a set of labels says, as numbers; `to_json` and `label_summary_text` report it.
struct LabelSummary {
  struct Kind {
    QuizKind kind = QuizKind::StopEarly;
    int labels = 0;
    int skipped = 0;
    std::optional<double> mean_score;  ///< over the labels not skipped that hold a score
    int items_with_agreement = 0;      ///< items answered by two annotators or more
    std::optional<double> mean_agreement;
  };
  /// Agreement on one item among its annotators (each annotator's first answer counts).
  struct Agreement {
    std::string id;
    QuizKind kind = QuizKind::StopEarly;
    int annotators = 0;     ///< >= 2
    std::string statistic;  ///< kendall_w, fleiss_kappa, percent_agreement or mean_pairwise_distance
    double value = 0.0;
  };
  int labels = 0;
  int annotators = 0;
  std::vector<Kind> kinds;                 ///< by kind name, alphabetically
  std::vector<Agreement> items;            ///< by item id
  int pairwise_answers = 0;                ///< pairwise answers not skipped
  std::optional<double> share_left;        ///< of those, the share that chose the left run (A)
  int swap_pairs = 0;                      ///< an annotator's answers to a pair and its swapped showing
  std::optional<double> consistent_share;  ///< of those, the share that chose the same run both times
};

/// Counts and mean scores per kind; agreement per item and per kind among annotators
/// (Kendall's W for rankings, in [0, 1]; Fleiss' kappa for stop choices; percent agreement
/// for pairs; mean pairwise distance for clicks); position bias of pairwise answers. Items
/// are grouped by their whole identity (the item JSON), not the id alone; an item with
/// fewer than two annotators, or a ranking of fewer than two runs, has no agreement; no
/// figure is NaN. Refused, naming the label: a label that does not validate, or labels that
/// share an item id but not the item.
Expected<LabelSummary> label_summary(const std::vector<nlohmann::json>& labels);

/// `{"labels", "annotators", "by_kind": {kind: {"labels", "skipped", "mean_score",
/// "items_with_agreement", "mean_agreement"}}, "items": [{"id", "kind", "annotators",
/// "statistic", "value"}], "position_bias": {"pairwise_answers", "share_left", "swap_pairs",
/// "consistent_share"}}`; a figure without a value is null. What the page and `serve` show.
nlohmann::json to_json(const LabelSummary& summary);

/// The summary as `curvelab labels summary` prints it: a line of counts (with
/// `duplicates_ignored` when a merge dropped some), a line per kind, then position bias.
std::string label_summary_text(const LabelSummary& summary, int duplicates_ignored = 0);

}  // namespace curvelab
