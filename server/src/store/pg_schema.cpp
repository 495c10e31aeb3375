#include "store/pg_schema.hpp"

#include <sqlite3.h>

#include <string>

#include "store/pg_connection.hpp"
#include "store/store_error.hpp"

namespace renkei::store {

namespace {

// Version 1: the event log. Events are keyed (council, seq): the key is the
// arbiter when two instances decide for one council at once (POSTGRES.md
// "ordering per council"), and events_command keeps a command id once per
// participant of a council whichever instance a retry reaches.
constexpr char pg_schema_v1[] = R"sql(
CREATE TABLE events(
  council TEXT NOT NULL,
  seq BIGINT NOT NULL,
  op TEXT NOT NULL,
  at TEXT NOT NULL,
  participant TEXT NOT NULL,
  by_name TEXT NOT NULL,
  by_org TEXT NOT NULL,
  by_role TEXT NOT NULL,
  meeting TEXT,
  command_id TEXT,
  data TEXT NOT NULL,
  frame TEXT NOT NULL,
  PRIMARY KEY(council, seq)
);
CREATE UNIQUE INDEX events_command ON events(council, participant, command_id)
  WHERE command_id IS NOT NULL;
)sql";

// The advisory lock key of migrations ("renkei" in ASCII).
constexpr char lock_sql[] = "SELECT pg_advisory_xact_lock(114101110107101105)";

}  // namespace

int pg_user_version(PgConnection& connection) {
  auto exists = connection.query("SELECT to_regclass('renkei_schema') IS NOT NULL", PgParams(),
                                 "schema version");
  if (exists.text(0, 0) != "t") return 0;
  auto version =
      connection.query("SELECT version FROM renkei_schema", PgParams(), "schema version");
  return version.rows() == 0 ? 0 : static_cast<int>(version.int64(0, 0));
}

void migrate_pg(PgConnection& connection) {
  connection.exec("BEGIN", "migrate");
  try {
    connection.query(lock_sql, PgParams(), "migrate: lock");
    connection.exec("CREATE TABLE IF NOT EXISTS renkei_schema(version INTEGER NOT NULL)",
                    "migrate: version table");
    int version = pg_user_version(connection);
    if (version > pg_schema_version) {
      throw StoreError("the database was written by a newer Renkei (schema " +
                           std::to_string(version) + ", this build writes " +
                           std::to_string(pg_schema_version) + ")",
                       SQLITE_CANTOPEN);
    }
    if (version < 1) {
      connection.exec(pg_schema_v1, "migrate to 1");
      version = 1;
    }
    connection.exec("DELETE FROM renkei_schema", "migrate: version");
    connection.query("INSERT INTO renkei_schema(version) VALUES($1)", PgParams().integer(version),
                     "migrate: version");
    connection.exec("COMMIT", "migrate: commit");
  } catch (...) {
    connection.rollback_if_open();
    throw;
  }
}

}  // namespace renkei::store
