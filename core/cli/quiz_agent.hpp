#pragma once
// A quiz answered by another program: `curvelab quiz --agent 'COMMAND'`.
//
// Protocol (JSON lines, as `prune --agent`). For each item curvelab writes one line to
// the program's stdin with exactly what a person sees on the page, and reads one line
// back:
//   {"type": "question", "id": "rank-max-3-0", "kind": "rank-max", "question": "...",
//    "answer_format": "...", "horizon": 1000, "shown_until": 1000, "smoothing_window": 50,
//    "runs": [{"label": "A", "values": [...]}, ...]}
//   -> {"id": "rank-max-3-0", "answer": {"ranking": ["B", "A", "C"]}}
// "values" are the shown curves (moving averages of the rewards), step 1 first, up to
// "shown_until" (stop-early shows the runs up to the cut). Onset and stop-point items add
// "target", the run asked about; onset items add "random_policy_level", the expected
// reward of a random policy on the target's bandit (the level its question refers to).
//
// Sequential items are asked checkpoint by checkpoint, as the page reveals them: runs
// grow one after another; the runs already decided are shown up to where they stopped
// (or the horizon), the growing run up to the checkpoint, later runs not at all:
//   {"type": "checkpoint", "id": "sequential-3-7:B:300", "item": "sequential-3-7",
//    "kind": "sequential", "question": "...", "answer_format": "...", "horizon": 1000,
//    "smoothing_window": 50, "checkpoints": [100, ...], "run": "B", "step": 300,
//    "runs": [{"label": "A", "values": [...], "stopped_at": null}, {"label": "B", "values": [...]}]}
//   -> {"id": "sequential-3-7:B:300", "decision": "continue" | "stop"}
// With context (`--with-context`, the page's option) a checkpoint also carries the
// growing run's "random_policy_level" and "best_so_far": {"label", "value"} (or null).
//
// "id" in a reply is optional; a reply with another id is late and dropped. Every line
// has one deadline (the time-out) for writing and answering; a time-out, a malformed line
// or a program that exits makes the item a skip, and a program that is gone skips the
// rest. At the end curvelab writes {"type": "done"} and ends the program's process group.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "curvelab/quiz.hpp"

namespace curvelab::cli {

struct QuizAgentOptions {
  std::string command;        ///< run with /bin/sh -c
  int timeout_ms = 30000;     ///< per line: writing the question and reading the answer
  bool with_context = false;  ///< sequential: random-policy level and best so far
};

/// How the exchange went: kept and reported, never fatal.
struct QuizAgentLog {
  int asked = 0;     ///< lines written: one per item, one per checkpoint of a sequential item
  int answered = 0;  ///< valid replies
  int timeouts = 0;
  int malformed = 0;
  std::int64_t late = 0;  ///< replies to an earlier question, dropped
  int skipped = 0;        ///< items scored as skips (the agent's own skips included)
  bool exited = false;
  std::string exit_note;              ///< when and how the program ended early
  std::vector<std::string> problems;  ///< the first few
};
nlohmann::json to_json(const QuizAgentLog& log);

struct QuizAgentResult {
  std::vector<QuizTruth> truths;    ///< one per item
  std::vector<QuizAnswer> answers;  ///< one per item (a skip where the agent failed)
  QuizAgentLog log;
};

/// What an item's question line shows (non-sequential kinds). With context, every run
/// also carries its "random_policy_level", and the message the "best_so_far" run.
nlohmann::json question_message(const QuizItem& item, const QuizTruth& truth, const std::vector<double>& baselines,
                                bool with_context = false);

/// A sequential item's checkpoint line: run `run` at `checkpoints[checkpoint]`, the runs
/// before it decided by `stops`.
nlohmann::json checkpoint_message(const QuizItem& item, const QuizTruth& truth, const std::vector<double>& baselines,
                                  const std::vector<std::optional<int>>& stops, int run, int checkpoint,
                                  bool with_context);

/// A sequential item's checkpoints in the order the page asks them: runs one after
/// another, each at its checkpoints until it is stopped or passes the last one.
class CheckpointWalk {
 public:
  explicit CheckpointWalk(const QuizItem& item);
  bool done() const { return run_ >= runs_; }
  int run() const { return run_; }
  int checkpoint() const { return checkpoint_; }
  /// Records the decision at the current checkpoint and moves to the next one.
  void decide(bool stop);
  /// Per run, the checkpoint step it was stopped at (none = ran on), as decided so far.
  const std::vector<std::optional<int>>& stops() const { return stops_; }

 private:
  const QuizItem* item_;
  int runs_;
  int run_ = 0;
  int checkpoint_ = 0;
  std::vector<std::optional<int>> stops_;
};

/// Asks every item; `on_answer` is called as each item is decided (e.g. to write it out).
QuizAgentResult run_quiz_agent(const std::vector<QuizItem>& items, const QuizAgentOptions& options,
                               const std::function<void(const QuizItem&, const QuizAnswer&)>& on_answer);

}  // namespace curvelab::cli
