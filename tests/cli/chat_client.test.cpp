// The chat-completions client against a local server that speaks the wire format with
// scripted replies (cpp-httplib on 127.0.0.1): request shape, retries and back-off,
// time-outs, resets, huge replies, and the reply cache. Nothing leaves the machine.

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "../../core/cli/args.hpp"
#include "../../core/cli/chat_client.hpp"
#include "../../core/cli/reply_cache.hpp"
#include "fake_chat_server.hpp"

namespace {

using curvelab::cli::ChatClient;
using curvelab::cli::ChatOutcome;
using curvelab::cli::ChatReply;
using curvelab::cli::ChatRequest;
using curvelab::cli::ClientOptions;
using curvelab::cli::ContentPart;
using curvelab::test::completion;
using curvelab::test::FakeServer;
using curvelab::test::Scripted;
using nlohmann::json;

const std::string kKey = "sk-test-0123456789abcdef";

/// A listener that accepts connections and resets each one at once (SO_LINGER 0).
class ResettingServer {
 public:
  ResettingServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(fd_, 16) == 0);
    socklen_t length = sizeof address;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] {
      for (;;) {
        const int client = ::accept(fd_, nullptr, nullptr);
        if (client < 0) {
          return;
        }
        accepted_.fetch_add(1);
        const linger reset{1, 0};
        ::setsockopt(client, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
        ::close(client);
      }
    });
  }
  ~ResettingServer() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  ResettingServer(const ResettingServer&) = delete;
  ResettingServer& operator=(const ResettingServer&) = delete;

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  int accepted() const { return accepted_.load(); }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::atomic<int> accepted_{0};
};

ChatRequest question(const std::string& text = "Which run ends higher? Answer {\"better\": \"A\"}.") {
  ChatRequest request;
  request.model = "test-model";
  request.system = "You judge learning curves.";
  request.user = {{ContentPart::Kind::Text, text}};
  return request;
}

/// Options for tests: fast back-off (recorded, never slept), a short deadline.
ClientOptions options_for(const std::string& endpoint, int retries = 3) {
  ClientOptions options;
  options.endpoint = endpoint;
  options.api_key = kKey;
  options.timeout_s = 5;
  options.retries = retries;
  options.backoff_base_s = 0.5;
  options.backoff_max_s = 4;
  return options;
}

/// A client whose back-off is recorded instead of slept.
ChatClient recording_client(const ClientOptions& options, std::vector<double>& slept) {
  return ChatClient(options, [&slept](double seconds) { slept.push_back(seconds); });
}

}  // namespace

TEST_CASE("a correct reply gives the message, the usage and one request of the wire format", "[chat]") {
  FakeServer server({{200, completion("{\"better\": \"A\"}"), {}, false}});
  std::vector<double> slept;
  ChatRequest request = question();
  request.temperature = 0.0;
  request.max_tokens = 64;
  request.seed = 42;
  const ChatReply reply = recording_client(options_for(server.endpoint()), slept).complete(request);
  CHECK(reply.outcome == ChatOutcome::Ok);
  CHECK(reply.content == "{\"better\": \"A\"}");
  CHECK(reply.usage.prompt_tokens == 11);
  CHECK(reply.usage.completion_tokens == 7);
  CHECK(reply.usage.total_tokens == 18);
  CHECK(reply.attempts == 1);
  CHECK(slept.empty());

  const auto requests = server.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].path == "/v1/chat/completions");
  CHECK(requests[0].get_header_value("Authorization") == "Bearer " + kKey);
  CHECK(requests[0].get_header_value("Content-Type") == "application/json");
  const json body = json::parse(requests[0].body);
  CHECK(body["model"] == "test-model");
  CHECK(body["stream"] == false);
  CHECK(body["temperature"] == 0.0);
  CHECK(body["max_tokens"] == 64);
  CHECK(body["seed"] == 42);
  REQUIRE(body["messages"].size() == 2);
  CHECK(body["messages"][0] == json{{"role", "system"}, {"content", "You judge learning curves."}});
  CHECK(body["messages"][1]["role"] == "user");
  CHECK(body["messages"][1]["content"] == question().user[0].value);
}

TEST_CASE("parameters left out are not sent, and an endpoint may name the full path", "[chat]") {
  FakeServer server({{200, completion("ok"), {}, false}});
  std::vector<double> slept;
  ClientOptions options = options_for(server.endpoint() + "/chat/completions/");
  options.api_key.clear();
  const ChatReply reply = recording_client(options, slept).complete(question());
  CHECK(reply.outcome == ChatOutcome::Ok);
  const auto requests = server.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].path == "/v1/chat/completions");
  CHECK_FALSE(requests[0].has_header("Authorization"));
  const json body = json::parse(requests[0].body);
  CHECK_FALSE(body.contains("temperature"));
  CHECK_FALSE(body.contains("max_tokens"));
  CHECK_FALSE(body.contains("seed"));
}

TEST_CASE("an image goes as an image_url content part beside the text", "[chat]") {
  FakeServer server({{200, completion("ok"), {}, false}});
  std::vector<double> slept;
  ChatRequest request = question("Look at the chart.");
  request.user.push_back({ContentPart::Kind::ImageUrl, "data:image/png;base64,iVBORw0KGgo="});
  REQUIRE(recording_client(options_for(server.endpoint()), slept).complete(request).outcome == ChatOutcome::Ok);
  const json content = json::parse(server.requests().at(0).body)["messages"][1]["content"];
  REQUIRE(content.is_array());
  REQUIRE(content.size() == 2);
  CHECK(content[0] == json{{"type", "text"}, {"text", "Look at the chart."}});
  CHECK(content[1] == json{{"type", "image_url"}, {"image_url", {{"url", "data:image/png;base64,iVBORw0KGgo="}}}});
}

TEST_CASE("a chatty reply comes back whole: finding the answer in it is the quiz's job", "[chat]") {
  const std::string chatty = "Let me think. Run A climbs faster and ends higher.\n\n{\"better\": \"A\"}";
  FakeServer server({{200, completion(chatty), {}, false}});
  std::vector<double> slept;
  CHECK(recording_client(options_for(server.endpoint()), slept).complete(question()).content == chatty);
}

TEST_CASE("malformed and empty bodies are bad replies, never retried", "[chat]") {
  const std::string body = GENERATE(
      std::string("{\"choices\": [}"), std::string(""), std::string("[1, 2]"), std::string("{\"choices\": []}"),
      std::string("{\"choices\": [{\"message\": {\"content\": null}}]}"), std::string(2000, '['));
  FakeServer server({{200, body, {}, false}});
  std::vector<double> slept;
  const ChatReply reply = recording_client(options_for(server.endpoint()), slept).complete(question());
  CHECK(reply.outcome == ChatOutcome::BadReply);
  CHECK(reply.attempts == 1);
  CHECK(server.requests().size() == 1);
  CHECK_FALSE(reply.error.empty());
}

TEST_CASE("429 with Retry-After waits as long as the server asks, then succeeds", "[chat]") {
  FakeServer server({{429, R"({"error": {"message": "rate limited"}})", {{"Retry-After", "2"}}, false},
                     {429, R"({"error": {"message": "rate limited"}})", {{"Retry-After", "7"}}, false},
                     {200, completion("{\"step\": 120}"), {}, false}});
  std::vector<double> slept;
  const ChatReply reply = recording_client(options_for(server.endpoint()), slept).complete(question());
  CHECK(reply.outcome == ChatOutcome::Ok);
  CHECK(reply.content == "{\"step\": 120}");
  CHECK(reply.attempts == 3);
  CHECK(slept == std::vector<double>{2, 7});
  CHECK(reply.waits_s == slept);
  CHECK(server.requests().size() == 3);
}

TEST_CASE("Retry-After is read as seconds or as an HTTP date, and capped", "[chat]") {
  using curvelab::cli::parse_retry_after;
  CHECK(parse_retry_after("120", 0) == 120.0);
  CHECK(parse_retry_after(" 3 ", 0) == 3.0);
  // 784111777 is Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110's example).
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111777 - 30) == 30.0);
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111777 + 30) == 0.0);
  CHECK_FALSE(parse_retry_after("soon", 0).has_value());
  CHECK_FALSE(parse_retry_after("", 0).has_value());
  CHECK_FALSE(parse_retry_after("-5", 0).has_value());

  FakeServer server({{503, "{}", {{"Retry-After", "99999999999"}}, false}, {200, completion("ok"), {}, false}});
  std::vector<double> slept;
  ClientOptions options = options_for(server.endpoint());
  options.max_wait_s = 60;
  CHECK(recording_client(options, slept).complete(question()).outcome == ChatOutcome::Ok);
  CHECK(slept == std::vector<double>{60});
}

TEST_CASE("5xx is retried with jittered exponential back-off, then reported", "[chat]") {
  FakeServer server({{500, R"({"error": {"message": "upstream crashed"}})", {}, false}});
  std::vector<double> slept;
  const ChatReply reply = recording_client(options_for(server.endpoint(), 4), slept).complete(question());
  CHECK(reply.outcome == ChatOutcome::HttpError);
  CHECK(reply.http_status == 500);
  CHECK(reply.attempts == 5);
  CHECK(server.requests().size() == 5);
  CHECK(reply.error == "HTTP 500: upstream crashed");
  REQUIRE(slept.size() == 4);
  // Full jitter: retry r waits uniformly in [0, min(4, 0.5 * 2^r)].
  const std::vector<double> caps{0.5, 1, 2, 4};
  for (std::size_t r = 0; r < slept.size(); ++r) {
    CHECK(slept[r] >= 0);
    CHECK(slept[r] <= caps[r]);
  }
}

TEST_CASE("other 4xx are not retried, and a key the server echoes is blanked", "[chat]") {
  FakeServer server({{401, R"({"error": {"message": "Incorrect API key provided: )" + kKey + R"(."}})", {}, false}});
  std::vector<double> slept;
  const ChatReply reply = recording_client(options_for(server.endpoint()), slept).complete(question());
  CHECK(reply.outcome == ChatOutcome::HttpError);
  CHECK(reply.attempts == 1);
  CHECK(reply.error == "HTTP 401: Incorrect API key provided: [key].");
  CHECK(reply.error.find(kKey) == std::string::npos);
}

TEST_CASE("control characters in a server's error are escaped and long ones cut", "[chat]") {
  FakeServer server({{400, std::string("bad\x1b[31m\nrequest") + std::string(1000, 'x'), {}, false}});
  std::vector<double> slept;
  const ChatReply reply = recording_client(options_for(server.endpoint()), slept).complete(question());
  CHECK(reply.error.rfind("HTTP 400: bad\\x1b[31m\\x0arequest", 0) == 0);
  CHECK(reply.error.size() < 230);
  CHECK(reply.error.find('\x1b') == std::string::npos);
}

TEST_CASE("a server that never answers in time is a time-out, retried", "[chat]") {
  FakeServer server({{200, completion("too late"), {}, true}});
  std::vector<double> slept;
  ClientOptions options = options_for(server.endpoint(), 1);
  options.timeout_s = 0.2;
  const ChatReply reply = recording_client(options, slept).complete(question());
  CHECK(reply.outcome == ChatOutcome::Timeout);
  CHECK(reply.attempts == 2);
  CHECK(slept.size() == 1);
}

TEST_CASE("a connection reset is a network error, retried", "[chat]") {
  ResettingServer server;
  std::vector<double> slept;
  const ChatReply reply = recording_client(options_for(server.endpoint(), 2), slept).complete(question());
  CHECK(reply.outcome == ChatOutcome::Network);
  CHECK(reply.attempts == 3);
  CHECK(server.accepted() == 3);
  CHECK_FALSE(reply.error.empty());
}

TEST_CASE("nothing listening is a network error after the retries", "[chat]") {
  int port = 0;
  {
    ResettingServer closed;  // a port that was free a moment ago and is closed now
    port = std::stoi(closed.endpoint().substr(closed.endpoint().rfind(':') + 1));
  }
  std::vector<double> slept;
  const ChatReply reply =
      recording_client(options_for("http://127.0.0.1:" + std::to_string(port) + "/v1", 1), slept).complete(question());
  CHECK(reply.outcome == ChatOutcome::Network);
  CHECK(reply.attempts == 2);
}

TEST_CASE("a huge reply is cut off at the limit and not retried", "[chat]") {
  FakeServer server({{200, completion(std::string(100000, 'x')), {}, false}});
  std::vector<double> slept;
  ClientOptions options = options_for(server.endpoint());
  options.max_reply_bytes = 4096;
  const ChatReply reply = recording_client(options, slept).complete(question());
  CHECK(reply.outcome == ChatOutcome::TooLarge);
  CHECK(reply.attempts == 1);
  CHECK(reply.content.empty());
  CHECK(reply.error == "the reply is larger than 4096 bytes");
}

TEST_CASE("the reply cache keeps answers by request, never the key, and survives bad files", "[chat]") {
  using curvelab::cli::ReplyCache;
  const auto dir = std::filesystem::temp_directory_path() / ("curvelab-cache-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const ReplyCache cache(dir / "cache");
  const json body = curvelab::cli::chat_request_body(question());
  const std::string key = ReplyCache::key("http://h/v1/chat/completions", body);
  CHECK(key.size() == 64);
  CHECK(key != ReplyCache::key("http://other/v1/chat/completions", body));
  ChatRequest other = question();
  other.temperature = 0.5;
  CHECK(key != ReplyCache::key("http://h/v1/chat/completions", curvelab::cli::chat_request_body(other)));
  CHECK_FALSE(cache.find(key).has_value());

  ChatReply reply;
  reply.outcome = ChatOutcome::Ok;
  reply.http_status = 200;
  reply.content = "{\"better\": \"B\"}";
  reply.usage = {100, 5, 105};
  reply.attempts = 2;
  reply.latency_ms = 12.5;
  CHECK(ReplyCache::keeps(reply));
  cache.store(key, "http://h/v1/chat/completions", body, reply);
  const auto found = cache.find(key);
  REQUIRE(found.has_value());
  CHECK(found->content == reply.content);
  CHECK(found->usage.total_tokens == 105);
  CHECK(found->latency_ms == 12.5);
  CHECK(found->attempts == 0);

  for (const auto& entry : std::filesystem::directory_iterator(dir / "cache")) {
    std::ifstream in(entry.path());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(text.find(kKey) == std::string::npos);
    CHECK(entry.path().extension() == ".json");
  }

  ChatReply transient;
  transient.outcome = ChatOutcome::Timeout;
  CHECK_FALSE(ReplyCache::keeps(transient));
  transient.outcome = ChatOutcome::HttpError;
  CHECK_FALSE(ReplyCache::keeps(transient));

  std::ofstream(dir / "cache" / (key + ".json")) << "{\"key\": \"" << key << "\", \"reply\": " << std::string(500, '[');
  CHECK_FALSE(cache.find(key).has_value());
  std::ofstream(dir / "cache" / (key + ".json")) << "not json";
  CHECK_FALSE(cache.find(key).has_value());
  std::filesystem::remove_all(dir);
}

TEST_CASE("the cache refuses a path that is not a directory", "[chat]") {
  const auto file = std::filesystem::temp_directory_path() / ("curvelab-cache-file-" + std::to_string(::getpid()));
  std::ofstream(file) << "x";
  CHECK_THROWS_AS(curvelab::cli::ReplyCache(file), curvelab::cli::CliError);
  std::filesystem::remove(file);
}

TEST_CASE("SHA-256 reproduces the published test vectors", "[chat]") {
  using curvelab::cli::sha256_hex;
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
