#include "quiz_agent.hpp"

#include <algorithm>
#include <chrono>

#include "agent_process.hpp"
#include "agent_reply.hpp"
#include "curvelab/json.hpp"

namespace curvelab::cli {
namespace {
using nlohmann::json;

json values_json(const std::vector<double>& curve, int steps) {
  json values = json::array();
  const auto n = std::min(curve.size(), static_cast<std::size_t>(std::max(steps, 0)));
  for (std::size_t t = 0; t < n; ++t) {
    values.push_back(number_to_json(curve[t]));
  }
  return values;
}

enum class Outcome { Answered, Failed, Gone };

class Exchange {
 public:
  Exchange(AgentProcess& process, QuizAgentLog& log, int timeout_ms)
      : process_(process), log_(log), timeout_ms_(timeout_ms) {}

  /// Writes `message` and reads replies until `read` accepts one (Answered), one is
  /// malformed or the deadline passes (Failed), or the program is gone.
  template <class Read>
  Outcome ask(const json& message, const std::string& where, Read read) {
    ++log_.asked;
    const std::string timeout = std::to_string(timeout_ms_) + " ms";
    // One deadline for the whole question: nothing the agent sends moves it.
    const AgentDeadline deadline = AgentClock::now() + std::chrono::milliseconds(timeout_ms_);
    switch (process_.send(message.dump(-1, ' ', false, json::error_handler_t::replace), deadline)) {
      case AgentProcess::Status::Gone:
        return gone(where);
      case AgentProcess::Status::TimedOut:
        ++log_.timeouts;
        note(where + ": the question could not be written within " + timeout + " (the agent is not reading; skipped)");
        return Outcome::Failed;
      default:
        break;
    }
    std::string line;
    for (;;) {
      switch (process_.receive(line, deadline)) {
        case AgentProcess::Status::Gone:
          return gone(where);
        case AgentProcess::Status::TimedOut:
          ++log_.timeouts;
          note(where + ": no answer within " + timeout + " (skipped)");
          return Outcome::Failed;
        case AgentProcess::Status::TooLong:
          ++log_.malformed;
          note(where + ": malformed answer (skipped): a line longer than " +
               std::to_string(AgentProcess::kDefaultMaxLine) + " bytes");
          return Outcome::Failed;
        case AgentProcess::Status::Done:
          break;
      }
      std::string problem;
      const ReplyKind kind = read(line, problem);
      if (kind == ReplyKind::Late) {
        ++log_.late;
        continue;
      }
      if (kind == ReplyKind::Malformed) {
        ++log_.malformed;
        note(where + ": malformed answer (skipped): " + quote_line(problem, 200) + ": " + quote_line(line));
        return Outcome::Failed;
      }
      ++log_.answered;
      return Outcome::Answered;
    }
  }

 private:
  Outcome gone(const std::string& where) {
    log_.exited = true;
    log_.exit_note = process_.note() + " at " + where + "; the remaining items were skipped";
    process_.stop();
    return Outcome::Gone;
  }
  void note(std::string problem) {
    if (log_.problems.size() < 10) {
      log_.problems.push_back(std::move(problem));
    }
  }

  AgentProcess& process_;
  QuizAgentLog& log_;
  int timeout_ms_;
};
}  // namespace

json to_json(const QuizAgentLog& log) {
  return json{{"asked", log.asked},         {"answered", log.answered},   {"timeouts", log.timeouts},
              {"malformed", log.malformed}, {"late", log.late},           {"skipped", log.skipped},
              {"exited", log.exited},       {"exit_note", log.exit_note}, {"problems", log.problems}};
}

json question_message(const QuizItem& item, const QuizTruth& truth, const std::vector<double>& baselines,
                      bool with_context) {
  json runs = json::array();
  for (std::size_t r = 0; r < truth.shown.size(); ++r) {
    runs.push_back(
        json{{"label", run_label(static_cast<int>(r))}, {"values", values_json(truth.shown[r], item.shown_until)}});
    if (with_context && r < baselines.size()) {
      runs.back()["random_policy_level"] = number_to_json(baselines[r]);
    }
  }
  json message{{"type", "question"},
               {"id", item.id},
               {"kind", quiz_kind_name(item.kind)},
               {"question", quiz_question(item)},
               {"answer_format", quiz_answer_format(item)},
               {"horizon", item.horizon},
               {"shown_until", item.shown_until},
               {"smoothing_window", item.smoothing_window},
               {"runs", runs}};
  if (item.kind == QuizKind::Onset || item.kind == QuizKind::StopPoint) {
    const int target = std::max(item.target, 0);
    message["target"] = run_label(target);
    if (item.kind == QuizKind::Onset && static_cast<std::size_t>(target) < baselines.size()) {
      message["random_policy_level"] = number_to_json(baselines[static_cast<std::size_t>(target)]);
    }
  }
  if (with_context && !truth.shown.empty()) {
    // Every run is shown up to the same step: the best so far is the highest there.
    std::vector<std::vector<double>> shown;
    for (const auto& curve : truth.shown) {
      shown.emplace_back(curve.begin(), curve.begin() + std::min<std::ptrdiff_t>(item.shown_until, curve.size()));
    }
    const auto best = best_finished_run(shown, std::vector<std::optional<int>>(shown.size()));
    message["best_so_far"] = best ? json{{"label", run_label(*best)},
                                         {"value", number_to_json(shown[static_cast<std::size_t>(*best)].back())}}
                                  : json(nullptr);
  }
  return message;
}

json checkpoint_message(const QuizItem& item, const QuizTruth& truth, const std::vector<double>& baselines,
                        const std::vector<std::optional<int>>& stops, int run, int checkpoint, bool with_context) {
  const int step = item.checkpoints[static_cast<std::size_t>(checkpoint)];
  const std::string label = run_label(run);
  json runs = json::array();
  for (int r = 0; r < run; ++r) {
    const auto& stopped = stops[static_cast<std::size_t>(r)];
    runs.push_back(
        json{{"label", run_label(r)},
             {"values", values_json(truth.shown[static_cast<std::size_t>(r)], stopped.value_or(item.horizon))},
             {"stopped_at", stopped ? json(*stopped) : json(nullptr)}});
  }
  runs.push_back(json{{"label", label}, {"values", values_json(truth.shown[static_cast<std::size_t>(run)], step)}});
  json message{{"type", "checkpoint"},
               {"id", item.id + ":" + label + ":" + std::to_string(step)},
               {"item", item.id},
               {"kind", quiz_kind_name(item.kind)},
               {"question", quiz_question(item)},
               {"answer_format", R"({"decision": "continue"} or {"decision": "stop"})"},
               {"horizon", item.horizon},
               {"smoothing_window", item.smoothing_window},
               {"checkpoints", item.checkpoints},
               {"run", label},
               {"step", step},
               {"runs", runs}};
  if (with_context) {
    message["random_policy_level"] = number_to_json(baselines[static_cast<std::size_t>(run)]);
    // As the page: among the runs decided so far, the best one that ran to the end.
    const std::vector<std::optional<int>> decided(stops.begin(), stops.begin() + run);
    const auto best = best_finished_run(truth.shown, decided);
    message["best_so_far"] = best ? json{{"label", run_label(*best)},
                                         {"value", number_to_json(truth.shown[static_cast<std::size_t>(*best)].back())}}
                                  : json(nullptr);
  }
  return message;
}

CheckpointWalk::CheckpointWalk(const QuizItem& item)
    : item_(&item),
      runs_(item.checkpoints.empty() ? 0 : static_cast<int>(item.runs.size())),
      stops_(item.runs.size()) {}

void CheckpointWalk::decide(bool stop) {
  if (stop) {
    stops_[static_cast<std::size_t>(run_)] = item_->checkpoints[static_cast<std::size_t>(checkpoint_)];
  }
  if (stop || ++checkpoint_ == static_cast<int>(item_->checkpoints.size())) {
    ++run_;
    checkpoint_ = 0;
  }
}

QuizAgentResult run_quiz_agent(const std::vector<QuizItem>& items, const QuizAgentOptions& options,
                               const std::function<void(const QuizItem&, const QuizAnswer&)>& on_answer) {
  QuizAgentResult result;
  AgentProcess process(options.command);
  bool alive = process.start();
  if (!alive) {
    result.log.exited = true;
    result.log.exit_note = process.note();
  }
  Exchange exchange(process, result.log, options.timeout_ms);
  for (const QuizItem& item : items) {
    const std::vector<Run> runs = run_item(item);
    result.truths.push_back(quiz_truth(item, runs));
    const QuizTruth& truth = result.truths.back();
    std::vector<double> baselines;
    for (const Run& run : runs) {
      baselines.push_back(run.baseline());
    }
    QuizAnswer answer;
    answer.skipped = true;
    if (alive && item.kind != QuizKind::Sequential) {
      QuizAnswer given;
      const Outcome outcome = exchange.ask(question_message(item, truth, baselines), item.id,
                                           [&](const std::string& line, std::string& problem) {
                                             QuizReply reply = read_quiz_reply(line, item.id, item);
                                             problem = std::move(reply.problem);
                                             given = std::move(reply.answer);
                                             return reply.kind;
                                           });
      alive = outcome != Outcome::Gone;
      if (outcome == Outcome::Answered) {
        answer = std::move(given);
      }
    } else if (alive) {
      CheckpointWalk walk(item);
      while (!walk.done()) {
        const json message = checkpoint_message(item, truth, baselines, walk.stops(), walk.run(), walk.checkpoint(),
                                                options.with_context);
        const std::string id = message["id"].get<std::string>();
        bool stop = false;
        const Outcome outcome = exchange.ask(message, id, [&](const std::string& line, std::string& problem) {
          CheckpointReply reply = read_checkpoint_reply(line, id);
          problem = std::move(reply.problem);
          stop = reply.stop;
          return reply.kind;
        });
        alive = outcome != Outcome::Gone;
        if (outcome != Outcome::Answered) {
          break;
        }
        walk.decide(stop);
      }
      if (walk.done()) {
        answer = QuizAnswer{};
        answer.stops = walk.stops();
      }
    }
    if (answer.skipped) {
      ++result.log.skipped;
    }
    on_answer(item, answer);
    result.answers.push_back(std::move(answer));
  }
  if (alive) {
    const auto wait = std::chrono::milliseconds(std::min(options.timeout_ms, 1000));
    process.send(json{{"type", "done"}}.dump(), AgentClock::now() + wait);
  }
  process.stop();
  return result;
}

}  // namespace curvelab::cli
