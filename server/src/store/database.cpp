#include "store/database.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <limits>
#include <string_view>
#include <utility>

#include "store/pg_connection.hpp"
#include "store/pg_event_log.hpp"
#include "store/pg_schema.hpp"
#include "store/redaction.hpp"
#include "store/row_reading.hpp"
#include "store/schema.hpp"
#include "store/search_index.hpp"
#include "store/searchable_sql.hpp"
#include "store/statement.hpp"

namespace renkei::store {

namespace {

// Applies the per-connection settings of the log (busy timeout and WAL
// first, see use_wal).
void configure(sqlite3* db) {
  use_wal(db);
  exec(db, "PRAGMA synchronous = FULL", "set synchronous");
  exec(db, "PRAGMA foreign_keys = ON", "set foreign_keys");
  // A commit of many councils touches a leaf page of each: keep them cached
  // instead of reading them back from the file every time.
  exec(db, "PRAGMA cache_size = -16384", "set cache_size");
  // Checkpoint every 8192 WAL pages (32 MiB) instead of 1000: a page
  // written by many commits is copied to the database file once.
  exec(db, "PRAGMA wal_autocheckpoint = 8192", "set wal_autocheckpoint");
  // Freed cells and pages are overwritten with zeros, so that the text a
  // redaction (schema v8) rewrites leaves no copy in the file's free space.
  exec(db, "PRAGMA secure_delete = ON", "set secure_delete");
}

std::string council_id(std::int64_t rowid) { return make_id('c', rowid); }

std::string participant_id(std::int64_t rowid) { return make_id('p', rowid); }

// A checkpoint of `mode` on `db`: false when SQLite answers busy (another
// checkpoint runs, or a reader kept a TRUNCATE from finishing), else whether
// the whole WAL is now in the database file.
bool wal_checkpoint(sqlite3* db, int mode, std::string_view context) {
  int log_frames = 0;
  int copied_frames = 0;
  const int rc = sqlite3_wal_checkpoint_v2(db, nullptr, mode, &log_frames, &copied_frames);
  if (rc == SQLITE_BUSY) return false;
  if (rc != SQLITE_OK) throw_sqlite(db, rc, context);
  return copied_frames == log_frames;
}

domain::Role role_column(const Query& query, int column) {
  const auto role = domain::role_from_string(query.text(column));
  if (!role) corrupt("unknown role");
  return *role;
}

#define RENKEI_EVENT_COLUMNS                                               \
  "council, seq, op, at, participant, by_name, by_org, by_role, meeting, " \
  "command_id, data, frame"

EventRow event_row(const Query& query) {
  EventRow row;
  row.council = query.text(0);
  row.seq = static_cast<std::uint64_t>(query.int64(1));
  row.op = query.text(2);
  row.at = query.text(3);
  row.participant = query.text(4);
  row.by_name = query.text(5);
  row.by_org = query.text(6);
  row.by_role = role_column(query, 7);
  row.meeting = query.optional_text(8);
  row.command_id = query.optional_text(9);
  row.data = query.text(10);
  row.frame = query.text(11);
  return row;
}

#define RENKEI_ATTENDANCE_COLUMNS \
  "meeting, participant, first_seen_at, last_seen_at, confidentiality_ack_at"

domain::Attendance attendance_row(const Query& query) {
  domain::Attendance row;
  row.meeting = query.text(0);
  row.participant = query.text(1);
  row.first_seen_at = query.text(2);
  row.last_seen_at = query.text(3);
  row.confidentiality_ack_at = query.optional_text(4);
  return row;
}

}  // namespace

// The connection and every statement the store runs, prepared once after
// the migrations (so they compile against the current schema).
struct Database::Impl {
  explicit Impl(const std::string& log_path) : path(log_path) {
    if (is_postgresql_uri(log_path)) {
      pg = std::make_unique<PgConnection>(log_path);
      migrate_pg(*pg);
      pg_log = std::make_unique<PgEventLog>(*pg);
      prepare(*pg);
      return;
    }
    connection = std::make_unique<Connection>(log_path);
    sqlite3* db = connection->get();
    configure(db);
    migrate(db);
    prepare(db);
    redactor = Redactor(db);
  }

  // Statements are prepared on SQLite at once (so that they compile against
  // the schema), on PostgreSQL at their first use; those only SQLite runs
  // (pragmas, FTS, the attendance upsert of append_events) are never used
  // there.
  void prepare(SqlHandle db) {
    const bool on_pg = db.is_pg();
    begin = Statement(db, "BEGIN IMMEDIATE");
    commit = Statement(db, "COMMIT");
    rollback = Statement(db, "ROLLBACK");
    savepoint = Statement(db, "SAVEPOINT isolated_write");
    release_savepoint = Statement(db, "RELEASE isolated_write");
    rollback_to_savepoint = Statement(db, "ROLLBACK TO isolated_write");
    if (!on_pg) user_version = Statement(db, "PRAGMA user_version");
    insert_council =
        Statement(db, "INSERT INTO councils(name, kind, created_at) VALUES(?1, ?2, ?3)");
    find_council = Statement(db, "SELECT " RENKEI_COUNCIL_COLUMNS " FROM councils WHERE id = ?1");
    list_councils = Statement(db, "SELECT " RENKEI_COUNCIL_COLUMNS " FROM councils ORDER BY id");
    insert_participant = Statement(db,
                                   "INSERT INTO participants(council, name, org, role, token_hash, "
                                   "created_at, expires_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    find_participant_by_token_hash = Statement(
        db, "SELECT " RENKEI_PARTICIPANT_COLUMNS RENKEI_PARTICIPANT_FROM "WHERE p.token_hash = ?1");
    find_participant = Statement(
        db, "SELECT " RENKEI_PARTICIPANT_COLUMNS RENKEI_PARTICIPANT_FROM "WHERE p.id = ?1");
    list_participants = Statement(db, "SELECT " RENKEI_PARTICIPANT_COLUMNS RENKEI_PARTICIPANT_FROM
                                      "WHERE p.council = ?1 ORDER BY p.id");
    revoke_participant = Statement(db,
                                   "UPDATE participants SET revoked_at = ?2 "
                                   "WHERE id = ?1 AND revoked_at IS NULL");
    // A seat's person deactivated since counts as a revocation (schema v9);
    // a revocation dated later is due once `until` reaches it (v10).
    revoked_since = Statement(db, "SELECT " RENKEI_PARTICIPANT_COLUMNS RENKEI_PARTICIPANT_FROM
                                  "WHERE " RENKEI_PARTICIPANT_REVOKED_AT
                                  " > ?1 AND " RENKEI_PARTICIPANT_REVOKED_AT
                                  " <= ?2 "
                                  "ORDER BY 8");
    insert_event = Statement(db, "INSERT INTO events(" RENKEI_EVENT_COLUMNS
                                 ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    head = Statement(db, "SELECT max(seq) FROM events WHERE council = ?1");
    read_events = Statement(db, "SELECT " RENKEI_EVENT_COLUMNS
                                " FROM events WHERE council = ?1 AND seq > ?2 "
                                "ORDER BY seq LIMIT ?3");
    read_frames = Statement(db,
                            "SELECT frame FROM events WHERE council = ?1 AND seq > ?2 "
                            "AND seq <= ?3 ORDER BY seq LIMIT ?4");
    integrity_check =
        Statement(db, on_pg ? SqlText("SELECT 'ok'") : SqlText("PRAGMA integrity_check"));
    // A refused proxied command keeps its on_behalf_of in new_value (a row
    // of a console change has a subject; a command's has none).
    insert_audit =
        Statement(db,
                  "INSERT INTO audit_log(at, council, participant, action, op, outcome, new_value) "
                  "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    // The audit_trail view, with proxy input (CONTINUITY.md section 4): an
    // event entered on behalf of someone is the sender's command, on behalf
    // of its author (the frame's entered_by; the participant column is the
    // author).
    read_audit =
        on_pg
            ? Statement(
                  db,
                  "SELECT at, council, coalesce(CASE WHEN strpos(frame, '\"entered_by\"') > 0 THEN "
                  "frame::json->'entered_by'->>'participant' END, participant), 'command', op, "
                  "'accepted', seq, CASE WHEN op = 'text.redacted' THEN data END, "
                  "CASE WHEN strpos(frame, '\"entered_by\"') > 0 AND "
                  "json_typeof(frame::json->'entered_by') = 'object' THEN participant END "
                  "FROM events WHERE council = $1 "
                  "UNION ALL "
                  "SELECT at, council, participant, action, op, outcome, NULL, NULL, "
                  "CASE WHEN action = 'command' THEN new_value END "
                  "FROM audit_log WHERE subject IS NULL AND council = $1 "
                  "ORDER BY 1, 7 LIMIT $2")
            : Statement(
                  db,
                  "SELECT at, council, coalesce(CASE WHEN instr(frame, '\"entered_by\"') > 0 THEN "
                  "json_extract(frame, '$.entered_by.participant') END, participant), 'command', "
                  "op, "
                  "'accepted', seq, CASE WHEN op = 'text.redacted' THEN data END, "
                  "CASE WHEN instr(frame, '\"entered_by\"') > 0 AND "
                  "json_type(frame, '$.entered_by') = 'object' THEN participant END "
                  "FROM events WHERE council = ?1 "
                  "UNION ALL "
                  "SELECT at, council, participant, action, op, outcome, NULL, NULL, "
                  "CASE WHEN action = 'command' THEN new_value END "
                  "FROM audit_log WHERE subject IS NULL AND council = ?1 "
                  "ORDER BY 1, 7 LIMIT ?2");
    if (!on_pg) vacuum_into = Statement(db, "VACUUM INTO ?1");
    is_redacted = Statement(db,
                            "SELECT 1 FROM events WHERE council = ?1 AND seq = ?2 "
                            "AND json_extract(data, '$.redacted') = 1");
    insert_browser_session =
        Statement(db,
                  "INSERT INTO browser_sessions(id_hash, participant, created_at, last_seen_at, "
                  "expires_at) VALUES(?1, ?2, ?3, ?3, ?4)");
    find_browser_session =
        Statement(db,
                  "SELECT participant, created_at, last_seen_at, expires_at, ended_at "
                  "FROM browser_sessions WHERE id_hash = ?1");
    touch_browser_session =
        Statement(db, "UPDATE browser_sessions SET last_seen_at = ?2 WHERE id_hash = ?1");
    end_browser_session = Statement(
        db, "UPDATE browser_sessions SET ended_at = ?2 WHERE id_hash = ?1 AND ended_at IS NULL");
    end_participant_sessions = Statement(db,
                                         "UPDATE browser_sessions SET ended_at = ?2 "
                                         "WHERE participant = ?1 AND ended_at IS NULL");
    upsert_attendance =
        Statement(db,
                  "INSERT INTO attendance(council, meeting, participant, first_seen_at, "
                  "last_seen_at) VALUES(?1, ?2, ?3, ?4, ?4) "
                  "ON CONFLICT(council, meeting, participant) DO UPDATE SET "
                  "last_seen_at = max(last_seen_at, excluded.last_seen_at)");
    acknowledge = Statement(db,
                            "INSERT INTO attendance(council, meeting, participant, first_seen_at, "
                            "last_seen_at, confidentiality_ack_at) VALUES(?1, ?2, ?3, ?4, ?4, ?4) "
                            "ON CONFLICT(council, meeting, participant) DO UPDATE SET "
                            "confidentiality_ack_at = coalesce(confidentiality_ack_at, "
                            "excluded.confidentiality_ack_at)");
    list_attendance = Statement(db, "SELECT " RENKEI_ATTENDANCE_COLUMNS
                                    " FROM attendance WHERE council = ?1 "
                                    "ORDER BY meeting, first_seen_at, participant");
    find_attendance = Statement(db, "SELECT " RENKEI_ATTENDANCE_COLUMNS
                                    " FROM attendance WHERE council = ?1 AND meeting = ?2 "
                                    "AND participant = ?3");
    // The newest events, not in the search index yet, matched in the log:
    // ?1 council, ?2 the council's indexed seq, ?3 no upper bound, ?4..?8
    // the LIKE patterns, ?9 the limit.
    if (on_pg) {
      // PostgreSQL keeps every searchable text in search_text, written with
      // its event (PgEventLog), and matches the patterns there (pg_trgm).
      search_pg = Statement(db,
                            "SELECT kind, ref, text, seq, meeting, at FROM search_text "
                            "WHERE council = ?1 AND text ILIKE ?2 ESCAPE '\\' "
                            "AND text ILIKE ?3 ESCAPE '\\' AND text ILIKE ?4 ESCAPE '\\' "
                            "AND text ILIKE ?5 ESCAPE '\\' AND text ILIKE ?6 ESCAPE '\\' "
                            "ORDER BY seq DESC, n LIMIT ?7");
      return;
    }
    search_log =
        Statement(db, "SELECT kind, ref, text, seq, meeting, at FROM " RENKEI_SEARCHABLE_TEXTS
                      " WHERE " RENKEI_SEARCHABLE_WHERE
                      " AND text LIKE ?4 ESCAPE '\\' AND text LIKE ?5 ESCAPE '\\' "
                      "AND text LIKE ?6 ESCAPE '\\' AND text LIKE ?7 ESCAPE '\\' "
                      "AND text LIKE ?8 ESCAPE '\\' ORDER BY seq DESC, n LIMIT ?9");
  }

  // SQLite's handle; null on PostgreSQL.
  sqlite3* db() const { return connection ? connection->get() : nullptr; }
  SqlHandle handle() const {
    if (pg) return SqlHandle(*pg);
    return SqlHandle(db());
  }

  // Rolls back the open transaction, if any, after a failed append. The
  // original error is what the caller reports, so this one is not thrown.
  void rollback_quietly() {
    if (pg) {
      pg->rollback_if_open();
      return;
    }
    if (sqlite3_get_autocommit(db()) != 0) return;
    sqlite3_reset(rollback.get());
    sqlite3_step(rollback.get());
    sqlite3_reset(rollback.get());
  }

  // Exactly one engine: SQLite's connection, or PostgreSQL's with its log.
  // First: destroyed after the statements.
  std::unique_ptr<Connection> connection;
  std::unique_ptr<PgConnection> pg;
  std::unique_ptr<PgEventLog> pg_log;
  std::function<void(int)> wal_grew;  // see Database::checkpoint_elsewhere
  Statement begin, commit, rollback, user_version;
  Statement savepoint, release_savepoint, rollback_to_savepoint;
  Statement insert_council, find_council, list_councils;
  Statement insert_participant, find_participant_by_token_hash, find_participant, list_participants,
      revoke_participant, revoked_since;
  Statement insert_event, head, read_events, read_frames;
  Statement integrity_check;
  Statement insert_audit, read_audit, vacuum_into;
  Statement insert_browser_session, find_browser_session, touch_browser_session,
      end_browser_session, end_participant_sessions;
  Statement upsert_attendance, acknowledge, list_attendance, find_attendance;
  Statement search_log, search_pg;
  Redactor redactor;      // SQLite only
  Statement is_redacted;  // an event text.redact rewrote (schema v8)
  // (council, seq) rewritten by the last append_events, see take_redacted.
  std::vector<std::pair<std::string, std::uint64_t>> redacted;
  std::string path;
  std::unique_ptr<SearchIndexReader> search_index;  // opened on the first search
};

Database::Database(const std::string& path) : impl_(std::make_unique<Impl>(path)) {}

Database::~Database() = default;

SqlHandle Database::handle() { return impl_->handle(); }

bool Database::is_postgresql() const { return impl_->pg != nullptr; }

int Database::user_version() {
  if (impl_->pg) return pg_user_version(*impl_->pg);
  Query query(impl_->user_version, "user_version");
  return query.step() ? static_cast<int>(query.int64(0)) : 0;
}

void Database::checkpoint_elsewhere(std::function<void(int frames)> grew) {
  if (impl_->pg) return;  // PostgreSQL checkpoints by itself
  sqlite3* db = impl_->db();
  impl_->wal_grew = std::move(grew);
  const int rc = sqlite3_wal_autocheckpoint(db, 0);  // also clears SQLite's own hook
  if (rc != SQLITE_OK) throw_sqlite(db, rc, "checkpoint_elsewhere");
  sqlite3_wal_hook(
      db,
      [](void* context, sqlite3*, const char*, int frames) {
        auto* grew = static_cast<std::function<void(int)>*>(context);
        if (*grew) (*grew)(frames);
        return SQLITE_OK;
      },
      &impl_->wal_grew);
}

std::uint64_t Database::take_pages_written() {
  if (impl_->pg) return 0;
  int pages = 0;
  int highwater = 0;
  const int rc = sqlite3_db_status(impl_->db(), SQLITE_DBSTATUS_CACHE_WRITE, &pages, &highwater,
                                   /*resetFlag=*/1);
  if (rc != SQLITE_OK) throw_sqlite(impl_->db(), rc, "take_pages_written");
  return pages > 0 ? static_cast<std::uint64_t>(pages) : 0;
}

bool Database::checkpoint() {
  if (impl_->pg) return true;
  return wal_checkpoint(impl_->db(), SQLITE_CHECKPOINT_PASSIVE, "checkpoint");
}

void Database::sync_database_file() {
  if (impl_->pg) return;
  sqlite3* db = impl_->db();
  sqlite3_file* file = nullptr;
  int rc = sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &file);
  if (rc != SQLITE_OK) throw_sqlite(db, rc, "sync database file");
  if (file == nullptr || file->pMethods == nullptr) return;  // not open yet: nothing to sync
  rc = file->pMethods->xSync(file, SQLITE_SYNC_NORMAL);
  if (rc != SQLITE_OK) throw StoreError("sync database file failed", rc);
}

ConnectionSettings Database::settings() {
  ConnectionSettings settings;
  if (impl_->pg) {
    // What matters on PostgreSQL: commits are durable before they return.
    auto sync = impl_->pg->query("SHOW synchronous_commit", PgParams(), "settings");
    settings.journal_mode = "postgresql";
    settings.synchronous = sync.text(0, 0) == "on" ? 2 : 0;
    settings.foreign_keys = true;
    return settings;
  }
  sqlite3* db = impl_->db();
  settings.journal_mode = pragma_text(db, "PRAGMA journal_mode");
  settings.synchronous = std::stoi(pragma_text(db, "PRAGMA synchronous"));
  settings.busy_timeout_ms = std::stoi(pragma_text(db, "PRAGMA busy_timeout"));
  settings.foreign_keys = pragma_text(db, "PRAGMA foreign_keys") == "1";
  return settings;
}

CouncilRow Database::create_council(const std::string& name, domain::CouncilKind kind,
                                    const std::string& now) {
  {
    Query query(impl_->insert_council, "create_council");
    query.bind_text(1, name).bind_text(2, domain::to_string(kind)).bind_text(3, now).run();
  }
  CouncilRow row;
  row.id = council_id(last_insert_id(impl_->handle()));
  row.name = name;
  row.kind = kind;
  row.created_at = now;
  return row;
}

std::optional<CouncilRow> Database::find_council(const std::string& id) {
  const auto rowid = parse_id(id, 'c');
  if (!rowid) return std::nullopt;
  Query query(impl_->find_council, "find_council");
  query.bind_int(1, *rowid);
  if (!query.step()) return std::nullopt;
  return council_row(query);
}

std::vector<CouncilRow> Database::list_councils() {
  std::vector<CouncilRow> rows;
  Query query(impl_->list_councils, "list_councils");
  while (query.step()) rows.push_back(council_row(query));
  return rows;
}

ParticipantRow Database::add_participant(const std::string& council, const std::string& name,
                                         const std::string& org, domain::Role role,
                                         const std::string& token_hash, const std::string& now,
                                         const std::optional<std::string>& expires_at) {
  const auto council_rowid = parse_id(council, 'c');
  if (!council_rowid) {
    throw StoreError("add_participant: no such council", SQLITE_CONSTRAINT_FOREIGNKEY);
  }
  {
    Query query(impl_->insert_participant, "add_participant");
    query.bind_int(1, *council_rowid)
        .bind_text(2, name)
        .bind_text(3, org)
        .bind_text(4, domain::to_string(role))
        .bind_text(5, token_hash)
        .bind_text(6, now)
        .bind_optional_text(7, expires_at)
        .run();
  }
  ParticipantRow row;
  row.id = participant_id(last_insert_id(impl_->handle()));
  row.council = council_id(*council_rowid);
  row.name = name;
  row.org = org;
  row.role = role;
  row.created_at = now;
  row.expires_at = expires_at;
  return row;
}

std::optional<ParticipantRow> Database::find_participant_by_token_hash(
    const std::string& token_hash) {
  Query query(impl_->find_participant_by_token_hash, "find_participant_by_token_hash");
  query.bind_text(1, token_hash);
  if (!query.step()) return std::nullopt;
  return participant_row(query);
}

std::optional<ParticipantRow> Database::find_participant(const std::string& id) {
  const auto rowid = parse_id(id, 'p');
  if (!rowid) return std::nullopt;
  Query query(impl_->find_participant, "find_participant");
  query.bind_int(1, *rowid);
  if (!query.step()) return std::nullopt;
  return participant_row(query);
}

std::vector<ParticipantRow> Database::list_participants(const std::string& council) {
  std::vector<ParticipantRow> rows;
  const auto rowid = parse_id(council, 'c');
  if (!rowid) return rows;
  Query query(impl_->list_participants, "list_participants");
  query.bind_int(1, *rowid);
  while (query.step()) rows.push_back(participant_row(query));
  return rows;
}

bool Database::revoke_participant(const std::string& id, const std::string& now) {
  const auto rowid = parse_id(id, 'p');
  if (!rowid) return false;
  Query query(impl_->revoke_participant, "revoke_participant");
  query.bind_int(1, *rowid).bind_text(2, now).run();
  return changes(impl_->handle()) > 0;
}

std::vector<ParticipantRow> Database::revoked_since(const std::string& since,
                                                    const std::string& until) {
  std::vector<ParticipantRow> rows;
  Query query(impl_->revoked_since, "revoked_since");
  query.bind_text(1, since).bind_text(2, until);
  while (query.step()) rows.push_back(participant_row(query));
  return rows;
}

void Database::create_browser_session(const std::string& id_hash, const std::string& participant,
                                      const std::string& now, const std::string& expires_at) {
  const auto rowid = parse_id(participant, 'p');
  if (!rowid) throw StoreError("create_browser_session: bad participant id", SQLITE_MISUSE);
  Query query(impl_->insert_browser_session, "create_browser_session");
  query.bind_text(1, id_hash).bind_int(2, *rowid).bind_text(3, now).bind_text(4, expires_at).run();
}

std::optional<BrowserSessionRow> Database::find_browser_session(const std::string& id_hash) {
  Query query(impl_->find_browser_session, "find_browser_session");
  query.bind_text(1, id_hash);
  if (!query.step()) return std::nullopt;
  BrowserSessionRow row;
  row.participant = "p" + std::to_string(query.int64(0));
  row.created_at = query.text(1);
  row.last_seen_at = query.text(2);
  row.expires_at = query.text(3);
  row.ended_at = query.optional_text(4);
  return row;
}

void Database::touch_browser_session(const std::string& id_hash, const std::string& now) {
  Query query(impl_->touch_browser_session, "touch_browser_session");
  query.bind_text(1, id_hash).bind_text(2, now).run();
}

void Database::end_browser_session(const std::string& id_hash, const std::string& now) {
  Query query(impl_->end_browser_session, "end_browser_session");
  query.bind_text(1, id_hash).bind_text(2, now).run();
}

int Database::end_participant_sessions(const std::string& participant, const std::string& now) {
  const auto rowid = parse_id(participant, 'p');
  if (!rowid) return 0;
  Query query(impl_->end_participant_sessions, "end_participant_sessions");
  query.bind_int(1, *rowid).bind_text(2, now).run();
  return changes(impl_->handle());
}

namespace {

void insert_audit_rows(Statement& statement, const std::vector<const AuditRow*>& audit) {
  for (const AuditRow* row : audit) {
    Query insert(statement, "append_audit");
    insert.bind_text(1, row->at)
        .bind_optional_text(2, row->council)
        .bind_optional_text(3, row->participant)
        .bind_text(4, row->action)
        .bind_optional_text(5, row->op)
        .bind_text(6, row->outcome)
        .bind_optional_text(7, row->on_behalf_of)
        .run();
  }
}

}  // namespace

void Database::append_audit(const std::vector<const AuditRow*>& rows) { append_events({}, rows); }

std::vector<AuditRow> Database::read_audit(const std::string& council, std::size_t limit) {
  std::vector<AuditRow> rows;
  Query query(impl_->read_audit, "read_audit");
  const auto bounded = std::min<std::size_t>(
      limit, static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max()));
  query.bind_text(1, council).bind_int(2, static_cast<std::int64_t>(bounded));
  while (query.step()) {
    AuditRow row;
    row.at = query.text(0);
    row.council = query.optional_text(1);
    row.participant = query.optional_text(2);
    row.action = query.text(3);
    row.op = query.optional_text(4);
    row.outcome = query.text(5);
    if (!query.is_null(6)) row.seq = static_cast<std::uint64_t>(query.int64(6));
    row.redaction = query.optional_text(7);
    row.on_behalf_of = query.optional_text(8);
    rows.push_back(std::move(row));
  }
  return rows;
}

void Database::backup_to(const std::string& out) {
  if (impl_->pg)
    throw StoreError("backup: a PostgreSQL database is backed up with pg_dump (README, Backup)",
                     SQLITE_MISUSE);
  std::error_code ec;
  if (std::filesystem::exists(out, ec)) {
    throw StoreError("backup: the output file already exists", SQLITE_CANTOPEN);
  }
  Query query(impl_->vacuum_into, "backup");
  query.bind_text(1, out).run();
}

void Database::append_events(const std::vector<const EventRow*>& rows,
                             const std::vector<const AuditRow*>& audit,
                             const std::vector<const AttendanceRow*>& attendance,
                             const std::function<void()>& before_commit) {
  impl_->redacted.clear();
  if (impl_->pg_log) {
    impl_->pg_log->append_events(rows, audit, attendance, before_commit);
    impl_->redacted = impl_->pg_log->take_redacted();
    return;
  }
  if (rows.empty() && audit.empty() && attendance.empty() && !before_commit) return;
  {
    Query begin(impl_->begin, "append_events: begin");
    begin.run();
  }
  try {
    for (const EventRow* row : rows) {
      if (row->seq > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        throw StoreError("append_events: seq out of range", SQLITE_RANGE);
      }
      Query insert(impl_->insert_event, "append_events");
      insert.bind_text(1, row->council)
          .bind_int(2, static_cast<std::int64_t>(row->seq))
          .bind_text(3, row->op)
          .bind_text(4, row->at)
          .bind_text(5, row->participant)
          .bind_text(6, row->by_name)
          .bind_text(7, row->by_org)
          .bind_text(8, domain::to_string(row->by_role))
          .bind_optional_text(9, row->meeting)
          .bind_optional_text(10, row->command_id)
          .bind_text(11, row->data)
          .bind_text(12, row->frame)
          .run();
      if (row->redaction)
        for (std::uint64_t seq : impl_->redactor.rewrite(row->council, row->seq, *row->redaction))
          impl_->redacted.emplace_back(row->council, seq);
    }
    insert_audit_rows(impl_->insert_audit, audit);
    for (const AttendanceRow* row : attendance) {
      Query upsert(impl_->upsert_attendance, "append_events: attendance");
      upsert.bind_text(1, row->council)
          .bind_text(2, row->meeting)
          .bind_text(3, row->participant)
          .bind_text(4, row->seen_at)
          .run();
    }
    if (before_commit) before_commit();
    Query commit(impl_->commit, "append_events: commit");
    commit.run();
  } catch (...) {
    // A failed COMMIT (e.g. an I/O error) can leave the transaction open;
    // either way nothing of this batch may remain.
    impl_->rollback_quietly();
    impl_->redacted.clear();
    throw;
  }
}

std::string Database::run_isolated(const std::function<void(Database&)>& work) {
  if (!in_transaction(impl_->handle()))
    throw StoreError("run_isolated: no transaction is open", SQLITE_MISUSE);
  {
    Query savepoint(impl_->savepoint, "run_isolated: savepoint");
    savepoint.run();
  }
  std::string error;
  try {
    work(*this);
  } catch (const std::exception& e) {
    error = e.what();
    if (error.empty()) error = "the write failed";
  } catch (...) {
    error = "the write failed";
  }
  // Some errors (a full disk, I/O) make SQLite roll back the whole
  // transaction: then nothing of the batch can be committed.
  if (!in_transaction(impl_->handle()))
    throw StoreError("run_isolated: the transaction was rolled back: " + error, SQLITE_ABORT);
  if (!error.empty()) {
    Query rollback(impl_->rollback_to_savepoint, "run_isolated: rollback to savepoint");
    rollback.run();
  }
  Query release(impl_->release_savepoint, "run_isolated: release");
  release.run();
  return error;
}

std::vector<std::pair<std::string, std::uint64_t>> Database::take_redacted() {
  return std::exchange(impl_->redacted, {});
}

std::vector<std::string> Database::take_stale() {
  return impl_->pg_log ? impl_->pg_log->take_stale() : std::vector<std::string>{};
}

bool Database::checkpoint_truncate() {
  if (impl_->pg) return true;
  // Commits wait while this runs: wait for readers briefly, not the full
  // busy timeout; the caller tries again later.
  sqlite3* db = impl_->db();
  sqlite3_busy_timeout(db, truncate_wait_ms);
  bool done = false;
  try {
    done = wal_checkpoint(db, SQLITE_CHECKPOINT_TRUNCATE, "checkpoint_truncate");
  } catch (...) {
    sqlite3_busy_timeout(db, busy_timeout_ms);
    throw;
  }
  sqlite3_busy_timeout(db, busy_timeout_ms);
  return done;
}

void Database::vacuum_redacted(bool full) {
  if (!impl_->pg) return;
  if (full) {
    impl_->pg->exec("VACUUM (FULL) events, search_text", "vacuum full after a redaction");
  } else {
    impl_->pg->exec("VACUUM events, search_text", "vacuum after a redaction");
  }
}

std::uint64_t Database::head(const std::string& council) {
  Query query(impl_->head, "head");
  query.bind_text(1, council);
  if (!query.step() || query.is_null(0)) return 0;
  return static_cast<std::uint64_t>(query.int64(0));
}

bool Database::is_demo() {
  Statement statement(handle(), "SELECT value FROM deployment WHERE key = 'demo'");
  Query query(statement, "is_demo");
  return query.step() && query.text(0) == "1";
}

void Database::mark_demo() {
  Statement statement(handle(),
                      "INSERT INTO deployment(key, value) VALUES('demo', '1') "
                      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  Query query(statement, "mark_demo");
  query.run();
}

std::uint64_t Database::count_events_after(const std::string& council, const std::string& at) {
  Statement statement(handle(), "SELECT count(*) FROM events WHERE council = ?1 AND at > ?2");
  Query query(statement, "count_events_after");
  query.bind_text(1, council).bind_text(2, at);
  if (!query.step()) return 0;
  return static_cast<std::uint64_t>(query.int64(0));
}

std::vector<EventRow> Database::read_events(const std::string& council, std::uint64_t after,
                                            std::size_t limit) {
  std::vector<EventRow> rows;
  Query query(impl_->read_events, "read_events");
  query.bind_text(1, council).bind_int(2, clamp_to_int64(after)).bind_int(3, clamp_to_int64(limit));
  while (query.step()) rows.push_back(event_row(query));
  return rows;
}

std::vector<std::string> Database::read_frames(const std::string& council, std::uint64_t after,
                                               std::uint64_t upto, std::size_t limit) {
  std::vector<std::string> frames;
  if (upto <= after) return frames;
  Query query(impl_->read_frames, "read_frames");
  query.bind_text(1, council)
      .bind_int(2, clamp_to_int64(after))
      .bind_int(3, clamp_to_int64(upto))
      .bind_int(4, clamp_to_int64(limit));
  while (query.step()) frames.push_back(query.text(0));
  return frames;
}

std::vector<domain::Attendance> Database::list_attendance(const std::string& council) {
  std::vector<domain::Attendance> rows;
  Query query(impl_->list_attendance, "list_attendance");
  query.bind_text(1, council);
  while (query.step()) rows.push_back(attendance_row(query));
  return rows;
}

std::optional<domain::Attendance> Database::find_attendance(const std::string& council,
                                                            const std::string& meeting,
                                                            const std::string& participant) {
  Query query(impl_->find_attendance, "find_attendance");
  query.bind_text(1, council).bind_text(2, meeting).bind_text(3, participant);
  if (!query.step()) return std::nullopt;
  return attendance_row(query);
}

domain::Attendance Database::acknowledge_confidentiality(const std::string& council,
                                                         const std::string& meeting,
                                                         const std::string& participant,
                                                         const std::string& now) {
  {
    Query query(impl_->acknowledge, "acknowledge_confidentiality");
    query.bind_text(1, council)
        .bind_text(2, meeting)
        .bind_text(3, participant)
        .bind_text(4, now)
        .run();
  }
  auto row = find_attendance(council, meeting, participant);
  if (!row) corrupt("attendance row missing after upsert");
  return *row;
}

namespace {

// The five LIKE pattern slots of the search statements: the first five
// non-empty patterns, then "%" (matches every text) in the unused ones.
LikeSlots like_slots(const std::vector<std::string>& patterns) {
  LikeSlots slots;
  std::size_t used = 0;
  for (const std::string& p : patterns)
    if (!p.empty() && used < slots.size()) slots[used++] = p;
  for (; used < slots.size(); ++used) slots[used] = "%";
  return slots;
}

}  // namespace

std::vector<domain::SearchHit> Database::search_match(const std::string& council,
                                                      const std::string& fts_query,
                                                      const std::vector<std::string>& patterns,
                                                      std::size_t limit) {
  return search(council, fts_query, patterns, limit);
}

std::vector<domain::SearchHit> Database::search_like(const std::string& council,
                                                     const std::vector<std::string>& patterns,
                                                     std::size_t limit) {
  if (std::none_of(patterns.begin(), patterns.end(), [](const auto& p) { return !p.empty(); }))
    return {};
  return search(council, "", patterns, limit);
}

// The index answers for the council's events up to its indexed seq, read
// first; the log for the newer ones. Every event is matched once, by one of
// the two, and the log's hits (newer) come first.
std::vector<domain::SearchHit> Database::search(const std::string& council,
                                                const std::string& fts_query,
                                                const std::vector<std::string>& patterns,
                                                std::size_t limit) {
  if (impl_->pg) {
    // The terms as patterns (fts_query names the same terms for FTS5).
    const auto slots = like_slots(patterns);
    std::vector<domain::SearchHit> hits;
    Query query(impl_->search_pg, "search");
    query.bind_text(1, council);
    for (int i = 0; i < 5; ++i) query.bind_text(i + 2, slots[static_cast<std::size_t>(i)]);
    query.bind_int(7, clamp_to_int64(limit));
    while (query.step()) hits.push_back(search_hit(query));
    return hits;
  }
  if (!impl_->search_index) impl_->search_index = std::make_unique<SearchIndexReader>(impl_->path);
  SearchIndexReader& index = *impl_->search_index;
  const std::uint64_t indexed = index.indexed(council);
  const auto slots = like_slots(patterns);
  std::vector<domain::SearchHit> hits;
  {
    Query query(impl_->search_log, "search: log");
    query.bind_text(1, council)
        .bind_int(2, clamp_to_int64(indexed))
        .bind_int(3, std::numeric_limits<std::int64_t>::max());
    for (int i = 0; i < 5; ++i) query.bind_text(i + 4, slots[static_cast<std::size_t>(i)]);
    query.bind_int(9, clamp_to_int64(limit));
    while (query.step()) hits.push_back(search_hit(query));
  }
  if (hits.size() < limit) {
    auto older = index.search(council, indexed, fts_query, slots, limit - hits.size());
    // The index file loses a redacted text a little after the log (the
    // indexer's next round); until then the log, rewritten in the same
    // transaction as the text.redacted event, decides.
    std::erase_if(older, [&](const domain::SearchHit& hit) {
      Query query(impl_->is_redacted, "search: redacted");
      query.bind_text(1, council).bind_int(2, clamp_to_int64(hit.seq));
      return query.step();
    });
    hits.insert(hits.end(), std::make_move_iterator(older.begin()),
                std::make_move_iterator(older.end()));
  }
  return hits;
}

void Database::replace_presence(const std::string& instance, const std::string& council,
                                const std::vector<domain::Actor>& connected,
                                const std::string& expires_at) {
  if (!impl_->pg) return;
  PgConnection& pg = *impl_->pg;
  pg.query("DELETE FROM presence WHERE instance = $1 AND council = $2",
           PgParams().text(instance).text(council), "presence: clear");
  for (const auto& actor : connected)
    pg.query(
        "INSERT INTO presence(instance, council, participant, name, org, role, org_id, "
        "expires_at) VALUES($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
        PgParams()
            .text(instance)
            .text(council)
            .text(actor.participant)
            .text(actor.name)
            .text(actor.org)
            .text(domain::to_string(actor.role))
            .text(actor.org_id)
            .text(expires_at),
        "presence: insert");
  pg.query("SELECT pg_notify('renkei_presence', $1)", PgParams().text(council), "presence: notify");
}

void Database::refresh_presence(const std::string& instance, const std::string& expires_at,
                                const std::string& now) {
  if (!impl_->pg) return;
  impl_->pg->query("UPDATE presence SET expires_at = $2 WHERE instance = $1",
                   PgParams().text(instance).text(expires_at), "presence: refresh");
  impl_->pg->query("DELETE FROM presence WHERE expires_at <= $1", PgParams().text(now),
                   "presence: lapse");
}

std::vector<domain::Actor> Database::read_presence(const std::string& council,
                                                   const std::string& except_instance,
                                                   const std::string& now) {
  std::vector<domain::Actor> out;
  if (!impl_->pg) return out;
  auto rows = impl_->pg->query(
      "SELECT participant, name, org, role, org_id FROM presence WHERE council = $1 "
      "AND instance <> $2 AND expires_at > $3 ORDER BY participant",
      PgParams().text(council).text(except_instance).text(now), "presence: read");
  for (int i = 0; i < rows.rows(); ++i) {
    const auto role = domain::role_from_string(rows.text(i, 3));
    if (!role) continue;
    out.push_back(
        domain::Actor{rows.text(i, 0), rows.text(i, 1), rows.text(i, 2), *role, rows.text(i, 4)});
  }
  return out;
}

std::pair<std::size_t, std::int64_t> Database::sign_in_failures(const std::string& key,
                                                                const std::string& now,
                                                                std::chrono::seconds window) {
  if (!impl_->pg) return {0, 0};
  auto row = impl_->pg->query(
      "SELECT count(*), coalesce(ceil(extract(epoch FROM min(at::timestamptz) + "
      "make_interval(secs => $3) - $2::timestamptz)), 0)::bigint FROM sign_in_failures "
      "WHERE key = $1 AND at::timestamptz > $2::timestamptz - make_interval(secs => $3)",
      PgParams().text(key).text(now).integer(window.count()), "sign-in failures");
  return {static_cast<std::size_t>(row.int64(0, 0)), row.int64(0, 1)};
}

void Database::record_sign_in_failure(const std::vector<std::string>& keys, const std::string& now,
                                      std::chrono::seconds window) {
  if (!impl_->pg) return;
  for (const auto& key : keys) {
    impl_->pg->query(
        "DELETE FROM sign_in_failures WHERE key = $1 AND "
        "at::timestamptz <= $2::timestamptz - make_interval(secs => $3)",
        PgParams().text(key).text(now).integer(window.count()), "sign-in failures: prune");
    impl_->pg->query("INSERT INTO sign_in_failures(key, at) VALUES($1, $2)",
                     PgParams().text(key).text(now), "sign-in failures: record");
  }
}

void Database::clear_sign_in_failures(const std::string& key) {
  if (!impl_->pg) return;
  impl_->pg->query("DELETE FROM sign_in_failures WHERE key = $1", PgParams().text(key),
                   "sign-in failures: clear");
}

bool Database::integrity_ok() {
  Query query(impl_->integrity_check, "integrity_check");
  if (!query.step() || query.text(0) != "ok") return false;
  return !query.step();
}

}  // namespace renkei::store
