// The PostgreSQL label store, through libpq: a small pool of connections (one per server
// thread that needs one), every batch one transaction, the schema's migrations applied
// under an advisory lock so that two servers starting together migrate once.

#include <libpq-fe.h>

#include <condition_variable>
#include <mutex>

#include "label_store.hpp"

namespace curvelab::cli {
namespace {

constexpr long long kMigrationLock = 0x6375727665;  // "curve": any constant shared by all servers

struct Result {
  explicit Result(PGresult* r) : get(r) {}
  ~Result() { PQclear(get); }
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  bool ok() const {
    const ExecStatusType status = PQresultStatus(get);
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
  }
  PGresult* get;
};

Error pg_error(PGconn* conn) {
  // libpq's messages span lines ("...failed: ...\n\tIs the server running..."): one line here.
  std::string message;
  bool space = false;
  for (const char c : std::string_view(PQerrorMessage(conn))) {
    if (c == '\n' || c == '\t' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !message.empty()) {
      message += ' ';
    }
    space = false;
    message += c;
  }
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  return Error{"db", "PostgreSQL: " + message};
}

/// Runs SQL without parameters; the error names PostgreSQL's message.
std::optional<Error> exec(PGconn* conn, const char* sql) {
  const Result r(PQexec(conn, sql));
  return r.ok() ? std::nullopt : std::optional<Error>(pg_error(conn));
}

/// The URL without its password, for messages and the banner.
std::string without_password(const std::string& url) {
  const auto scheme = url.find("://");
  const auto at = url.find('@', scheme + 3);
  if (scheme == std::string::npos || at == std::string::npos) {
    return url.substr(0, url.find('?'));
  }
  const auto colon = url.find(':', scheme + 3);
  std::string out = colon != std::string::npos && colon < at ? url.substr(0, colon) + url.substr(at) : url;
  return out.substr(0, out.find('?'));
}

class PostgresStore final : public LabelStore {
 public:
  PostgresStore(std::string url, std::vector<PGconn*> pool) : url_(std::move(url)), free_(std::move(pool)) {}
  ~PostgresStore() override {
    for (PGconn* conn : free_) {
      PQfinish(conn);
    }
  }

  /// A connection from the pool, back when the lease ends; a broken one is reset first.
  class Lease {
   public:
    explicit Lease(PostgresStore& store) : store_(store) {
      std::unique_lock lock(store_.mutex_);
      store_.available_.wait(lock, [&] { return !store_.free_.empty(); });
      conn_ = store_.free_.back();
      store_.free_.pop_back();
      lock.unlock();
      if (PQstatus(conn_) != CONNECTION_OK) {
        PQreset(conn_);
      }
    }
    ~Lease() {
      {
        const std::lock_guard lock(store_.mutex_);
        store_.free_.push_back(conn_);
      }
      store_.available_.notify_one();
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    PGconn* get() const { return conn_; }

   private:
    PostgresStore& store_;
    PGconn* conn_;
  };

  std::optional<Error> migrate() {
    const Lease lease(*this);
    PGconn* c = lease.get();
    auto fail = [&](Error error) {
      exec(c, "ROLLBACK");
      return error;
    };
    if (auto e = exec(c, "BEGIN")) {
      return e;
    }
    const std::string lock = "SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLock) + ")";
    if (auto e = exec(c, lock.c_str())) {
      return fail(*e);
    }
    if (auto e = exec(c,
                      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
                      " applied_at TEXT NOT NULL)")) {
      return fail(*e);
    }
    const Result r(PQexec(c, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    if (!r.ok()) {
      return fail(pg_error(c));
    }
    const int at = std::stoi(PQgetvalue(r.get, 0, 0));
    const int latest = migrations().back().version;
    if (at > latest) {
      return fail(Error{"db", describe() + " is at schema version " + std::to_string(at) +
                                  ", made by a newer curvelab (this one knows up to " + std::to_string(latest) + ")"});
    }
    for (const Migration& m : migrations()) {
      if (m.version <= at) {
        continue;
      }
      if (auto e = exec(c, m.postgresql)) {
        return fail(*e);
      }
      const std::string version = std::to_string(m.version);
      const std::string now = utc_now();
      const char* params[] = {version.c_str(), now.c_str()};
      const Result insert(PQexecParams(c, "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", 2,
                                       nullptr, params, nullptr, nullptr, 0));
      if (!insert.ok()) {
        return fail(pg_error(c));
      }
    }
    if (auto e = exec(c, "COMMIT")) {
      return fail(*e);
    }
    version_ = latest;
    return std::nullopt;
  }

  Expected<std::vector<AppendOutcome>> append(const std::vector<StoredLabel>& labels) override {
    const Lease lease(*this);
    PGconn* c = lease.get();
    if (auto e = exec(c, "BEGIN")) {
      return *e;
    }
    std::vector<AppendOutcome> outcomes;
    outcomes.reserve(labels.size());
    const std::string now = utc_now();
    for (const StoredLabel& label : labels) {
      const char* params[] = {label.id.c_str(), label.annotator.c_str(), label.quiz_kind.c_str(), now.c_str(),
                              label.line.c_str()};
      const Result r(PQexecParams(c,
                                  "INSERT INTO labels (id, annotator, quiz_kind, received_at, line)"
                                  " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
                                  5, nullptr, params, nullptr, nullptr, 0));
      if (!r.ok()) {
        const Error error = pg_error(c);
        exec(c, "ROLLBACK");
        return error;
      }
      outcomes.push_back(std::string_view(PQcmdTuples(r.get)) == "1" ? AppendOutcome::stored
                                                                     : AppendOutcome::duplicate);
    }
    if (auto e = exec(c, "COMMIT")) {
      exec(c, "ROLLBACK");
      return *e;
    }
    return outcomes;
  }

  Expected<std::vector<std::string>> lines() override {
    const Lease lease(*this);
    const Result r(PQexec(lease.get(), "SELECT line FROM labels ORDER BY seq"));
    if (!r.ok()) {
      return pg_error(lease.get());
    }
    std::vector<std::string> out;
    const int n = PQntuples(r.get);
    out.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      out.emplace_back(PQgetvalue(r.get, i, 0), static_cast<std::size_t>(PQgetlength(r.get, i, 0)));
    }
    return out;
  }

  Expected<std::int64_t> count() override {
    const Lease lease(*this);
    const Result r(PQexec(lease.get(), "SELECT COUNT(*) FROM labels"));
    if (!r.ok()) {
      return pg_error(lease.get());
    }
    return static_cast<std::int64_t>(std::stoll(PQgetvalue(r.get, 0, 0)));
  }

  Expected<std::string> setting(const std::string& key) override {
    const Lease lease(*this);
    const char* params[] = {key.c_str()};
    const Result r(PQexecParams(lease.get(), "SELECT value FROM settings WHERE key = $1", 1, nullptr, params, nullptr,
                                nullptr, 0));
    if (!r.ok()) {
      return pg_error(lease.get());
    }
    return PQntuples(r.get) == 0 ? std::string() : std::string(PQgetvalue(r.get, 0, 0));
  }

  Expected<bool> set_setting(const std::string& key, const std::string& value) override {
    const Lease lease(*this);
    const char* params[] = {key.c_str(), value.c_str()};
    const Result r(PQexecParams(lease.get(),
                                "INSERT INTO settings (key, value) VALUES ($1, $2)"
                                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                2, nullptr, params, nullptr, nullptr, 0));
    if (!r.ok()) {
      return pg_error(lease.get());
    }
    return true;
  }

  int schema_version() const override { return version_; }
  std::string describe() const override { return without_password(url_); }

 private:
  std::string url_;
  int version_ = 0;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<PGconn*> free_;
};

}  // namespace

Expected<std::unique_ptr<LabelStore>> open_postgresql_store(const std::string& url, int connections) {
  std::vector<PGconn*> pool;
  for (int i = 0; i < connections; ++i) {
    // connect_timeout first, so that one given in the URL wins over this default.
    const char* keys[] = {"connect_timeout", "dbname", "application_name", nullptr};
    const char* values[] = {"10", url.c_str(), "curvelab serve", nullptr};
    PGconn* conn = PQconnectdbParams(keys, values, 1);
    if (PQstatus(conn) != CONNECTION_OK) {
      Error error = pg_error(conn);
      error.message = "cannot connect to " + without_password(url) + ": " + error.message.substr(12);
      PQfinish(conn);
      for (PGconn* c : pool) {
        PQfinish(c);
      }
      return error;
    }
    exec(conn, "SET statement_timeout = '30s'");
    pool.push_back(conn);
  }
  auto store = std::make_unique<PostgresStore>(url, std::move(pool));
  if (auto e = store->migrate()) {
    return *e;
  }
  return std::unique_ptr<LabelStore>(std::move(store));
}

}  // namespace curvelab::cli
