// Which connection a store statement runs on (statement.hpp). Kept apart
// so that headers outside the store's private files need not see SQLite.
#pragma once

struct sqlite3;

namespace renkei::store {

class PgConnection;

// The connection a statement runs on: a SQLite handle or a PostgreSQL
// connection (exactly one is set).
class SqlHandle {
 public:
  SqlHandle(sqlite3* db) : sqlite_(db) {}    // NOLINT: implicit on purpose
  SqlHandle(PgConnection& pg) : pg_(&pg) {}  // NOLINT: implicit on purpose
  sqlite3* sqlite() const { return sqlite_; }
  PgConnection* pg() const { return pg_; }
  bool is_pg() const { return pg_ != nullptr; }

 private:
  sqlite3* sqlite_ = nullptr;
  PgConnection* pg_ = nullptr;
};

}  // namespace renkei::store
