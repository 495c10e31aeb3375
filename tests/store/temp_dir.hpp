// A fresh directory under /tmp for one test's database files, removed with
// everything in it when the test ends.
#pragma once

#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/rows.hpp"

namespace renkei::store::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = "/tmp/renkei-store-test-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// A raw SQLite connection, as another process would have; for checks that
// must not go through the code under test.
class RawConnection {
 public:
  explicit RawConnection(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      sqlite3_close(db_);
      throw std::runtime_error("raw open failed");
    }
    sqlite3_busy_timeout(db_, 10000);
  }
  ~RawConnection() { sqlite3_close(db_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // First column of the first row as text ("" when there is no row).
  std::string scalar(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      throw std::runtime_error(sqlite3_errmsg(db_));
    }
    std::string result;
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
      result = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
      throw std::runtime_error(sqlite3_errmsg(db_));
    }
    return result;
  }

  // One column of every row as text (NULL as ""); e.g. the detail column
  // (3) of an EXPLAIN QUERY PLAN.
  std::vector<std::string> column(const std::string& sql, int column) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      throw std::runtime_error(sqlite3_errmsg(db_));
    }
    std::vector<std::string> values;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, column);
      values.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "");
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db_));
    return values;
  }

  void exec(const std::string& sql) {
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
      throw std::runtime_error(sqlite3_errmsg(db_));
    }
  }

 private:
  sqlite3* db_ = nullptr;
};

// Takes a database of the current version back to version 9 as released
// (before handover and 空席), for tests of the v10 step. The participants
// table is rebuilt: a column in a foreign key cannot be dropped.
inline void back_to_version_9(RawConnection& raw) {
  raw.exec(
      "DROP TABLE handover_requests;"
      "DROP INDEX participants_succeeds; DROP INDEX participants_vacated;"
      "CREATE TABLE participants_v9(id INTEGER PRIMARY KEY,"
      "  council INTEGER NOT NULL REFERENCES councils(id), name TEXT NOT NULL, org TEXT NOT NULL,"
      "  role TEXT NOT NULL CHECK(role IN ('facilitator','member','observer')),"
      "  token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, expires_at TEXT,"
      "  revoked_at TEXT, person INTEGER REFERENCES people(id),"
      "  org_id INTEGER REFERENCES organisations(id));"
      "INSERT INTO participants_v9 SELECT id, council, name, org, role, token_hash, created_at,"
      "  expires_at, revoked_at, person, org_id FROM participants;"
      "DROP TABLE participants; ALTER TABLE participants_v9 RENAME TO participants;"
      "CREATE INDEX participants_council ON participants(council);"
      "CREATE INDEX participants_person ON participants(person);"
      "PRAGMA user_version = 9;");
}

// Takes a database of the current version back to version 8 as released
// (before people and organisations), for tests of older migration steps.
inline void back_to_version_8(RawConnection& raw) {
  back_to_version_9(raw);
  raw.exec(
      "DROP VIEW audit_trail;"
      "CREATE VIEW audit_trail(at, council, participant, action, op, outcome, seq, redaction) AS"
      "  SELECT at, council, participant, 'command', op, 'accepted', seq,"
      "    CASE WHEN op = 'text.redacted' THEN data END FROM events"
      "  UNION ALL SELECT at, council, participant, action, op, outcome, NULL, NULL"
      "  FROM audit_log;"
      "DROP INDEX audit_log_subject;"
      "ALTER TABLE audit_log DROP COLUMN person; ALTER TABLE audit_log DROP COLUMN address;"
      "ALTER TABLE audit_log DROP COLUMN subject; ALTER TABLE audit_log DROP COLUMN old_value;"
      "ALTER TABLE audit_log DROP COLUMN new_value;"
      "ALTER TABLE councils DROP COLUMN area; ALTER TABLE councils DROP COLUMN prefecture;"
      "ALTER TABLE councils DROP COLUMN themes; ALTER TABLE councils DROP COLUMN default_agenda;"
      "ALTER TABLE councils DROP COLUMN archived_at; ALTER TABLE councils DROP COLUMN next_meeting;"
      "DROP TABLE deployment;"
      "CREATE TABLE participants_v8(id INTEGER PRIMARY KEY,"
      "  council INTEGER NOT NULL REFERENCES councils(id), name TEXT NOT NULL, org TEXT NOT NULL,"
      "  role TEXT NOT NULL CHECK(role IN ('facilitator','member','observer')),"
      "  token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, expires_at TEXT,"
      "  revoked_at TEXT);"
      "INSERT INTO participants_v8 SELECT id, council, name, org, role, token_hash, created_at,"
      "  expires_at, revoked_at FROM participants;"
      "DROP TABLE participants; ALTER TABLE participants_v8 RENAME TO participants;"
      "CREATE INDEX participants_council ON participants(council);"
      "DROP TABLE person_sessions; DROP TABLE setup_links; DROP TABLE recovery_codes;"
      "DROP TABLE grants; DROP TABLE people; DROP TABLE organisations;"
      "PRAGMA user_version = 8;");
}

// An event row with every field set from (council, seq).
inline EventRow make_event(const std::string& council, std::uint64_t seq,
                           std::optional<std::string> command_id = {}) {
  EventRow row;
  row.council = council;
  row.seq = seq;
  row.op = "issue.posted";
  row.at = "2026-11-24T10:00:00.123Z";
  row.participant = "p1";
  row.by_name = "佐藤";
  row.by_org = "北広島町";
  row.by_role = domain::Role::member;
  row.meeting = "m2";
  row.command_id = std::move(command_id);
  row.data = R"({"text":"退院調整ルール","issue":"i)" + std::to_string(seq) + "\"}";
  row.frame =
      R"({"type":"event","seq":)" + std::to_string(seq) + R"(,"council":")" + council + "\"}";
  return row;
}

}  // namespace renkei::store::testing
