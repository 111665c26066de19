#pragma once
// A fake OpenAI-compatible chat-completions server for tests: cpp-httplib on 127.0.0.1
// and a free port, answering with scripted replies and keeping every request.

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace curvelab::test {

/// A chat-completions body whose message is `content`.
inline std::string completion(const std::string& content, int prompt_tokens = 11, int completion_tokens = 7) {
  return nlohmann::json{{"id", "chatcmpl-1"},
                        {"object", "chat.completion"},
                        {"choices", {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", content}}}}}},
                        {"usage",
                         {{"prompt_tokens", prompt_tokens},
                          {"completion_tokens", completion_tokens},
                          {"total_tokens", prompt_tokens + completion_tokens}}}}
      .dump();
}

/// One scripted reply: a status, headers and a body; or `hold`, which answers only once
/// the test releases the server (so a client time-out is certain, whatever the timing).
struct Scripted {
  int status = 200;
  std::string body;
  httplib::Headers headers;
  bool hold = false;
};

/// A fake OpenAI-compatible server on 127.0.0.1 and a free port. It answers POST
/// /v1/chat/completions with the next scripted reply (the last one repeats) and keeps
/// every request it received.
class FakeServer {
 public:
  explicit FakeServer(std::vector<Scripted> script) : script_(script.begin(), script.end()) { start(); }
  /// Answers each request with what `respond` makes of its body.
  explicit FakeServer(std::function<Scripted(const nlohmann::json& body)> respond) : respond_(std::move(respond)) {
    start();
  }
  ~FakeServer() {
    {
      std::lock_guard lock(mutex_);
      release_ = true;
    }
    released_.notify_all();
    server_.stop();
    thread_.join();
  }
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  std::vector<httplib::Request> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  /// The most requests that were being answered at one moment.
  int most_in_flight() const {
    std::lock_guard lock(mutex_);
    return most_in_flight_;
  }

 private:
  void start() {
    server_.Post("/v1/chat/completions", [this](const httplib::Request& request, httplib::Response& response) {
      Scripted next;
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(request);
        most_in_flight_ = std::max(most_in_flight_, ++in_flight_);
        if (respond_) {
          next = respond_(nlohmann::json::parse(request.body, nullptr, false));
        } else {
          next = script_.front();
          if (script_.size() > 1) {
            script_.pop_front();
          }
        }
      }
      if (next.hold) {
        std::unique_lock lock(mutex_);
        released_.wait(lock, [this] { return release_; });
      }
      response.status = next.status;
      for (const auto& [name, value] : next.headers) {
        response.set_header(name, value);
      }
      response.set_content(next.body, "application/json");
      std::lock_guard lock(mutex_);
      --in_flight_;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    REQUIRE(port_ > 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // The socket listens from bind on: a request queues until the thread takes it.
  }
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable released_;
  bool release_ = false;
  std::deque<Scripted> script_;
  std::function<Scripted(const nlohmann::json&)> respond_;
  int in_flight_ = 0;
  int most_in_flight_ = 0;
  std::vector<httplib::Request> requests_;
};

}  // namespace curvelab::test
