// libFuzzer target: the bytes an agent writes back (`prune --agent`, `quiz --agent`).
// The input is cut into chunks (the first byte picks their size), split into lines, and
// every line is read as a prune reply, as a checkpoint decision and as a reply to an item
// of every quiz kind. Checked: the same lines however the stream is cut, no line past the
// limit, a bounded buffer, and every accepted answer valid for its item.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "../../core/cli/agent_process.hpp"
#include "../../core/cli/agent_reply.hpp"
#include "curvelab/quiz.hpp"

namespace {
using curvelab::cli::LineSplitter;

constexpr std::size_t kMaxLine = 512;  // small, so that overlong lines are reached

struct Split {
  std::vector<std::string> lines;
  int too_long = 0;
};

Split split(std::string_view stream, std::size_t chunk) {
  LineSplitter splitter(kMaxLine);
  Split out;
  for (std::size_t at = 0; at < stream.size(); at += chunk) {
    const std::string_view piece = stream.substr(at, chunk);
    splitter.feed(piece);
    std::string line;
    for (auto e = splitter.next(line); e != LineSplitter::Event::None; e = splitter.next(line)) {
      if (e == LineSplitter::Event::TooLong) {
        ++out.too_long;
      } else {
        if (line.size() > kMaxLine) {
          std::abort();
        }
        out.lines.push_back(line);
      }
    }
    if (splitter.buffered() > kMaxLine + piece.size()) {
      std::abort();
    }
  }
  return out;
}

const std::vector<curvelab::QuizItem>& items() {
  static const std::vector<curvelab::QuizItem> all = [] {
    std::vector<curvelab::QuizItem> v;
    int index = 0;
    for (const curvelab::QuizKind kind : curvelab::kAllQuizKinds) {
      v.push_back(curvelab::make_quiz_item(kind, 1, index++));
    }
    return v;
  }();
  return all;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::size_t chunk = 1 + data[0] % 64;
  const std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);
  const Split whole = split(stream, stream.size() + 1);
  const Split cut = split(stream, chunk);
  if (whole.lines != cut.lines || whole.too_long != cut.too_long) {
    std::abort();
  }
  for (const std::string& line : cut.lines) {
    (void)curvelab::cli::quote_line(line);
    const auto prune = curvelab::cli::read_prune_reply(line, 1);
    if (prune.kind == curvelab::cli::ReplyKind::Malformed && prune.problem.empty()) {
      std::abort();
    }
    (void)curvelab::cli::read_checkpoint_reply(line, "sequential-1-7:A:100");
    for (const curvelab::QuizItem& item : items()) {
      const auto reply = curvelab::cli::read_quiz_reply(line, item.id, item);
      if (reply.kind == curvelab::cli::ReplyKind::Answer && !reply.answer.skipped &&
          curvelab::validate_answer(item, reply.answer)) {
        std::abort();  // an accepted answer the scorer would refuse
      }
    }
  }
  return 0;
}
