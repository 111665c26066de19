#pragma once
// What `curvelab serve` does with a request, apart from HTTP itself: labels in (each one
// checked by the core exactly as an import is), the owner's token, the rate limit per
// client. serve_command.cpp wires these to cpp-httplib.

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "label_store.hpp"

namespace curvelab::cli {

/// Limits on what one request may bring.
struct CollectorLimits {
  std::size_t max_body_bytes = 1024 * 1024;  ///< request body, in bytes; larger is 413. 1 KiB..64 MiB
  int max_labels = 500;                      ///< labels in one request; more is 413. 1..100000
  int max_depth = 64;                        ///< JSON nesting of one label; deeper is refused
};

/// The reply to a POST of labels: the HTTP status and the JSON body.
struct IngestReply {
  int status = 200;
  nlohmann::json body;
};

/// Labels from a JSON array or JSON lines. Each is checked by the core's validate_label and
/// gets a result (`stored`, `duplicate`, or `refused` with the core's message); the valid
/// ones are appended in one transaction. 200 when at least one was stored or a duplicate,
/// 422 when every one was refused, 400 for a body that is not labels at all, 413 over the
/// limits, 503 when the store fails (then nothing of the batch is stored).
IngestReply ingest_labels(std::string_view body, const CollectorLimits& limits, LabelStore& store);

/// A new owner token: 32 random bytes from the kernel, as 64 hex digits.
std::string new_owner_token();
/// The SHA-256 of a token, as hex: what the store keeps instead of the token.
std::string token_digest(std::string_view token);
/// Whether `presented` hashes to `digest`, compared in constant time.
bool token_matches(std::string_view presented, std::string_view digest);

/// Requests per minute per client: a bucket of `per_minute` requests that refills at that
/// rate. 0 lets everything through.
class RateLimiter {
 public:
  explicit RateLimiter(int per_minute) : per_minute_(per_minute) {}
  bool allow(const std::string& client);

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point at;
  };
  int per_minute_;
  std::mutex mutex_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace curvelab::cli
