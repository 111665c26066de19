#pragma once
// Where `curvelab serve` keeps the labels it collects: SQLite (one file, the default) or
// PostgreSQL (through libpq). Both hold the same tables, created and upgraded by the same
// numbered migrations, each recorded in `schema_migrations` when it is applied.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "curvelab/error.hpp"

namespace curvelab::cli {

/// One label that the core has already checked, as it is stored.
struct StoredLabel {
  std::string id;         ///< the label's `id`: the store keeps one label per id
  std::string annotator;  ///< the label's `annotator`
  std::string quiz_kind;  ///< the label's `quiz_kind`
  std::string line;       ///< the whole label as one line of JSON
};

/// What happened to one label of a batch.
enum class AppendOutcome {
  stored,     ///< new: stored now
  duplicate,  ///< its id was already stored (or came earlier in the batch): nothing changed
};

/// One numbered step of the schema, in each dialect.
struct Migration {
  int version;
  const char* sqlite;
  const char* postgresql;
};

/// The current UTC time as ISO 8601 with milliseconds (`received_at`).
std::string utc_now();

/// Every migration, oldest first. The latest version is the schema this build writes.
const std::vector<Migration>& migrations();

class LabelStore {
 public:
  virtual ~LabelStore() = default;

  /// Appends a batch in one transaction: every label stored or found a duplicate, or
  /// nothing at all (then the error says why).
  virtual Expected<std::vector<AppendOutcome>> append(const std::vector<StoredLabel>& labels) = 0;
  /// Every stored label line, in the order they were first stored.
  virtual Expected<std::vector<std::string>> lines() = 0;
  /// How many labels are stored (also a cheap check that the store answers).
  virtual Expected<std::int64_t> count() = 0;
  /// The value kept under `key` in the `settings` table, or "" when there is none.
  virtual Expected<std::string> setting(const std::string& key) = 0;
  virtual Expected<bool> set_setting(const std::string& key, const std::string& value) = 0;
  /// The schema version the store is at (the latest migration once opened).
  virtual int schema_version() const = 0;
  /// `sqlite:PATH` or `postgresql://host/db` (never a password).
  virtual std::string describe() const = 0;
};

/// Opens `sqlite:PATH`, a plain path (SQLite), or `postgresql://...` / `postgres://...`
/// (libpq, with `connections` connections) and applies the migrations it lacks. A store
/// made by a newer curvelab (an unknown migration) is refused.
Expected<std::unique_ptr<LabelStore>> open_label_store(const std::string& url, int connections);

Expected<std::unique_ptr<LabelStore>> open_sqlite_store(const std::string& path);
Expected<std::unique_ptr<LabelStore>> open_postgresql_store(const std::string& url, int connections);

}  // namespace curvelab::cli
