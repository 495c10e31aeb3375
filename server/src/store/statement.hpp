// Prepared statements and one execution of them, on either engine. Private
// to the store. A Statement belongs to the Database::Impl (or the
// directory) that prepared it and is used on that Database's thread.
//
// The store's SQL is written once, for SQLite; on PostgreSQL a statement's
// text is translated when it is made (postgresql_sql: ?N parameters become
// $N, BEGIN IMMEDIATE becomes BEGIN, INSERT OR IGNORE gains ON CONFLICT DO
// NOTHING) and prepared on the connection at its first use. What SQLite
// has and PostgreSQL lacks (json_extract, json_type, instr on text) exists
// in the PostgreSQL schema as functions of the same meaning
// (pg_schema.cpp); the few statements that cannot be shared are written
// per engine where they are used.
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/sql_handle.hpp"
#include "store/sql_text.hpp"

namespace renkei::store {

class PgConnection;
class PgResult;

// The PostgreSQL form of the store's SQLite statement text (see above).
std::string postgresql_sql(std::string_view sqlite_sql);

// True inside an open transaction (SQLite: not in autocommit).
bool in_transaction(SqlHandle db);
// Rows changed by the connection's last INSERT, UPDATE or DELETE.
std::int64_t changes(SqlHandle db);
// The id the connection's last INSERT gave an identity (INTEGER PRIMARY
// KEY) column.
std::int64_t last_insert_id(SqlHandle db);

// Owns one sqlite3 handle (extended result codes on, SQLITE_OPEN_NOMUTEX);
// closes it on destruction, so declare it before the Statements prepared on
// it. `create`: the file is created when missing; otherwise opening a
// missing file throws (SQLITE_CANTOPEN). Throws StoreError.
class Connection {
 public:
  explicit Connection(const std::string& path, bool create = true);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* get() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

// The busy timeout every connection uses (ms).
inline constexpr int busy_timeout_ms = 10000;

// Sets the busy timeout, then journal_mode = WAL. Switching a new file to
// WAL needs an exclusive lock; when two connections open a new file at
// once SQLite may answer SQLITE_BUSY without calling the busy handler, so
// the switch is retried for about the busy timeout. Throws StoreError if
// the file does not end up in WAL mode.
void use_wal(sqlite3* db);

// An unsigned count or seq as a SQLite integer, clamped to INT64_MAX.
std::int64_t clamp_to_int64(std::uint64_t value);

// Rolls back the connection's open transaction, if any, ignoring errors
// (used after a failure, which is what gets reported).
void rollback_if_open(SqlHandle db);

// Runs a pragma that returns one row and gives its first column as text
// (empty when it returns none).
std::string pragma_text(sqlite3* db, SqlText sql);

// Throws StoreError "<context>: <SQLite's message for db>" with `code`.
[[noreturn]] void throw_sqlite(sqlite3* db, int code, std::string_view context);

// Runs SQL text without parameters (DDL, BEGIN/COMMIT, pragmas whose values
// are compile-time constants). Throws StoreError.
void exec(SqlHandle db, SqlText sql, std::string_view context);

// Owns one prepared statement (finalized on destruction). Prepared once with
// SQLITE_PREPARE_PERSISTENT and reused through Query.
class Statement {
 public:
  Statement() = default;
  // Throws StoreError when `sql` does not compile against the schema.
  Statement(SqlHandle db, SqlText sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // SQLite's statement; null on PostgreSQL.
  sqlite3_stmt* get() const { return stmt_; }
  // PostgreSQL's connection and translated text; null/empty on SQLite.
  PgConnection* pg() const { return pg_; }
  const std::string& pg_sql() const { return pg_sql_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  PgConnection* pg_ = nullptr;
  std::string pg_sql_;
};

// One execution of a Statement: bind, step, read columns. The destructor
// resets the statement and clears its bindings, so a cached statement is
// always clean for the next caller and never holds a read snapshot open.
// Text is bound without copying: bound strings must outlive the Query.
// `context` names the operation in error messages (never values).
class Query {
 public:
  Query(Statement& statement, std::string_view context);
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  // Parameters are 1-based, as in SQL (?1, ?2, ...).
  Query& bind_text(int index, std::string_view text);
  Query& bind_optional_text(int index, const std::optional<std::string>& text);
  Query& bind_int(int index, std::int64_t value);
  // Bytes as a BLOB (NULL when none).
  Query& bind_optional_blob(int index, const std::optional<std::string>& bytes);
  Query& bind_optional_int(int index, const std::optional<std::int64_t>& value);

  // True when a row is ready, false when done. Throws StoreError.
  bool step();
  // Steps a statement that returns no rows to completion.
  void run();

  // Columns are 0-based, as in SQLite's C API. Valid after step() == true.
  int column_count() const;
  bool is_null(int column) const;
  // True when the column holds a BLOB (SQLite) or is a bytea (PostgreSQL).
  bool is_blob(int column) const;
  std::string text(int column) const;
  std::optional<std::string> optional_text(int column) const;
  std::int64_t int64(int column) const;
  std::optional<std::int64_t> optional_int64(int column) const;
  // A BLOB column's bytes; none when NULL.
  std::optional<std::string> optional_blob(int column) const;

 private:
  // PostgreSQL: the statement runs at the first step(), with the values
  // bound so far (by index; unbound ones are NULL).
  struct PgValue {
    std::optional<std::string> value;
    bool bytes = false;
  };
  void pg_bind(int index, std::optional<std::string> value, bool bytes = false);
  const PgResult& pg_row() const;

  sqlite3_stmt* stmt_;
  PgConnection* pg_;
  const std::string* pg_sql_;
  std::vector<PgValue> pg_values_;
  std::unique_ptr<PgResult> pg_result_;
  int pg_row_ = -1;
  std::string_view context_;
};

}  // namespace renkei::store
