#include "agent_pruner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>

#include <nlohmann/json.hpp>

#include "curvelab/json.hpp"
#include "curvelab/study_state.hpp"

namespace curvelab::cli {
namespace {
using nlohmann::json;
using Clock = std::chrono::steady_clock;

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

AgentPruner::AgentPruner(AgentOptions options) : options_(std::move(options)) {}

AgentPruner::~AgentPruner() { finish(); }

bool AgentPruner::start() {
  started_ = true;
  int in_pipe[2];
  int out_pipe[2];
  if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0) {
    log_.exited = true;
    log_.exit_note = std::string("could not create pipes: ") + std::strerror(errno);
    return false;
  }
  signal(SIGPIPE, SIG_IGN);  // a dead agent makes write() fail with EPIPE instead
  pid_ = fork();
  if (pid_ < 0) {
    log_.exited = true;
    log_.exit_note = std::string("could not start the agent: ") + std::strerror(errno);
    return false;
  }
  if (pid_ == 0) {
    dup2(in_pipe[0], STDIN_FILENO);
    dup2(out_pipe[1], STDOUT_FILENO);
    close(in_pipe[0]);
    close(in_pipe[1]);
    close(out_pipe[0]);
    close(out_pipe[1]);
    execl("/bin/sh", "sh", "-c", options_.command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  to_agent_ = in_pipe[1];
  from_agent_ = out_pipe[0];
  fcntl(from_agent_, F_SETFL, fcntl(from_agent_, F_GETFL) | O_NONBLOCK);
  return true;
}

void AgentPruner::note(std::string problem) {
  if (log_.problems.size() < 10) {
    log_.problems.push_back(std::move(problem));
  }
}

bool AgentPruner::send(const std::string& line) {
  std::string data = line + "\n";
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = write(to_agent_, data.data() + sent, data.size() - sent);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

bool AgentPruner::receive(std::string& line) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(options_.timeout_ms);
  for (;;) {
    if (const auto newline = buffer_.find('\n'); newline != std::string::npos) {
      line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      return true;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      return false;
    }
    pollfd fd{from_agent_, POLLIN, 0};
    const int ready = poll(&fd, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    if (ready <= 0) {
      return false;
    }
    char chunk[4096];
    const ssize_t n = read(from_agent_, chunk, sizeof chunk);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      continue;
    }
    if (n <= 0) {
      log_.exited = true;  // end of output: the agent is gone
      return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

bool AgentPruner::prune(const StudyState& study, const TrialRecord& trial, PruneReason& reason) {
  const auto reports = trial.reports();
  if (log_.exited || reports.empty() || reports.size() % static_cast<std::size_t>(options_.interval) != 0) {
    return false;
  }
  if (!started_ && !start()) {
    return false;
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
  if (!send(message.dump())) {
    log_.exited = true;
    log_.exit_note =
        "the agent exited (it stopped reading) at " + where + "; the rest of the study continued without it";
    return false;
  }
  // Answers that name an earlier checkpoint (late replies after a time-out) are dropped.
  std::string line;
  json answer;
  for (;;) {
    if (!receive(line)) {
      if (log_.exited) {
        log_.exit_note = "the agent exited at " + where + "; the rest of the study continued without it";
      } else {
        ++log_.timeouts;
        note(where + ": no answer within " + std::to_string(options_.timeout_ms) + " ms (continued)");
      }
      return false;
    }
    answer = json::parse(line, nullptr, false);
    if (answer.is_object() && answer.contains("id") && answer["id"] != log_.asked) {
      ++log_.late;
      continue;
    }
    break;
  }
  if (answer.is_discarded() || !answer.is_object() || !answer.contains("prune") || !answer["prune"].is_boolean()) {
    ++log_.malformed;
    note(where + ": malformed answer (continued): " + line.substr(0, 120));
    return false;
  }
  ++log_.answered;
  if (!answer["prune"].get<bool>()) {
    return false;
  }
  ++log_.pruned;
  reason = PruneReason{};
  reason.pruner = PrunerKind::Nop;
  reason.rule = PruneRule::External;
  reason.step = step;
  reason.value = reports.back().value;
  reason.compared_with = study.complete_count();
  reason.note = answer.contains("reason") && answer["reason"].is_string() ? answer["reason"].get<std::string>()
                                                                          : "the agent said stop";
  return true;
}

void AgentPruner::finish() {
  if (finished_ || !started_ || pid_ <= 0) {
    finished_ = true;
    return;
  }
  finished_ = true;
  if (!log_.exited) {
    send(json{{"type", "done"}}.dump());
  }
  close(to_agent_);
  // Give it a moment to exit on its own, then stop it.
  int status = 0;
  for (int i = 0; i < 50; ++i) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      close(from_agent_);
      return;
    }
    usleep(10'000);
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  close(from_agent_);
}

}  // namespace curvelab::cli
