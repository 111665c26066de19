#include "collector.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sys/random.h>

#include <array>
#include <stdexcept>

#include "curvelab/labels.hpp"

namespace curvelab::cli {
namespace {
using nlohmann::json;

std::string hex(const unsigned char* bytes, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 15];
  }
  return out;
}

json error_body(const std::string& message) { return json{{"error", message}}; }

/// Parses one JSON text, refusing nesting deeper than `max_depth` (deeply nested values
/// are dropped while parsing, so memory stays bounded by the body's size).
json parse_bounded(std::string_view text, int max_depth, bool& too_deep) {
  too_deep = false;
  const json::parser_callback_t limit = [&](int depth, json::parse_event_t, json&) {
    if (depth > max_depth) {
      too_deep = true;
    }
    return !too_deep;
  };
  return json::parse(text, limit, false);
}

struct Entry {
  json label;
  std::optional<Error> problem;
};
}  // namespace

IngestReply ingest_labels(std::string_view body, const CollectorLimits& limits, LabelStore& store) {
  const std::size_t first = body.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return {400, error_body("the body holds no labels: send a JSON array of labels or JSON lines")};
  }
  std::vector<Entry> entries;
  const std::string depth_message = "nested deeper than " + std::to_string(limits.max_depth) + " levels";
  if (body[first] == '[') {
    bool too_deep = false;
    json array = parse_bounded(body, limits.max_depth + 1, too_deep);
    if (too_deep) {
      return {400, error_body("the body is " + depth_message)};
    }
    if (array.is_discarded() || !array.is_array()) {
      return {400, error_body("the body is not valid JSON: send a JSON array of labels or JSON lines")};
    }
    if (array.size() > static_cast<std::size_t>(limits.max_labels)) {
      return {413, error_body("at most " + std::to_string(limits.max_labels) + " labels per request, got " +
                              std::to_string(array.size()))};
    }
    for (json& label : array) {
      entries.push_back({std::move(label), std::nullopt});
    }
  } else {
    std::size_t start = 0;
    while (start < body.size()) {
      std::size_t end = body.find('\n', start);
      if (end == std::string_view::npos) {
        end = body.size();
      }
      const std::string_view line = body.substr(start, end - start);
      start = end + 1;
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
        continue;
      }
      if (entries.size() == static_cast<std::size_t>(limits.max_labels)) {
        return {413, error_body("at most " + std::to_string(limits.max_labels) + " labels per request, got more")};
      }
      bool too_deep = false;
      json label = parse_bounded(line, limits.max_depth, too_deep);
      if (too_deep) {
        entries.push_back({json(), Error{"label", depth_message}});
      } else if (label.is_discarded()) {
        entries.push_back({json(), Error{"jsonl", "not valid JSON"}});
      } else {
        entries.push_back({std::move(label), std::nullopt});
      }
    }
  }

  std::vector<StoredLabel> valid;
  std::vector<std::size_t> valid_index;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    Entry& entry = entries[i];
    if (!entry.problem) {
      entry.problem = validate_label(entry.label);
    }
    if (!entry.problem) {
      valid.push_back({entry.label["id"].get<std::string>(), entry.label["annotator"].get<std::string>(),
                       entry.label["quiz_kind"].get<std::string>(), entry.label.dump()});
      valid_index.push_back(i);
    }
  }
  std::vector<AppendOutcome> outcomes;
  if (!valid.empty()) {
    auto appended = store.append(valid);
    if (!appended) {
      return {503, error_body("the label store did not take the batch (nothing of it was stored; send it again): " +
                              appended.error().message)};
    }
    outcomes = std::move(appended.value());
  }
  json results = json::array();
  int stored = 0;
  int duplicates = 0;
  int refused = 0;
  std::size_t next_valid = 0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const Entry& entry = entries[i];
    json result{{"index", i}};
    if (entry.label.is_object() && entry.label.contains("id") && entry.label["id"].is_string()) {
      result["id"] = entry.label["id"];
    }
    if (next_valid < valid_index.size() && valid_index[next_valid] == i) {
      const bool is_new = outcomes[next_valid] == AppendOutcome::stored;
      result["result"] = is_new ? "stored" : "duplicate";
      (is_new ? stored : duplicates) += 1;
      ++next_valid;
    } else {
      result["result"] = "refused";
      result["field"] = entry.problem->field;
      result["message"] = entry.problem->message;
      ++refused;
    }
    results.push_back(std::move(result));
  }
  const int status = stored + duplicates > 0 ? 200 : 422;
  return {status, json{{"stored", stored}, {"duplicates", duplicates}, {"refused", refused}, {"results", results}}};
}

std::string new_owner_token() {
  std::array<unsigned char, 32> bytes{};
  std::size_t got = 0;
  while (got < bytes.size()) {
    const ssize_t n = getrandom(bytes.data() + got, bytes.size() - got, 0);
    if (n <= 0) {
      throw std::runtime_error("no random bytes from the kernel (getrandom failed)");
    }
    got += static_cast<std::size_t>(n);
  }
  return hex(bytes.data(), bytes.size());
}

std::string token_digest(std::string_view token) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(token.data(), token.size(), digest.data(), &length, EVP_sha256(), nullptr);
  return hex(digest.data(), length);
}

bool token_matches(std::string_view presented, std::string_view digest) {
  const std::string computed = token_digest(presented);
  // Both are 64 hex digits; CRYPTO_memcmp takes the same time wherever they differ.
  return computed.size() == digest.size() && CRYPTO_memcmp(computed.data(), digest.data(), digest.size()) == 0;
}

bool RateLimiter::allow(const std::string& client) {
  if (per_minute_ <= 0) {
    return true;
  }
  const auto now = std::chrono::steady_clock::now();
  const std::lock_guard lock(mutex_);
  if (buckets_.size() > 100000) {
    buckets_.clear();  // a flood of addresses: forget them all rather than grow without bound
  }
  auto [it, fresh] = buckets_.try_emplace(client, Bucket{static_cast<double>(per_minute_), now});
  Bucket& bucket = it->second;
  if (!fresh) {
    const double minutes = std::chrono::duration<double>(now - bucket.at).count() / 60.0;
    bucket.tokens = std::min(static_cast<double>(per_minute_), bucket.tokens + minutes * per_minute_);
    bucket.at = now;
  }
  if (bucket.tokens < 1.0) {
    return false;
  }
  bucket.tokens -= 1.0;
  return true;
}

}  // namespace curvelab::cli
