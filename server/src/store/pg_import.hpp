// Moving a SQLite database to PostgreSQL (`renkei migrate`, POSTGRES.md):
// every table of the file is copied, row by row and column by column as
// stored, into an empty PostgreSQL database in one transaction; the search
// texts of the events are written as the event log on PostgreSQL writes
// them; identity sequences continue after the copied ids. Run by the CLI
// with no server on either database.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace renkei::store {

struct ImportReport {
  // Tables copied and their row counts, in the order copied.
  std::vector<std::pair<std::string, std::uint64_t>> tables;
};

// Copies `sqlite_path` (migrated to the current SQLite schema first) into
// `pg_uri` (migrated to the current PostgreSQL schema first). Refuses
// (StoreError) a target that already holds councils, events or people.
// All or nothing.
ImportReport import_sqlite_into_pg(const std::string& sqlite_path, const std::string& pg_uri);

}  // namespace renkei::store
