#include "store/pg_connection.hpp"

#include <libpq-fe.h>
#include <poll.h>
#include <sqlite3.h>

#include <charconv>
#include <utility>

#include "store/store_error.hpp"

namespace renkei::store {

namespace {

// The SQLite code of the same kind as a SQLSTATE (see StoreError).
int sqlite_code_for(std::string_view state) {
  if (state == "23505") return SQLITE_CONSTRAINT_UNIQUE;
  if (state == "23503") return SQLITE_CONSTRAINT_FOREIGNKEY;
  if (state == "23514") return SQLITE_CONSTRAINT_CHECK;
  if (state == "23502") return SQLITE_CONSTRAINT_NOTNULL;
  if (state.starts_with("23")) return SQLITE_CONSTRAINT;
  // RAISE EXCEPTION in a trigger (the append-only audit trail), as SQLite's
  // RAISE(ABORT) in its triggers.
  if (state == "P0001") return SQLITE_CONSTRAINT_TRIGGER;
  if (state == "40001" || state == "40P01" || state == "55P03") return SQLITE_BUSY;
  if (state == "53100") return SQLITE_FULL;
  if (state.starts_with("08") || state.starts_with("57P")) return SQLITE_IOERR;
  return SQLITE_ERROR;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool is_postgresql_uri(std::string_view db) {
  return db.starts_with("postgresql://") || db.starts_with("postgres://");
}

PgParams& PgParams::text(std::string_view value) {
  values_.emplace_back(value);
  null_.push_back(false);
  formats_.push_back(0);
  return *this;
}

PgParams& PgParams::optional_text(const std::optional<std::string>& value) {
  return value ? text(*value) : null();
}

PgParams& PgParams::integer(std::int64_t value) { return text(std::to_string(value)); }

PgParams& PgParams::optional_integer(const std::optional<std::int64_t>& value) {
  return value ? integer(*value) : null();
}

PgParams& PgParams::bytes(const std::optional<std::string>& value) {
  if (!value) return null();
  values_.push_back(*value);
  null_.push_back(false);
  formats_.push_back(1);
  return *this;
}

PgParams& PgParams::null() {
  values_.emplace_back();
  null_.push_back(true);
  formats_.push_back(0);
  return *this;
}

std::vector<const char*> PgParams::pointers() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (std::size_t i = 0; i < values_.size(); ++i)
    out.push_back(null_[i] ? nullptr : values_[i].c_str());
  return out;
}

std::vector<int> PgParams::lengths() const {
  std::vector<int> out;
  out.reserve(values_.size());
  for (const auto& value : values_) out.push_back(static_cast<int>(value.size()));
  return out;
}

PgResult::~PgResult() { PQclear(result_); }

PgResult::PgResult(PgResult&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}

PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    PQclear(result_);
    result_ = std::exchange(other.result_, nullptr);
  }
  return *this;
}

int PgResult::rows() const { return result_ != nullptr ? PQntuples(result_) : 0; }

int PgResult::columns() const { return result_ != nullptr ? PQnfields(result_) : 0; }

bool PgResult::is_bytes(int column) const {
  constexpr Oid bytea = 17;  // pg_type.h BYTEAOID
  return PQftype(result_, column) == bytea;
}

bool PgResult::is_null(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }

std::string PgResult::text(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column),
                     static_cast<std::size_t>(PQgetlength(result_, row, column)));
}

std::optional<std::string> PgResult::optional_text(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return text(row, column);
}

std::int64_t PgResult::int64(int row, int column) const {
  const char* value = PQgetvalue(result_, row, column);
  // A boolean reads as SQLite's 0 or 1, so shared SQL may select one.
  if (PQgetlength(result_, row, column) == 1 && (*value == 't' || *value == 'f'))
    return *value == 't' ? 1 : 0;
  const char* end = value + PQgetlength(result_, row, column);
  std::int64_t out = 0;
  const auto [at, error] = std::from_chars(value, end, out);
  if (error != std::errc() || at != end) throw StoreError("not an integer column", SQLITE_CORRUPT);
  return out;
}

std::optional<std::int64_t> PgResult::optional_int64(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return int64(row, column);
}

std::optional<std::string> PgResult::optional_bytes(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  const std::string hex = text(row, column);
  if (!hex.starts_with("\\x") || hex.size() % 2 != 0)
    throw StoreError("bytea column not in hex form", SQLITE_CORRUPT);
  std::string out;
  out.reserve(hex.size() / 2 - 1);
  for (std::size_t i = 2; i < hex.size(); i += 2) {
    const int high = hex_value(hex[i]);
    const int low = hex_value(hex[i + 1]);
    if (high < 0 || low < 0) throw StoreError("bytea column not in hex form", SQLITE_CORRUPT);
    out.push_back(static_cast<char>(high * 16 + low));
  }
  return out;
}

std::int64_t PgResult::affected() const {
  const char* count = PQcmdTuples(result_);
  if (count == nullptr || *count == '\0') return 0;
  return std::stoll(count);
}

PgConnection::PgConnection(std::string uri, std::string application_name)
    : uri_(std::move(uri)), application_name_(std::move(application_name)) {
  open();
}

PgConnection::~PgConnection() { PQfinish(conn_); }

void PgConnection::open() {
  const char* keys[] = {"dbname", "application_name", "client_encoding", nullptr};
  const char* values[] = {uri_.c_str(), application_name_.c_str(), "UTF8", nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    std::string what = "connect to PostgreSQL: ";
    what += conn != nullptr ? PQerrorMessage(conn) : "out of memory";
    while (!what.empty() && (what.back() == '\n' || what.back() == ' ')) what.pop_back();
    PQfinish(conn);
    throw StoreError(what, SQLITE_CANTOPEN, "08001");
  }
  // Notices (CREATE ... IF NOT EXISTS skipping, and the like) are not
  // errors; they would only fill the server's log. An error that arrives
  // while no statement runs comes this way too: a FATAL one is the server
  // saying why it is about to close the connection (terminated backend,
  // shutdown), and the connection is then treated as lost even before the
  // socket closes.
  PQsetNoticeReceiver(
      conn,
      [](void* self, const PGresult* notice) {
        const char* severity = PQresultErrorField(notice, PG_DIAG_SEVERITY_NONLOCALIZED);
        if (severity == nullptr) return;
        const std::string_view level(severity);
        if (level == "FATAL" || level == "PANIC") static_cast<PgConnection*>(self)->closing_ = true;
      },
      this);
  PQfinish(conn_);
  conn_ = conn;
  closing_ = false;
  prepared_.clear();
  // Acks follow COMMIT only once it is durable (POSTGRES.md), whatever the
  // server's or the role's default says.
  exec("SET synchronous_commit = on", "set synchronous_commit");
}

void PgConnection::reconnect() { open(); }

bool PgConnection::connected() const {
  return conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK && !closing_;
}

bool PgConnection::in_transaction() const {
  const auto status = PQtransactionStatus(conn_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

void PgConnection::rollback_if_open() noexcept {
  if (conn_ == nullptr || !connected() || !in_transaction()) return;
  PQclear(PQexec(conn_, "ROLLBACK"));
}

int PgConnection::backend_pid() const { return PQbackendPID(conn_); }

void PgConnection::fail(PGresult* result, std::string_view context) {
  std::string state;
  std::string message;
  if (result != nullptr) {
    if (const char* s = PQresultErrorField(result, PG_DIAG_SQLSTATE)) state = s;
    message = PQresultErrorMessage(result);
    PQclear(result);
  }
  if (message.empty()) message = PQerrorMessage(conn_);
  if (state.empty() && !connected()) state = "08006";
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  std::string what(context);
  what += ": ";
  what += message;
  throw StoreError(what, sqlite_code_for(state), state);
}

void PgConnection::exec(SqlText sql, std::string_view context) {
  exec_translated(std::string(sql.data(), sql.size()), context);
}

PgResult PgConnection::query(SqlText sql, const PgParams& params, std::string_view context) {
  return query_translated(std::string(sql.data(), sql.size()), params, context);
}

void PgConnection::reconnect_if_lost() {
  // Outside a transaction, what the server sent meanwhile is read first
  // (without waiting): a terminated backend or a server shut down has
  // closed the socket, and the statement then goes to a new connection
  // instead of failing. A connection found lost (here, or by the last
  // statement) connects again; a transaction cannot have survived the
  // loss: the statement that found it failed and its caller gave up.
  // A terminated backend sends its FATAL message and then closes: the
  // message marks the connection closing (the notice receiver in open()),
  // the end of the stream after it makes the status bad, hence the loop
  // (poll: only what is there, never a wait).
  for (int reads = 0; reads < 4 && connected() && !in_transaction(); ++reads) {
    pollfd socket{PQsocket(conn_), POLLIN, 0};
    if (::poll(&socket, 1, 0) <= 0) break;
    if (PQconsumeInput(conn_) == 0) break;
    // Parses what was read: an error sent while idle reaches the notice
    // receiver (closing_ on FATAL).
    PQisBusy(conn_);
  }
  if (!connected()) open();
}

void PgConnection::exec_translated(const std::string& sql, std::string_view context) {
  reconnect_if_lost();
  PGresult* result = PQexec(conn_, sql.c_str());
  const auto status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(result, context);
  PQclear(result);
}

PgResult PgConnection::query_translated(const std::string& sql, const PgParams& params,
                                        std::string_view context) {
  reconnect_if_lost();
  auto found = prepared_.find(sql);
  if (found == prepared_.end()) {
    std::string name = "r" + std::to_string(prepared_.size() + 1);
    PGresult* result = PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr);
    if (result == nullptr || PQresultStatus(result) != PGRES_COMMAND_OK) fail(result, context);
    PQclear(result);
    found = prepared_.emplace(sql, std::move(name)).first;
  }
  const auto values = params.pointers();
  const auto lengths = params.lengths();
  PGresult* result = PQexecPrepared(conn_, found->second.c_str(), params.size(), values.data(),
                                    lengths.data(), params.formats().data(), /*resultFormat=*/0);
  const auto status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(result, context);
  PgResult out(result);
  last_affected_ = out.affected();
  return out;
}

std::int64_t PgConnection::last_insert_id() {
  auto result = query("SELECT lastval()", PgParams(), "last insert id");
  return result.int64(0, 0);
}

}  // namespace renkei::store
