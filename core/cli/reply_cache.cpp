#include "reply_cache.hpp"

#include <openssl/evp.h>

#include <unistd.h>
#include <array>
#include <fstream>
#include <sstream>
#include <system_error>
#include <thread>

#include <nlohmann/json.hpp>

#include "args.hpp"

namespace curvelab::cli {
namespace {

using nlohmann::json;

/// Cache entries are small objects; a deeper one is not ours.
constexpr int kMaxEntryDepth = 32;

ChatOutcome outcome_from_name(const std::string& name) {
  for (const ChatOutcome o : {ChatOutcome::Ok, ChatOutcome::HttpError, ChatOutcome::Timeout, ChatOutcome::Network,
                              ChatOutcome::TooLarge, ChatOutcome::BadReply}) {
    if (name == outcome_name(o)) {
      return o;
    }
  }
  return ChatOutcome::Network;
}

}  // namespace

std::string sha256_hex(const std::string& data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

ReplyCache::ReplyCache(std::filesystem::path dir) : dir_(std::move(dir)) {
  std::error_code error;
  std::filesystem::create_directories(dir_, error);
  if (!std::filesystem::is_directory(dir_)) {
    throw CliError("--out: cannot use \"" + dir_.string() + "\" as a directory");
  }
}

std::string ReplyCache::key(const std::string& url, const json& body) {
  return sha256_hex(json{{"url", url}, {"body", body}}.dump());
}

bool ReplyCache::keeps(const ChatReply& reply) {
  return reply.outcome == ChatOutcome::Ok || reply.outcome == ChatOutcome::BadReply ||
         reply.outcome == ChatOutcome::TooLarge;
}

std::filesystem::path ReplyCache::path_of(const std::string& key) const { return dir_ / (key + ".json"); }

std::optional<ChatReply> ReplyCache::find(const std::string& key) const {
  std::ifstream in(path_of(key), std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  bool too_deep = false;
  const json::parser_callback_t limit = [&too_deep](int depth, json::parse_event_t, json&) {
    too_deep = too_deep || depth > kMaxEntryDepth;
    return !too_deep;
  };
  const json entry = json::parse(text.str(), limit, false);
  if (too_deep || !entry.is_object() || entry.value("key", "") != key || !entry.contains("reply") ||
      !entry["reply"].is_object()) {
    return std::nullopt;
  }
  const json& r = entry["reply"];
  ChatReply reply;
  try {
    reply.outcome = outcome_from_name(r.at("outcome").get<std::string>());
    reply.http_status = r.at("http_status").get<long>();
    reply.content = r.at("content").get<std::string>();
    reply.usage = {r.at("prompt_tokens").get<long long>(), r.at("completion_tokens").get<long long>(),
                   r.at("total_tokens").get<long long>()};
    reply.latency_ms = r.at("latency_ms").get<double>();
    reply.error = r.at("error").get<std::string>();
  } catch (const json::exception&) {
    return std::nullopt;
  }
  reply.attempts = 0;  // no request was sent for it
  return reply;
}

void ReplyCache::store(const std::string& key, const std::string& url, const json& body, const ChatReply& reply) const {
  const json entry = {{"key", key},
                      {"url", url},
                      {"request", body},
                      {"reply",
                       {{"outcome", outcome_name(reply.outcome)},
                        {"http_status", reply.http_status},
                        {"content", reply.content},
                        {"prompt_tokens", reply.usage.prompt_tokens},
                        {"completion_tokens", reply.usage.completion_tokens},
                        {"total_tokens", reply.usage.total_tokens},
                        {"latency_ms", reply.latency_ms},
                        {"error", reply.error}}}};
  const std::filesystem::path target = path_of(key);
  // One temporary name per process and thread, so that concurrent writers never share one.
  const std::filesystem::path temporary =
      dir_ / (key + ".tmp." + std::to_string(::getpid()) + "." +
              std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id())));
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << entry.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
    if (!out.flush()) {
      throw CliError("--out: cannot write \"" + temporary.string() + "\"");
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, target, error);
  if (error) {
    std::filesystem::remove(temporary, error);
    throw CliError("--out: cannot write \"" + target.string() + "\"");
  }
}

}  // namespace curvelab::cli
