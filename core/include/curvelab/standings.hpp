#pragma once
/// \file
/// Standings: how each annotator did, from their labels' scores (the scores the core gave
/// each answer when the label was made). What a teacher reads after a class.

#include <vector>

#include <nlohmann/json.hpp>

namespace curvelab {

/// One row per annotator, best mean score first (ties and annotators with no scored
/// answer by annotator id):
/// `{"annotator", "labels", "skipped", "mean_score", "by_kind": {kind: {"labels", "mean_score"}}}`.
/// `mean_score` is the mean of `score.score` over the answers that were not skipped
/// (`null` when there is none). Labels are assumed valid (validate_label).
nlohmann::json label_standings(const std::vector<nlohmann::json>& labels);

/// One session on the board: for every label that answered its item (not skipped), the
/// item's board (ground truth, each pruner, the reference rows) and the label's answer as
/// "you", rescored against ground truth, tallied per kind (`QuizTally`). Labels whose item
/// or answer does not read are left out. The page's session summary:
/// `{"kinds": {kind: {"items": n, "place": p, "contenders": c, "rows": [...]}}}`, `rows` as
/// `to_json(QuizTally)` writes them, best mean score first (`ranked_rows`), `items` the number
/// of items answered and `place` of `contenders` where "you" stands (`tally_place`).
nlohmann::json session_standing(const std::vector<nlohmann::json>& labels);

}  // namespace curvelab
