// External agents: the line splitter (bounded, linear, the same lines however the
// stream is cut), the readers of replies, and the process itself (deadlines that hold,
// writes that give up, a process group that ends).

#include <catch2/catch.hpp>

#include <signal.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "../../core/cli/agent_process.hpp"
#include "../../core/cli/agent_reply.hpp"
#include "curvelab/random.hpp"

namespace {

using curvelab::cli::AgentClock;
using curvelab::cli::AgentProcess;
using curvelab::cli::LineSplitter;
using curvelab::cli::ReplyKind;
using Event = LineSplitter::Event;
using namespace std::chrono_literals;

/// "L:<line>" per line, "T" per overlong line, from feeding `chunks` one after another.
std::vector<std::string> split(const std::vector<std::string>& chunks, std::size_t max_line) {
  LineSplitter splitter(max_line);
  std::vector<std::string> events;
  for (const std::string& chunk : chunks) {
    splitter.feed(chunk);
    std::string line;
    for (Event e = splitter.next(line); e != Event::None; e = splitter.next(line)) {
      events.push_back(e == Event::Line ? "L:" + line : "T");
    }
  }
  return events;
}

/// The same by definition: whole lines, overlong ones (a final partial one included) as "T".
std::vector<std::string> reference(const std::string& stream, std::size_t max_line) {
  std::vector<std::string> events;
  std::size_t start = 0;
  for (std::size_t nl = stream.find('\n'); nl != std::string::npos; nl = stream.find('\n', start)) {
    events.push_back(nl - start > max_line ? "T" : "L:" + stream.substr(start, nl - start));
    start = nl + 1;
  }
  if (stream.size() - start > max_line) {
    events.push_back("T");
  }
  return events;
}

bool group_alive(int pgid) { return kill(-pgid, 0) == 0 || errno != ESRCH; }

/// Whether the group is gone within a few seconds: its last members may be children of
/// the init process by then, which reaps them on its own time.
bool group_ends(int pgid) {
  const auto until = AgentClock::now() + 5s;
  while (group_alive(pgid)) {
    if (AgentClock::now() > until) {
      return false;
    }
    std::this_thread::yield();
  }
  return true;
}

}  // namespace

TEST_CASE("the line splitter gives whole lines and reports an overlong one once", "[agent]") {
  CHECK(split({"a\nbb\n", "c"}, 4) == std::vector<std::string>{"L:a", "L:bb"});
  CHECK(split({"ab", "c\n\n"}, 4) == std::vector<std::string>{"L:abc", "L:"});
  // Exactly the limit is allowed; one byte more is too long, and the rest of it is dropped.
  CHECK(split({"xxxx\nyyyyy\nz\n"}, 4) == std::vector<std::string>{"L:xxxx", "T", "L:z"});
  CHECK(split({"yyy", "yy", "yyyy", "y\nz\n"}, 4) == std::vector<std::string>{"T", "L:z"});
}

TEST_CASE("the line splitter gives the same events however the stream is cut", "[agent]") {
  curvelab::Rng rng(20260);
  for (int trial = 0; trial < 500; ++trial) {
    const std::size_t max_line = 1 + rng.below(8);
    std::string stream;
    const std::size_t length = rng.below(200);
    for (std::size_t i = 0; i < length; ++i) {
      const auto r = rng.below(10);
      stream += r < 3 ? '\n' : static_cast<char>('a' + r);
    }
    std::vector<std::string> chunks;
    for (std::size_t at = 0; at < stream.size();) {
      const std::size_t n = 1 + rng.below(12);
      chunks.push_back(stream.substr(at, n));
      at += n;
    }
    INFO("stream: " << stream << ", max " << max_line);
    CHECK(split(chunks, max_line) == reference(stream, max_line));
  }
}

TEST_CASE("a line without end holds at most the limit and a chunk", "[agent]") {
  LineSplitter splitter(1 << 20);
  const std::string chunk(65536, 'x');
  std::string line;
  int too_long = 0;
  std::size_t most = 0;
  for (int i = 0; i < 1600; ++i) {  // 100 MiB
    splitter.feed(chunk);
    for (Event e = splitter.next(line); e != Event::None; e = splitter.next(line)) {
      too_long += e == Event::TooLong;
    }
    most = std::max(most, splitter.buffered());
  }
  CHECK(too_long == 1);
  CHECK(most <= (1u << 20) + chunk.size());
  splitter.feed("tail\nnext\n");
  CHECK(splitter.next(line) == Event::Line);
  CHECK(line == "next");
}

TEST_CASE("prune replies: answers, late ones and malformed ones", "[agent]") {
  using curvelab::cli::read_prune_reply;
  const auto yes = read_prune_reply(R"({"prune": true, "reason": "flat", "id": 3})", 3);
  CHECK(yes.kind == ReplyKind::Answer);
  CHECK(yes.prune);
  CHECK(yes.reason == "flat");
  CHECK(read_prune_reply(R"({"prune": false})", 3).kind == ReplyKind::Answer);
  CHECK(read_prune_reply(R"({"prune": true, "id": 2})", 3).kind == ReplyKind::Late);
  CHECK(read_prune_reply(R"({"prune": true, "id": "3"})", 3).kind == ReplyKind::Late);
  CHECK(read_prune_reply(R"({"prune": "yes"})", 3).kind == ReplyKind::Malformed);
  CHECK(read_prune_reply("yes please", 3).kind == ReplyKind::Malformed);
  CHECK(read_prune_reply("[true]", 3).kind == ReplyKind::Malformed);
}

TEST_CASE("quiz replies: an answer valid for the item, or a checkpoint decision", "[agent]") {
  using curvelab::cli::read_checkpoint_reply;
  using curvelab::cli::read_quiz_reply;
  const curvelab::QuizItem item = curvelab::make_quiz_item(curvelab::QuizKind::Pairwise, 3, 6);
  const auto good = read_quiz_reply(R"({"id": ")" + item.id + R"(", "answer": {"better": "B"}})", item.id, item);
  REQUIRE(good.kind == ReplyKind::Answer);
  CHECK(good.answer.better == 1);
  CHECK(read_quiz_reply(R"({"answer": {"skipped": true}})", item.id, item).answer.skipped);
  CHECK(read_quiz_reply(R"({"id": "other", "answer": {"better": "B"}})", item.id, item).kind == ReplyKind::Late);
  CHECK(read_quiz_reply(R"({"id": 7, "answer": {"better": "B"}})", item.id, item).kind == ReplyKind::Late);
  const auto bad = read_quiz_reply(R"({"answer": {"better": "Q"}})", item.id, item);
  CHECK(bad.kind == ReplyKind::Malformed);
  CHECK_FALSE(bad.problem.empty());
  CHECK(read_quiz_reply(R"({"better": "A"})", item.id, item).kind == ReplyKind::Malformed);

  CHECK(read_checkpoint_reply(R"({"id": "s:A:100", "decision": "stop"})", "s:A:100").stop);
  const auto go_on = read_checkpoint_reply(R"({"decision": "continue"})", "s:A:100");
  CHECK(go_on.kind == ReplyKind::Answer);
  CHECK_FALSE(go_on.stop);
  CHECK(read_checkpoint_reply(R"({"id": "s:A:200", "decision": "stop"})", "s:A:100").kind == ReplyKind::Late);
  CHECK(read_checkpoint_reply(R"({"decision": "halt"})", "s:A:100").kind == ReplyKind::Malformed);
  CHECK(read_checkpoint_reply(R"({"decision": true})", "s:A:100").kind == ReplyKind::Malformed);
}

TEST_CASE("lines in messages are cut and escaped", "[agent]") {
  using curvelab::cli::quote_line;
  CHECK(quote_line("ok") == "ok");
  CHECK(quote_line("a\x1b[31m\xe2\x80\xae") == "a\\x1b[31m\\xe2\\x80\\xae");
  CHECK(quote_line(std::string(300, 'x'), 10) == "xxxxxxxxxx... (300 bytes)");
}

TEST_CASE("an agent process answers line by line", "[agent]") {
  AgentProcess agent("cat");
  REQUIRE(agent.start());
  const auto deadline = AgentClock::now() + 20s;
  REQUIRE(agent.send("{\"id\": 1}", deadline) == AgentProcess::Status::Done);
  std::string line;
  REQUIRE(agent.receive(line, deadline) == AgentProcess::Status::Done);
  CHECK(line == "{\"id\": 1}");
  const int group = agent.process_group();
  agent.stop();
  CHECK(group_ends(group));
}

TEST_CASE("a flood of lines does not extend a deadline", "[agent]") {
  AgentProcess agent("yes stale");
  REQUIRE(agent.start());
  const auto begin = AgentClock::now();
  const auto deadline = begin + 200ms;
  std::string line;
  long lines = 0;
  while (agent.receive(line, deadline) == AgentProcess::Status::Done) {
    ++lines;
  }
  CHECK(lines > 0);
  CHECK(AgentClock::now() - begin < 5s);
}

TEST_CASE("writing to an agent that never reads gives up at the deadline, then for good", "[agent]") {
  AgentProcess agent("tail -f /dev/null");
  REQUIRE(agent.start());
  const std::string big(1 << 20, 'x');
  const auto begin = AgentClock::now();
  CHECK(agent.send(big, begin + 100ms) == AgentProcess::Status::TimedOut);
  CHECK(AgentClock::now() - begin < 5s);
  AgentProcess::Status status = AgentProcess::Status::TimedOut;
  int sends = 1;
  while (status == AgentProcess::Status::TimedOut && sends < 100) {
    status = agent.send(big, AgentClock::now() + 1ms);
    ++sends;
  }
  CHECK(status == AgentProcess::Status::Gone);
  CHECK(sends == 17);  // 16 MiB queued and not read
  CHECK(agent.note().find("stopped reading its input") != std::string::npos);
}

TEST_CASE("stopping an agent ends its whole process group", "[agent]") {
  AgentProcess agent("sleep 100 & sleep 100 & wait");
  REQUIRE(agent.start());
  const int group = agent.process_group();
  CHECK(group_alive(group));
  agent.stop();
  CHECK(group_ends(group));
}

TEST_CASE("an agent that exits is gone, with its status", "[agent]") {
  AgentProcess agent("exit 4");
  REQUIRE(agent.start());
  std::string line;
  CHECK(agent.receive(line, AgentClock::now() + 20s) == AgentProcess::Status::Gone);
  CHECK(agent.note() == "the agent exited with status 4");
}

TEST_CASE("an agent that closes its output is gone, and still ended", "[agent]") {
  AgentProcess agent("exec >&-; sleep 100");
  REQUIRE(agent.start());
  const int group = agent.process_group();
  std::string line;
  CHECK(agent.receive(line, AgentClock::now() + 20s) == AgentProcess::Status::Gone);
  CHECK(agent.note() == "the agent closed its output");
  agent.stop();
  CHECK(group_ends(group));
}
