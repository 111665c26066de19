#pragma once
// An external program that answers over JSON lines (`prune --agent`, `quiz --agent`):
// started with /bin/sh -c in a process group of its own, spoken to through non-blocking
// pipes, and bounded in every way it could hold curvelab up.
//
// - Every exchange has a deadline that the caller fixes once; nothing the program does
//   (late lines, a flood of them, a partial write) moves it.
// - Writes wait for the pipe only until the deadline. What could not be written stays
//   queued and goes first next time, so the program never reads half a line; a program
//   that lets more than `kMaxQueued` bytes pile up has stopped reading and is ended.
// - A line is at most `max_line` bytes. A longer one is reported once, as soon as it is
//   too long, and the rest of it is dropped as it arrives; each byte is scanned once.
// - The program's stderr is curvelab's stderr (its diagnostics reach the user).
// - The whole process group is ended (SIGTERM, then SIGKILL after a grace) by `stop()`,
//   by the destructor, at exit() and when curvelab gets SIGINT, SIGTERM or SIGHUP; on Linux the program
//   itself also gets SIGKILL if curvelab dies without a chance to clean up. A program
//   that moves itself into another process group or session escapes this.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace curvelab::cli {

using AgentClock = std::chrono::steady_clock;
using AgentDeadline = AgentClock::time_point;

/// Splits a byte stream into lines of at most `max_line` bytes (the newline excluded).
/// Linear: each byte is looked at once, consumed lines are dropped in amortised O(1).
class LineSplitter {
 public:
  explicit LineSplitter(std::size_t max_line) : max_line_(max_line) {}

  enum class Event {
    None,     ///< no complete line yet
    Line,     ///< `line` holds the next line
    TooLong,  ///< the line being read passed `max_line`; the rest of it will be dropped
  };

  /// Appends bytes read from the stream.
  void feed(std::string_view bytes);
  /// The next event from the bytes fed so far.
  Event next(std::string& line);
  /// Bytes held: lines not taken yet and the partial line (at most `max_line` plus a chunk).
  std::size_t buffered() const { return buffer_.size() - start_; }

 private:
  std::size_t max_line_;
  std::string buffer_;
  std::size_t start_ = 0;    ///< where the current line begins
  std::size_t scanned_ = 0;  ///< bytes from `start_` known to hold no newline
  bool dropping_ = false;    ///< inside a line already reported too long
};

class AgentProcess {
 public:
  /// Longest line read from the program (1 MiB); a longer one is malformed.
  static constexpr std::size_t kDefaultMaxLine = std::size_t{1} << 20;
  /// Bytes queued for a program that does not read before it is taken for stuck.
  static constexpr std::size_t kMaxQueued = std::size_t{16} << 20;
  /// Between SIGTERM and SIGKILL.
  static constexpr int kGraceMs = 300;

  explicit AgentProcess(std::string command, std::size_t max_line = kDefaultMaxLine);
  ~AgentProcess();
  AgentProcess(const AgentProcess&) = delete;
  AgentProcess& operator=(const AgentProcess&) = delete;

  /// Starts the program; false (and `note()` says why) if it could not be started.
  bool start();

  enum class Status {
    Done,      ///< sent, or a line received
    TimedOut,  ///< the deadline passed first
    TooLong,   ///< receive: the line passed the limit (the rest of it is dropped later)
    Gone,      ///< the program ended, closed its output or stopped reading its input
  };

  /// Queues `line` and a newline and writes until everything queued is written or the
  /// deadline passes (then the rest stays queued, and the program is busy or stuck).
  Status send(std::string_view line, AgentDeadline deadline);
  /// The next line from the program before the deadline; keeps writing what is queued.
  Status receive(std::string& line, AgentDeadline deadline);

  /// Closes the program's input, lets it end for a short while, then ends its process
  /// group. Idempotent.
  void stop(std::chrono::milliseconds wait_for_exit = std::chrono::milliseconds(200));

  bool running() const { return pid_ > 0 && !gone_; }
  /// The process group id (the program's pid), or -1 before start.
  int process_group() const { return pid_; }
  /// Why the program is gone or could not start (empty while it runs).
  const std::string& note() const { return note_; }

 private:
  /// Writes queued bytes and reads into the splitter until `want_line` and a line is
  /// ready, or (not `want_line`) the queue is empty, or the deadline passes.
  Status pump(bool want_line, std::string* line, AgentDeadline deadline);
  void mark_gone(std::string why);

  std::string command_;
  LineSplitter lines_;
  std::size_t max_line_;
  std::string queued_;
  std::size_t queued_start_ = 0;
  int pid_ = -1;
  int to_agent_ = -1;
  int from_agent_ = -1;
  bool gone_ = false;
  bool exited_ = false;  ///< the direct child has been reaped
  bool stopped_ = false;
  std::string note_;
};

}  // namespace curvelab::cli
