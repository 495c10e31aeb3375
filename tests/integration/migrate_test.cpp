// Moving a SQLite database to PostgreSQL and the same answers on both
// engines (POSTGRES.md): `renkei migrate` copies a database a real server
// wrote, verifies it, and refuses a target that is not empty; a server on
// the copy serves the record, the minutes, the exports, the calendar and
// search byte for byte as the server on the file did; a pg_dump of it
// restored into another database serves them the same again.
#include <filesystem>

#include "pg_cluster.hpp"
#include "test_support.hpp"

namespace renkei::it {
namespace {

std::string pg_tool(const std::string& name) {
  for (const char* dir : {"/usr/lib/postgresql/15/bin", "/usr/bin"})
    if (std::filesystem::exists(std::string(dir) + "/" + name))
      return std::string(dir) + "/" + name;
  return name;
}

// Every document of the council the facilitator can read, as served.
std::vector<std::pair<std::string, std::string>> documents(std::uint16_t port, const Credentials& f,
                                                           const std::string& meeting) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& leaf :
       {std::string("record"), std::string("changes"), std::string("comparison"),
        std::string("roles.csv"), std::string("issues.csv"), std::string("roles.ics"),
        "meetings/" + meeting + "/minutes.md", "meetings/" + meeting + "/minutes.html",
        std::string("search?q=%E9%80%80%E9%99%A2"), std::string("search?q=%E5%9C%A8")}) {
    const auto page = http_get(port, "/api/councils/" + f.council + "/" + leaf,
                               {{"Authorization", "Bearer " + f.token}});
    EXPECT_EQ(page.result_int(), 200) << leaf << ": " << page.body();
    out.emplace_back(leaf, page.body());
  }
  return out;
}

TEST(MigrateTest, ACopyOnPostgresqlServesTheSameDocumentsAndABackupRestoresThem) {
  ServerProcess file;  // SQLite, whatever RENKEI_TEST_ENGINE says
  if (file.db().starts_with("postgresql://")) GTEST_SKIP() << "needs a SQLite source";
  file.start();
  const auto f = file.create_council("西部圏域 地域共生ケア会議", "山本 真理", "西部保健所");
  const auto o = file.invite(f.council, "佐藤 恵子", "北広島町", "member");
  const auto x = file.invite(f.council, "田中 浩二", "坂町地域包括支援センター", "member");
  MixedScript script;
  {
    Participant fp(file.port(), f);
    Participant op(file.port(), o);
    Participant xp(file.port(), x);
    script = run_mixed_script(fp, op, xp);
  }
  const auto expected = documents(file.port(), f, script.meeting);
  ASSERT_EQ(file.stop(), 0);

  const std::string target = renkei::testing::PgCluster::shared().fresh_database();
  const auto moved = run_renkei({"migrate", "--from", file.db(), "--to", target});
  ASSERT_EQ(moved.status, 0) << moved.err;
  EXPECT_NE(moved.out.find("\"verified\":true"), std::string::npos) << moved.out;
  EXPECT_NE(moved.out.find("\"events\":" + std::to_string(script.last_seq)), std::string::npos)
      << moved.out;
  // A second run finds the target in use and changes nothing.
  const auto again = run_renkei({"migrate", "--from", file.db(), "--to", target});
  EXPECT_NE(again.status, 0);
  EXPECT_NE(again.err.find("not empty"), std::string::npos) << again.err;
  // purge-redacted rewrites the log's tables (VACUUM FULL); what is served
  // after it is the same. On SQLite there is nothing to do.
  const auto purged = run_renkei({"purge-redacted", "--db", target});
  ASSERT_EQ(purged.status, 0) << purged.err;
  EXPECT_EQ(purged.out, "{\"purged\":true}\n");
  const auto on_sqlite = run_renkei({"purge-redacted", "--db", file.db()});
  EXPECT_EQ(on_sqlite.status, 0) << on_sqlite.err;
  EXPECT_EQ(on_sqlite.out, "{\"purged\":false}\n");

  // The file's key goes along: sealed second factors stay readable.
  ServerProcess on_target;
  on_target.set_args({"--secret-key", file.db() + ".key"});
  on_target.set_db(target);
  on_target.start();
  const auto served = documents(on_target.port(), f, script.meeting);
  ASSERT_EQ(served.size(), expected.size());
  for (std::size_t i = 0; i < served.size(); ++i)
    EXPECT_EQ(served[i].second, expected[i].second) << served[i].first;
  // The migrated council goes on: the next event takes the next seq.
  {
    Participant fp(on_target.port(), f);
    EXPECT_EQ(fp.ok("issue.post", {{"text", "移行後の課題"}}), script.last_seq + 1);
  }
  ASSERT_EQ(on_target.stop(), 0);

  // `renkei backup` on PostgreSQL (pg_dump's custom format), restored with
  // PostgreSQL's own pg_restore.
  const std::string dump = on_target.dir() + "/renkei.dump";
  const auto dumped = run_renkei({"backup", "--db", target, "--out", dump});
  ASSERT_EQ(dumped.status, 0) << dumped.err;
  EXPECT_NE(dumped.out.find("renkei.dump"), std::string::npos) << dumped.out;
  const auto over = run_renkei({"backup", "--db", target, "--out", dump});
  EXPECT_NE(over.status, 0) << "an existing file is never overwritten";
  const auto listed = run_program({pg_tool("pg_restore"), "--list", dump});
  ASSERT_EQ(listed.status, 0) << listed.err;
  EXPECT_NE(listed.out.find("TABLE DATA public events"), std::string::npos);
  const std::string restored = renkei::testing::PgCluster::shared().fresh_database();
  const auto loaded = run_program({pg_tool("pg_restore"), "-d", restored, dump});
  ASSERT_EQ(loaded.status, 0) << loaded.err;
  ServerProcess from_backup;
  from_backup.set_args({"--secret-key", file.db() + ".key"});
  from_backup.set_db(restored);
  from_backup.start();
  Participant fp(from_backup.port(), f);
  EXPECT_EQ(fp.hello().events.size(), script.last_seq + 1);
  const auto record = get_record(from_backup.port(), f.council, f.token);
  EXPECT_NE(record.find("移行後の課題"), std::string::npos);
  EXPECT_EQ(fp.ok("issue.post", {{"text", "復元後の課題"}}), script.last_seq + 2)
      << "identity and seq continue after a restore";
}

}  // namespace
}  // namespace renkei::it
