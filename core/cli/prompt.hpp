#pragma once
// Quiz items as prompts for language models: the question, the curves in a chosen data
// format, and the expected answer format; and as SVG charts.

#include <string>
#include <vector>

#include "curvelab/quiz.hpp"

namespace curvelab::cli {

enum class DataFormat { List, Csv, Markdown, Json };

struct PromptOptions {
  DataFormat data = DataFormat::Markdown;
  int downsample = 10;        ///< show every n-th step (and the last shown one)
  int decimals = 3;           ///< rounding of the values
  bool sparkline = false;     ///< an ASCII sparkline per run
  bool with_context = false;  ///< the random baseline of each run and the best run so far
};

/// What a prompt shows of an item: its shown curves, the steps kept and each run's baseline.
struct ItemView {
  const QuizItem* item = nullptr;
  std::vector<std::vector<double>> shown;  ///< smoothed observed rewards, up to shown_until
  std::vector<double> baselines;           ///< mean q* of each run
};

ItemView view_item(const QuizItem& item);

/// The steps (1-based) that a prompt shows after downsampling.
std::vector<int> shown_steps(const QuizItem& item, int downsample);

/// Whether an item can be a batch prompt: one that shows nothing past the step at which its
/// question is asked. A sequential item asks at every checkpoint of every run, and each
/// decision depends on the ones before it, so it is asked only through `quiz --agent`.
bool has_batch_prompt(const QuizItem& item);

/// The prompt of an item with `has_batch_prompt`: the question, the curves up to
/// `shown_until` (nothing later), the random-policy level on onset items, the answer format.
std::string render_prompt(const ItemView& view, const PromptOptions& options);

/// An SVG line chart of the shown curves, with axes, labels and a legend.
std::string render_svg(const ItemView& view);

}  // namespace curvelab::cli
