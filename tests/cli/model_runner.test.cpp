// Many calls at once against the fake server: concurrency, order, the cache (a re-run
// sends nothing, a resumed run only what failed), the token budget, the reply log and
// the progress line.

#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../../core/cli/chat_client.hpp"
#include "../../core/cli/model_runner.hpp"
#include "../../core/cli/reply_cache.hpp"
#include "fake_chat_server.hpp"

namespace {

using curvelab::cli::CallResult;
using curvelab::cli::ChatClient;
using curvelab::cli::ChatOutcome;
using curvelab::cli::ClientOptions;
using curvelab::cli::ContentPart;
using curvelab::cli::ModelCall;
using curvelab::cli::ModelRunner;
using curvelab::cli::Progress;
using curvelab::cli::ReplyCache;
using curvelab::cli::RunnerOptions;
using curvelab::test::completion;
using curvelab::test::FakeServer;
using curvelab::test::Scripted;
using nlohmann::json;

const std::string kKey = "sk-runner-secret-42";

/// Replies with the user's text reversed in `[...]`, 100 tokens a reply; fails with 500
/// on prompts that contain "fail" while `failing` is set.
Scripted echo(const json& body, const bool* failing) {
  const std::string text = body["messages"].back()["content"].get<std::string>();
  if (failing != nullptr && *failing && text.find("fail") != std::string::npos) {
    return {500, R"({"error": "down"})", {}, false};
  }
  return {200, completion(std::string("[") + text + "]", 60, 40), {}, false};
}

std::vector<ModelCall> calls(int n) {
  std::vector<ModelCall> out;
  for (int i = 0; i < n; ++i) {
    ModelCall call;
    call.tag = std::string("item-") + std::to_string(i);
    call.request.model = "m";
    call.request.max_tokens = 50;
    std::string text = i % 5 == 0 ? "fail " : "ask ";
    text += std::to_string(i);
    call.request.user = {{ContentPart::Kind::Text, std::move(text)}};
    out.push_back(call);
  }
  return out;
}

ClientOptions options_for(const std::string& endpoint) {
  ClientOptions options;
  options.endpoint = endpoint;
  options.api_key = kKey;
  options.timeout_s = 10;
  options.retries = 0;
  return options;
}

struct TempDir {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / (std::string("curvelab-runner-") + std::to_string(::getpid()));
  TempDir() { std::filesystem::remove_all(path); }
  ~TempDir() { std::filesystem::remove_all(path); }
};

}  // namespace

TEST_CASE("calls run a few at a time and come back in their order", "[runner]") {
  FakeServer server([](const json& body) { return echo(body, nullptr); });
  const ChatClient client(options_for(server.endpoint()));
  RunnerOptions options;
  options.concurrency = 4;
  ModelRunner runner(client, nullptr, nullptr, options, nullptr);
  const auto work = calls(40);
  const std::vector<CallResult> results = runner.run(work);
  REQUIRE(results.size() == 40);
  for (std::size_t i = 0; i < results.size(); ++i) {
    CHECK(results[i].reply.outcome == ChatOutcome::Ok);
    CHECK(results[i].reply.content == std::string("[") + work[i].request.user[0].value + "]");
  }
  CHECK(server.requests().size() == 40);
  CHECK(server.most_in_flight() <= 4);
  CHECK(runner.tally().calls == 40);
  CHECK(runner.tally().requests == 40);
  CHECK(runner.tally().tokens == 40 * 100);
}

TEST_CASE("a finished run re-runs from the cache, and a resumed one asks only what failed", "[runner]") {
  TempDir dir;
  bool failing = true;
  FakeServer server([&failing](const json& body) { return echo(body, &failing); });
  const ChatClient client(options_for(server.endpoint()));
  const ReplyCache cache(dir.path / "cache");
  const auto work = calls(20);  // items 0, 5, 10, 15 fail while the server is failing

  ModelRunner first(client, &cache, nullptr, RunnerOptions{}, nullptr);
  const auto a = first.run(work);
  CHECK(first.tally().failed == 4);
  CHECK(server.requests().size() == 20);

  failing = false;
  ModelRunner resumed(client, &cache, nullptr, RunnerOptions{}, nullptr);
  const auto b = resumed.run(work);
  CHECK(server.requests().size() == 24);  // only the 4 that failed were asked again
  CHECK(resumed.tally().cached == 16);
  CHECK(resumed.tally().failed == 0);
  for (std::size_t i = 0; i < b.size(); ++i) {
    CHECK(b[i].reply.outcome == ChatOutcome::Ok);
    CHECK(b[i].cached == (i % 5 != 0));
  }

  ModelRunner again(client, &cache, nullptr, RunnerOptions{}, nullptr);
  const auto c = again.run(work);
  CHECK(server.requests().size() == 24);  // nothing new
  CHECK(again.tally().cached == 20);
  CHECK(again.tally().tokens == 0);
  for (std::size_t i = 0; i < c.size(); ++i) {
    CHECK(c[i].reply.content == b[i].reply.content);
  }
}

TEST_CASE("the token budget stops calls before the spend would pass it", "[runner]") {
  FakeServer server([](const json& body) { return echo(body, nullptr); });
  const ChatClient client(options_for(server.endpoint()));
  RunnerOptions options;
  options.concurrency = 1;
  options.budget_tokens = 1000;  // 100 a reply; each call is estimated at 51 or 52 tokens
  ModelRunner runner(client, nullptr, nullptr, options, nullptr);
  const auto results = runner.run(calls(20));
  CHECK(runner.tally().tokens <= 1000);
  // After 10 replies the spend is 1000, and an 11th call (estimated at 51) would pass it.
  CHECK(runner.tally().tokens == 1000);
  CHECK(server.requests().size() == 10);
  CHECK(runner.tally().over_budget == 10);
  for (std::size_t i = 0; i < results.size(); ++i) {
    CHECK(results[i].over_budget == (i >= 10));
  }
  CHECK(runner.estimate_tokens(calls(1)[0].request) == 6 / 4 + 50);
}

TEST_CASE("every reply is logged as one JSON line, without the key", "[runner]") {
  FakeServer server([](const json& body) { return echo(body, nullptr); });
  const ChatClient client(options_for(server.endpoint()));
  std::ostringstream log;
  ModelRunner runner(client, nullptr, &log, RunnerOptions{}, nullptr);
  (void)runner.run(calls(6));
  CHECK(log.str().find(kKey) == std::string::npos);
  std::istringstream lines(log.str());
  int n = 0;
  std::vector<std::string> tags;
  for (std::string line; std::getline(lines, line); ++n) {
    const json entry = json::parse(line);
    tags.push_back(entry["tag"].get<std::string>());
    CHECK(entry["outcome"] == "ok");
    CHECK(entry["usage"]["total_tokens"] == 100);
    CHECK(entry["content"].get<std::string>().front() == '[');
    CHECK(entry["key"].get<std::string>().size() == 64);
    CHECK(entry["cached"] == false);
  }
  CHECK(n == 6);
  std::sort(tags.begin(), tags.end());
  CHECK(tags == std::vector<std::string>{"item-0", "item-1", "item-2", "item-3", "item-4", "item-5"});
}

TEST_CASE("progress is one redrawn line on a terminal and a few plain lines elsewhere", "[runner]") {
  FakeServer server([](const json& body) { return echo(body, nullptr); });
  const ChatClient client(options_for(server.endpoint()));
  SECTION("plain") {
    std::ostringstream err;
    Progress progress(&err, false, 100);
    ModelRunner runner(client, nullptr, nullptr, RunnerOptions{}, &progress);
    (void)runner.run(calls(100));
    progress.finish(runner.tally());
    const std::string text = err.str();
    CHECK(text.find('\r') == std::string::npos);
    const auto lines = std::count(text.begin(), text.end(), '\n');
    CHECK(lines >= 2);
    CHECK(lines <= 21);
    CHECK(text.rfind("eval: 100/100 calls (100%), 100 requests, 0 retries, 0 cached, 0 failed, 10000 tokens") !=
          std::string::npos);
  }
  SECTION("terminal") {
    std::ostringstream err;
    Progress progress(&err, true, 10);
    ModelRunner runner(client, nullptr, nullptr, RunnerOptions{}, &progress);
    (void)runner.run(calls(10));
    progress.finish(runner.tally());
    const std::string text = err.str();
    CHECK(std::count(text.begin(), text.end(), '\r') == 11);
    CHECK(std::count(text.begin(), text.end(), '\n') == 1);
    CHECK(text.back() == '\n');
  }
  SECTION("quiet") {
    Progress progress(nullptr, true, 10);
    ModelRunner runner(client, nullptr, nullptr, RunnerOptions{}, &progress);
    CHECK(runner.run(calls(10)).size() == 10);
  }
}
