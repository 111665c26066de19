#include "model_runner.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <exception>
#include <thread>

#include <nlohmann/json.hpp>

namespace curvelab::cli {
namespace {

using nlohmann::json;

std::string duration_text(double seconds) {
  const auto s = static_cast<long long>(std::llround(std::max(0.0, seconds)));
  char buffer[32];
  if (s >= 3600) {
    std::snprintf(buffer, sizeof buffer, "%lldh%02lldm", s / 3600, (s / 60) % 60);
  } else if (s >= 60) {
    std::snprintf(buffer, sizeof buffer, "%lldm%02llds", s / 60, s % 60);
  } else {
    std::snprintf(buffer, sizeof buffer, "%llds", s);
  }
  return buffer;
}

}  // namespace

Progress::Progress(std::ostream* out, bool terminal, long long total_calls)
    : out_(out), terminal_(terminal), total_(total_calls), start_(std::chrono::steady_clock::now()) {}

std::string Progress::line(const RunnerTally& tally) const {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const long long done = tally.calls;
  std::string text = "eval: " + std::to_string(done) + "/" + std::to_string(total_) + " calls";
  if (total_ > 0) {
    text += " (" + std::to_string(done * 100 / total_) + "%)";
  }
  text += ", " + std::to_string(tally.requests) + " requests, " + std::to_string(tally.retries) + " retries, " +
          std::to_string(tally.cached) + " cached, " + std::to_string(tally.failed) + " failed, " +
          std::to_string(tally.tokens) + " tokens";
  if (tally.over_budget > 0) {
    text += ", " + std::to_string(tally.over_budget) + " over budget";
  }
  if (done > 0 && done < total_) {
    text += ", ETA " + duration_text(elapsed / static_cast<double>(done) * static_cast<double>(total_ - done));
  } else if (done >= total_) {
    text += ", " + duration_text(elapsed);
  }
  return text;
}

void Progress::update(const RunnerTally& tally) {
  if (out_ == nullptr) {
    return;
  }
  if (terminal_) {
    *out_ << "\r" << line(tally) << "\x1b[K" << std::flush;
    return;
  }
  // Plain lines: one each time another 5% of the work is done.
  const long long step = total_ > 0 ? tally.calls * 20 / total_ : 0;
  if (step != last_printed_) {
    last_printed_ = step;
    *out_ << line(tally) << "\n" << std::flush;
  }
}

void Progress::finish(const RunnerTally& tally) {
  if (out_ == nullptr) {
    return;
  }
  if (terminal_) {
    *out_ << "\r" << line(tally) << "\x1b[K\n" << std::flush;
  } else if (last_printed_ != 20) {
    *out_ << line(tally) << "\n" << std::flush;
  }
}

ModelRunner::ModelRunner(const ChatClient& client, const ReplyCache* cache, std::ostream* log, RunnerOptions options,
                         Progress* progress)
    : client_(client), cache_(cache), log_(log), options_(options), progress_(progress) {}

long long ModelRunner::estimate_tokens(const ChatRequest& request) const {
  long long bytes = static_cast<long long>(request.system.size());
  for (const auto& part : request.user) {
    bytes += static_cast<long long>(part.value.size());
  }
  return bytes / 4 + (request.max_tokens ? *request.max_tokens : options_.reply_token_estimate);
}

bool ModelRunner::reserve(long long estimate) {
  if (!options_.budget_tokens) {
    return true;
  }
  if (tally_.tokens + reserved_ + estimate > *options_.budget_tokens) {
    return false;
  }
  reserved_ += estimate;
  return true;
}

CallResult ModelRunner::call(const ModelCall& call) {
  CallResult result;
  const json body = chat_request_body(call.request);
  const std::string key = ReplyCache::key(client_.url(), body);
  if (cache_ != nullptr) {
    if (auto found = cache_->find(key)) {
      result.reply = std::move(*found);
      result.cached = true;
    }
  }
  long long estimate = 0;
  if (!result.cached) {
    estimate = estimate_tokens(call.request);
    {
      std::lock_guard lock(mutex_);
      if (!reserve(estimate)) {
        result.over_budget = true;
        result.reply.outcome = ChatOutcome::HttpError;
        result.reply.error = "not asked: the token budget would be exceeded";
      }
    }
    if (!result.over_budget) {
      result.reply = client_.complete(call.request);
      if (cache_ != nullptr && ReplyCache::keeps(result.reply)) {
        cache_->store(key, client_.url(), body, result.reply);
      }
    }
  }

  std::lock_guard lock(mutex_);
  if (!result.cached && !result.over_budget) {
    reserved_ -= options_.budget_tokens ? estimate : 0;
    tally_.requests += result.reply.attempts;
    tally_.retries += std::max(0, result.reply.attempts - 1);
    tally_.tokens += result.reply.usage.total_tokens;
  }
  tally_.calls += 1;
  tally_.cached += result.cached ? 1 : 0;
  tally_.over_budget += result.over_budget ? 1 : 0;
  tally_.failed += (!result.over_budget && result.reply.outcome != ChatOutcome::Ok) ? 1 : 0;
  if (log_ != nullptr) {
    const json line = {{"tag", call.tag},
                       {"key", key},
                       {"model", call.request.model},
                       {"outcome", result.over_budget ? "over-budget" : outcome_name(result.reply.outcome)},
                       {"http_status", result.reply.http_status},
                       {"content", result.reply.content},
                       {"error", result.reply.error},
                       {"usage",
                        {{"prompt_tokens", result.reply.usage.prompt_tokens},
                         {"completion_tokens", result.reply.usage.completion_tokens},
                         {"total_tokens", result.reply.usage.total_tokens}}},
                       {"latency_ms", result.reply.latency_ms},
                       {"attempts", result.reply.attempts},
                       {"cached", result.cached}};
    *log_ << line.dump(-1, ' ', false, json::error_handler_t::replace) << "\n" << std::flush;
  }
  if (progress_ != nullptr) {
    progress_->update(tally_);
  }
  return result;
}

std::vector<CallResult> ModelRunner::run(const std::vector<ModelCall>& calls) {
  std::vector<CallResult> results(calls.size());
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  const auto work = [&] {
    for (std::size_t i = next.fetch_add(1); i < calls.size(); i = next.fetch_add(1)) {
      try {
        results[i] = call(calls[i]);
      } catch (...) {
        // The first failure (a cache that cannot be written) ends the run once every
        // call in flight is back.
        std::lock_guard lock(failure_mutex);
        if (!failure) {
          failure = std::current_exception();
        }
        next.store(calls.size());
      }
    }
  };
  const int workers = std::clamp(options_.concurrency, 1, static_cast<int>(std::max<std::size_t>(1, calls.size())));
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(workers - 1));
  for (int w = 1; w < workers; ++w) {
    threads.emplace_back(work);
  }
  work();
  for (auto& thread : threads) {
    thread.join();
  }
  if (failure) {
    std::rethrow_exception(failure);
  }
  return results;
}

}  // namespace curvelab::cli
