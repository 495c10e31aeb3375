#include "store/schema.hpp"

#include <iterator>
#include <string>

#include "store/database.hpp"
#include "store/statement.hpp"

namespace renkei::store {

namespace {

// Version 1: councils, participants (invite token hashes) and the event log.
// Events are keyed (council, seq) in a WITHOUT ROWID table, so one council's
// log is stored contiguously and read in seq order by a range scan.
constexpr char schema_v1[] = R"sql(
CREATE TABLE councils(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK(kind IN ('council','one_on_one')),
  created_at TEXT NOT NULL
);
CREATE TABLE participants(
  id INTEGER PRIMARY KEY,
  council INTEGER NOT NULL REFERENCES councils(id),
  name TEXT NOT NULL,
  org TEXT NOT NULL,
  role TEXT NOT NULL CHECK(role IN ('facilitator','member','observer')),
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  revoked_at TEXT
);
CREATE INDEX participants_council ON participants(council);
CREATE TABLE events(
  council TEXT NOT NULL,
  seq INTEGER NOT NULL,
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
) WITHOUT ROWID;
CREATE UNIQUE INDEX events_command ON events(participant, command_id)
  WHERE command_id IS NOT NULL;
)sql";

// Version 2: browser sessions. The cookie value is random and stored only as
// its SHA-256, like invite tokens. A session ends by logout (ended_at), after
// idle_timeout without use (last_seen_at) or at expires_at (absolute).
constexpr char schema_v2[] = R"sql(
CREATE TABLE browser_sessions(
  id_hash TEXT PRIMARY KEY,
  participant INTEGER NOT NULL REFERENCES participants(id),
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  ended_at TEXT
);
CREATE INDEX browser_sessions_participant ON browser_sessions(participant);
)sql";

// Version 3: the audit trail. audit_log holds what the event log does not:
// refused commands, failed and successful joins, reads of records, exports
// and searches (who, when, what, outcome; never message text or tokens).
// Accepted commands are the events themselves; the audit_trail view joins
// both. Triggers make both tables append-only.
constexpr char schema_v3[] = R"sql(
CREATE TABLE audit_log(
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  council TEXT,
  participant TEXT,
  action TEXT NOT NULL,
  op TEXT,
  outcome TEXT NOT NULL
);
CREATE INDEX audit_log_council ON audit_log(council, at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE VIEW audit_trail(at, council, participant, action, op, outcome, seq) AS
  SELECT at, council, participant, 'command', op, 'accepted', seq FROM events
  UNION ALL
  SELECT at, council, participant, action, op, outcome, NULL FROM audit_log;
)sql";

constexpr Migration steps[] = {
    {1, schema_v1, "PRAGMA user_version = 1"},
    {2, schema_v2, "PRAGMA user_version = 2"},
    {3, schema_v3, "PRAGMA user_version = 3"},
};

static_assert(std::size(steps) == static_cast<std::size_t>(schema_version),
              "one migration step per schema version");

void refuse_newer(int version) {
  throw StoreError("database schema version " + std::to_string(version) +
                       " is newer than this build's " + std::to_string(schema_version) +
                       "; refusing to open",
                   SQLITE_CANTOPEN);
}

}  // namespace

std::span<const Migration> migrations() { return steps; }

int read_user_version(sqlite3* db) {
  Statement statement(db, "PRAGMA user_version");
  Query query(statement, "read user_version");
  if (!query.step()) return 0;
  return static_cast<int>(query.int64(0));
}

void migrate(sqlite3* db) {
  const int found = read_user_version(db);
  if (found > schema_version) refuse_newer(found);
  for (const Migration& step : migrations()) {
    if (step.to_version <= found) continue;
    exec(db, "BEGIN IMMEDIATE", "migrate: begin");
    try {
      const int now = read_user_version(db);
      if (now > schema_version) refuse_newer(now);
      if (now < step.to_version) {
        exec(db, step.sql, "migrate: schema");
        exec(db, step.set_version, "migrate: user_version");
      }
      exec(db, "COMMIT", "migrate: commit");
    } catch (...) {
      if (sqlite3_get_autocommit(db) == 0) {
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      }
      throw;
    }
  }
}

}  // namespace renkei::store
