#include "chat_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <utility>

#include <nlohmann/json.hpp>

namespace curvelab::cli {
namespace {

using nlohmann::json;

constexpr std::string_view kPath = "/chat/completions";
/// Replies are nested a few levels deep; anything deeper is not a chat-completions body.
constexpr int kMaxReplyDepth = 64;
constexpr std::size_t kMaxErrorChars = 200;

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/// A server's words, made safe for one line of a terminal: control characters escaped,
/// at most kMaxErrorChars, and the key (should a server echo it) blanked out.
std::string one_line(std::string text, const std::string& key) {
  if (!key.empty()) {
    for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at)) {
      text.replace(at, key.size(), "[key]");
    }
  }
  std::string out;
  for (const char c : text) {
    if (out.size() >= kMaxErrorChars) {
      out += "...";
      break;
    }
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

struct Body {
  std::string text;
  std::size_t limit = 0;
  bool too_large = false;
};

std::size_t write_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* body = static_cast<Body*>(user);
  const std::size_t n = size * count;
  if (body->text.size() + n > body->limit) {
    body->too_large = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  }
  body->text.append(data, n);
  return n;
}

struct CurlDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

/// One request and what came back of it.
struct Attempt {
  CURLcode code = CURLE_OK;
  long status = 0;
  Body body;
  std::optional<double> retry_after_s;
  double latency_ms = 0;
  std::string curl_error;
};

Attempt send_once(const std::string& url, const std::string& payload, const ClientOptions& options) {
  Attempt attempt;
  attempt.body.limit = options.max_reply_bytes;
  std::unique_ptr<CURL, CurlDeleter> handle(curl_easy_init());
  if (!handle) {
    attempt.code = CURLE_FAILED_INIT;
    attempt.curl_error = "libcurl could not start a request";
    return attempt;
  }
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  const auto add_header = [&headers](const std::string& line) {
    curl_slist* next = curl_slist_append(headers.get(), line.c_str());
    if (next != nullptr) {
      (void)headers.release();
      headers.reset(next);
    }
  };
  add_header("Content-Type: application/json");
  add_header("Accept: application/json");
  if (!options.api_key.empty()) {
    add_header("Authorization: Bearer " + options.api_key);
  }
  char error_buffer[CURL_ERROR_SIZE] = {};
  const auto timeout_ms = static_cast<long>(std::llround(options.timeout_s * 1000));
  CURL* h = handle.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, std::min(timeout_ms, 30000L));
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(h, CURLOPT_USERAGENT, "curvelab");
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &attempt.body);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);

  const auto start = std::chrono::steady_clock::now();
  attempt.code = curl_easy_perform(h);
  attempt.latency_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &attempt.status);
  curl_header* retry_after = nullptr;
  if (curl_easy_header(h, "Retry-After", 0, CURLH_HEADER, -1, &retry_after) == CURLHE_OK && retry_after != nullptr) {
    attempt.retry_after_s = parse_retry_after(retry_after->value, static_cast<long long>(std::time(nullptr)));
  }
  attempt.curl_error = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(attempt.code);
  return attempt;
}

/// The message of a chat-completions body, or why there is none.
void read_reply(const std::string& text, ChatReply& reply) {
  bool too_deep = false;
  const json::parser_callback_t limit_depth = [&too_deep](int depth, json::parse_event_t, json&) {
    if (depth > kMaxReplyDepth) {
      too_deep = true;
    }
    return !too_deep;
  };
  const json body = json::parse(text, limit_depth, false);
  if (too_deep || body.is_discarded() || !body.is_object()) {
    reply.outcome = ChatOutcome::BadReply;
    reply.error = too_deep ? "the reply is nested too deeply" : "the reply is not a JSON object";
    return;
  }
  const auto choices = body.find("choices");
  if (choices == body.end() || !choices->is_array() || choices->empty() || !(*choices)[0].is_object()) {
    reply.outcome = ChatOutcome::BadReply;
    reply.error = "the reply has no choices";
    return;
  }
  const json& first = (*choices)[0];
  const auto message = first.find("message");
  if (message == first.end() || !message->is_object() || !message->contains("content") ||
      !(*message)["content"].is_string()) {
    reply.outcome = ChatOutcome::BadReply;
    reply.error = "the reply's first choice has no message content";
    return;
  }
  reply.content = (*message)["content"].get<std::string>();
  if (const auto usage = body.find("usage"); usage != body.end() && usage->is_object()) {
    const auto count = [&usage](const char* name) -> long long {
      const auto it = usage->find(name);
      return it != usage->end() && it->is_number_integer() ? std::max(0LL, it->get<long long>()) : 0;
    };
    reply.usage = {count("prompt_tokens"), count("completion_tokens"), count("total_tokens")};
    if (reply.usage.total_tokens == 0) {
      reply.usage.total_tokens = reply.usage.prompt_tokens + reply.usage.completion_tokens;
    }
  }
  reply.outcome = ChatOutcome::Ok;
}

/// What a server's error body says (`{"error": {"message": ...}}`), if anything.
std::string error_message(const std::string& text) {
  const json body = json::parse(text, nullptr, false);
  if (body.is_object()) {
    const auto error = body.find("error");
    if (error != body.end()) {
      if (error->is_string()) {
        return error->get<std::string>();
      }
      if (error->is_object() && error->contains("message") && (*error)["message"].is_string()) {
        return (*error)["message"].get<std::string>();
      }
    }
  }
  return text;
}

bool retryable_status(long status) { return status == 429 || (status >= 500 && status <= 599); }

}  // namespace

const char* outcome_name(ChatOutcome outcome) {
  switch (outcome) {
    case ChatOutcome::Ok:
      return "ok";
    case ChatOutcome::HttpError:
      return "http-error";
    case ChatOutcome::Timeout:
      return "timeout";
    case ChatOutcome::Network:
      return "network";
    case ChatOutcome::TooLarge:
      return "too-large";
    case ChatOutcome::BadReply:
      return "bad-reply";
  }
  return "network";
}

json chat_request_body(const ChatRequest& request) {
  json messages = json::array();
  if (!request.system.empty()) {
    messages.push_back({{"role", "system"}, {"content", request.system}});
  }
  const bool text_only = std::all_of(request.user.begin(), request.user.end(),
                                     [](const ContentPart& p) { return p.kind == ContentPart::Kind::Text; });
  if (text_only) {
    std::string text;
    for (const auto& part : request.user) {
      text += part.value;
    }
    messages.push_back({{"role", "user"}, {"content", text}});
  } else {
    json parts = json::array();
    for (const auto& part : request.user) {
      if (part.kind == ContentPart::Kind::Text) {
        parts.push_back({{"type", "text"}, {"text", part.value}});
      } else {
        parts.push_back({{"type", "image_url"}, {"image_url", {{"url", part.value}}}});
      }
    }
    messages.push_back({{"role", "user"}, {"content", std::move(parts)}});
  }
  json body = {{"model", request.model}, {"messages", std::move(messages)}, {"stream", false}};
  if (request.temperature) {
    body["temperature"] = *request.temperature;
  }
  if (request.max_tokens) {
    body["max_tokens"] = *request.max_tokens;
  }
  if (request.seed) {
    body["seed"] = *request.seed;
  }
  return body;
}

std::optional<double> parse_retry_after(const std::string& value, long long now) {
  std::size_t begin = value.find_first_not_of(" \t");
  if (begin == std::string::npos) {
    return std::nullopt;
  }
  const std::size_t end = value.find_last_not_of(" \t") + 1;
  const std::string v = value.substr(begin, end - begin);
  if (std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (v.size() > 9) {
      return 1e9;  // absurdly long; the caller caps it
    }
    return std::stod(v);
  }
  const time_t when = curl_getdate(v.c_str(), nullptr);
  if (when == -1) {
    return std::nullopt;
  }
  return std::max(0.0, static_cast<double>(static_cast<long long>(when) - now));
}

ChatClient::ChatClient(ClientOptions options, std::function<void(double)> sleep)
    : options_(std::move(options)), sleep_(std::move(sleep)) {
  init_curl_once();
  url_ = options_.endpoint;
  while (!url_.empty() && url_.back() == '/') {
    url_.pop_back();
  }
  if (!ends_with(url_, kPath)) {
    url_ += kPath;
  }
  if (!sleep_) {
    sleep_ = [](double seconds) { std::this_thread::sleep_for(std::chrono::duration<double>(seconds)); };
  }
}

ChatReply ChatClient::complete(const ChatRequest& request) const {
  const std::string payload = chat_request_body(request).dump();
  ChatReply reply;
  std::mt19937_64 jitter(std::random_device{}());
  for (int attempt_index = 0;; ++attempt_index) {
    Attempt attempt = send_once(url_, payload, options_);
    std::vector<double> waits = std::move(reply.waits_s);
    reply = ChatReply{};
    reply.waits_s = std::move(waits);
    reply.http_status = attempt.status;
    reply.attempts = attempt_index + 1;
    reply.latency_ms = attempt.latency_ms;
    bool retry = false;
    if (attempt.body.too_large) {
      reply.outcome = ChatOutcome::TooLarge;
      reply.error = "the reply is larger than " + std::to_string(options_.max_reply_bytes) + " bytes";
    } else if (attempt.code == CURLE_OPERATION_TIMEDOUT) {
      reply.outcome = ChatOutcome::Timeout;
      reply.error = "no reply within the time-out";
      retry = true;
    } else if (attempt.code != CURLE_OK) {
      reply.outcome = ChatOutcome::Network;
      reply.error = one_line(attempt.curl_error, options_.api_key);
      retry = attempt.code != CURLE_UNSUPPORTED_PROTOCOL && attempt.code != CURLE_URL_MALFORMAT;
    } else if (attempt.status != 200) {
      reply.outcome = ChatOutcome::HttpError;
      reply.error = "HTTP " + std::to_string(attempt.status) + ": " +
                    one_line(error_message(attempt.body.text), options_.api_key);
      retry = retryable_status(attempt.status);
    } else {
      read_reply(attempt.body.text, reply);
      if (reply.outcome != ChatOutcome::Ok) {
        reply.error = one_line(reply.error, options_.api_key);
      }
    }
    if (!retry || attempt_index >= options_.retries) {
      return reply;
    }
    const double cap = std::min(options_.backoff_max_s, options_.backoff_base_s * std::ldexp(1.0, attempt_index));
    double wait = std::uniform_real_distribution<double>(0, std::max(0.0, cap))(jitter);
    if (attempt.retry_after_s) {
      wait = *attempt.retry_after_s;
    }
    wait = std::clamp(wait, 0.0, options_.max_wait_s);
    reply.waits_s.push_back(wait);
    sleep_(wait);
  }
}

}  // namespace curvelab::cli
