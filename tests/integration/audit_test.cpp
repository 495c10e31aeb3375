// The audit trail (AUTHORIZATION.md "Audit", STORAGE.md "Audit trail"):
// `renkei audit --council ID` lists every accepted and refused command,
// every join and every read of the record, oldest first, as JSON lines
// (who, when, what, outcome), and never holds message text, client ids,
// tokens or cookie values.
#include <regex>

#include "trust_support.hpp"

namespace renkei::it {
namespace {

namespace http = boost::beast::http;

struct AuditLine {
  std::string text;
  json::object json;
  std::string str(const char* key) const {
    const json::value& v = json.at(key);
    return v.is_null() ? "null" : v.is_string() ? std::string(v.as_string()) : json::serialize(v);
  }
};

class AuditTest : public IntegrationTest {
 protected:
  AuditTest() : IntegrationTest(unlimited_rate) {}

  std::vector<AuditLine> audit(const std::string& council, std::string* raw = nullptr) {
    auto result = run_renkei({"audit", "--db", server.db(), "--council", council});
    EXPECT_EQ(result.status, 0) << result.err;
    if (raw) *raw = result.out;
    std::vector<AuditLine> out;
    for (const std::string& line : lines_of(result.out)) {
      boost::system::error_code ec;
      json::value v = json::parse(line, ec);
      if (ec || !v.is_object()) {
        ADD_FAILURE() << "audit line is not a JSON object: " << line;
        continue;
      }
      out.push_back(AuditLine{line, v.as_object()});
    }
    return out;
  }
};

// Lines with these values (by key; "null" for null).
std::size_t count_of(const std::vector<AuditLine>& lines,
                     const std::vector<std::pair<const char*, std::string>>& want) {
  std::size_t n = 0;
  for (const AuditLine& line : lines) {
    bool all = true;
    for (const auto& [key, value] : want) all = all && line.str(key) == value;
    n += all;
  }
  return n;
}

TEST_F(AuditTest, ListsWhoWhenWhatAndOutcomeAndNeverTextIdsOrSecrets) {
  const Canary canary;
  const std::string id_mark = "idmark" + random_hex(6);
  auto id = [&](const std::string& n) { return id_mark + "-" + n; };
  const auto invited = members({{"佐藤 恵子", "北広島町"}, {"小林 直美", "広島県", "observer"}});
  const Credentials m_c = invited[0];
  const Credentials o_c = invited[1];
  const Credentials other = server.create_council("別の協議体", "中村 健一", "安芸地区医師会");
  auto f = join(facilitator);
  auto m = join(m_c);
  auto o = join(o_c);

  // Accepted commands.
  const std::uint64_t s1 = f->ws().command(id("1"), "issue.post", text_args(canary.text)).seq();
  const std::uint64_t s2 = m->ws().command(id("2"), "issue.post", text_args(canary.text)).seq();
  const std::uint64_t s3 =
      f->ws()
          .command(id("3"), "role.propose", {{"title", canary.text}, {"owner_org", "北広島町"}})
          .seq();
  ASSERT_EQ(s3, 3u);
  // Refused ones.
  EXPECT_EQ(m->ws().command(id("4"), "meeting.start", {{"title", canary.text}}).str("code"),
            "forbidden");
  EXPECT_EQ(o->ws().command(id("5"), "issue.post", text_args(canary.text)).str("code"),
            "forbidden");
  EXPECT_EQ(f->ws()
                .command(id("6"), "ranking.close", {{"ranking", facilitator.council + "-r999"}})
                .str("code"),
            "not_found");
  EXPECT_EQ(m->ws().command(id("7"), "x." + canary.core, text_args(canary.text)).str("code"),
            "unknown_op");
  EXPECT_EQ(f->ws().command(id("8"), "issue.post", {{"text", 7}}).str("code"), "bad_request");
  // Reads of the record.
  const std::string path = "/api/councils/" + facilitator.council + "/record";
  EXPECT_EQ(http_get(server.port(), path, {{"Authorization", "Bearer " + facilitator.token}})
                .result_int(),
            200);
  EXPECT_EQ(
      http_get(server.port(), path, {{"Authorization", "Bearer " + canary.core}}).result_int(),
      401);
  EXPECT_EQ(
      http_get(server.port(), path, {{"Authorization", "Bearer " + other.token}}).result_int(),
      403);
  // A refused join, and a browser session.
  {
    WsClient stranger(server.port());
    stranger.send(
        json::object{{"type", "hello"}, {"token", canary.core}, {"council", facilitator.council}});
    EXPECT_EQ(stranger.expect().str("code"), "unauthorized");
  }
  auto joined = http_get(server.port(), "/join/" + m_c.token);
  ASSERT_EQ(joined.result_int(), 303);
  const std::string set_cookie(joined[http::field::set_cookie]);
  const std::string cookie_value =
      set_cookie.substr(set_cookie.find('=') + 1, set_cookie.find(';') - set_cookie.find('=') - 1);
  EXPECT_EQ(
      http_get(server.port(), path, {{"Cookie", "renkei_session=" + cookie_value}}).result_int(),
      200);

  // Audit rows ride on the next commit; every row above was queued before
  // its reply came, so once a later command is acknowledged they are all on
  // disk.
  ASSERT_EQ(f->ws().command(id("9"), "issue.post", text_args("しめくくり")).seq(), 4u);
  const std::size_t expected_lines =
      4 /* accepted */ + 5 /* refused */ + 4 /* reads */ + 3 /* joins ok */ + 1 /* join refused */;
  std::string raw;
  const std::vector<AuditLine> lines = audit(facilitator.council, &raw);
  EXPECT_EQ(lines.size(), expected_lines) << raw;

  // Every line: who, when, what, outcome.
  static const std::regex at_format(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");
  std::string previous_at;
  for (const AuditLine& line : lines) {
    SCOPED_TRACE(line.text);
    EXPECT_EQ(keys_of(line.json),
              (std::set<std::string>{"at", "participant", "action", "op", "outcome", "seq"}));
    EXPECT_TRUE(std::regex_match(line.str("at"), at_format));
    EXPECT_GE(line.str("at"), previous_at) << "not oldest first";
    previous_at = line.str("at");
  }
  const std::string& fp = facilitator.participant;
  // Accepted commands: the events themselves, with their seq.
  EXPECT_EQ(count_of(lines, {{"action", "command"},
                             {"outcome", "accepted"},
                             {"seq", "1"},
                             {"participant", fp},
                             {"op", "issue.posted"}}),
            1u)
      << raw;
  EXPECT_EQ(count_of(lines, {{"action", "command"},
                             {"outcome", "accepted"},
                             {"seq", "2"},
                             {"participant", m_c.participant},
                             {"op", "issue.posted"}}),
            1u);
  EXPECT_EQ(count_of(lines, {{"action", "command"},
                             {"outcome", "accepted"},
                             {"seq", "3"},
                             {"participant", fp},
                             {"op", "role.proposed"}}),
            1u);
  (void)s1;
  (void)s2;
  // Refused commands: who, which op (never client text), the code.
  EXPECT_EQ(count_of(lines, {{"action", "command"},
                             {"participant", m_c.participant},
                             {"op", "meeting.start"},
                             {"outcome", "forbidden"},
                             {"seq", "null"}}),
            1u);
  EXPECT_EQ(count_of(lines, {{"action", "command"},
                             {"participant", o_c.participant},
                             {"op", "issue.post"},
                             {"outcome", "forbidden"}}),
            1u);
  EXPECT_EQ(count_of(lines, {{"action", "command"},
                             {"participant", fp},
                             {"op", "ranking.close"},
                             {"outcome", "not_found"}}),
            1u);
  EXPECT_EQ(count_of(lines, {{"action", "command"},
                             {"participant", m_c.participant},
                             {"op", "null"},
                             {"outcome", "unknown_op"}}),
            1u);
  EXPECT_EQ(count_of(lines, {{"action", "command"},
                             {"participant", fp},
                             {"op", "issue.post"},
                             {"outcome", "bad_request"}}),
            1u);
  // Reads: ok with the reader, refusals with their status.
  EXPECT_EQ(count_of(lines, {{"action", "read.record"}, {"participant", fp}, {"outcome", "ok"}}),
            1u);
  EXPECT_EQ(
      count_of(lines,
               {{"action", "read.record"}, {"participant", m_c.participant}, {"outcome", "ok"}}),
      1u)
      << "the read with the session cookie";
  EXPECT_EQ(count_of(lines, {{"action", "read.record"}, {"outcome", "401"}}), 1u) << raw;
  EXPECT_EQ(count_of(lines, {{"action", "read.record"}, {"outcome", "403"}}), 1u);
  // Joins.
  for (const Credentials* c : std::vector<const Credentials*>{&facilitator, &m_c, &o_c})
    EXPECT_EQ(
        count_of(lines, {{"action", "join"}, {"participant", c->participant}, {"outcome", "ok"}}),
        1u);
  EXPECT_EQ(
      count_of(lines, {{"action", "join"}, {"participant", "null"}, {"outcome", "unauthorized"}}),
      1u);

  // Never text, ids or secrets.
  EXPECT_FALSE(canary.in(raw)) << raw;
  EXPECT_EQ(raw.find(id_mark), std::string::npos) << "client command ids in the audit";
  for (const Credentials* c : std::vector<const Credentials*>{&facilitator, &m_c, &o_c, &other})
    EXPECT_EQ(raw.find(c->token), std::string::npos) << "a token in the audit";
  EXPECT_EQ(raw.find(cookie_value), std::string::npos) << "a cookie in the audit";

  // --limit keeps the oldest N.
  auto limited =
      run_renkei({"audit", "--db", server.db(), "--council", facilitator.council, "--limit", "4"});
  ASSERT_EQ(limited.status, 0);
  const auto limited_lines = lines_of(limited.out);
  ASSERT_EQ(limited_lines.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(limited_lines[i], lines[i].text);
}

// "every read of a record is written to audit_log" (AUTHORIZATION.md),
// also one that brings no credentials at all.
TEST_F(AuditTest, RecordReadWithoutCredentialsIsAudited) {
  EXPECT_EQ(
      http_get(server.port(), "/api/councils/" + facilitator.council + "/record").result_int(),
      401);
  auto f = join(facilitator);
  f->ok("issue.post", text_args("後の書き込み"));  // commits what was queued before
  std::string raw;
  const auto lines = audit(facilitator.council, &raw);
  EXPECT_EQ(
      count_of(lines, {{"action", "read.record"}, {"participant", "null"}, {"outcome", "401"}}), 1u)
      << "a read of the record without credentials left no audit row:\n"
      << raw;
}

// What a confused or hostile client puts where an id belongs (the council
// of a hello, the id in a record URL) is client text too: the audit table
// must not keep it, least of all a token sent in the wrong field.
TEST_F(AuditTest, ClientTextInIdFieldsIsNotKept) {
  const Canary canary;
  {
    WsClient confused(server.port());
    confused.send(json::object{
        {"type", "hello"}, {"token", facilitator.token}, {"council", facilitator.token}});
    EXPECT_EQ(confused.expect().str("code"), "unauthorized");
  }
  {
    WsClient hostile(server.port());
    hostile.send(
        json::object{{"type", "hello"}, {"token", facilitator.token}, {"council", canary.text}});
    EXPECT_EQ(hostile.expect().str("code"), "unauthorized");
  }
  EXPECT_EQ(http_get(server.port(), "/api/councils/" + canary.core + "/record",
                     {{"Authorization", "Bearer " + facilitator.token}})
                .result_int(),
            403);
  // Something else is committed after them.
  auto f = join(facilitator);
  f->ok("issue.post", text_args("後の書き込み"));
  std::string table;
  ASSERT_TRUE(eventually([&] {
    SqliteFile db(server.db());
    table.clear();
    for (const auto& row : db.rows("SELECT * FROM audit_log"))
      for (const auto& column : row) table += column + "|";
    return std::stoi(db.value("SELECT count(*) FROM audit_log")) >= 4;  // 3 refusals, 1 join
  }));
  EXPECT_EQ(table.find(facilitator.token), std::string::npos)
      << "a token sent as a council id is kept in audit_log: " << table;
  EXPECT_FALSE(canary.in(table)) << "client text kept in audit_log: " << table;
}

}  // namespace
}  // namespace renkei::it
