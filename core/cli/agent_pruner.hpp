#pragma once
// A pruner whose decisions come from another program: `curvelab prune --agent 'COMMAND'`.
//
// Protocol (JSON lines). At each checkpoint curvelab writes one line to the program's
// stdin:
//   {"type": "checkpoint", "id": 7, "study": "s", "direction": "maximize", "trial": 3, "step": 99,
//    "values": [...], "steps": [...],
//    "completed": {"count": 2, "values_at_step": [0.4, 0.7], "median_at_step": 0.55,
//                  "best_at_step": 0.7}}
// and reads one line back: {"prune": true, "reason": "...", "id": 7} ("reason" and "id"
// optional; an answer whose "id" is not the checkpoint's is a late one and dropped). Each
// checkpoint has one deadline (the time-out) for writing the question and reading the
// answer; late answers do not extend it. A time-out, a malformed line (or one longer than
// 1 MiB) or a program that exits counts as "continue", is recorded, and never hangs the
// study. At the end curvelab writes {"type": "done"}, closes stdin and ends the program's
// process group (agent_process.hpp).

#include <cstdint>
#include <string>
#include <vector>

#include "agent_process.hpp"
#include "curvelab/pruners.hpp"

namespace curvelab::cli {

struct AgentOptions {
  std::string command;    ///< run with /bin/sh -c
  int interval = 1;       ///< ask after every `interval`-th report of a trial
  int timeout_ms = 2000;  ///< per checkpoint: writing the question and reading the answer
};

/// What went wrong talking to the agent: kept and reported, never fatal.
struct AgentLog {
  int asked = 0;
  int answered = 0;
  int pruned = 0;
  int timeouts = 0;
  int malformed = 0;
  std::int64_t late = 0;  ///< answers to an earlier checkpoint, dropped
  bool exited = false;
  std::string exit_note;              ///< when and how the program ended early
  std::vector<std::string> problems;  ///< the first few, verbatim
};

class AgentPruner : public Pruner {
 public:
  explicit AgentPruner(AgentOptions options);
  ~AgentPruner() override;

  bool prune(const StudyState& study, const TrialRecord& trial, PruneReason& reason) override;

  /// Tells the agent the study is over and ends it.
  void finish();
  const AgentLog& log() const { return log_; }

 private:
  void note(std::string problem);

  AgentOptions options_;
  AgentLog log_;
  AgentProcess process_;
  bool started_ = false;
  bool finished_ = false;
};

}  // namespace curvelab::cli
