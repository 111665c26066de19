#pragma once
/// \file
/// The one serialisation module: configs, ranges and ground truth to and from JSON
/// (nlohmann/json). Parsing never throws; it reports the first bad field. Written in
/// core/src, a file a concept: json_read (text, numbers and the typed reads they share),
/// json_experiment (configs, ranges, ground truth), json_study (pruners, studies, results),
/// json_sweep (the parameter study), json_quiz (items, answers, scores, standings).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "curvelab/config.hpp"
#include "curvelab/error.hpp"
#include "curvelab/generator.hpp"
#include "curvelab/ground_truth.hpp"
#include "curvelab/limits.hpp"
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

/// The deepest nesting of arrays and objects any reader accepts. Deeper text is refused
/// before it is parsed, so no recursive walk of a value (copy, dump) can overflow the stack.
inline constexpr int kMaxJsonDepth = 64;

/// Parses text as JSON, strictly: refused with one line when it is longer than
/// kMaxInputBytes (limits.hpp, the same limit as a file or stdin), holds a NUL byte or is nested deeper than
/// kMaxJsonDepth (both naming the byte offset), or is not JSON. Every reader of JSON text goes through it.
Expected<nlohmann::json> parse_json_text(std::string_view text);

/// A JSON value in at most `max_chars` characters (longer text ends in "..."), without
/// recursion: for messages that show what was refused.
std::string describe_json(const nlohmann::json& j, std::size_t max_chars = 40);

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

/// A study as `study_from_json` reads it: a trial's "steps" only where it has them, its
/// "final" only where it is set; values as `number_to_json` writes them.
nlohmann::json to_json(const StudySpec& spec);
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
/// The most runs an item may have.
inline constexpr int kMaxItemRuns = 100;
/// The most run-steps (runs x horizon, summed over the items) one quiz file or one label
/// may ask for: 20,000,000, about 160 MB of curves at 8 bytes a value.
inline constexpr std::int64_t kMaxQuizRunSteps = 20'000'000;

/// An item, validated before anything runs it: its runs are read as configs (so the curves
/// regenerate exactly); run count for the kind (pairwise exactly 2, onset at least 1, every
/// other kind at least 2, at most kMaxItemRuns), horizon equal to every run's steps, runs x
/// horizon within kMaxQuizRunSteps, shown_until and smoothing_window in 1..horizon, a
/// target only where the kind has one (stop-point: required; onset: run A), checkpoints
/// only for sequential items (at least one, strictly increasing, inside 1..horizon).
Expected<QuizItem> quiz_item_from_json(const nlohmann::json& j);

/// A quiz set `{"items": [...]}` as `curvelab quiz --format json` writes it: every item
/// valid, ids unique, the items' run-steps together within kMaxQuizRunSteps.
Expected<std::vector<QuizItem>> quiz_items_from_json(const nlohmann::json& j);

nlohmann::json to_json(const QuizAnswer& answer, const QuizItem& item);
/// An answer to `item`, strictly: the kind's field, runs by label, valid for the item.
Expected<QuizAnswer> quiz_answer_from_json(const nlohmann::json& j, const QuizItem& item);
/// An answer inside free text (a model's reply): the last JSON object in the text that
/// is a valid answer to `item`; otherwise the reason the last object was refused. Linear
/// in the text's length: one pass finds the balanced {...} spans (tracking strings from
/// the first open brace on), and only spans at most kMaxJsonDepth deep are parsed, so each
/// character is parsed at most kMaxJsonDepth times.
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
