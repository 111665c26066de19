// The schema shared by both stores, and the choice of store from the --db URL.

#include "label_store.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string_view>

namespace curvelab::cli {

std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  char full[40];
  std::snprintf(full, sizeof full, "%s.%03dZ", text, static_cast<int>(ms));
  return full;
}

const std::vector<Migration>& migrations() {
  // Append only: a released migration never changes, a new one gets the next number.
  static const std::vector<Migration> list{
      {1,
       "CREATE TABLE labels (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
       " annotator TEXT NOT NULL, quiz_kind TEXT NOT NULL, received_at TEXT NOT NULL, line TEXT NOT NULL);"
       "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
       "CREATE TABLE labels (seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
       " annotator TEXT NOT NULL, quiz_kind TEXT NOT NULL, received_at TEXT NOT NULL, line TEXT NOT NULL);"
       "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);"},
      {2, "CREATE INDEX labels_annotator ON labels (annotator);",
       "CREATE INDEX labels_annotator ON labels (annotator);"},
  };
  return list;
}

Expected<std::unique_ptr<LabelStore>> open_label_store(const std::string& url, int connections) {
  const std::string_view u = url;
  if (u.starts_with("postgresql://") || u.starts_with("postgres://")) {
    return open_postgresql_store(url, connections);
  }
  if (u.starts_with("sqlite:")) {
    const std::string path = url.substr(7);
    if (path.empty()) {
      return Error{"db", "--db sqlite:PATH needs a path, got \"sqlite:\""};
    }
    return open_sqlite_store(path);
  }
  if (u.find("://") != std::string_view::npos) {
    return Error{"db",
                 "--db must be sqlite:PATH or postgresql://..., got \"" + url.substr(0, url.find("://")) + "://...\""};
  }
  return open_sqlite_store(url);
}

}  // namespace curvelab::cli
