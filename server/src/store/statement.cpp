#include "store/statement.hpp"

#include <climits>
#include <limits>
#include <string>
#include <utility>

#include "store/database.hpp"
#include "store/pg_connection.hpp"

namespace renkei::store {

void throw_sqlite(sqlite3* db, int code, std::string_view context) {
  std::string what(context);
  what += ": ";
  what += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  throw StoreError(what, code);
}

std::string postgresql_sql(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 32);
  bool ignore = false;
  std::string_view rest = sql;
  constexpr std::string_view begin_immediate = "BEGIN IMMEDIATE";
  constexpr std::string_view insert_or_ignore = "INSERT OR IGNORE INTO";
  if (rest.starts_with(begin_immediate)) {
    out += "BEGIN";
    rest.remove_prefix(begin_immediate.size());
  } else if (rest.starts_with(insert_or_ignore)) {
    out += "INSERT INTO";
    rest.remove_prefix(insert_or_ignore.size());
    ignore = true;
  }
  char quote = 0;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const char c = rest[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
      out += c;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c == '?' && i + 1 < rest.size() && rest[i + 1] >= '0' && rest[i + 1] <= '9') {
      out += '$';
      continue;
    }
    out += c;
  }
  if (ignore) out += " ON CONFLICT DO NOTHING";
  return out;
}

bool in_transaction(SqlHandle db) {
  if (db.is_pg()) return db.pg()->in_transaction();
  return sqlite3_get_autocommit(db.sqlite()) == 0;
}

std::int64_t changes(SqlHandle db) {
  if (db.is_pg()) return db.pg()->last_affected();
  return sqlite3_changes(db.sqlite());
}

std::int64_t last_insert_id(SqlHandle db) {
  if (db.is_pg()) return db.pg()->last_insert_id();
  return sqlite3_last_insert_rowid(db.sqlite());
}

void exec(SqlHandle handle, SqlText sql, std::string_view context) {
  if (handle.is_pg()) {
    handle.pg()->exec_translated(postgresql_sql(std::string_view(sql.data(), sql.size())), context);
    return;
  }
  sqlite3* db = handle.sqlite();
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql.data(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string what(context);
    what += ": ";
    what += message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    throw StoreError(what, sqlite3_extended_errcode(db));
  }
}

Connection::Connection(const std::string& path, bool create) {
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError("open database: " + message, rc);
  }
  sqlite3_extended_result_codes(db_, 1);
}

Connection::~Connection() { sqlite3_close(db_); }

void use_wal(sqlite3* db) {
  constexpr int busy_retry_ms = 5;
  const int rc = sqlite3_busy_timeout(db, busy_timeout_ms);
  if (rc != SQLITE_OK) throw_sqlite(db, rc, "set busy_timeout");
  std::string mode;
  for (int attempt = 0;; ++attempt) {
    try {
      mode = pragma_text(db, "PRAGMA journal_mode = WAL");
      break;
    } catch (const StoreError& e) {
      const bool busy =
          (e.sqlite_code() & 0xff) == SQLITE_BUSY || (e.sqlite_code() & 0xff) == SQLITE_LOCKED;
      if (!busy || attempt >= busy_timeout_ms / busy_retry_ms) throw;
      sqlite3_sleep(busy_retry_ms);
    }
  }
  if (mode != "wal") {
    throw StoreError("set journal_mode: SQLite kept journal mode '" + mode + "' instead of 'wal'",
                     SQLITE_CANTOPEN);
  }
}

std::int64_t clamp_to_int64(std::uint64_t value) {
  constexpr auto max = std::numeric_limits<std::int64_t>::max();
  return value > static_cast<std::uint64_t>(max) ? max : static_cast<std::int64_t>(value);
}

void rollback_if_open(SqlHandle handle) {
  if (handle.is_pg()) {
    handle.pg()->rollback_if_open();
    return;
  }
  sqlite3* db = handle.sqlite();
  if (sqlite3_get_autocommit(db) == 0) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
}

std::string pragma_text(sqlite3* db, SqlText sql) {
  Statement statement(db, sql);
  Query query(statement, "pragma");
  if (!query.step()) return {};
  return query.text(0);
}

Statement::Statement(SqlHandle handle, SqlText sql) {
  if (handle.is_pg()) {
    pg_ = handle.pg();
    pg_sql_ = postgresql_sql(std::string_view(sql.data(), sql.size()));
    return;
  }
  sqlite3* db = handle.sqlite();
  const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    throw_sqlite(db, rc, "prepare");
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)),
      pg_(std::exchange(other.pg_, nullptr)),
      pg_sql_(std::move(other.pg_sql_)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    pg_ = std::exchange(other.pg_, nullptr);
    pg_sql_ = std::move(other.pg_sql_);
  }
  return *this;
}

Query::Query(Statement& statement, std::string_view context)
    : stmt_(statement.get()), pg_(statement.pg()), pg_sql_(&statement.pg_sql()), context_(context) {
  if (stmt_ == nullptr && pg_ == nullptr) {
    throw StoreError(std::string(context) + ": statement not prepared", SQLITE_MISUSE);
  }
}

Query::~Query() {
  if (pg_ != nullptr) return;
  // The error code sqlite3_reset returns repeats the last step's, which has
  // already been thrown.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

void Query::pg_bind(int index, std::optional<std::string> value, bool bytes) {
  if (index < 1) throw StoreError(std::string(context_) + ": bad parameter index", SQLITE_RANGE);
  if (pg_values_.size() < static_cast<std::size_t>(index)) pg_values_.resize(index);
  pg_values_[index - 1] = PgValue{std::move(value), bytes};
}

const PgResult& Query::pg_row() const {
  if (!pg_result_ || pg_row_ < 0 || pg_row_ >= pg_result_->rows())
    throw StoreError(std::string(context_) + ": no row", SQLITE_MISUSE);
  return *pg_result_;
}

Query& Query::bind_text(int index, std::string_view text) {
  if (pg_ != nullptr) {
    pg_bind(index, std::string(text));
    return *this;
  }
  // A zero-length view may have a null data(); SQLite would bind NULL then.
  const char* data = text.data() != nullptr ? text.data() : "";
  const int rc = sqlite3_bind_text64(stmt_, index, data, text.size(), SQLITE_STATIC, SQLITE_UTF8);
  if (rc != SQLITE_OK) throw_sqlite(sqlite3_db_handle(stmt_), rc, context_);
  return *this;
}

Query& Query::bind_optional_text(int index, const std::optional<std::string>& text) {
  if (text) return bind_text(index, *text);
  if (pg_ != nullptr) {
    pg_bind(index, std::nullopt);
    return *this;
  }
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) throw_sqlite(sqlite3_db_handle(stmt_), rc, context_);
  return *this;
}

Query& Query::bind_int(int index, std::int64_t value) {
  if (pg_ != nullptr) {
    pg_bind(index, std::to_string(value));
    return *this;
  }
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) throw_sqlite(sqlite3_db_handle(stmt_), rc, context_);
  return *this;
}

bool Query::step() {
  if (pg_ != nullptr) {
    if (!pg_result_) {
      PgParams params;
      for (const auto& value : pg_values_) {
        if (value.bytes)
          params.bytes(value.value);
        else
          params.optional_text(value.value);
      }
      pg_result_ = std::make_unique<PgResult>(pg_->query_translated(*pg_sql_, params, context_));
    }
    ++pg_row_;
    return pg_row_ < pg_result_->rows();
  }
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw_sqlite(sqlite3_db_handle(stmt_), rc, context_);
}

void Query::run() {
  while (step()) {
  }
}

int Query::column_count() const {
  if (pg_ != nullptr) return pg_row().columns();
  return sqlite3_column_count(stmt_);
}

bool Query::is_blob(int column) const {
  if (pg_ != nullptr) return pg_row().is_bytes(column);
  return sqlite3_column_type(stmt_, column) == SQLITE_BLOB;
}

bool Query::is_null(int column) const {
  if (pg_ != nullptr) return pg_row().is_null(pg_row_, column);
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::string Query::text(int column) const {
  if (pg_ != nullptr) return pg_row().text(pg_row_, column);
  // column_text before column_bytes: the byte count is of the UTF-8 form.
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr) return {};
  return std::string(data, static_cast<std::size_t>(size));
}

std::optional<std::string> Query::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

std::int64_t Query::int64(int column) const {
  if (pg_ != nullptr)
    return pg_row().is_null(pg_row_, column) ? 0 : pg_row().int64(pg_row_, column);
  return sqlite3_column_int64(stmt_, column);
}

std::optional<std::int64_t> Query::optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

Query& Query::bind_optional_blob(int index, const std::optional<std::string>& bytes) {
  if (pg_ != nullptr) {
    pg_bind(index, bytes, true);
    return *this;
  }
  int rc = SQLITE_OK;
  if (!bytes)
    rc = sqlite3_bind_null(stmt_, index);
  else
    // A zero-length blob must not be bound as NULL (data() may be null).
    rc = sqlite3_bind_blob64(stmt_, index, bytes->empty() ? "" : bytes->data(), bytes->size(),
                             SQLITE_STATIC);
  if (rc != SQLITE_OK) throw_sqlite(sqlite3_db_handle(stmt_), rc, context_);
  return *this;
}

Query& Query::bind_optional_int(int index, const std::optional<std::int64_t>& value) {
  if (value) return bind_int(index, *value);
  if (pg_ != nullptr) {
    pg_bind(index, std::nullopt);
    return *this;
  }
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) throw_sqlite(sqlite3_db_handle(stmt_), rc, context_);
  return *this;
}

std::optional<std::string> Query::optional_blob(int column) const {
  if (is_null(column)) return std::nullopt;
  if (pg_ != nullptr) return pg_row().optional_bytes(pg_row_, column);
  const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr) return std::string();
  return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace renkei::store
