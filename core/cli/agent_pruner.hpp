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
// optional; an answer whose "id" is not the checkpoint's is a late one and dropped). A time-out,
// a malformed line or a program that exits counts as "continue", is recorded, and never
// hangs the study. At the end curvelab writes {"type": "done"} and closes stdin.

#include <string>
#include <vector>

#include "curvelab/pruners.hpp"

namespace curvelab::cli {

struct AgentOptions {
  std::string command;    ///< run with /bin/sh -c
  int interval = 1;       ///< ask after every `interval`-th report of a trial
  int timeout_ms = 2000;  ///< per answer
};

/// What went wrong talking to the agent: kept and reported, never fatal.
struct AgentLog {
  int asked = 0;
  int answered = 0;
  int pruned = 0;
  int timeouts = 0;
  int malformed = 0;
  int late = 0;  ///< answers to an earlier checkpoint, dropped
  bool exited = false;
  std::string exit_note;              ///< when and how the program ended early
  std::vector<std::string> problems;  ///< the first few, verbatim
};

class AgentPruner : public Pruner {
 public:
  explicit AgentPruner(AgentOptions options);
  ~AgentPruner() override;

  bool prune(const StudyState& study, const TrialRecord& trial, PruneReason& reason) override;

  /// Tells the agent the study is over and waits briefly for it to exit.
  void finish();
  const AgentLog& log() const { return log_; }

 private:
  bool start();
  bool send(const std::string& line);
  /// One line within the time-out; false on time-out or end of output.
  bool receive(std::string& line);
  void note(std::string problem);

  AgentOptions options_;
  AgentLog log_;
  int pid_ = -1;
  int to_agent_ = -1;
  int from_agent_ = -1;
  bool started_ = false;
  bool finished_ = false;
  std::string buffer_;
};

}  // namespace curvelab::cli
