#pragma once
// A client for OpenAI-compatible chat-completions endpoints (OpenAI, vLLM, llama.cpp's
// server, Ollama's /v1), non-streaming, over libcurl: TLS verified, proxies from the
// environment (http_proxy, https_proxy, no_proxy), a deadline per attempt, bounded
// replies, and retries with exponential back-off and jitter on 429, 5xx, time-outs and
// network errors, honouring Retry-After. The API key goes only into the Authorization
// header: it is in no error message, cache entry or log.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace curvelab::cli {

/// One part of the user's message: text, or an image given as a data URL
/// (`data:image/png;base64,...`), sent as an `image_url` content part.
struct ContentPart {
  enum class Kind { Text, ImageUrl };
  Kind kind = Kind::Text;
  std::string value;
};

/// What is asked: the model, an optional system message, the user's message and the
/// sampling parameters a server may honour (absent ones are not sent).
struct ChatRequest {
  std::string model;
  std::string system;
  std::vector<ContentPart> user;
  std::optional<double> temperature;
  std::optional<int> max_tokens;
  std::optional<std::uint64_t> seed;
};

/// The request body on the wire: `{"model", "messages": [...], "temperature", ...}`.
/// A user message of text alone is a string; with an image it is a list of parts.
nlohmann::json chat_request_body(const ChatRequest& request);

/// Tokens as the server counts them (`usage`); 0 where it does not say.
struct ChatUsage {
  long long prompt_tokens = 0;
  long long completion_tokens = 0;
  long long total_tokens = 0;
};

/// How the last attempt ended.
enum class ChatOutcome {
  Ok,         ///< 200 with a message
  HttpError,  ///< a status that is not retried (4xx but 429), or retries exhausted on 429/5xx
  Timeout,    ///< no complete reply within the deadline, on every attempt
  Network,    ///< connection refused or reset, name not resolved, TLS failure
  TooLarge,   ///< the reply exceeded `max_reply_bytes` (not retried)
  BadReply,   ///< 200, but not a chat-completions body with a message (not retried)
};
const char* outcome_name(ChatOutcome outcome);

struct ChatReply {
  ChatOutcome outcome = ChatOutcome::Network;
  long http_status = 0;         ///< of the last attempt; 0 when no response arrived
  std::string content;          ///< choices[0].message.content, when Ok
  ChatUsage usage;              ///< of the successful attempt
  int attempts = 0;             ///< requests sent, retries included
  double latency_ms = 0;        ///< of the last attempt
  std::vector<double> waits_s;  ///< the back-off before each retry, in order
  std::string error;            ///< one line for anything but Ok; never holds the key
};

struct ClientOptions {
  /// The server's base URL (`http://127.0.0.1:11434/v1`); `/chat/completions` is
  /// appended unless the URL already ends with it. http and https only.
  std::string endpoint;
  /// Sent as `Authorization: Bearer <key>` when not empty.
  std::string api_key;
  /// Deadline of one attempt, connection included, in seconds; (0, 3600].
  double timeout_s = 60;
  /// Retries after the first attempt; [0, 20].
  int retries = 3;
  /// Back-off before retry r (from 0): uniform in [0, min(max, base * 2^r)] ("full
  /// jitter"); a Retry-After the server sends replaces it, capped at `max_wait_s`.
  double backoff_base_s = 1;
  double backoff_max_s = 30;
  double max_wait_s = 120;
  /// Replies longer than this are cut off and count as TooLarge.
  std::size_t max_reply_bytes = std::size_t{8} << 20;
};

/// Sends chat-completions requests; one client may be used from several threads at once
/// (each call has its own connection).
class ChatClient {
 public:
  /// `sleep` waits for the back-off (tests pass one that records instead of waiting).
  explicit ChatClient(ClientOptions options, std::function<void(double seconds)> sleep = {});

  ChatReply complete(const ChatRequest& request) const;

  /// The URL requests go to.
  const std::string& url() const { return url_; }

 private:
  ClientOptions options_;
  std::string url_;
  std::function<void(double)> sleep_;
};

/// The seconds a Retry-After value asks for: delta-seconds or an HTTP date (relative to
/// `now`, seconds since the epoch); nullopt when it is neither.
std::optional<double> parse_retry_after(const std::string& value, long long now);

}  // namespace curvelab::cli
