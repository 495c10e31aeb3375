// The PostgreSQL schema (store/pg_schema.cpp) against a private cluster:
// migrating gives version 1 once, also when two connections migrate at
// once; every table, view, column, index, foreign key, CHECK and trigger of
// SQLite's schema (version 10) is there under the same name; events and
// audit_log refuse UPDATE, DELETE and TRUNCATE but for a granted
// redaction; a database of a newer version is refused; the search text's
// trigram index serves substring matches in Japanese.
#include "store/pg_schema.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <latch>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "pg_cluster.hpp"
#include "store/database.hpp"
#include "store/pg_connection.hpp"
#include "store/store_error.hpp"
#include "temp_dir.hpp"

namespace renkei::store {
namespace {

using testing::RawConnection;
using testing::TempDir;

// ---------------------------------------------------------------------------
// The private cluster of this test process (tests/support/pg_cluster.hpp).
namespace local_pg_cluster {
std::string fresh_database() { return renkei::testing::PgCluster::shared().fresh_database(); }
}  // namespace local_pg_cluster
// ---------------------------------------------------------------------------

// Every row's column `column` as text ("" for NULL).
std::vector<std::string> column(const PgResult& result, int column = 0) {
  std::vector<std::string> values;
  for (int row = 0; row < result.rows(); ++row) values.push_back(result.text(row, column));
  return values;
}

std::string scalar(PgConnection& connection, SqlText sql) {
  const PgResult result = connection.query(sql, PgParams(), "test");
  return result.rows() == 0 ? std::string() : result.text(0, 0);
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, separator)) parts.push_back(part);
  if (!text.empty() && text.back() == separator) parts.emplace_back();
  return parts;
}

// Everything migrating could have made or changed, with object ids, so
// that a second run that recreated anything shows.
std::string schema_snapshot(PgConnection& connection) {
  return scalar(connection,
                "SELECT string_agg(c.relname || ':' || c.relkind::text || ':' || c.oid, ',' "
                "ORDER BY c.relname) FROM pg_class c "
                "WHERE c.relnamespace = current_schema()::regnamespace") +
         "|" +
         scalar(connection,
                "SELECT string_agg(t.tgname || ':' || t.oid, ',' ORDER BY t.tgname) "
                "FROM pg_trigger t WHERE NOT t.tgisinternal") +
         "|" +
         scalar(connection,
                "SELECT string_agg(p.proname || ':' || p.oid, ',' ORDER BY p.proname) "
                "FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace "
                "AND p.proname LIKE 'renkei%'") +
         "|" + scalar(connection, "SELECT string_agg(extname, ',') FROM pg_extension") + "|" +
         scalar(connection, "SELECT string_agg(version::text, ',') FROM renkei_schema");
}

// A connection to a fresh database migrated to the current version.
struct MigratedDatabase {
  std::string uri = local_pg_cluster::fresh_database();
  PgConnection connection{uri};
  MigratedDatabase() { migrate_pg(connection); }
};

TEST(PgSchemaTest, MigratesAnEmptyDatabaseOnceAndAgainChangesNothing) {
  PgConnection connection(local_pg_cluster::fresh_database());
  EXPECT_EQ(pg_user_version(connection), 0);
  migrate_pg(connection);
  EXPECT_EQ(pg_user_version(connection), pg_schema_version);
  EXPECT_FALSE(connection.in_transaction());
  connection.exec(
      "INSERT INTO councils(name, kind, created_at) "
      "VALUES('協議体', 'council', '2026-11-24T10:00:00.000Z')",
      "test");
  const std::string before = schema_snapshot(connection);

  migrate_pg(connection);
  EXPECT_EQ(pg_user_version(connection), pg_schema_version);
  EXPECT_EQ(schema_snapshot(connection), before);
  EXPECT_EQ(scalar(connection, "SELECT count(*) FROM renkei_schema"), "1");
  EXPECT_EQ(scalar(connection, "SELECT name FROM councils"), "協議体");
}

TEST(PgSchemaTest, TwoConnectionsMigratingAtOnceBothSucceedAndTheSchemaExistsOnce) {
  for (int round = 0; round < 3; ++round) {
    const std::string uri = local_pg_cluster::fresh_database();
    std::latch start(2);
    std::exception_ptr failures[2];
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i) {
      threads.emplace_back([&, i] {
        try {
          PgConnection connection(uri, "renkei-migrate-" + std::to_string(i));
          start.arrive_and_wait();
          migrate_pg(connection);
        } catch (...) {
          failures[i] = std::current_exception();
        }
      });
    }
    for (auto& thread : threads) thread.join();
    for (const auto& failure : failures) {
      try {
        if (failure) std::rethrow_exception(failure);
      } catch (const std::exception& e) {
        ADD_FAILURE() << "round " << round << ": " << e.what();
      }
    }
    PgConnection connection(uri);
    EXPECT_EQ(pg_user_version(connection), pg_schema_version);
    EXPECT_EQ(scalar(connection, "SELECT count(*) FROM renkei_schema"), "1");
    EXPECT_EQ(scalar(connection,
                     "SELECT count(*) FROM pg_class WHERE relname IN ('events', 'audit_log', "
                     "'search_text_trgm') AND relnamespace = current_schema()::regnamespace"),
              "3");
    EXPECT_EQ(scalar(connection, "SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'"),
              "1");
  }
}

// Tables of SQLite's schema that PostgreSQL does not have: none. The FTS5
// search index of versions 5 and 6 (search_index, search_indexed) was
// dropped by version 7 and lives in a file of its own since; SQLite's own
// catalogue tables (sqlite_*) are not Renkei's.
const std::set<std::string> sqlite_only_tables = {};

// Tables only PostgreSQL has: the schema version (SQLite keeps it in the
// file header, PRAGMA user_version), the search texts (SQLite keeps them
// in the search index file), presence across instances and the failed
// sign-ins they share (one SQLite process keeps both in memory).
const std::set<std::string> pg_only_tables = {"renkei_schema", "search_text", "presence",
                                              "sign_in_failures"};

// Indexes only PostgreSQL has: events_command (SQLite dropped it in version
// 7, one room being the only writer of its council; POSTGRES.md) and the
// search text's trigram index.
const std::set<std::string> pg_only_indexes = {"events_command", "search_text_trgm",
                                               "presence_council", "sign_in_failures_recent"};

// Triggers only PostgreSQL has: TRUNCATE fires no row trigger.
const std::set<std::string> pg_only_triggers = {"events_no_truncate", "audit_log_no_truncate"};

struct SqliteColumn {
  std::string name, type;
  bool not_null = false, has_default = false;
  int pk = 0;
};

std::vector<SqliteColumn> sqlite_columns(RawConnection& raw, const std::string& table) {
  std::vector<SqliteColumn> columns;
  for (const auto& row :
       raw.column("SELECT name || '|' || type || '|' || \"notnull\" || '|' || "
                  "(dflt_value IS NOT NULL) || '|' || pk FROM pragma_table_info('" +
                      table + "') ORDER BY cid",
                  0)) {
    const auto parts = split(row, '|');
    columns.push_back(
        {parts.at(0), parts.at(1), parts.at(2) == "1", parts.at(3) == "1", std::stoi(parts.at(4))});
  }
  return columns;
}

std::set<std::string> as_set(const std::vector<std::string>& values) {
  return {values.begin(), values.end()};
}

TEST(PgSchemaTest, HoldsEveryTableViewAndColumnOfSqliteVersion10) {
  TempDir dir;
  const std::string path = dir.file("renkei.db");
  { Database sqlite(path); }
  RawConnection raw(path);
  ASSERT_EQ(raw.scalar("PRAGMA user_version"), "10");
  MigratedDatabase pg;
  PgConnection& connection = pg.connection;

  std::set<std::string> sqlite_tables;
  for (const auto& name : raw.column(
           "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
           "ESCAPE '\\' ORDER BY name",
           0)) {
    if (!sqlite_only_tables.contains(name)) sqlite_tables.insert(name);
  }
  ASSERT_TRUE(sqlite_tables.contains("events") && sqlite_tables.contains("handover_requests"));
  std::set<std::string> expected_pg_tables = sqlite_tables;
  expected_pg_tables.insert(pg_only_tables.begin(), pg_only_tables.end());
  EXPECT_EQ(as_set(column(connection.query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                "current_schema() AND table_type = 'BASE TABLE'",
                PgParams(), "test"))),
            expected_pg_tables);

  const auto sqlite_views =
      raw.column("SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name", 0);
  EXPECT_EQ(sqlite_views, std::vector<std::string>{"audit_trail"});
  EXPECT_EQ(column(connection.query(
                "SELECT table_name FROM information_schema.views WHERE table_schema = "
                "current_schema() ORDER BY table_name",
                PgParams(), "test")),
            sqlite_views);

  for (const auto& table : sqlite_tables) {
    SCOPED_TRACE(table);
    const auto expected = sqlite_columns(raw, table);
    const PgResult found = connection.query(
        "SELECT column_name, data_type, is_nullable, column_default IS NOT NULL, is_identity "
        "FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = $1 ORDER BY ordinal_position",
        PgParams().text(table), "test");
    ASSERT_EQ(found.rows(), static_cast<int>(expected.size()));
    const auto pk_columns = std::count_if(expected.begin(), expected.end(),
                                          [](const SqliteColumn& c) { return c.pk > 0; });
    for (int i = 0; i < found.rows(); ++i) {
      const SqliteColumn& want = expected[static_cast<std::size_t>(i)];
      SCOPED_TRACE(want.name);
      EXPECT_EQ(found.text(i, 0), want.name);
      const std::string type = want.type == "INTEGER" ? "bigint"
                               : want.type == "BLOB"  ? "bytea"
                                                      : "text";
      EXPECT_TRUE(want.type == "INTEGER" || want.type == "BLOB" || want.type == "TEXT")
          << want.type;
      EXPECT_EQ(found.text(i, 1), type);
      // A primary key is NOT NULL on PostgreSQL; SQLite lets a TEXT key of
      // a rowid table hold NULL, which Renkei never writes.
      EXPECT_EQ(found.text(i, 2), want.not_null || want.pk > 0 ? "NO" : "YES");
      EXPECT_EQ(found.text(i, 3), want.has_default ? "t" : "f");
      const bool rowid_alias = want.type == "INTEGER" && want.pk == 1 && pk_columns == 1;
      EXPECT_EQ(found.text(i, 4), rowid_alias ? "YES" : "NO");
    }
  }

  for (const auto& view : sqlite_views) {
    SCOPED_TRACE(view);
    std::vector<std::string> names;
    for (const auto& c : sqlite_columns(raw, view)) names.push_back(c.name);
    EXPECT_EQ(column(connection.query(
                  "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                  "current_schema() AND table_name = $1 ORDER BY ordinal_position",
                  PgParams().text(view), "test")),
              names);
  }
}

TEST(PgSchemaTest, HoldsEveryIndexKeyForeignKeyCheckAndTriggerOfSqliteVersion10) {
  TempDir dir;
  const std::string path = dir.file("renkei.db");
  { Database sqlite(path); }
  RawConnection raw(path);
  MigratedDatabase pg;
  PgConnection& connection = pg.connection;

  const auto tables = raw.column(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
      "ESCAPE '\\' ORDER BY name",
      0);
  std::set<std::string> sqlite_named_indexes;
  for (const auto& table : tables) {
    SCOPED_TRACE(table);
    // PostgreSQL's indexes of the table: "name|unique|primary|partial|columns".
    const auto pg_indexes = column(connection.query(
        "SELECT c.relname || '|' || i.indisunique || '|' || i.indisprimary || '|' || "
        "(i.indpred IS NOT NULL) || '|' || (SELECT string_agg(a.attname, ',' ORDER BY k.ord) "
        "FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) JOIN pg_attribute a "
        "ON a.attrelid = i.indrelid AND a.attnum = k.attnum) "
        "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = $1::regclass",
        PgParams().text(table), "test"));
    auto has_index = [&](const std::string& name, bool unique, bool partial,
                         const std::string& columns) {
      for (const auto& index : pg_indexes) {
        const auto p = split(index, '|');
        if ((name.empty() || p.at(0) == name) && p.at(1) == (unique ? "true" : "false") &&
            p.at(3) == (partial ? "true" : "false") && p.at(4) == columns)
          return true;
      }
      return false;
    };

    // Indexes: those made by CREATE INDEX under the same name; those of a
    // UNIQUE or PRIMARY KEY constraint as a unique index on the same columns.
    for (const auto& row : raw.column("SELECT name || '|' || \"unique\" || '|' || origin || '|' "
                                      "|| partial FROM pragma_index_list('" +
                                          table + "')",
                                      0)) {
      const auto p = split(row, '|');
      const std::string columns =
          raw.scalar("SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_index_info('" +
                     p.at(0) + "') ORDER BY seqno)");
      SCOPED_TRACE(row + " on " + columns);
      if (p.at(2) == "c") {
        sqlite_named_indexes.insert(p.at(0));
        EXPECT_TRUE(has_index(p.at(0), p.at(1) == "1", p.at(3) == "1", columns));
      } else {
        EXPECT_TRUE(has_index("", true, false, columns));
      }
    }
    // The primary key, a rowid alias included.
    const std::string key =
        raw.scalar("SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info('" +
                   table + "') WHERE pk > 0 ORDER BY pk)");
    EXPECT_EQ(std::count_if(pg_indexes.begin(), pg_indexes.end(),
                            [&](const std::string& index) {
                              const auto p = split(index, '|');
                              return p.at(2) == "true" && p.at(4) == key;
                            }),
              1)
        << key;

    // Foreign keys: "columns->parent(columns)".
    auto sqlite_keys = raw.column(
        "SELECT group_concat(\"from\", ',') || '->' || \"table\" || '(' || "
        "group_concat(\"to\", ',') || ')' FROM (SELECT * FROM pragma_foreign_key_list('" +
            table + "') ORDER BY id, seq) GROUP BY id",
        0);
    std::sort(sqlite_keys.begin(), sqlite_keys.end());
    auto pg_keys = column(connection.query(
        "SELECT (SELECT string_agg(a.attname, ',' ORDER BY k.ord) "
        "FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord) JOIN pg_attribute a "
        "ON a.attrelid = c.conrelid AND a.attnum = k.attnum) || '->' || "
        "c.confrelid::regclass::text || '(' || "
        "(SELECT string_agg(a.attname, ',' ORDER BY k.ord) "
        "FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord) JOIN pg_attribute a "
        "ON a.attrelid = c.confrelid AND a.attnum = k.attnum) || ')' "
        "FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = $1::regclass",
        PgParams().text(table), "test"));
    std::sort(pg_keys.begin(), pg_keys.end());
    EXPECT_EQ(pg_keys, sqlite_keys);

    // CHECK constraints, by number (SQLite keeps them only in the table's SQL).
    const std::string sql =
        raw.scalar("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'");
    std::size_t checks = 0;
    for (auto at = sql.find("CHECK"); at != std::string::npos; at = sql.find("CHECK", at + 1))
      ++checks;
    EXPECT_EQ(connection
                  .query("SELECT count(*) FROM pg_constraint WHERE contype = 'c' "
                         "AND conrelid = $1::regclass",
                         PgParams().text(table), "test")
                  .int64(0, 0),
              static_cast<std::int64_t>(checks));
  }

  std::set<std::string> pg_named_indexes = sqlite_named_indexes;
  pg_named_indexes.insert(pg_only_indexes.begin(), pg_only_indexes.end());
  std::set<std::string> found_named_indexes;
  for (const auto& name : column(
           connection.query("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                            "AND indexname NOT LIKE '%\\_pkey' AND indexname NOT LIKE '%\\_key'",
                            PgParams(), "test")))
    found_named_indexes.insert(name);
  EXPECT_EQ(found_named_indexes, pg_named_indexes);

  auto triggers = as_set(raw.column("SELECT name FROM sqlite_master WHERE type = 'trigger'", 0));
  EXPECT_EQ(triggers, (std::set<std::string>{"audit_log_no_update", "audit_log_no_delete",
                                             "events_no_update", "events_no_delete"}));
  triggers.insert(pg_only_triggers.begin(), pg_only_triggers.end());
  EXPECT_EQ(as_set(column(connection.query("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal",
                                           PgParams(), "test"))),
            triggers);
}

// A StoreError that is a constraint violation (a trigger's RAISE
// EXCEPTION) whose message holds `message`; anything else fails.
void expect_refused(PgConnection& connection, SqlText sql, const std::string& message) {
  try {
    connection.exec(sql, "test");
    ADD_FAILURE() << "not refused: " << sql.data();
  } catch (const StoreError& e) {
    EXPECT_TRUE(e.is_constraint_violation()) << e.what();
    EXPECT_EQ(e.sqlstate(), "P0001") << e.what();
    EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
  }
}

TEST(PgSchemaTest, AuditLogIsAppendOnly) {
  MigratedDatabase pg;
  PgConnection& connection = pg.connection;
  connection.exec(
      "INSERT INTO audit_log(at, council, participant, action, op, outcome) "
      "VALUES('2026-11-24T10:00:00.000Z', 'c1', 'p1', 'command', 'issue.post', 'forbidden')",
      "test");
  expect_refused(connection, "UPDATE audit_log SET outcome = 'ok'", "audit_log is append-only");
  expect_refused(connection, "DELETE FROM audit_log", "audit_log is append-only");
  expect_refused(connection, "TRUNCATE audit_log", "audit_log is append-only");
  EXPECT_EQ(scalar(connection, "SELECT outcome FROM audit_log"), "forbidden");
  EXPECT_EQ(scalar(connection,
                   "SELECT action || '|' || outcome || '|' || coalesce(seq::text, '-') "
                   "FROM audit_trail"),
            "command|forbidden|-");
}

// Council c1: an issue (seq 1), a text.redacted event (seq 2) and another
// issue (seq 3); and the rewrites that a redaction of an issue's text makes.
void insert_issue_and_redaction(PgConnection& connection) {
  connection.exec(
      "INSERT INTO events VALUES"
      "('c1', 1, 'issue.posted', '2026-11-24T10:00:00.000Z', 'p1', '佐藤', '北広島町', 'member',"
      " 'm1', 'k1', '{\"issue\":\"i1\",\"text\":\"秘密の話\"}',"
      " '{\"type\":\"event\",\"seq\":1,\"data\":{\"issue\":\"i1\",\"text\":\"秘密の話\"}}'),"
      "('c1', 2, 'text.redacted', '2026-11-24T10:05:00.000Z', 'p2', '鈴木', '北広島町',"
      " 'facilitator', 'm1', 'k2', '{\"target\":1,\"reason\":\"誤記\"}',"
      " '{\"type\":\"event\",\"seq\":2}'),"
      "('c1', 3, 'issue.posted', '2026-11-24T10:06:00.000Z', 'p1', '佐藤', '北広島町', 'member',"
      " 'm1', 'k3', '{\"issue\":\"i2\",\"text\":\"別の話\"}',"
      " '{\"type\":\"event\",\"seq\":3,\"data\":{\"issue\":\"i2\",\"text\":\"別の話\"}}')",
      "test");
}

constexpr char redaction_update[] =
    "UPDATE events SET data = '{\"issue\":\"i1\",\"text\":\"\",\"redacted\":true}', "
    "frame = '{\"type\":\"event\",\"seq\":1,\"data\":{\"issue\":\"i1\",\"text\":\"\","
    "\"redacted\":true}}' WHERE council = 'c1' AND seq = 1";
constexpr char redaction_update_of_3[] =
    "UPDATE events SET data = '{\"issue\":\"i2\",\"text\":\"\",\"redacted\":true}', "
    "frame = '{\"type\":\"event\",\"seq\":3,\"data\":{\"issue\":\"i2\",\"text\":\"\","
    "\"redacted\":true}}' WHERE council = 'c1' AND seq = 3";

TEST(PgSchemaTest, EventsAreAppendOnly) {
  MigratedDatabase pg;
  PgConnection& connection = pg.connection;
  insert_issue_and_redaction(connection);
  expect_refused(connection, "UPDATE events SET by_name = '田中' WHERE seq = 1",
                 "events are append-only");
  expect_refused(connection, "DELETE FROM events WHERE seq = 1", "events are append-only");
  expect_refused(connection, "TRUNCATE events", "events are append-only");
  EXPECT_EQ(scalar(connection, "SELECT count(*) FROM events"), "3");
  EXPECT_EQ(scalar(connection, "SELECT by_name FROM events WHERE seq = 1"), "佐藤");
  // The redaction's own shape, without a grant.
  expect_refused(connection, redaction_update, "events are append-only");
  EXPECT_EQ(scalar(connection, "SELECT data FROM events WHERE seq = 1"),
            "{\"issue\":\"i1\",\"text\":\"秘密の話\"}");
}

TEST(PgSchemaTest, ARedactionWithAGrantRewritesDataAndFrameAndNothingElse) {
  MigratedDatabase pg;
  PgConnection& connection = pg.connection;
  insert_issue_and_redaction(connection);

  // A grant allows nothing unless it names a text.redacted event of the
  // same council after the row: not the row itself, nor a later event of
  // another op, nor another council's text.redacted, nor an earlier one.
  connection.exec(
      "INSERT INTO events VALUES('c2', 2, 'text.redacted', '2026-11-24T10:05:00.000Z', 'p9',"
      " '田中', '庄原市', 'facilitator', NULL, NULL, '{\"target\":1,\"reason\":\"誤記\"}',"
      " '{\"type\":\"event\",\"seq\":2}')",
      "test");
  connection.exec("INSERT INTO redaction_grant VALUES('c1', 1), ('c1', 3), ('c2', 2)", "test");
  expect_refused(connection, redaction_update, "events are append-only");
  connection.exec("DELETE FROM redaction_grant", "test");
  connection.exec("INSERT INTO redaction_grant VALUES('c1', 2)", "test");
  expect_refused(connection, redaction_update_of_3, "events are append-only");
  // Nor does a text.redacted event's grant allow rewriting that event.
  expect_refused(connection,
                 "UPDATE events SET data = '{\"redacted\":true}', "
                 "frame = '{\"data\":{\"redacted\":true}}' WHERE council = 'c1' AND seq = 2",
                 "events are append-only");
  connection.exec("DELETE FROM redaction_grant", "test");

  // With the grant: every column but data and frame stays as it is, and
  // both say redacted (true, not "true").
  const auto refused_with_grant = [&](SqlText sql) {
    connection.exec("BEGIN", "test");
    connection.exec("INSERT INTO redaction_grant VALUES('c1', 2)", "test");
    expect_refused(connection, sql, "events are append-only");
    connection.exec("ROLLBACK", "test");
  };
  refused_with_grant(
      "UPDATE events SET data = '{\"redacted\":true}', frame = '{\"data\":{\"redacted\":true}}',"
      " council = 'c0' WHERE council = 'c1' AND seq = 1");
  refused_with_grant(
      "UPDATE events SET data = '{\"redacted\":true}', frame = '{\"data\":{\"redacted\":true}}',"
      " seq = 0 WHERE council = 'c1' AND seq = 1");
  refused_with_grant(
      "UPDATE events SET data = '{\"redacted\":true}', frame = '{\"data\":{\"redacted\":true}}',"
      " op = 'issue.edited' WHERE council = 'c1' AND seq = 1");
  refused_with_grant(
      "UPDATE events SET data = '{\"redacted\":true}', frame = '{\"data\":{\"redacted\":true}}',"
      " at = '2026-11-24T10:00:00.001Z' WHERE council = 'c1' AND seq = 1");
  refused_with_grant(
      "UPDATE events SET data = '{\"redacted\":true}', frame = '{\"data\":{\"redacted\":true}}',"
      " participant = 'p2' WHERE council = 'c1' AND seq = 1");
  refused_with_grant(
      "UPDATE events SET data = '{\"redacted\":true}', frame = '{\"data\":{\"redacted\":true}}',"
      " by_name = '田中' WHERE council = 'c1' AND seq = 1");
  refused_with_grant(
      "UPDATE events SET data = '{\"redacted\":true}', frame = '{\"data\":{\"redacted\":true}}',"
      " by_org = '庄原市' WHERE council = 'c1' AND seq = 1");
  refused_with_grant(
      "UPDATE events SET data = '{\"redacted\":true}', frame = '{\"data\":{\"redacted\":true}}',"
      " by_role = 'observer' WHERE council = 'c1' AND seq = 1");
  refused_with_grant(
      "UPDATE events SET data = '{\"redacted\":true}', frame = '{\"data\":{\"redacted\":true}}',"
      " meeting = NULL WHERE council = 'c1' AND seq = 1");
  refused_with_grant(
      "UPDATE events SET data = '{\"redacted\":true}', frame = '{\"data\":{\"redacted\":true}}',"
      " command_id = NULL WHERE council = 'c1' AND seq = 1");
  refused_with_grant(
      "UPDATE events SET data = '{\"redacted\":true}', frame = '{\"data\":{}}'"
      " WHERE council = 'c1' AND seq = 1");
  refused_with_grant(
      "UPDATE events SET data = '{\"text\":\"\"}', frame = '{\"data\":{\"redacted\":true}}'"
      " WHERE council = 'c1' AND seq = 1");
  refused_with_grant(
      "UPDATE events SET data = '{\"redacted\":\"true\"}',"
      " frame = '{\"data\":{\"redacted\":true}}' WHERE council = 'c1' AND seq = 1");
  refused_with_grant(
      "UPDATE events SET data = '{\"redacted\":true}',"
      " frame = '{\"data\":{\"redacted\":\"true\"}}' WHERE council = 'c1' AND seq = 1");

  refused_with_grant(
      "UPDATE events SET data = '{\"redacted\":false}',"
      " frame = '{\"data\":{\"redacted\":true}}' WHERE council = 'c1' AND seq = 1");
  refused_with_grant(
      "UPDATE events SET data = '{\"redacted\":true}',"
      " frame = '{\"data\":{\"redacted\":false}}' WHERE council = 'c1' AND seq = 1");

  // As the writer does it: grant, rewrite and drop the grant in one
  // transaction.
  connection.exec("BEGIN", "test");
  connection.exec("INSERT INTO redaction_grant VALUES('c1', 2)", "test");
  connection.exec(redaction_update, "test");
  connection.exec("DELETE FROM redaction_grant", "test");
  connection.exec("COMMIT", "test");
  EXPECT_EQ(scalar(connection, "SELECT data FROM events WHERE seq = 1"),
            "{\"issue\":\"i1\",\"text\":\"\",\"redacted\":true}");
  EXPECT_EQ(scalar(connection, "SELECT by_name || '|' || command_id FROM events WHERE seq = 1"),
            "佐藤|k1");
  EXPECT_EQ(scalar(connection, "SELECT count(*) FROM redaction_grant"), "0");
  EXPECT_EQ(scalar(connection, "SELECT redaction FROM audit_trail WHERE op = 'text.redacted'"),
            "{\"target\":1,\"reason\":\"誤記\"}");
  // Without the grant, the rewritten row is as final as any other.
  expect_refused(connection, redaction_update, "events are append-only");
}

TEST(PgSchemaTest, ADatabaseOfANewerVersionIsRefusedAndLeftAsItIs) {
  MigratedDatabase pg;
  PgConnection& connection = pg.connection;
  connection.exec("UPDATE renkei_schema SET version = version + 1", "test");
  const std::string before = schema_snapshot(connection);
  try {
    migrate_pg(connection);
    ADD_FAILURE() << "a newer schema was not refused";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.sqlite_code(), SQLITE_CANTOPEN) << e.what();
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(connection.in_transaction());
  EXPECT_EQ(schema_snapshot(connection), before);
  EXPECT_EQ(pg_user_version(connection), pg_schema_version + 1);

  // Nothing is created in a database that holds only a newer version.
  PgConnection bare(local_pg_cluster::fresh_database());
  bare.exec("CREATE TABLE renkei_schema(version INTEGER NOT NULL)", "test");
  bare.exec("INSERT INTO renkei_schema VALUES(99)", "test");
  EXPECT_THROW(migrate_pg(bare), StoreError);
  EXPECT_EQ(scalar(bare, "SELECT to_regclass('events') IS NULL"), "t");
  EXPECT_EQ(pg_user_version(bare), 99);
}

TEST(PgSchemaTest, IdsAreGeneratedFromOneAndMayBeGivenOnCopy) {
  MigratedDatabase pg;
  PgConnection& connection = pg.connection;
  EXPECT_EQ(scalar(connection,
                   "INSERT INTO councils(name, kind, created_at) "
                   "VALUES('a', 'council', '2026-11-24T10:00:00.000Z') RETURNING id"),
            "1");
  connection.exec(
      "INSERT INTO councils(name, kind, created_at) "
      "VALUES('b', 'one_on_one', '2026-11-24T10:00:00.000Z')",
      "test");
  EXPECT_EQ(scalar(connection, "SELECT lastval()"), "2");
  connection.exec(
      "INSERT INTO councils(id, name, kind, created_at) "
      "VALUES(10, 'copied', 'council', '2026-11-24T10:00:00.000Z')",
      "test");
  EXPECT_EQ(scalar(connection, "SELECT string_agg(id::text, ',' ORDER BY id) FROM councils"),
            "1,2,10");
  // CHECK and foreign keys hold as on SQLite.
  try {
    connection.exec(
        "INSERT INTO councils(name, kind, created_at) VALUES('x', 'club', '2026-11-24')", "test");
    ADD_FAILURE() << "kind 'club' accepted";
  } catch (const StoreError& e) {
    EXPECT_TRUE(e.is_constraint_violation()) << e.what();
  }
  try {
    connection.exec(
        "INSERT INTO participants(council, name, org, role, token_hash, created_at) "
        "VALUES(99, '佐藤', '北広島町', 'member', 'h', '2026-11-24')",
        "test");
    ADD_FAILURE() << "a participant of no council accepted";
  } catch (const StoreError& e) {
    EXPECT_TRUE(e.is_constraint_violation()) << e.what();
  }
}

TEST(PgSchemaTest, TheTrigramIndexServesSubstringsOfJapaneseText) {
  MigratedDatabase pg;
  PgConnection& connection = pg.connection;
  connection.exec(
      "INSERT INTO search_text VALUES"
      "('c1', 1, 1, 'issue', 'i1', 'm1', '2026-11-24T10:00:00.000Z', '退院調整ルールの見直し'),"
      "('c1', 2, 1, 'role', 'r1', NULL, '2026-11-24T10:01:00.000Z', '在宅医療 Care Manager'),"
      "('c1', 2, 2, 'role_detail', 'r1', NULL, '2026-11-24T10:01:00.000Z', '連絡会の運営')",
      "test");
  EXPECT_NE(scalar(connection, "SELECT show_trgm('退院調整')"), "{}")
      << "the database's ctype must be UTF-8 for trigrams of Japanese text";
  connection.exec("SET enable_seqscan = off", "test");
  const auto plan = column(connection.query(
      "EXPLAIN SELECT seq FROM search_text WHERE text LIKE '%院調整ル%'", PgParams(), "test"));
  std::string joined;
  for (const auto& line : plan) joined += line + "\n";
  EXPECT_NE(joined.find("search_text_trgm"), std::string::npos) << joined;

  EXPECT_EQ(scalar(connection,
                   "SELECT string_agg(seq || ':' || n, ',' ORDER BY seq, n) FROM search_text "
                   "WHERE council = 'c1' AND text LIKE '%院調整ル%'"),
            "1:1");
  EXPECT_EQ(scalar(connection,
                   "SELECT string_agg(seq || ':' || n, ',' ORDER BY seq, n) FROM search_text "
                   "WHERE council = 'c1' AND text ILIKE '%care man%'"),
            "2:1");
  // Terms of one or two characters give no trigram: matched all the same.
  EXPECT_EQ(scalar(connection,
                   "SELECT string_agg(seq || ':' || n, ',' ORDER BY seq, n) FROM search_text "
                   "WHERE council = 'c1' AND text LIKE '%会%'"),
            "2:2");
}

}  // namespace
}  // namespace renkei::store
