// `renkei backup --db DB --out FILE`: a consistent copy while servers run,
// on either engine. SQLite: VACUUM INTO a new file, then its integrity is
// checked. PostgreSQL: pg_dump's custom format (one snapshot of the whole
// database), then pg_restore reads the archive's table of contents back;
// restore with `pg_restore -d <empty database> FILE` (README "On
// PostgreSQL").
#pragma once

#include <string>

namespace renkei::app {

// Throws (nothing left at `out`) when `out` exists, the copy fails or the
// copy does not read back.
void backup_database(const std::string& db, const std::string& out);

// The path of a PostgreSQL client program (pg_dump, pg_restore): Debian's
// version 15 directory when it exists, else the name (found on PATH).
std::string postgresql_program(const std::string& name);

}  // namespace renkei::app
