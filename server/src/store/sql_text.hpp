// SQL text that is a compile-time constant, shared by both engines
// (statement.hpp for SQLite, pg_connection.hpp for PostgreSQL).
#pragma once

#include <cstddef>

namespace renkei::store {

// SQL text that is a compile-time constant. The consteval constructor only
// accepts string literals (and constant expressions), so SQL assembled at
// run time from values cannot be passed to SQLite: values go through bound
// parameters, always.
class SqlText {
 public:
  template <std::size_t N>
  consteval SqlText(const char (&text)[N]) : text_(text), size_(N - 1) {}
  const char* data() const { return text_; }
  std::size_t size() const { return size_; }

 private:
  const char* text_;
  std::size_t size_;
};

}  // namespace renkei::store
