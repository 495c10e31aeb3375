// One blocking libpq connection: the PostgreSQL engine's counterpart of
// statement.hpp (server/docs/POSTGRES.md). A PgConnection belongs to one
// thread at a time — the store writer thread, a read worker, the CLI or a
// test — and never to an I/O thread, which must not wait on the network.
// Failures throw StoreError with the SQLite-like code the rest of the store
// already tells apart (constraint, busy, full, I/O) and the SQLSTATE.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/sql_text.hpp"

typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

namespace renkei::store {

// True when `db` names a PostgreSQL database (a libpq URI, postgresql://
// or postgres://) rather than a SQLite file.
bool is_postgresql_uri(std::string_view db);

// The parameters of one statement, $1, $2, ... in the order added. Text and
// integers travel as text, bytes as binary bytea; a missing optional is NULL.
class PgParams {
 public:
  PgParams& text(std::string_view value);
  PgParams& optional_text(const std::optional<std::string>& value);
  PgParams& integer(std::int64_t value);
  PgParams& optional_integer(const std::optional<std::int64_t>& value);
  PgParams& bytes(const std::optional<std::string>& value);
  PgParams& null();

  int size() const { return static_cast<int>(values_.size()); }
  // Pointer arrays for libpq, valid while this object lives unchanged.
  std::vector<const char*> pointers() const;
  std::vector<int> lengths() const;
  const std::vector<int>& formats() const { return formats_; }

 private:
  std::vector<std::string> values_;
  std::vector<bool> null_;
  std::vector<int> formats_;
};

// The rows of one statement's result, in text format (owns the PGresult).
class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result) {}
  ~PgResult();
  PgResult(PgResult&& other) noexcept;
  PgResult& operator=(PgResult&& other) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;

  int rows() const;
  int columns() const;
  // True for a bytea column.
  bool is_bytes(int column) const;
  bool is_null(int row, int column) const;
  std::string text(int row, int column) const;
  std::optional<std::string> optional_text(int row, int column) const;
  // Throws StoreError when the value is not an integer.
  std::int64_t int64(int row, int column) const;
  std::optional<std::int64_t> optional_int64(int row, int column) const;
  // A bytea column's bytes (decoded from its hex text form); none when NULL.
  std::optional<std::string> optional_bytes(int row, int column) const;
  // Rows an INSERT, UPDATE or DELETE changed (0 for other statements).
  std::int64_t affected() const;

 private:
  PGresult* result_ = nullptr;
};

class PgConnection {
 public:
  // Connects to `uri` (blocking) and sets synchronous_commit = on, UTF-8
  // and the application name (shown in pg_stat_activity). Throws StoreError.
  explicit PgConnection(std::string uri, std::string application_name = "renkei");
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs SQL without parameters; it may hold several statements (DDL).
  void exec(SqlText sql, std::string_view context);
  // Runs one statement with parameters. The statement is prepared on this
  // connection the first time its text is used and reused after.
  PgResult query(SqlText sql, const PgParams& params, std::string_view context);
  // The same for the PostgreSQL form of a store statement (statement.hpp:
  // postgresql_sql of a SqlText, never text assembled from values).
  PgResult query_translated(const std::string& sql, const PgParams& params,
                            std::string_view context);
  void exec_translated(const std::string& sql, std::string_view context);
  // Rows the last statement run through query/query_translated changed.
  std::int64_t last_affected() const { return last_affected_; }
  // lastval(): the id the last INSERT into an identity column gave.
  std::int64_t last_insert_id();

  // False once the connection is lost (server restart, terminated backend).
  // The statement that finds it lost fails (StoreError, is_connection_lost);
  // the next one connects again first.
  bool connected() const;
  // Opens the connection again after a loss, forgetting prepared
  // statements. Throws StoreError while the server cannot be reached.
  void reconnect();
  // True inside BEGIN ... COMMIT, including a failed transaction.
  bool in_transaction() const;
  // Rolls back an open transaction, ignoring errors (used after a failure,
  // which is what gets reported).
  void rollback_if_open() noexcept;
  // The server's backend process id (pg_terminate_backend in tests).
  int backend_pid() const;

  const std::string& uri() const { return uri_; }

 private:
  void open();
  void reconnect_if_lost();
  [[noreturn]] void fail(PGresult* result, std::string_view context);

  std::string uri_;
  std::string application_name_;
  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
  std::int64_t last_affected_ = 0;
  // A FATAL error arrived while idle: the server is closing the connection.
  bool closing_ = false;
};

}  // namespace renkei::store
