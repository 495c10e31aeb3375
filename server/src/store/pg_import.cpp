#include "store/pg_import.hpp"

#include <sqlite3.h>

#include "store/database.hpp"
#include "store/pg_connection.hpp"
#include "store/pg_schema.hpp"
#include "store/pg_search_sql.hpp"
#include "store/statement.hpp"
#include "store/store_error.hpp"

namespace renkei::store {

namespace {

// One table to copy: what to read from SQLite, how to write it to
// PostgreSQL (the same columns, in the schema's order), which column refers
// to its own table (set once every row is in: organisations.merged_into,
// participants.succeeds) and how its identity sequence continues. In an
// order that satisfies the foreign keys. Every statement is compile-time
// text, as everywhere in the store.
struct Table {
  const char* name;
  SqlText select;
  SqlText insert;
  int self_reference;  // column index, -1: none
  SqlText set_self_reference;
  SqlText continue_identity;  // "": no identity column
};

const Table tables[] = {
    {"councils",
     "SELECT id, name, kind, created_at, area, prefecture, themes, default_agenda, archived_at, "
     "next_meeting FROM councils ORDER BY id",
     "INSERT INTO councils(id, name, kind, created_at, area, prefecture, themes, default_agenda, "
     "archived_at, next_meeting) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
     -1, "",
     "SELECT setval(pg_get_serial_sequence('councils', 'id'), greatest((SELECT max(id) FROM "
     "councils), 1), (SELECT count(*) > 0 FROM councils))"},
    {"organisations",
     "SELECT id, name, kind, area, prefecture, merged_into, deactivated_at, created_at FROM "
     "organisations ORDER BY id",
     "INSERT INTO organisations(id, name, kind, area, prefecture, merged_into, deactivated_at, "
     "created_at) VALUES($1, $2, $3, $4, $5, $6, $7, $8)",
     5, "UPDATE organisations SET merged_into = $2 WHERE id = $1",
     "SELECT setval(pg_get_serial_sequence('organisations', 'id'), greatest((SELECT max(id) FROM "
     "organisations), 1), (SELECT count(*) > 0 FROM organisations))"},
    {"people",
     "SELECT id, name, org, login, password_hash, totp_sealed, totp_pending_sealed, "
     "totp_last_step, status, created_at, deactivated_at, last_visit_at FROM people ORDER BY id",
     "INSERT INTO people(id, name, org, login, password_hash, totp_sealed, totp_pending_sealed, "
     "totp_last_step, status, created_at, deactivated_at, last_visit_at) VALUES($1, $2, $3, $4, "
     "$5, $6, $7, $8, $9, $10, $11, $12)",
     -1, "",
     "SELECT setval(pg_get_serial_sequence('people', 'id'), greatest((SELECT max(id) FROM people), "
     "1), (SELECT count(*) > 0 FROM people))"},
    {"participants",
     "SELECT id, council, name, org, role, token_hash, created_at, expires_at, revoked_at, person, "
     "org_id, succeeds, active_from, vacated_at, handover_seen_at FROM participants ORDER BY id",
     "INSERT INTO participants(id, council, name, org, role, token_hash, created_at, expires_at, "
     "revoked_at, person, org_id, succeeds, active_from, vacated_at, handover_seen_at) VALUES($1, "
     "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
     11, "UPDATE participants SET succeeds = $2 WHERE id = $1",
     "SELECT setval(pg_get_serial_sequence('participants', 'id'), greatest((SELECT max(id) FROM "
     "participants), 1), (SELECT count(*) > 0 FROM participants))"},
    {"events",
     "SELECT council, seq, op, at, participant, by_name, by_org, by_role, meeting, command_id, "
     "data, frame FROM events",
     "INSERT INTO events(council, seq, op, at, participant, by_name, by_org, by_role, meeting, "
     "command_id, data, frame) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
     -1, "", ""},
    {"browser_sessions",
     "SELECT id_hash, participant, created_at, last_seen_at, expires_at, ended_at FROM "
     "browser_sessions",
     "INSERT INTO browser_sessions(id_hash, participant, created_at, last_seen_at, expires_at, "
     "ended_at) VALUES($1, $2, $3, $4, $5, $6)",
     -1, "", ""},
    {"audit_log",
     "SELECT id, at, council, participant, action, op, outcome, person, address, subject, "
     "old_value, new_value FROM audit_log ORDER BY id",
     "INSERT INTO audit_log(id, at, council, participant, action, op, outcome, person, address, "
     "subject, old_value, new_value) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
     -1, "",
     "SELECT setval(pg_get_serial_sequence('audit_log', 'id'), greatest((SELECT max(id) FROM "
     "audit_log), 1), (SELECT count(*) > 0 FROM audit_log))"},
    {"attendance",
     "SELECT council, meeting, participant, first_seen_at, last_seen_at, confidentiality_ack_at "
     "FROM attendance",
     "INSERT INTO attendance(council, meeting, participant, first_seen_at, last_seen_at, "
     "confidentiality_ack_at) VALUES($1, $2, $3, $4, $5, $6)",
     -1, "", ""},
    {"grants", "SELECT person, role, scope FROM grants",
     "INSERT INTO grants(person, role, scope) VALUES($1, $2, $3)", -1, "", ""},
    {"recovery_codes", "SELECT person, code_hash, used_at FROM recovery_codes",
     "INSERT INTO recovery_codes(person, code_hash, used_at) VALUES($1, $2, $3)", -1, "", ""},
    {"setup_links",
     "SELECT token_hash, person, created_at, expires_at, used_at, revoked_at, created_by FROM "
     "setup_links",
     "INSERT INTO setup_links(token_hash, person, created_at, expires_at, used_at, revoked_at, "
     "created_by) VALUES($1, $2, $3, $4, $5, $6, $7)",
     -1, "", ""},
    {"person_sessions",
     "SELECT id_hash, person, created_at, last_seen_at, expires_at, ended_at, address FROM "
     "person_sessions",
     "INSERT INTO person_sessions(id_hash, person, created_at, last_seen_at, expires_at, ended_at, "
     "address) VALUES($1, $2, $3, $4, $5, $6, $7)",
     -1, "", ""},
    {"deployment", "SELECT key, value FROM deployment",
     "INSERT INTO deployment(key, value) VALUES($1, $2)", -1, "", ""},
    {"handover_requests",
     "SELECT id, person, successor, effective_on, note, state, created_at, decided_at, decided_by "
     "FROM handover_requests ORDER BY id",
     "INSERT INTO handover_requests(id, person, successor, effective_on, note, state, created_at, "
     "decided_at, decided_by) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9)",
     -1, "",
     "SELECT setval(pg_get_serial_sequence('handover_requests', 'id'), greatest((SELECT max(id) "
     "FROM handover_requests), 1), (SELECT count(*) > 0 FROM handover_requests))"},
    {"redaction_grant", "SELECT council, seq FROM redaction_grant",
     "INSERT INTO redaction_grant(council, seq) VALUES($1, $2)", -1, "", ""},
};

}  // namespace

ImportReport import_sqlite_into_pg(const std::string& sqlite_path, const std::string& pg_uri) {
  ImportReport report;
  // Opening migrates both to this build's schema.
  { Database source(sqlite_path); }
  { Database target(pg_uri); }
  Connection file(sqlite_path, /*create=*/false);
  sqlite3* db = file.get();
  sqlite3_busy_timeout(db, busy_timeout_ms);
  PgConnection pg(pg_uri, "renkei migrate");
  auto taken = pg.query(
      "SELECT (SELECT count(*) FROM councils) + (SELECT count(*) FROM events) + "
      "(SELECT count(*) FROM people)",
      PgParams(), "migrate: target empty");
  if (taken.int64(0, 0) != 0)
    throw StoreError("migrate: the PostgreSQL database is not empty", SQLITE_CONSTRAINT);

  // A consistent snapshot of the file for the whole copy.
  exec(db, "BEGIN", "migrate: read transaction");
  pg.exec("BEGIN", "migrate: begin");
  try {
    for (const Table& table : tables) {
      Statement statement(db, table.select);
      Query read(statement, "migrate: read");
      std::uint64_t rows = 0;
      std::vector<std::pair<std::int64_t, std::int64_t>> later;  // (id, self-reference)
      while (read.step()) {
        PgParams params;
        for (int c = 0; c < read.column_count(); ++c) {
          if (read.is_null(c)) {
            params.null();
          } else if (c == table.self_reference) {
            later.emplace_back(read.int64(0), read.int64(c));
            params.null();
          } else if (read.is_blob(c)) {
            params.bytes(read.optional_blob(c));
          } else {
            params.text(read.text(c));
          }
        }
        pg.query(table.insert, params, "migrate: insert");
        ++rows;
      }
      for (const auto& [id, reference] : later)
        pg.query(table.set_self_reference, PgParams().integer(id).integer(reference),
                 "migrate: self-reference");
      if (table.continue_identity.size() > 0)
        pg.query(table.continue_identity, PgParams(), "migrate: identity");
      report.tables.emplace_back(table.name, rows);
    }
    // The search texts, as PgEventLog writes them with each event.
    pg.exec(RENKEI_PG_SEARCH_TEXT_INSERT "AND (e.data::json->>'redacted') IS DISTINCT FROM 'true'",
            "migrate: search texts");
    pg.exec("COMMIT", "migrate: commit");
  } catch (...) {
    pg.rollback_if_open();
    rollback_if_open(db);
    throw;
  }
  rollback_if_open(db);
  return report;
}

}  // namespace renkei::store
