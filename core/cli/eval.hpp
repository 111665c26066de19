#pragma once
// `curvelab eval`: a quiz set answered by a language model behind an OpenAI-compatible
// endpoint, over a grid of prompt formats, scored on the same board as the pruners.
//
// The model is asked through the messages `quiz --agent` sends (quiz_agent.hpp), rendered
// as prompts (prompt.hpp): every item is one question, sequential items are interactive,
// checkpoint by checkpoint, and no prompt shows a value past its decision point. A reply
// that cannot be read is a skip (score 0, the chance level), counted, never guessed.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "curvelab/labels.hpp"
#include "curvelab/quiz.hpp"
#include "model_runner.hpp"
#include "prompt.hpp"

namespace curvelab::cli {

/// One way of showing the items: a data format, a chart, or both, with or without context.
struct EvalCondition {
  std::string format;  ///< list, csv, markdown, json, image, image+list
  bool context = false;
  std::string name() const { return format + (context ? "+context" : ""); }
};

/// The formats `--formats` accepts, in the default grid's order.
const std::vector<std::string>& eval_formats();

struct EvalOptions {
  std::vector<QuizItem> items;
  std::vector<EvalCondition> conditions;
  std::string model;
  std::optional<double> temperature;
  std::optional<int> max_tokens;
  std::optional<std::uint64_t> model_seed;
  int downsample = 10;
  int decimals = 3;
  int png_timeout_s = 30;
};

/// What one condition made of one item.
struct EvalOutcome {
  QuizAnswer answer;  ///< a skip when the model's reply could not be used
  QuizScore score;
  int calls = 0;            ///< requests this item needed (checkpoints for sequential)
  bool unreadable = false;  ///< a reply was not a valid answer
  bool failed = false;      ///< a call ended without a reply (network, budget)
  long long tokens = 0;     ///< tokens the server reported for this item's calls
  std::string problem;      ///< why it is a skip
};

struct EvalResult {
  std::vector<QuizTruth> truths;                ///< one per item
  std::vector<std::vector<EvalOutcome>> cells;  ///< [condition][item]
  RunnerTally tally;
};

/// The chat request for a message under a condition (the system message, the prompt,
/// and a PNG of the chart for image formats).
Expected<ChatRequest> eval_request(const nlohmann::json& message, const EvalCondition& condition,
                                   const EvalOptions& options);

/// Reads a sequential checkpoint's decision from a reply: the last "decision" field whose
/// value is "continue" or "stop".
std::optional<bool> checkpoint_decision_from_text(const std::string& text);

/// Asks every item under every condition, `runner`'s concurrency at a time.
EvalResult run_eval(const EvalOptions& options, ModelRunner& runner);

/// The report: per kind and condition the mean chance-corrected score with a bootstrap
/// 95% interval, unreadable replies, tokens per item and position bias on swapped pairs;
/// the board's pruners and reference rows, and `people` (labels on the same items, with
/// their interval) beside.
nlohmann::json eval_report(const EvalOptions& options, const EvalResult& result, const LabelsOnQuiz* people);
std::string eval_report_markdown(const nlohmann::json& report);
/// A bar chart of the report: one group per kind, one bar per condition, with intervals.
std::string eval_chart_svg(const nlohmann::json& report);

}  // namespace curvelab::cli
