// The SQLite label store: one file, WAL mode (readers never wait for the writer), every
// batch one IMMEDIATE transaction, synchronous=FULL (an acknowledged batch is on disk),
// and a busy time-out so that another process holding the file briefly is waited for.

#include <sqlite3.h>

#include <mutex>

#include "label_store.hpp"

namespace curvelab::cli {

namespace {

constexpr int kBusyTimeoutMs = 5000;

class Statement {
 public:
  Statement(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteStore final : public LabelStore {
 public:
  SqliteStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteStore() override { sqlite3_close_v2(db_); }

  std::optional<Error> exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      Error error{"db", "SQLite: " + std::string(message != nullptr ? message : sqlite3_errmsg(db_))};
      sqlite3_free(message);
      return error;
    }
    return std::nullopt;
  }

  Error last_error() const { return Error{"db", "SQLite: " + std::string(sqlite3_errmsg(db_))}; }

  std::optional<Error> migrate() {
    for (const char* pragma : {"PRAGMA journal_mode=WAL;", "PRAGMA synchronous=FULL;"}) {
      if (auto e = exec(pragma)) {
        return e;
      }
    }
    if (auto e = exec("BEGIN IMMEDIATE;")) {
      return e;
    }
    auto fail = [&](Error error) {
      exec("ROLLBACK;");
      return error;
    };
    if (auto e = exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
                      " applied_at TEXT NOT NULL);")) {
      return fail(*e);
    }
    int at = 0;
    {
      Statement s(db_, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations;");
      if (s.get() == nullptr || sqlite3_step(s.get()) != SQLITE_ROW) {
        return fail(last_error());
      }
      at = sqlite3_column_int(s.get(), 0);
    }
    const int latest = migrations().back().version;
    if (at > latest) {
      return fail(Error{"db", path_ + " is at schema version " + std::to_string(at) +
                                  ", made by a newer curvelab (this one knows up to " + std::to_string(latest) + ")"});
    }
    for (const Migration& m : migrations()) {
      if (m.version <= at) {
        continue;
      }
      if (auto e = exec(m.sqlite)) {
        return fail(*e);
      }
      Statement s(db_, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?);");
      const std::string now = utc_now();
      sqlite3_bind_int(s.get(), 1, m.version);
      sqlite3_bind_text(s.get(), 2, now.c_str(), -1, SQLITE_TRANSIENT);
      if (sqlite3_step(s.get()) != SQLITE_DONE) {
        return fail(last_error());
      }
    }
    if (auto e = exec("COMMIT;")) {
      return fail(*e);
    }
    version_ = latest;
    return std::nullopt;
  }

  Expected<std::vector<AppendOutcome>> append(const std::vector<StoredLabel>& labels) override {
    const std::lock_guard lock(mutex_);
    if (auto e = exec("BEGIN IMMEDIATE;")) {
      return *e;
    }
    std::vector<AppendOutcome> outcomes;
    outcomes.reserve(labels.size());
    {
      Statement s(db_,
                  "INSERT INTO labels (id, annotator, quiz_kind, received_at, line) VALUES (?, ?, ?, ?, ?)"
                  " ON CONFLICT (id) DO NOTHING;");
      if (s.get() == nullptr) {
        const Error error = last_error();
        exec("ROLLBACK;");
        return error;
      }
      const std::string now = utc_now();
      for (const StoredLabel& label : labels) {
        sqlite3_reset(s.get());
        sqlite3_bind_text(s.get(), 1, label.id.data(), static_cast<int>(label.id.size()), SQLITE_STATIC);
        sqlite3_bind_text(s.get(), 2, label.annotator.data(), static_cast<int>(label.annotator.size()), SQLITE_STATIC);
        sqlite3_bind_text(s.get(), 3, label.quiz_kind.data(), static_cast<int>(label.quiz_kind.size()), SQLITE_STATIC);
        sqlite3_bind_text(s.get(), 4, now.data(), static_cast<int>(now.size()), SQLITE_STATIC);
        sqlite3_bind_text(s.get(), 5, label.line.data(), static_cast<int>(label.line.size()), SQLITE_STATIC);
        if (sqlite3_step(s.get()) != SQLITE_DONE) {
          const Error error = last_error();
          sqlite3_reset(s.get());
          exec("ROLLBACK;");
          return error;
        }
        outcomes.push_back(sqlite3_changes(db_) == 1 ? AppendOutcome::stored : AppendOutcome::duplicate);
      }
    }
    if (auto e = exec("COMMIT;")) {
      exec("ROLLBACK;");
      return *e;
    }
    return outcomes;
  }

  Expected<std::vector<std::string>> lines() override {
    const std::lock_guard lock(mutex_);
    Statement s(db_, "SELECT line FROM labels ORDER BY seq;");
    if (s.get() == nullptr) {
      return last_error();
    }
    std::vector<std::string> out;
    int rc = 0;
    while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
      out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 0)),
                       static_cast<std::size_t>(sqlite3_column_bytes(s.get(), 0)));
    }
    if (rc != SQLITE_DONE) {
      return last_error();
    }
    return out;
  }

  Expected<std::int64_t> count() override {
    const std::lock_guard lock(mutex_);
    Statement s(db_, "SELECT COUNT(*) FROM labels;");
    if (s.get() == nullptr || sqlite3_step(s.get()) != SQLITE_ROW) {
      return last_error();
    }
    return static_cast<std::int64_t>(sqlite3_column_int64(s.get(), 0));
  }

  Expected<std::string> setting(const std::string& key) override {
    const std::lock_guard lock(mutex_);
    Statement s(db_, "SELECT value FROM settings WHERE key = ?;");
    if (s.get() == nullptr) {
      return last_error();
    }
    sqlite3_bind_text(s.get(), 1, key.c_str(), -1, SQLITE_TRANSIENT);
    const int rc = sqlite3_step(s.get());
    if (rc == SQLITE_ROW) {
      return std::string(reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 0)));
    }
    if (rc != SQLITE_DONE) {
      return last_error();
    }
    return std::string();
  }

  Expected<bool> set_setting(const std::string& key, const std::string& value) override {
    const std::lock_guard lock(mutex_);
    Statement s(
        db_, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value;");
    if (s.get() == nullptr) {
      return last_error();
    }
    sqlite3_bind_text(s.get(), 1, key.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s.get(), 2, value.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(s.get()) != SQLITE_DONE) {
      return last_error();
    }
    return true;
  }

  int schema_version() const override { return version_; }
  std::string describe() const override { return "sqlite:" + path_; }

 private:
  sqlite3* db_;
  std::string path_;
  int version_ = 0;
  std::mutex mutex_;  // one connection: SQLite has one writer at a time anyway
};

}  // namespace

Expected<std::unique_ptr<LabelStore>> open_sqlite_store(const std::string& path) {
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Error error{"db", "cannot open SQLite database \"" + path +
                          "\": " + std::string(db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc))};
    sqlite3_close_v2(db);
    return error;
  }
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  auto store = std::make_unique<SqliteStore>(db, path);
  if (auto e = store->migrate()) {
    return Error{"db", "\"" + path + "\": " + e->message};
  }
  return std::unique_ptr<LabelStore>(std::move(store));
}

}  // namespace curvelab::cli
