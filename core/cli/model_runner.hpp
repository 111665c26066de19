#pragma once
// Many chat-completions calls at once, as an evaluation makes them: a fixed number in
// flight, answers from the cache first (so a finished run is re-run for free and an
// interrupted one resumed), a token budget that is never exceeded by what is asked,
// every reply appended to a JSON-lines log, and a progress line on stderr.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "chat_client.hpp"
#include "reply_cache.hpp"

namespace curvelab::cli {

/// One call: what is asked, and a tag that says what for (e.g. `<item id> <format>`).
struct ModelCall {
  std::string tag;
  ChatRequest request;
};

struct CallResult {
  ChatReply reply;
  bool cached = false;       ///< answered from the cache: no request was sent
  bool over_budget = false;  ///< not asked: it could have taken the spend past the budget
};

/// Counters shown while it works, and in the report.
struct RunnerTally {
  long long calls = 0;     ///< calls finished (answered, failed, cached or over budget)
  long long requests = 0;  ///< HTTP requests sent, retries included
  long long retries = 0;
  long long cached = 0;
  long long failed = 0;  ///< calls that ended without a message
  long long over_budget = 0;
  long long tokens = 0;  ///< total tokens the server reported, cached calls excluded
};

struct RunnerOptions {
  int concurrency = 4;  ///< calls in flight; [1, 64]
  /// Total tokens this run may spend; a call is not made when the spend so far, the
  /// estimates of the calls in flight and its own estimate would exceed it.
  std::optional<long long> budget_tokens;
  /// The estimate of a call before its usage is known: prompt bytes / 4, plus
  /// max_tokens (or this when the request sets none).
  long long reply_token_estimate = 1024;
};

/// Draws progress on a stream: one line redrawn in place on a terminal, plain lines
/// (at most one per 5% of the work) otherwise; nothing when quiet.
class Progress {
 public:
  Progress(std::ostream* out, bool terminal, long long total_calls);
  void update(const RunnerTally& tally);
  void finish(const RunnerTally& tally);

 private:
  std::string line(const RunnerTally& tally) const;
  std::ostream* out_;
  bool terminal_;
  long long total_;
  long long last_printed_ = -1;
  std::chrono::steady_clock::time_point start_;
};

class ModelRunner {
 public:
  /// `cache` and `log` may be null. Each reply is appended to `log` as one JSON line:
  /// tag, cache key, model, outcome, status, content, usage, latency, attempts, cached.
  ModelRunner(const ChatClient& client, const ReplyCache* cache, std::ostream* log, RunnerOptions options,
              Progress* progress);

  /// Makes the calls, `concurrency` at a time; results in the order of `calls`.
  std::vector<CallResult> run(const std::vector<ModelCall>& calls);

  const RunnerTally& tally() const { return tally_; }

  /// The token estimate of a request before it is sent.
  long long estimate_tokens(const ChatRequest& request) const;

 private:
  CallResult call(const ModelCall& call);
  bool reserve(long long estimate);

  const ChatClient& client_;
  const ReplyCache* cache_;
  std::ostream* log_;
  RunnerOptions options_;
  Progress* progress_;
  std::mutex mutex_;  ///< guards tally_, reserved_, log_ and progress_
  RunnerTally tally_;
  long long reserved_ = 0;
};

}  // namespace curvelab::cli
