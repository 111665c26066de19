#include "agent_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace curvelab::cli {

// --- lines ----------------------------------------------------------------------------

void LineSplitter::feed(std::string_view bytes) {
  if (dropping_) {
    const std::size_t newline = bytes.find('\n');
    if (newline == std::string_view::npos) {
      return;
    }
    dropping_ = false;
    bytes.remove_prefix(newline + 1);
  }
  // Drop consumed lines once they are at least half the buffer: amortised linear.
  if (start_ > 0 && start_ * 2 >= buffer_.size()) {
    buffer_.erase(0, start_);
    scanned_ -= start_;
    start_ = 0;
  }
  buffer_.append(bytes);
}

LineSplitter::Event LineSplitter::next(std::string& line) {
  const std::size_t newline = buffer_.find('\n', scanned_);
  if (newline == std::string::npos) {
    scanned_ = buffer_.size();
    if (buffer_.size() - start_ > max_line_) {
      buffer_.clear();
      start_ = 0;
      scanned_ = 0;
      dropping_ = true;
      return Event::TooLong;
    }
    return Event::None;
  }
  const std::size_t begin = start_;
  start_ = newline + 1;
  scanned_ = start_;
  if (newline - begin > max_line_) {
    return Event::TooLong;
  }
  line.assign(buffer_, begin, newline - begin);
  return Event::Line;
}

// --- process groups ended on SIGINT and SIGTERM ---------------------------------------

namespace {
constexpr int kSlots = 16;
std::atomic<int> live_groups[kSlots];
std::atomic<bool> handlers_installed{false};

void sleep_ms(int ms) {
  timespec t{0, static_cast<long>(ms) * 1'000'000L};
  while (nanosleep(&t, &t) != 0 && errno == EINTR) {
  }
}

/// True once no process of the group is left (the direct child reaped if it has ended).
bool group_gone(int pid) {
  waitpid(pid, nullptr, WNOHANG);
  return kill(-pid, 0) != 0 && errno == ESRCH;
}

/// SIGTERM to every group, a grace, then SIGKILL. Only async-signal-safe calls.
void end_groups(int only) {
  for (auto& slot : live_groups) {
    const int pid = slot.load();
    if (pid > 0 && (only <= 0 || pid == only)) {
      kill(-pid, SIGTERM);
    }
  }
  for (int waited = 0; waited < AgentProcess::kGraceMs; waited += 10) {
    bool any = false;
    for (auto& slot : live_groups) {
      const int pid = slot.load();
      if (pid > 0 && (only <= 0 || pid == only) && !group_gone(pid)) {
        any = true;
      }
    }
    if (!any) {
      return;
    }
    sleep_ms(10);
  }
  for (auto& slot : live_groups) {
    const int pid = slot.load();
    if (pid > 0 && (only <= 0 || pid == only)) {
      kill(-pid, SIGKILL);
    }
  }
}

extern "C" void on_fatal_signal(int sig) {
  const int saved = errno;
  end_groups(0);
  errno = saved;
  // SA_RESETHAND restored the default action: end as the signal would have.
  raise(sig);
}

void install_handlers() {
  if (handlers_installed.exchange(true)) {
    return;
  }
  // A dead agent makes write() fail with EPIPE instead of killing curvelab.
  signal(SIGPIPE, SIG_IGN);
  // Paths that skip destructors (std::exit) still end the agents.
  std::atexit([] { end_groups(0); });
  for (const int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction old {};
    sigaction(sig, nullptr, &old);
    if (old.sa_handler == SIG_IGN) {
      continue;  // ignored by whoever started curvelab (e.g. SIGINT of a background job): keep it so
    }
    struct sigaction action {};
    action.sa_handler = on_fatal_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND | SA_NODEFER;
    sigaction(sig, &action, nullptr);
  }
}

void register_group(int pid) {
  for (auto& slot : live_groups) {
    int expected = 0;
    if (slot.compare_exchange_strong(expected, pid)) {
      return;
    }
  }
}

void unregister_group(int pid) {
  for (auto& slot : live_groups) {
    int expected = pid;
    slot.compare_exchange_strong(expected, 0);
  }
}

int poll_timeout(AgentDeadline deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - AgentClock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 1'000'000));
}
}  // namespace

// --- the process ----------------------------------------------------------------------

AgentProcess::AgentProcess(std::string command, std::size_t max_line)
    : command_(std::move(command)), lines_(max_line), max_line_(max_line) {}

AgentProcess::~AgentProcess() { stop(std::chrono::milliseconds(0)); }

void AgentProcess::mark_gone(std::string why) {
  if (gone_) {
    return;
  }
  gone_ = true;
  // A closed pipe usually means the program ended: say how, if it did so at once.
  for (int i = 0; i < 5 && !exited_; ++i) {
    int status = 0;
    if (pid_ > 0 && waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      if (WIFEXITED(status)) {
        why = "the agent exited with status " + std::to_string(WEXITSTATUS(status));
      } else if (WIFSIGNALED(status)) {
        why = "the agent exited on signal " + std::to_string(WTERMSIG(status));
      }
      break;
    }
    sleep_ms(10);
  }
  note_ = std::move(why);
}

bool AgentProcess::start() {
  install_handlers();
  int in_pipe[2];
  int out_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0) {
    mark_gone(std::string("could not create pipes: ") + std::strerror(errno));
    return false;
  }
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    mark_gone(std::string("could not create pipes: ") + std::strerror(errno));
    close(in_pipe[0]);
    close(in_pipe[1]);
    return false;
  }
  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ < 0) {
    mark_gone(std::string("could not start the agent: ") + std::strerror(errno));
    for (const int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1]}) {
      close(fd);
    }
    return false;
  }
  if (pid_ == 0) {
    setpgid(0, 0);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) {
      _exit(127);  // curvelab already ended
    }
#endif
    signal(SIGPIPE, SIG_DFL);  // an ignored signal stays ignored across exec
    dup2(in_pipe[0], STDIN_FILENO);
    dup2(out_pipe[1], STDOUT_FILENO);
    execl("/bin/sh", "sh", "-c", command_.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  (void)parent;
  // Also here: signals sent to the group before the child ran setpgid must reach it.
  setpgid(pid_, pid_);
  register_group(pid_);
  close(in_pipe[0]);
  close(out_pipe[1]);
  to_agent_ = in_pipe[1];
  from_agent_ = out_pipe[0];
  fcntl(to_agent_, F_SETFL, fcntl(to_agent_, F_GETFL) | O_NONBLOCK);
  fcntl(from_agent_, F_SETFL, fcntl(from_agent_, F_GETFL) | O_NONBLOCK);
  return true;
}

AgentProcess::Status AgentProcess::send(std::string_view line, AgentDeadline deadline) {
  if (gone_ || pid_ <= 0) {
    return Status::Gone;
  }
  if (queued_start_ > 0 && queued_start_ * 2 >= queued_.size()) {
    queued_.erase(0, queued_start_);
    queued_start_ = 0;
  }
  queued_.append(line);
  queued_ += '\n';
  if (queued_.size() - queued_start_ > kMaxQueued) {
    mark_gone("the agent stopped reading its input (" + std::to_string((queued_.size() - queued_start_) >> 20) +
              " MiB not read)");
    return Status::Gone;
  }
  return pump(false, nullptr, deadline);
}

AgentProcess::Status AgentProcess::receive(std::string& line, AgentDeadline deadline) {
  if (pid_ <= 0) {
    return Status::Gone;
  }
  // Checked first, so that a stream of lines cannot keep an exchange going.
  if (AgentClock::now() >= deadline) {
    return Status::TimedOut;
  }
  return pump(true, &line, deadline);
}

AgentProcess::Status AgentProcess::pump(bool want_line, std::string* line, AgentDeadline deadline) {
  char chunk[65536];
  for (;;) {
    if (want_line) {
      switch (lines_.next(*line)) {
        case LineSplitter::Event::Line:
          return Status::Done;
        case LineSplitter::Event::TooLong:
          return Status::TooLong;
        case LineSplitter::Event::None:
          break;
      }
    } else if (queued_start_ == queued_.size()) {
      return Status::Done;
    }
    if (gone_) {
      return Status::Gone;
    }
    if (queued_start_ < queued_.size()) {
      const ssize_t n = write(to_agent_, queued_.data() + queued_start_, queued_.size() - queued_start_);
      if (n > 0) {
        queued_start_ += static_cast<std::size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
        mark_gone("the agent stopped reading its input");
        return Status::Gone;
      }
    }
    const int timeout = poll_timeout(deadline);
    if (timeout <= 0) {
      return Status::TimedOut;
    }
    // While writing, the output is read too (up to a line's worth held), so that an
    // agent blocked on writing a long line cannot block our write in turn.
    const bool read_now = want_line || lines_.buffered() <= max_line_;
    pollfd fds[2] = {{from_agent_, static_cast<short>(read_now ? POLLIN : 0), 0},
                     {to_agent_, static_cast<short>(queued_start_ < queued_.size() ? POLLOUT : 0), 0}};
    const int ready = poll(fds, 2, timeout);
    if (ready < 0 && errno != EINTR) {
      mark_gone(std::string("poll failed: ") + std::strerror(errno));
      return Status::Gone;
    }
    if (ready <= 0) {
      continue;  // EINTR or the time-out: the deadline check above decides
    }
    if (read_now && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      const ssize_t n = read(from_agent_, chunk, sizeof chunk);
      if (n > 0) {
        lines_.feed(std::string_view(chunk, static_cast<std::size_t>(n)));
      } else if (n == 0) {
        mark_gone("the agent closed its output");
      } else if (errno != EAGAIN && errno != EINTR) {
        mark_gone(std::string("reading from the agent failed: ") + std::strerror(errno));
      }
    }
    if ((fds[1].revents & POLLERR) != 0) {
      mark_gone("the agent stopped reading its input");
    }
  }
}

void AgentProcess::stop(std::chrono::milliseconds wait_for_exit) {
  if (stopped_) {
    return;
  }
  stopped_ = true;
  if (pid_ <= 0) {
    return;
  }
  close(to_agent_);  // end of input: a well-behaved agent ends now
  to_agent_ = -1;
  for (auto waited = std::chrono::milliseconds(0); waited < wait_for_exit; waited += std::chrono::milliseconds(10)) {
    if (group_gone(pid_)) {
      break;
    }
    sleep_ms(10);
  }
  end_groups(pid_);
  // The direct child: reaped here so it leaves no zombie (its own children, if any were
  // left, are the init process's to reap once they die).
  if (!exited_) {
    waitpid(pid_, nullptr, 0);
  }
  unregister_group(pid_);
  close(from_agent_);
  from_agent_ = -1;
  if (!gone_) {
    gone_ = true;
    note_ = "the agent was stopped";
  }
}

}  // namespace curvelab::cli
