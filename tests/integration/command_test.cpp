// cmd -> exactly one reply; the event reaches everyone, the sender before
// its ack (PROTOCOL.md "cmd").
#include <algorithm>
#include <map>

#include "test_support.hpp"

namespace renkei::it {
namespace {

class CommandTest : public IntegrationTest {};

// A reply's message is "日本語 / English": Japanese first.
void expect_bilingual(const Frame& error) {
  const std::string message = error.str("message");
  const auto slash = message.find(" / ");
  ASSERT_NE(slash, std::string::npos) << error.text;
  EXPECT_GT(slash, 0u);
  EXPECT_LT(slash + 3, message.size()) << error.text;
  const std::string japanese = message.substr(0, slash);
  EXPECT_TRUE(std::any_of(japanese.begin(), japanese.end(),
                          [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
      << "Japanese first: " << error.text;
}

TEST_F(CommandTest, AckFollowsTheEventThatReachedEveryone) {
  const Credentials sato_c = member("佐藤 恵子", "北広島町");
  const Credentials tanaka_c = member("田中 浩二", "坂町地域包括支援センター");
  auto yamamoto = join(facilitator);
  auto sato = join(sato_c);
  auto tanaka = join(tanaka_c);

  sato->ws().send_cmd("post-1", "issue.post",
                      {{"text", "退院調整ルールの運用に差がある"}, {"theme", "退院支援"}});
  Frame ack = sato->ws().wait_reply("post-1");
  EXPECT_EQ(keys_of(ack.json), (std::set<std::string>{"type", "id", "seq"})) << ack.text;
  EXPECT_EQ(ack.type(), "ack");
  EXPECT_EQ(ack.str("id"), "post-1");
  EXPECT_EQ(ack.seq(), 1u);

  // The sender got the event before the ack.
  ASSERT_TRUE(sato->ws().arrival_of_event(1).has_value()) << "event 1 did not precede its ack";
  EXPECT_LT(*sato->ws().arrival_of_event(1), *sato->ws().arrival_of_reply("post-1"));

  const Frame& own = sato->event(1);
  expect_event_shape(own);
  EXPECT_EQ(own.str("op"), "issue.posted");
  EXPECT_EQ(own.by(), sato_c.participant);
  EXPECT_EQ(own.json.at("by").at("name"), json::value("佐藤 恵子"));
  EXPECT_EQ(own.json.at("by").at("org"), json::value("北広島町"));
  EXPECT_EQ(own.data().at("text"), json::value("退院調整ルールの運用に差がある"));
  EXPECT_EQ(own.data().at("theme"), json::value("退院支援"));
  const std::string issue = std::string(own.data().at("issue").as_string());
  EXPECT_EQ(issue.rfind(facilitator.council + "-", 0), 0u) << "issue id " << issue;

  // Everyone else gets the same event.
  for (Participant* other : {yamamoto.get(), tanaka.get()}) {
    const Frame& event = other->event(1);
    EXPECT_EQ(event.json, own.json);
  }

  // Exactly one reply: nothing else for post-1 up to a later command's ack.
  EXPECT_EQ(sato->ok("issue.post", text_args("barrier")), 2u);
  std::size_t replies = 0;
  for (const Frame& r : sato->ws().all_replies()) replies += r.str("id") == "post-1";
  EXPECT_EQ(replies, 1u);
  EXPECT_EQ(sato->ws().events().size(), 2u);
  EXPECT_EQ(yamamoto->ws().wait_event(2).seq(), 2u);
  EXPECT_EQ(tanaka->ws().wait_event(2).seq(), 2u);
}

TEST_F(CommandTest, ErrorCarriesTheCommandIdAndChangesNothing) {
  const Credentials sato_c = member("佐藤 恵子", "北広島町");
  auto yamamoto = join(facilitator);
  auto sato = join(sato_c);
  const std::string issue = yamamoto->create("issue.post", text_args("課題"), "issue");
  const std::string before = record();

  // A facilitator op sent by a member.
  sato->ws().send_cmd("merge-1", "issue.merge", {{"from", issue}, {"into", issue + "x"}});
  Frame error = sato->ws().wait_reply("merge-1");
  EXPECT_EQ(keys_of(error.json), (std::set<std::string>{"type", "id", "code", "message"}))
      << error.text;
  EXPECT_EQ(error.type(), "error");
  EXPECT_EQ(error.str("id"), "merge-1");
  EXPECT_EQ(error.str("code"), "forbidden");
  expect_bilingual(error);
  // An argument error.
  Frame bad = sato->ws().command("post-bad", "issue.post", {{"text", ""}});
  EXPECT_EQ(bad.str("id"), "post-bad");
  EXPECT_EQ(bad.str("code"), "bad_request");
  expect_bilingual(bad);

  EXPECT_EQ(record(), before);
  // The next event is the next seq, for both.
  EXPECT_EQ(sato->ok("issue.post", text_args("次")), 2u);
  EXPECT_EQ(yamamoto->ws().wait_event(2).seq(), 2u);
  EXPECT_EQ(yamamoto->ws().events().size(), 2u);
}

TEST_F(CommandTest, PipelinedCommandsGetOneReplyEach) {
  auto yamamoto = join(facilitator);
  // Valid and invalid commands interleaved, all sent before any reply.
  std::vector<std::pair<std::string, bool>> sent;  // id, valid
  for (int i = 0; i < 30; ++i) {
    const std::string id = "p-" + std::to_string(i);
    const bool valid = i % 3 != 1;
    if (valid)
      yamamoto->ws().send_cmd(id, "issue.post", text_args("課題 " + std::to_string(i)));
    else
      yamamoto->ws().send_cmd(id, "ranking.close", {{"ranking", "no-such-ranking"}});
    sent.emplace_back(id, valid);
  }
  std::map<std::uint64_t, std::string> seq_to_id;
  for (const auto& [id, valid] : sent) {
    Frame reply = yamamoto->ws().wait_reply(id);
    if (valid) {
      ASSERT_EQ(reply.type(), "ack") << reply.text;
      EXPECT_TRUE(seq_to_id.emplace(reply.seq(), id).second) << "seq reused: " << reply.text;
    } else {
      EXPECT_EQ(reply.type(), "error");
      EXPECT_EQ(reply.str("code"), "not_found") << reply.text;
    }
  }
  // Acks are seqs 1..20 and each matches the text sent with that id.
  ASSERT_EQ(seq_to_id.size(), 20u);
  EXPECT_EQ(seq_to_id.begin()->first, 1u);
  EXPECT_EQ(seq_to_id.rbegin()->first, 20u);
  for (const auto& [seq, id] : seq_to_id) {
    const std::string n = id.substr(2);
    EXPECT_EQ(yamamoto->event(seq).data().at("text"), json::value("課題 " + n));
  }
  // No extra reply to any of them.
  yamamoto->ok("issue.post", text_args("barrier"));
  std::map<std::string, int> count;
  for (const Frame& r : yamamoto->ws().all_replies()) ++count[r.str("id")];
  for (const auto& [id, valid] : sent) EXPECT_EQ(count[id], 1) << id;
  expect_consecutive(yamamoto->ws().events(), 1, 21, "facilitator");
}

}  // namespace
}  // namespace renkei::it
