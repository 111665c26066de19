#pragma once
// The lines an external agent sends back (`prune --agent`, `quiz --agent`), read into
// typed replies. Pure: no I/O, so the readers are tested and fuzzed on their own.
//
// Every reply is one JSON object. Its "id", when given, must be the id of the question
// being asked; a reply carrying another id answers an earlier question (it came after
// that question's time-out) and is dropped as late. Anything else that is not a valid
// reply is malformed.

#include <cstdint>
#include <string>
#include <string_view>

#include "curvelab/quiz.hpp"

namespace curvelab::cli {

enum class ReplyKind {
  Answer,     ///< a valid reply to the question asked
  Late,       ///< a reply to an earlier question: dropped
  Malformed,  ///< not a valid reply: `problem` says why
};

/// `{"prune": true | false, "reason": "...", "id": 7}` ("reason" and "id" optional).
struct PruneReply {
  ReplyKind kind = ReplyKind::Malformed;
  bool prune = false;
  std::string reason;   ///< empty when not given
  std::string problem;  ///< why a line is malformed
};
PruneReply read_prune_reply(std::string_view line, std::int64_t id);

/// `{"id": "<item id>", "answer": {...}}`: the answer as `curvelab score --answers`
/// reads it (`{"skipped": true}` skips the item).
struct QuizReply {
  ReplyKind kind = ReplyKind::Malformed;
  QuizAnswer answer;
  std::string problem;
};
QuizReply read_quiz_reply(std::string_view line, std::string_view id, const QuizItem& item);

/// A sequential item's checkpoint: `{"id": "<question id>", "decision": "continue" | "stop"}`.
struct CheckpointReply {
  ReplyKind kind = ReplyKind::Malformed;
  bool stop = false;
  std::string problem;
};
CheckpointReply read_checkpoint_reply(std::string_view line, std::string_view id);

/// The first `limit` bytes of a line, with control characters and bytes outside ASCII
/// escaped, for messages about it.
std::string quote_line(std::string_view line, std::size_t limit = 120);

}  // namespace curvelab::cli
