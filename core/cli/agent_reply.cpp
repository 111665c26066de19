#include "agent_reply.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "curvelab/json.hpp"

namespace curvelab::cli {
namespace {
using nlohmann::json;

/// The reply as an object, or why not; `late` when its "id" is not `matches`.
template <class Matches>
std::optional<json> reply_object(std::string_view line, Matches matches, ReplyKind& kind, std::string& problem) {
  auto parsed = parse_json_text(line);
  if (!parsed) {
    kind = ReplyKind::Malformed;
    problem = "not JSON";
    return std::nullopt;
  }
  if (!parsed->is_object()) {
    kind = ReplyKind::Malformed;
    problem = "not a JSON object";
    return std::nullopt;
  }
  if (const auto id = parsed->find("id"); id != parsed->end() && !matches(*id)) {
    kind = ReplyKind::Late;
    return std::nullopt;
  }
  kind = ReplyKind::Answer;
  return std::move(parsed.value());
}

auto same_string(std::string_view id) {
  return [id](const json& j) { return j.is_string() && j.get_ref<const std::string&>() == id; };
}
}  // namespace

PruneReply read_prune_reply(std::string_view line, std::int64_t id) {
  PruneReply reply;
  const auto same = [id](const json& j) { return j.is_number() && j == id; };
  const auto j = reply_object(line, same, reply.kind, reply.problem);
  if (!j) {
    return reply;
  }
  const auto prune = j->find("prune");
  if (prune == j->end() || !prune->is_boolean()) {
    reply.kind = ReplyKind::Malformed;
    reply.problem = "needs \"prune\": true or false";
    return reply;
  }
  reply.prune = prune->get<bool>();
  if (const auto reason = j->find("reason"); reason != j->end() && reason->is_string()) {
    reply.reason = reason->get<std::string>();
  }
  return reply;
}

QuizReply read_quiz_reply(std::string_view line, std::string_view id, const QuizItem& item) {
  QuizReply reply;
  const auto j = reply_object(line, same_string(id), reply.kind, reply.problem);
  if (!j) {
    return reply;
  }
  const auto answer = j->find("answer");
  if (answer == j->end()) {
    reply.kind = ReplyKind::Malformed;
    reply.problem = "needs \"answer\", e.g. " + quiz_answer_format(item);
    return reply;
  }
  auto parsed = quiz_answer_from_json(*answer, item);
  if (!parsed) {
    reply.kind = ReplyKind::Malformed;
    reply.problem = parsed.error().message;
    return reply;
  }
  reply.answer = std::move(parsed.value());
  return reply;
}

CheckpointReply read_checkpoint_reply(std::string_view line, std::string_view id) {
  CheckpointReply reply;
  const auto j = reply_object(line, same_string(id), reply.kind, reply.problem);
  if (!j) {
    return reply;
  }
  const auto decision = j->find("decision");
  if (decision != j->end() && *decision == "stop") {
    reply.stop = true;
  } else if (decision == j->end() || *decision != "continue") {
    reply.kind = ReplyKind::Malformed;
    reply.problem = "needs \"decision\": \"continue\" or \"stop\"";
  }
  return reply;
}

std::string quote_line(std::string_view line, std::size_t limit) {
  std::string out;
  for (std::size_t i = 0; i < line.size() && i < limit; ++i) {
    const auto c = static_cast<unsigned char>(line[i]);
    if (c < 0x20 || c >= 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (line.size() > limit) {
    out += "... (" + std::to_string(line.size()) + " bytes)";
  }
  return out;
}

}  // namespace curvelab::cli
