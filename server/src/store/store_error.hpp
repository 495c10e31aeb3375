// The one exception the store raises, on either engine.
#pragma once

#include <stdexcept>
#include <string>

namespace renkei::store {

// Raised for any database failure; carries the engine's message, a SQLite
// (extended) result code and, on PostgreSQL, the SQLSTATE. PostgreSQL
// errors are given the SQLite code of the same kind (constraint, busy, full,
// I/O), so callers tell them apart the same way on both engines. Codes the
// store raises itself for rows it cannot read back use SQLITE_CORRUPT.
class StoreError : public std::runtime_error {
 public:
  StoreError(const std::string& what, int sqlite_code, std::string sqlstate = {});
  int sqlite_code() const { return code_; }
  // PostgreSQL's five-character SQLSTATE; empty on SQLite.
  const std::string& sqlstate() const { return sqlstate_; }
  // True for constraint violations: duplicate (council, seq), duplicate
  // token hash, unknown council.
  bool is_constraint_violation() const;
  // True when the connection to the server was lost (PostgreSQL): the
  // statement's outcome is unknown unless a COMMIT was acknowledged.
  bool is_connection_lost() const;

 private:
  int code_;
  std::string sqlstate_;
};

}  // namespace renkei::store
