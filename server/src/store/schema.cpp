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

// Version 4: attendance of meetings, kept apart from the log (it is not a
// participant's action and must not take seq numbers). One row per
// (council, meeting, participant); the server upserts it when a participant
// is connected while the meeting is live, and sets confidentiality_ack_at
// once when the participant acknowledges confidentiality of a closed session.
constexpr char schema_v4[] = R"sql(
CREATE TABLE attendance(
  council TEXT NOT NULL,
  meeting TEXT NOT NULL,
  participant TEXT NOT NULL,
  first_seen_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  confidentiality_ack_at TEXT,
  PRIMARY KEY(council, meeting, participant)
) WITHOUT ROWID;
)sql";

// Version 5: the search index. search_text holds every searchable text of
// every event (see domain/search_text.hpp for which), written with its event
// in the same transaction; search_index is an FTS5 index over it with the
// trigram tokenizer (substring search in Japanese, which has no spaces
// between words), kept in step by a trigger. Both are append-only like the
// log. The step fills search_text from the events already logged; the
// extraction below must match domain::searchable_texts (a test checks it).
constexpr char schema_v5[] = R"sql(
CREATE TABLE search_text(
  id INTEGER PRIMARY KEY,
  council TEXT NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  ref TEXT NOT NULL,
  meeting TEXT,
  at TEXT NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX search_text_council ON search_text(council, seq);
CREATE VIRTUAL TABLE search_index USING fts5(
  text, content='search_text', content_rowid='id', tokenize='trigram');
CREATE TRIGGER search_text_indexed AFTER INSERT ON search_text
  BEGIN INSERT INTO search_index(rowid, text) VALUES(new.id, new.text); END;
CREATE TRIGGER search_text_no_update BEFORE UPDATE ON search_text
  BEGIN SELECT RAISE(ABORT, 'search_text is append-only'); END;
CREATE TRIGGER search_text_no_delete BEFORE DELETE ON search_text
  BEGIN SELECT RAISE(ABORT, 'search_text is append-only'); END;
INSERT INTO search_text(council, seq, kind, ref, meeting, at, text)
SELECT council, seq, kind, ref, meeting, at, text FROM (
  SELECT council, seq, 1 AS n, 'issue' AS kind, json_extract(data, '$.issue') AS ref,
         meeting, at, json_extract(data, '$.text') AS text
    FROM events WHERE op = 'issue.posted'
  UNION ALL
  SELECT council, seq, 1, 'proposal', json_extract(data, '$.proposal'), meeting, at,
         json_extract(data, '$.text')
    FROM events WHERE op = 'proposal.opened'
  UNION ALL
  SELECT council, seq, 1, 'stance', json_extract(data, '$.proposal'), meeting, at,
         json_extract(data, '$.reason')
    FROM events WHERE op = 'proposal.stance_taken'
  UNION ALL
  SELECT council, seq, 1, 'role', json_extract(data, '$.role'), meeting, at,
         json_extract(data, '$.title')
    FROM events WHERE op = 'role.proposed'
  UNION ALL
  SELECT council, seq, 2, 'role_detail', json_extract(data, '$.role'), meeting, at,
         json_extract(data, '$.detail')
    FROM events WHERE op = 'role.proposed'
  UNION ALL
  SELECT council, seq, 1, 'consent', json_extract(data, '$.role'), meeting, at,
         json_extract(data, '$.note')
    FROM events WHERE op = 'role.consented'
  UNION ALL
  SELECT council, seq, 1, 'status', json_extract(data, '$.role'), meeting, at,
         json_extract(data, '$.note')
    FROM events WHERE op = 'role.status_changed'
  UNION ALL
  SELECT council, seq, 1, 'indicator', json_extract(data, '$.indicator'), meeting, at,
         json_extract(data, '$.name')
    FROM events WHERE op = 'indicator.defined'
  UNION ALL
  SELECT council, seq, 1, 'stage', json_extract(data, '$.theme'), meeting, at,
         json_extract(data, '$.reason')
    FROM events WHERE op = 'theme.stage_set'
) WHERE typeof(text) = 'text' AND typeof(ref) = 'text'
ORDER BY council, seq, n;
)sql";

// v6: the writer adds each search_text row to search_index itself, in the
// same transaction, instead of the AFTER INSERT trigger: the trigger cost
// about 13 µs per row against 2.5 µs for the same insert as its own
// statement (SQLite 3.40, measured), half of the writer's CPU per event.
// The index is rebuilt without the per-row token counts (columnsize=0):
// they serve only bm25 ranking, which search does not use (hits are newest
// first), and cost a row and a page per commit.
//
// Rows are indexed in groups (Database::search_index_group) rather than one
// commit at a time: FTS5 writes a segment per transaction that touches it,
// so indexing each small commit cost more per row and several pages per
// commit. search_indexed.upto is the highest search_text id in the index;
// rows above it (the newest) are found by a scan with LIKE, so search is
// always complete.
//
// FTS5's automatic merging is off (automerge 0): it merged segments inside
// the commit that wrote the fourth one at a level, work that grows with the
// level, and those commits were the p99 of ack latency (9.5 ms at 10k
// events/s, 4.6 ms without indexing). The writer merges in small steps
// when it has nothing to commit (Database::merge_search_index).
constexpr char schema_v6[] = R"sql(
DROP TRIGGER search_text_indexed;
DROP TABLE search_index;
CREATE VIRTUAL TABLE search_index USING fts5(
  text, content='search_text', content_rowid='id', tokenize='trigram', columnsize=0);
INSERT INTO search_index(search_index) VALUES('rebuild');
INSERT INTO search_index(search_index, rank) VALUES('automerge', 0);
CREATE TABLE search_indexed(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  upto INTEGER NOT NULL
);
INSERT INTO search_indexed(id, upto) SELECT 1, coalesce(max(id), 0) FROM search_text;
)sql";

// v7: the search index moves to a file of its own beside the log
// (store/search_index.hpp), written by a thread of its own from the
// committed log, and the commit writes only the event rows. Each commit had
// written its events' search_text rows, the search_text_council index, and
// every 256 rows a group of FTS5 inserts; with merge steps between commits
// that was the largest part of the ack latency tail (p99 at 10k events/s
// 6.3-7.4 ms with it, 2.8-3.5 without it and without events_command).
// events_command goes too: the room checks command ids against every id of
// its council (folded from the log when it loads), so the unique index only
// repeated that check, at the price of an index page per commit.
constexpr char schema_v7[] = R"sql(
DROP TRIGGER search_text_no_update;
DROP TRIGGER search_text_no_delete;
DROP TABLE search_index;
DROP TABLE search_indexed;
DROP TABLE search_text;
DROP INDEX events_command;
)sql";

// v8: redaction (text.redact, 伏せ字). The one exception to the log being
// append-only: a row's data and frame may be rewritten only while the
// redaction_grant table names a later text.redacted event of the same
// council, and only so that both carry "redacted": true. The writer inserts
// the grant, rewrites the rows and deletes the grant in the transaction that
// appends the text.redacted event (Database::append_events), so no grant
// outlives it. Every other update, and every delete, still raises. The
// audit trail gains a column `redaction`: a text.redacted event's data
// (target, participant, reason), never the text it erased.
constexpr char schema_v8[] = R"sql(
CREATE TABLE redaction_grant(
  council TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY(council, seq)
) WITHOUT ROWID;
DROP TRIGGER events_no_update;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
  WHEN NEW.council IS NOT OLD.council OR NEW.seq IS NOT OLD.seq OR NEW.op IS NOT OLD.op
    OR NEW.at IS NOT OLD.at OR NEW.participant IS NOT OLD.participant
    OR NEW.by_name IS NOT OLD.by_name OR NEW.by_org IS NOT OLD.by_org
    OR NEW.by_role IS NOT OLD.by_role OR NEW.meeting IS NOT OLD.meeting
    OR NEW.command_id IS NOT OLD.command_id
    OR json_extract(NEW.data, '$.redacted') IS NOT 1
    OR json_extract(NEW.frame, '$.data.redacted') IS NOT 1
    OR NOT EXISTS (SELECT 1 FROM redaction_grant g
                   WHERE g.council = OLD.council AND g.seq > OLD.seq
                     AND (SELECT r.op FROM events r WHERE r.council = g.council AND r.seq = g.seq)
                         = 'text.redacted')
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
DROP VIEW audit_trail;
CREATE VIEW audit_trail(at, council, participant, action, op, outcome, seq, redaction) AS
  SELECT at, council, participant, 'command', op, 'accepted', seq,
    CASE WHEN op = 'text.redacted' THEN data END FROM events
  UNION ALL
  SELECT at, council, participant, action, op, outcome, NULL, NULL FROM audit_log;
)sql";

// v9: people and organisations (server/docs/PEOPLE.md). A seat is a
// participant row with a person and an organisation id; v1 invite tokens
// stay on the row. Secrets are stored only as hashes (password: Argon2id
// string; recovery codes, set-up links, session ids: hex SHA-256) or sealed
// (TOTP secrets, sealed by the caller under a key kept outside the file).
// The audit log gains who did it (person, address), what it was done to
// (subject) and the values before and after (JSON, never a secret). Rows
// with a subject are the directory's trail; the council trail (the view
// audit_trail) keeps showing the others only, as before.
//
// The step gives every existing participant a person (participants with the
// same name and organisation string share one, without login) and every
// distinct organisation string of participants and of role.proposed events'
// owner_org an organisation of kind 'other'.
constexpr char schema_v9[] = R"sql(
CREATE TABLE organisations(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK(kind IN ('prefecture','health_centre','municipality','hospital',
    'clinic','association','visiting_nurse','community_support_centre','care_management',
    'social_welfare_council','other')),
  area TEXT,
  prefecture TEXT,
  merged_into INTEGER REFERENCES organisations(id),
  deactivated_at TEXT,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX organisations_name ON organisations(name) WHERE merged_into IS NULL;
CREATE TABLE people(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  org INTEGER REFERENCES organisations(id),
  login TEXT UNIQUE,
  password_hash TEXT,
  totp_sealed BLOB,
  totp_pending_sealed BLOB,
  totp_last_step INTEGER,
  status TEXT NOT NULL DEFAULT 'active' CHECK(status IN ('active','deactivated')),
  created_at TEXT NOT NULL,
  deactivated_at TEXT,
  last_visit_at TEXT
);
CREATE INDEX people_org ON people(org);
CREATE TABLE grants(
  person INTEGER NOT NULL REFERENCES people(id),
  role TEXT NOT NULL CHECK(role IN ('admin','secretariat','prefecture_viewer')),
  scope TEXT NOT NULL DEFAULT '',
  PRIMARY KEY(person, role, scope)
) WITHOUT ROWID;
CREATE TABLE recovery_codes(
  person INTEGER NOT NULL REFERENCES people(id),
  code_hash TEXT NOT NULL,
  used_at TEXT,
  PRIMARY KEY(person, code_hash)
) WITHOUT ROWID;
CREATE TABLE setup_links(
  token_hash TEXT PRIMARY KEY,
  person INTEGER NOT NULL REFERENCES people(id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT,
  revoked_at TEXT,
  created_by INTEGER REFERENCES people(id)
);
CREATE INDEX setup_links_person ON setup_links(person);
CREATE TABLE person_sessions(
  id_hash TEXT PRIMARY KEY,
  person INTEGER NOT NULL REFERENCES people(id),
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  ended_at TEXT,
  address TEXT
);
CREATE INDEX person_sessions_person ON person_sessions(person);
ALTER TABLE participants ADD COLUMN person INTEGER REFERENCES people(id);
ALTER TABLE participants ADD COLUMN org_id INTEGER REFERENCES organisations(id);
CREATE INDEX participants_person ON participants(person);
ALTER TABLE councils ADD COLUMN area TEXT;
ALTER TABLE councils ADD COLUMN prefecture TEXT;
ALTER TABLE councils ADD COLUMN themes TEXT NOT NULL DEFAULT '[]';
ALTER TABLE councils ADD COLUMN default_agenda TEXT;
ALTER TABLE councils ADD COLUMN archived_at TEXT;
ALTER TABLE councils ADD COLUMN next_meeting TEXT;
CREATE TABLE deployment(
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
ALTER TABLE audit_log ADD COLUMN person TEXT;
ALTER TABLE audit_log ADD COLUMN address TEXT;
ALTER TABLE audit_log ADD COLUMN subject TEXT;
ALTER TABLE audit_log ADD COLUMN old_value TEXT;
ALTER TABLE audit_log ADD COLUMN new_value TEXT;
CREATE INDEX audit_log_subject ON audit_log(subject) WHERE subject IS NOT NULL;
DROP VIEW audit_trail;
CREATE VIEW audit_trail(at, council, participant, action, op, outcome, seq, redaction) AS
  SELECT at, council, participant, 'command', op, 'accepted', seq,
    CASE WHEN op = 'text.redacted' THEN data END FROM events
  UNION ALL
  SELECT at, council, participant, action, op, outcome, NULL, NULL FROM audit_log
    WHERE subject IS NULL;
INSERT INTO organisations(name, kind, created_at)
SELECT name, 'other', min(at) FROM (
  SELECT org AS name, created_at AS at FROM participants
  UNION ALL
  SELECT json_extract(data, '$.owner_org'), at FROM events WHERE op = 'role.proposed'
) WHERE typeof(name) = 'text' AND name <> ''
GROUP BY name ORDER BY min(at), name;
UPDATE participants SET org_id = (SELECT o.id FROM organisations o WHERE o.name = participants.org);
INSERT INTO people(name, org, status, created_at)
SELECT name, org_id, 'active', min(created_at) FROM participants
GROUP BY name, org ORDER BY min(id);
UPDATE participants SET person = (SELECT u.id FROM people u
  WHERE u.name = participants.name AND u.org IS participants.org_id);
)sql";

// Version 10: handover (引き継ぎ) and 空席 (server/docs/CONTINUITY.md
// section 1). A seat may continue another (succeeds: its predecessor, at
// most one successor each), start later than it is made (active_from) and
// end without a successor (vacated_at: a vacancy until it is filled or
// dismissed). handover_seen_at is set when the successor has opened the
// handover packet. handover_requests are asked for by the person leaving
// and decided by the secretariat. Nothing of the log changes.
constexpr char schema_v10[] = R"sql(
ALTER TABLE participants ADD COLUMN succeeds INTEGER REFERENCES participants(id);
ALTER TABLE participants ADD COLUMN active_from TEXT;
ALTER TABLE participants ADD COLUMN vacated_at TEXT;
ALTER TABLE participants ADD COLUMN handover_seen_at TEXT;
CREATE UNIQUE INDEX participants_succeeds ON participants(succeeds) WHERE succeeds IS NOT NULL;
CREATE INDEX participants_vacated ON participants(vacated_at) WHERE vacated_at IS NOT NULL;
CREATE TABLE handover_requests(
  id INTEGER PRIMARY KEY,
  person INTEGER NOT NULL REFERENCES people(id),
  successor INTEGER REFERENCES people(id),
  effective_on TEXT NOT NULL,
  note TEXT,
  state TEXT NOT NULL DEFAULT 'pending' CHECK(state IN ('pending','confirmed','rejected')),
  created_at TEXT NOT NULL,
  decided_at TEXT,
  decided_by INTEGER REFERENCES people(id)
);
CREATE INDEX handover_requests_person ON handover_requests(person);
)sql";

constexpr Migration steps[] = {
    {1, schema_v1, "PRAGMA user_version = 1"}, {2, schema_v2, "PRAGMA user_version = 2"},
    {3, schema_v3, "PRAGMA user_version = 3"}, {4, schema_v4, "PRAGMA user_version = 4"},
    {5, schema_v5, "PRAGMA user_version = 5"}, {6, schema_v6, "PRAGMA user_version = 6"},
    {7, schema_v7, "PRAGMA user_version = 7"}, {8, schema_v8, "PRAGMA user_version = 8"},
    {9, schema_v9, "PRAGMA user_version = 9"}, {10, schema_v10, "PRAGMA user_version = 10"},
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
