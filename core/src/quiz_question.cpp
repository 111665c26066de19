// The question of an item as a person or a model reads it, and its answer's format
// (curvelab/quiz.hpp).

#include "curvelab/quiz.hpp"

#include <cstdio>

namespace curvelab {
namespace {
std::string label_range(int n) { return n == 1 ? "A" : "A-" + run_label(n - 1); }
}  // namespace

std::string quiz_question(const QuizItem& item) {
  const int n = static_cast<int>(item.runs.size());
  const std::string runs = std::to_string(n) + " runs (" + label_range(n) + ")";
  const std::string horizon = std::to_string(item.horizon);
  const std::string smoothing = "moving average over " + std::to_string(item.smoothing_window) + " steps";
  const std::string finish = "its finish is its noise-free expected reward averaged over the last 10% of the " +
                             horizon + " steps, not the noisy curve you see";
  const std::string true_curve = "its noise-free expected reward under the smoothing you are shown (" + smoothing + ")";
  switch (item.kind) {
    case QuizKind::StopEarly:
      return "These " + runs + " learn the same kind of bandit task. They are shown up to step " +
             std::to_string(item.shown_until) + " of " + horizon +
             " (the cut); the rest is hidden. Which runs would you stop now, at step " +
             std::to_string(item.shown_until) + ", because they will finish below the median of the group? A run's " +
             finish + ".";
    case QuizKind::RankMax:
      return "Rank the " + runs + " by the highest value their reward curve reaches over the " + horizon +
             " steps, as you see it (" + smoothing + "), highest first.";
    case QuizKind::RankFastest:
    case QuizKind::RankSlowest: {
      const bool fastest = item.kind == QuizKind::RankFastest;
      return "Rank the " + runs + " by learning speed, " + (fastest ? "fastest" : "slowest") +
             " first: the step from which " + true_curve +
             " stays at or above half of its final gain over the random-policy level (final: the mean over the "
             "last 10% of the " +
             horizon + " steps). A run that never gets there is the slowest.";
    }
    case QuizKind::Onset: {
      char level[32];
      std::snprintf(level, sizeof level, "%.3f", run_item(item).front().baseline());
      return "Run A is shown for " + horizon + " steps. A random policy earns " + level +
             " per step on its task (the random-policy level). At which step (1-" + horizon +
             ") did it start learning: the first step from which " + true_curve +
             " stays above that level plus 10% of its final gain over it for good (final: the mean over the last "
             "10% of the steps)?";
    }
    case QuizKind::StopPoint:
      return "The " + runs + " ran for " + horizon + " steps. Run " + run_label(std::max(item.target, 0)) +
             " finishes below the median of the group; a run's " + finish + ". At which step (1-" + horizon +
             ") would you have stopped it, as early as possible without losing anything: the first step from which " +
             true_curve + " stays below the group's median finish? null: never.";
    case QuizKind::Pairwise:
      return "Which of the two runs, A or B, ends better at step " + horizon +
             ": the higher noise-free expected reward averaged over the last 10% of its " + horizon +
             " steps (not the noisy curve you see)?";
    case QuizKind::Sequential: {
      std::string checkpoints;
      for (const int c : item.checkpoints) {
        checkpoints += (checkpoints.empty() ? "" : ", ") + std::to_string(c);
      }
      return "The " + runs + " are trained one after another, " + horizon + " steps each. At the checkpoints (steps " +
             checkpoints +
             ") you may stop a run to save time; the aim is to keep the runs that finish above the median of the "
             "group and the best one above all (a run's " +
             finish + "), and to stop the others once " + true_curve +
             " stays below the median finish. For each run, give the checkpoint where you stop it, or null to let "
             "it finish.";
    }
  }
  return {};
}

std::string quiz_answer_format(const QuizItem& item) {
  switch (item.kind) {
    case QuizKind::StopEarly:
      return R"({"stop": ["A", "C"]}   (an empty list stops none))";
    case QuizKind::RankMax:
    case QuizKind::RankFastest:
    case QuizKind::RankSlowest: {
      std::string list;
      for (int i = static_cast<int>(item.runs.size()) - 1; i >= 0; --i) {
        list += std::string(list.empty() ? "" : ", ") + "\"" + run_label(i) + "\"";
      }
      return "{\"ranking\": [" + list + "]}   (every run once, first = top)";
    }
    case QuizKind::Onset:
      return R"({"step": 120})";
    case QuizKind::StopPoint:
      return R"({"step": 400}   (or {"step": null} to never stop))";
    case QuizKind::Pairwise:
      return R"({"better": "A"})";
    case QuizKind::Sequential: {
      std::string list;
      for (std::size_t i = 0; i < item.runs.size(); ++i) {
        list += std::string(list.empty() ? "" : ", ") + (i == 1 ? std::to_string(item.checkpoints.front()) : "null");
      }
      return "{\"stops\": [" + list + "]}   (one entry per run, in order)";
    }
  }
  return {};
}

}  // namespace curvelab
