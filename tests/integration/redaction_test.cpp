// text.redact end to end (PROTOCOL.md v1.1, server/docs/STORAGE.md
// "Redaction"): personal information posted as an issue, a proposal, a
// stance reason, a role's title and detail and a participant's notes is
// erased; afterwards no live event, catch-up, document, export, search
// result, backup, database file, WAL or search index file holds it, also
// after a restart; the audit trail keeps who erased what, when and why.
#include <boost/json.hpp>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <thread>

#include "test_support.hpp"
#include "trust_support.hpp"

namespace renkei::it {
namespace {

std::string random_marker() {
  std::random_device random;
  std::string out = "marker-";
  for (int i = 0; i < 12; ++i) out += "0123456789abcdef"[random() % 16];
  return out;
}

// Percent-encodes every byte but unreserved ASCII (a query parameter).
std::string url_encode(const std::string& text) {
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += "0123456789ABCDEF"[c >> 4];
      out += "0123456789ABCDEF"[c & 15];
    }
  }
  return out;
}

std::string file_bytes(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

class RedactionTest : public IntegrationTest {
 protected:
  RedactionTest() : IntegrationTest(unlimited_rate) {}

  std::string get(const std::string& leaf) {
    const auto response =
        http_get(server.port(), "/api/councils/" + facilitator.council + "/" + leaf,
                 {{"Authorization", "Bearer " + facilitator.token}});
    EXPECT_EQ(response.result_int(), 200) << leaf << ": " << response.body();
    return response.body();
  }

  // Every place the text could still be read from the running server.
  void expect_gone_from_the_server(const std::string& meeting) {
    const std::vector<std::string> leaves{"record",
                                          "changes",
                                          "comparison",
                                          "roles.csv",
                                          "issues.csv",
                                          "roles.ics",
                                          "meetings/" + meeting + "/minutes.md",
                                          "meetings/" + meeting + "/minutes.html"};
    for (const std::string& leaf : leaves) {
      EXPECT_EQ(get(leaf).find(marker), std::string::npos) << leaf;
    }
    // A search echoes its query: no hit may come back.
    for (const std::string& query : {marker, marker.substr(7, 5), std::string("山田太郎")}) {
      const json::object found = json::parse(get("search?q=" + url_encode(query))).as_object();
      EXPECT_TRUE(found.at("hits").as_array().empty()) << query << ": " << json::serialize(found);
    }
    Participant fresh(server.port(), facilitator, 0);
    ASSERT_FALSE(fresh.hello().events.empty());
    for (const Frame& event : fresh.hello().events)
      EXPECT_EQ(event.text.find(marker), std::string::npos) << "catch-up: " << event.text;
  }

  // The database and search index files, as bytes. The search index loses
  // the texts on the indexer's next round: wait for it a little.
  void expect_gone_from_the_files() {
    for (const std::string& path : {server.db(), server.db() + "-wal"})
      EXPECT_EQ(file_bytes(path).find(marker), std::string::npos) << path;
    const std::string index = server.db() + ".search";
    bool clean = false;
    for (int i = 0; i < 100 && !clean; ++i) {
      clean = file_bytes(index).find(marker) == std::string::npos &&
              file_bytes(index + "-wal").find(marker) == std::string::npos;
      if (!clean) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_TRUE(clean) << "the search index file still holds the text";
  }

  const std::string marker = random_marker();
  const std::string pii = "山田太郎さん（82歳）090-1234-5678 " + marker;
};

TEST_F(RedactionTest, AnErasedTextIsGoneEverywhereAndTheAuditKeepsTheRedaction) {
  const auto people = members(
      {{"佐藤 花子", "北広島町"}, {"鈴木 一郎", "医師会"}, {"田中 次郎", "県本庁", "observer"}});
  auto f = join(facilitator);
  auto owner = join(people[0]);
  auto other = join(people[1]);
  auto watcher = join(people[2]);

  const std::string meeting =
      f->create("meeting.start", {{"title", "第1回 地域共生ケア会議"}}, "meeting");
  const std::string issue = owner->create("issue.post", text_args(pii), "issue");
  const std::string proposal =
      f->create("proposal.open", {{"kind", "direction"}, {"text", "方針 " + pii}}, "proposal");
  owner->ok("proposal.stance", {{"proposal", proposal}, {"stance", "block"}, {"reason", pii}});
  other->ok("proposal.stance", {{"proposal", proposal}, {"stance", "agree"}, {"reason", "賛成"}});
  const std::string role = owner->create(
      "role.propose", {{"title", "見守り " + marker}, {"owner_org", "北広島町"}, {"detail", pii}},
      "role");
  owner->ok("role.consent", {{"role", role}, {"consent", true}, {"note", pii}});
  owner->ok("role.status", {{"role", role}, {"status", "in_progress"}, {"note", pii}});
  ASSERT_FALSE(json::parse(get("search?q=" + marker)).at("hits").as_array().empty())
      << "found before";

  // Bad input: a clear error, nothing changes.
  const std::uint64_t head_before = f->ok("issue.post", text_args("区切り"));
  const auto refused = [&](Participant& who, json::object args, const std::string& code) {
    const Frame reply = who.send("text.redact", std::move(args));
    EXPECT_EQ(reply.type(), "error") << reply.text;
    EXPECT_EQ(reply.str("code"), code) << reply.text;
    EXPECT_FALSE(reply.str("message").empty());
    return reply;
  };
  const Frame forbidden = refused(*other, {{"target", issue}, {"reason", "個人情報"}}, "forbidden");
  EXPECT_EQ(forbidden.str("message").rfind("伏せ字にできるのは", 0), 0u) << forbidden.text;
  refused(*watcher, {{"target", issue}, {"reason", "個人情報"}}, "forbidden");
  refused(*other, {{"target", role}, {"participant", owner->id()}, {"reason", "x"}}, "forbidden");
  refused(*f, {{"target", facilitator.council + "-i99"}, {"reason", "個人情報"}}, "not_found");
  refused(*f, {{"target", proposal}, {"participant", "p999"}, {"reason", "x"}}, "not_found");
  refused(*f, {{"target", issue}}, "bad_request");
  refused(*f, {{"target", issue}, {"reason", ""}}, "bad_request");
  EXPECT_EQ(f->ok("issue.post", text_args("区切り")), head_before + 1) << "no event was added";

  // The author erases what they wrote; the facilitator the proposal text.
  owner->ok("text.redact", {{"target", issue}, {"reason", "氏名と年齢"}});
  f->ok("text.redact", {{"target", proposal}, {"reason", "個人が特定できる"}});
  owner->ok("text.redact",
            {{"target", proposal}, {"participant", owner->id()}, {"reason", "病名"}});
  owner->ok("text.redact", {{"target", role}, {"reason", "電話番号"}});
  const std::uint64_t last = owner->ok(
      "text.redact", {{"target", role}, {"participant", owner->id()}, {"reason", "住所"}});
  refused(*f, {{"target", issue}, {"reason", "再度"}}, "conflict");
  f->ok("proposal.close", {{"proposal", proposal}});  // the minutes give the reasons
  f->ok("meeting.end");

  // A second client received the redactions live, with their args only.
  const Frame& live = other->event(last);
  EXPECT_EQ(live.str("op"), "text.redacted");
  EXPECT_EQ(keys_of(live.data()), (std::set<std::string>{"target", "participant", "reason"}));
  EXPECT_EQ(live.data().at("reason"), "住所");

  // A fresh catch-up: the rewritten events are marked and hold no text.
  Participant fresh(server.port(), facilitator, 0);
  int marked = 0;
  for (const Frame& event : fresh.hello().events) {
    if (const json::value* redacted = event.data().if_contains("redacted")) {
      EXPECT_EQ(*redacted, true);
      ++marked;
    }
  }
  EXPECT_EQ(marked, 6);  // issue, proposal, stance, role, consent, status

  const std::string record = get("record");
  EXPECT_NE(record.find(R"("redacted":{"seq":)"), std::string::npos) << record;
  EXPECT_NE(record.find(R"("reason":"氏名と年齢"})"), std::string::npos) << record;
  EXPECT_NE(get("meetings/" + meeting + "/minutes.md").find("（伏せ字：病名）"), std::string::npos);
  EXPECT_NE(get("meetings/" + meeting + "/minutes.html").find("（伏せ字：氏名と年齢）"),
            std::string::npos);
  expect_gone_from_the_server(meeting);
  expect_gone_from_the_files();

  // A backup made afterwards holds no trace of the text.
  const std::string backup = server.dir() + "/after-redaction.db";
  const auto made = run_renkei({"backup", "--db", server.db(), "--out", backup});
  ASSERT_EQ(made.status, 0) << made.err;
  EXPECT_EQ(file_bytes(backup).find(marker), std::string::npos);

  // The audit trail: who erased what, when and why; never the text.
  const auto audit = run_renkei({"audit", "--db", server.db(), "--council", facilitator.council});
  ASSERT_EQ(audit.status, 0) << audit.err;
  EXPECT_EQ(audit.out.find(marker), std::string::npos);
  int redactions = 0;
  for (const std::string& line : lines_of(audit.out)) {
    const json::object entry = json::parse(line).as_object();
    if (entry.at("op") != "text.redacted") continue;
    ++redactions;
    EXPECT_TRUE(entry.contains("at"));
    EXPECT_TRUE(entry.at("participant").is_string());
    const json::object& redaction = entry.at("redaction").as_object();
    EXPECT_TRUE(redaction.contains("target"));
    EXPECT_TRUE(redaction.contains("reason"));
  }
  EXPECT_EQ(redactions, 5);

  // Recovery: after a restart the folded state, the documents and the
  // files still hold no trace, and the redactions are still recorded.
  f.reset();
  owner.reset();
  other.reset();
  watcher.reset();
  ASSERT_EQ(server.stop(), 0);
  server.start();
  EXPECT_EQ(get("record"), record);
  expect_gone_from_the_server(meeting);
  expect_gone_from_the_files();
}

}  // namespace
}  // namespace renkei::it
