#pragma once
// Model replies kept on disk so that an evaluation can be re-run or resumed without paying
// twice: one file per request, named by the SHA-256 of what identifies the request (the
// URL and the body: model, messages, sampling parameters). The API key is not part of
// the request body and is never written.

#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "chat_client.hpp"

namespace curvelab::cli {

/// The lowercase hex SHA-256 of `data`.
std::string sha256_hex(const std::string& data);

class ReplyCache {
 public:
  /// Creates `dir` if needed; a path that exists and is no directory is a CliError.
  explicit ReplyCache(std::filesystem::path dir);

  /// The cache key of a request: SHA-256 over the URL and the body's canonical JSON.
  static std::string key(const std::string& url, const nlohmann::json& body);

  /// Whether a reply is worth keeping: answers are (Ok, BadReply, TooLarge: the server
  /// will say the same again); transient failures (time-outs, network, HTTP errors) are
  /// not, so that a resumed run asks again.
  static bool keeps(const ChatReply& reply);

  /// The stored reply, marked as coming from the cache; nullopt when absent or unreadable.
  std::optional<ChatReply> find(const std::string& key) const;
  /// Writes atomically (a temporary file, then a rename): a killed run leaves no torn entry.
  void store(const std::string& key, const std::string& url, const nlohmann::json& body, const ChatReply& reply) const;

 private:
  std::filesystem::path path_of(const std::string& key) const;
  std::filesystem::path dir_;
};

}  // namespace curvelab::cli
