// `renkei migrate --from FILE --to postgresql://…` (POSTGRES.md): moves a
// SQLite database into an empty PostgreSQL database (store/pg_import.hpp),
// then verifies the copy by folding every council's log on both engines
// and comparing the records byte for byte, and every event row field by
// field. Run from the CLI, with no server on either database.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace renkei::app {

struct MigrationResult {
  std::vector<std::pair<std::string, std::uint64_t>> tables;  // copied rows per table
  std::size_t councils = 0;                                   // records compared
  std::uint64_t events = 0;                                   // events compared
};

// Throws store::StoreError when the copy fails (nothing is left in the
// target) and std::runtime_error naming the first difference when the
// verification finds one.
MigrationResult migrate_to_postgresql(const std::string& from, const std::string& to);

}  // namespace renkei::app
