#pragma once
/// \file
/// The one serialisation module: configs, ranges and ground truth to and from JSON
/// (nlohmann/json). Parsing never throws; it reports the first bad field.

#include <string_view>

#include <nlohmann/json.hpp>

#include "curvelab/config.hpp"
#include "curvelab/error.hpp"
#include "curvelab/generator.hpp"
#include "curvelab/ground_truth.hpp"
#include "curvelab/pruners.hpp"
#include "curvelab/quiz.hpp"
#include "curvelab/study.hpp"
#include "curvelab/sweep.hpp"

namespace curvelab {

nlohmann::json to_json(const ExperimentConfig& config);
nlohmann::json to_json(const GeneratorRanges& ranges);
nlohmann::json to_json(const RunTruth& truth);

/// A JSON number, or null for NaN and the strings "inf" / "-inf" for infinities
/// (JSON has no literal for them).
nlohmann::json number_to_json(double value);

/// Parses text as JSON; a syntax error names the byte offset.
Expected<nlohmann::json> parse_json_text(std::string_view text);

/// An experiment config; missing fields take their defaults, unknown fields are refused.
Expected<ExperimentConfig> experiment_from_json(const nlohmann::json& j);
/// Generator ranges; missing fields take their defaults, unknown fields are refused.
Expected<GeneratorRanges> ranges_from_json(const nlohmann::json& j);

// Study JSON (input of `curvelab prune`):
//   {"study_name": "s", "direction": "maximize",
//    "pruner": {"name": "median", "params": {"n_startup_trials": 5}},
//    "trials": [{"values": [0.1, null, "inf"], "steps": [0, 10, 20], "final": 0.3}, ...]}
// NaN is null (or "nan"), infinities "inf" / "-inf". Integer parameters must be JSON
// integers; unknown fields are refused.

/// A pruner: `{"name": ..., "params": {...}}`, Optuna's parameter names and defaults.
Expected<PrunerSpec> pruner_from_json(const nlohmann::json& j);
/// A study; a missing pruner is Optuna's default (median), a missing direction minimize,
/// a missing study_name "curvelab".
Expected<StudySpec> study_from_json(const nlohmann::json& j);

nlohmann::json to_json(const PrunerSpec& spec);
/// A stop's reason: its rule, the numbers behind it and `text`, the sentence.
nlohmann::json to_json(const PruneReason& reason, Direction direction);
nlohmann::json to_json(const StudySummary& summary);
/// `{"pruned_at": [...], "states": [...], "reasons": [...], "summary": {...}}`.
nlohmann::json to_json(const StudyResult& result, Direction direction);

/// A setting of the parameter study: `{"method", "parameter", "log2", "value",
/// "average_reward", "optimal_share"}` (without its per-step curve).
nlohmann::json to_json(const SweepResult& result);
/// What a pruner does to the parameter study: `{"agent_steps_total", "agent_steps_run",
/// "share_saved", "found_every_best", "methods": [{"method", "parameter", "study"
/// (as `to_json(StudyResult)`), "best", "best_kept" (a setting or null), "found_best"}]}`.
nlohmann::json to_json(const SweepStudy& study);

// Item: {"id", "kind", "seed", "index", "horizon", "shown_until", "target", "swapped",
//        "checkpoints", "smoothing_window", "labels", "runs": [config...], "question",
//        "answer_format"}; runs are labelled A, B, ... in order.
// Answer (runs by label): {"stop": ["A"]}, {"ranking": ["B", "A"]}, {"step": 120 | null},
//        {"better": "A"}, {"stops": [null, 300]}, or {"skipped": true}.

nlohmann::json to_json(const QuizItem& item);
/// An item; its runs are read as configs, so the curves regenerate exactly.
Expected<QuizItem> quiz_item_from_json(const nlohmann::json& j);

nlohmann::json to_json(const QuizAnswer& answer, const QuizItem& item);
/// An answer to `item`, strictly: the kind's field, runs by label, valid for the item.
Expected<QuizAnswer> quiz_answer_from_json(const nlohmann::json& j, const QuizItem& item);
/// An answer inside free text (a model's reply): the last JSON object in the text that
/// is a valid answer to `item`; otherwise the reason the last object was refused.
Expected<QuizAnswer> quiz_answer_from_text(std::string_view text, const QuizItem& item);

nlohmann::json to_json(const QuizScore& score);
/// Ground truth of an item: the best answer and each run's metrics.
nlohmann::json to_json(const QuizTruth& truth, const QuizItem& item);
/// Standings: `{"<kind>": {"rows": [{"who", "items", "answered", "skipped", "mean_score",
/// "means": {"score": ..., "kendall_tau": ..., ...}}, ...]}, ...}`.
nlohmann::json to_json(const QuizTally& tally);
/// The board: `[{"who": ..., "answer": {...} | null, "score": {...} | null}, ...]`.
nlohmann::json to_json(const std::vector<BoardRow>& board, const QuizItem& item);

}  // namespace curvelab
