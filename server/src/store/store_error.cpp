#include "store/store_error.hpp"

#include <sqlite3.h>

#include <utility>

namespace renkei::store {

StoreError::StoreError(const std::string& what, int sqlite_code, std::string sqlstate)
    : std::runtime_error(what), code_(sqlite_code), sqlstate_(std::move(sqlstate)) {}

bool StoreError::is_constraint_violation() const { return (code_ & 0xff) == SQLITE_CONSTRAINT; }

bool StoreError::is_connection_lost() const {
  return sqlstate_.starts_with("08") || sqlstate_.starts_with("57P");
}

}  // namespace renkei::store
