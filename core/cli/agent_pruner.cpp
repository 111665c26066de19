#include "agent_pruner.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <nlohmann/json.hpp>

#include "agent_reply.hpp"
#include "curvelab/json.hpp"
#include "curvelab/study_state.hpp"

namespace curvelab::cli {
namespace {
using nlohmann::json;

double nan_median(std::vector<double> values) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }), values.end());
  if (values.empty()) {
    return std::nan("");
  }
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : values[mid - 1] + (values[mid] - values[mid - 1]) / 2.0;
}
}  // namespace

AgentPruner::AgentPruner(AgentOptions options) : options_(std::move(options)), process_(options_.command) {}

AgentPruner::~AgentPruner() { finish(); }

void AgentPruner::note(std::string problem) {
  if (log_.problems.size() < 10) {
    log_.problems.push_back(std::move(problem));
  }
}

bool AgentPruner::prune(const StudyState& study, const TrialRecord& trial, PruneReason& reason) {
  const auto reports = trial.reports();
  if (log_.exited || reports.empty() || reports.size() % static_cast<std::size_t>(options_.interval) != 0) {
    return false;
  }
  if (!started_) {
    started_ = true;
    if (!process_.start()) {
      log_.exited = true;
      log_.exit_note = process_.note();
      return false;
    }
  }
  const std::int64_t step = trial.last_step();
  json values = json::array();
  json steps = json::array();
  for (const auto& report : reports) {
    values.push_back(number_to_json(report.value));
    steps.push_back(report.step);
  }
  const auto at_step = study.complete_values_at(step);
  const std::vector<double> completed(at_step.begin(), at_step.end());
  json completed_json = json::array();
  double best = std::nan("");
  for (const double v : completed) {
    completed_json.push_back(number_to_json(v));
    best = nan_best(best, v, study.direction());
  }
  ++log_.asked;
  const json message{{"type", "checkpoint"},
                     {"id", log_.asked},
                     {"study", study.name()},
                     {"direction", direction_name(study.direction())},
                     {"trial", trial.number()},
                     {"step", step},
                     {"values", values},
                     {"steps", steps},
                     {"completed", json{{"count", study.complete_count()},
                                        {"values_at_step", completed_json},
                                        {"median_at_step", number_to_json(nan_median(completed))},
                                        {"best_at_step", number_to_json(best)}}}};
  const std::string where = "trial " + std::to_string(trial.number()) + ", step " + std::to_string(step);
  const std::string timeout = std::to_string(options_.timeout_ms) + " ms";
  const auto gone = [&] {
    log_.exited = true;
    log_.exit_note = process_.note() + " at " + where + "; the rest of the study continued without it";
    process_.stop();
    return false;
  };
  // One deadline for the whole checkpoint: nothing the agent sends moves it.
  const AgentDeadline deadline = AgentClock::now() + std::chrono::milliseconds(options_.timeout_ms);
  switch (process_.send(message.dump(-1, ' ', false, json::error_handler_t::replace), deadline)) {
    case AgentProcess::Status::Gone:
      return gone();
    case AgentProcess::Status::TimedOut:
      ++log_.timeouts;
      note(where + ": the question could not be written within " + timeout + " (the agent is not reading; continued)");
      return false;
    default:
      break;
  }
  std::string line;
  for (;;) {
    switch (process_.receive(line, deadline)) {
      case AgentProcess::Status::Gone:
        return gone();
      case AgentProcess::Status::TimedOut:
        ++log_.timeouts;
        note(where + ": no answer within " + timeout + " (continued)");
        return false;
      case AgentProcess::Status::TooLong:
        ++log_.malformed;
        note(where + ": malformed answer (continued): a line longer than " +
             std::to_string(AgentProcess::kDefaultMaxLine) + " bytes");
        return false;
      case AgentProcess::Status::Done:
        break;
    }
    const PruneReply reply = read_prune_reply(line, log_.asked);
    if (reply.kind == ReplyKind::Late) {
      ++log_.late;
      continue;
    }
    if (reply.kind == ReplyKind::Malformed) {
      ++log_.malformed;
      note(where + ": malformed answer (continued): " + quote_line(line));
      return false;
    }
    ++log_.answered;
    if (!reply.prune) {
      return false;
    }
    ++log_.pruned;
    reason = PruneReason{};
    reason.pruner = PrunerKind::Nop;
    reason.rule = PruneRule::External;
    reason.step = step;
    reason.value = reports.back().value;
    reason.compared_with = study.complete_count();
    reason.note = reply.reason.empty() ? "the agent said stop" : reply.reason;
    return true;
  }
}

void AgentPruner::finish() {
  if (finished_) {
    return;
  }
  finished_ = true;
  if (!started_) {
    return;
  }
  if (!log_.exited) {
    const auto wait = std::chrono::milliseconds(std::min(options_.timeout_ms, 1000));
    process_.send(json{{"type", "done"}}.dump(), AgentClock::now() + wait);
  }
  process_.stop();
}

}  // namespace curvelab::cli
