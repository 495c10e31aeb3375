// `renkei grant add|remove` (PEOPLE.md "Grants"): one JSON line on success,
// a Japanese-first message and nothing on stdout on failure, every change in
// the directory's trail with its old and new values, while `serve` runs.
#include "test_support.hpp"

namespace renkei::it {
namespace {

class GrantCliTest : public IntegrationTest {
 protected:
  json::object ok(const std::vector<std::string>& args) {
    auto result = run_renkei(args);
    EXPECT_EQ(result.status, 0) << result.err;
    EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 1) << result.out;
    return json::parse(result.out).as_object();
  }
  std::string refused(const std::vector<std::string>& args) {
    auto result = run_renkei(args);
    EXPECT_NE(result.status, 0) << result.out;
    EXPECT_EQ(result.out, "");
    return result.err;
  }
};

TEST_F(GrantCliTest, AddAndRemoveWithTheirTrail) {
  const auto org = ok({"org", "add", "--db", server.db(), "--name", "広島県庁", "--kind",
                       "prefecture", "--prefecture", "広島県"});
  const std::string org_id(org.at("org").as_string());
  const auto made = ok({"person", "add", "--db", server.db(), "--name", "県 職員", "--org", org_id,
                        "--login", "kencho"});
  const std::string person(made.at("person").as_string());

  const auto added = ok({"grant", "add", "--db", server.db(), "--person", person, "--role",
                         "prefecture_viewer", "--scope", "広島県"});
  EXPECT_EQ(added,
            (json::object{
                {"granted", person.c_str()}, {"role", "prefecture_viewer"}, {"scope", "広島県"}}));
  // Adding it again changes nothing and says so the same way.
  ok({"grant", "add", "--db", server.db(), "--person", person, "--role", "prefecture_viewer",
      "--scope", "広島県"});
  const auto admin = ok({"grant", "add", "--db", server.db(), "--person", person, "--role", "admin",
                         "--scope", "無視される"});
  EXPECT_EQ(admin.at("scope"), "");

  const auto removed = ok({"grant", "remove", "--db", server.db(), "--person", person, "--role",
                           "prefecture_viewer", "--scope", "広島県"});
  EXPECT_EQ(removed.at("removed"), json::value(person));
  ok({"grant", "remove", "--db", server.db(), "--person", person, "--role", "admin"});

  // Errors: Japanese first, nothing changed.
  EXPECT_EQ(refused({"grant", "remove", "--db", server.db(), "--person", person, "--role",
                     "prefecture_viewer", "--scope", "広島県"}),
            "renkei: その権限はありません / no such grant\n");
  EXPECT_NE(refused({"grant", "add", "--db", server.db(), "--person", person, "--role", "king",
                     "--scope", "x"})
                .find("--role: admin, secretariat, prefecture_viewer のいずれか"),
            std::string::npos);
  EXPECT_NE(
      refused({"grant", "add", "--db", server.db(), "--person", person, "--role", "secretariat"})
          .find("範囲 (--scope) が必要です"),
      std::string::npos);
  EXPECT_NE(refused({"grant", "add", "--db", server.db(), "--person", "u9999", "--role",
                     "prefecture_viewer", "--scope", "広島県"})
                .find("人が見つかりません"),
            std::string::npos);
  EXPECT_NE(
      refused({"grant", "remove", "--db", server.db(), "--person", "u9999", "--role", "admin"})
          .find("人が見つかりません"),
      std::string::npos);
  EXPECT_NE(refused({"grant", "add", "--db", server.db(), "--role", "admin"}).find("--person"),
            std::string::npos);

  // The trail: two adds and two removes, old and new values.
  auto result = run_renkei({"audit", "--db", server.db()});
  ASSERT_EQ(result.status, 0) << result.err;
  int adds = 0;
  int removes = 0;
  std::istringstream in(result.out);
  for (std::string line; std::getline(in, line);) {
    const auto row = json::parse(line).as_object();
    if (row.at("subject") != json::value(person)) continue;
    if (row.at("action") == "grant.add") {
      ++adds;
      EXPECT_TRUE(row.at("old").is_null());
      EXPECT_TRUE(row.at("new").is_object());
    }
    if (row.at("action") == "grant.remove") {
      ++removes;
      EXPECT_TRUE(row.at("old").is_object());
      EXPECT_TRUE(row.at("new").is_null());
    }
  }
  EXPECT_EQ(adds, 2);
  EXPECT_EQ(removes, 2);
}

}  // namespace
}  // namespace renkei::it
