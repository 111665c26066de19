#pragma once
// Prompts for language models and SVG charts, rendered from the messages `quiz --agent`
// sends (quiz_agent.hpp): a prompt shows exactly what a person sees on the page and
// what an agent is sent, no value more, in a chosen data format.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace curvelab::cli {

enum class DataFormat { List, Csv, Markdown, Json };

struct PromptOptions {
  DataFormat data = DataFormat::Markdown;
  int downsample = 10;     ///< show every n-th step (and each run's last shown one)
  int decimals = 3;        ///< rounding of the values
  bool sparkline = false;  ///< an ASCII sparkline per run
  bool with_data = true;   ///< false: the question without the values (a chart goes with it)
};

/// The steps (1-based) a prompt shows of runs shown up to `lengths` steps: every
/// `downsample`-th step up to the longest, plus each run's last step.
std::vector<int> shown_steps(const std::vector<int>& lengths, int downsample);

/// The prompt for a question or checkpoint message: the question, the curves, the
/// context the message carries (random-policy levels, the best run so far, runs already
/// stopped) and the expected answer.
std::string render_prompt(const nlohmann::json& message, const PromptOptions& options);

/// An SVG line chart of the message's curves over the item's horizon, with axes, a
/// legend, the cut or checkpoint, and the random-policy level where the message has one.
std::string render_svg(const nlohmann::json& message);

}  // namespace curvelab::cli
