// A cmd id that produced an event gets the same ack again and no new event,
// also after a reconnect or a restart; ids are per participant; rejected ids
// are not remembered (PROTOCOL.md "cmd", Idempotency).
#include "test_support.hpp"

namespace renkei::it {
namespace {

class IdempotencyTest : public IntegrationTest {
 protected:
  // Sends `id` again with `args` and expects ack `seq`.
  static void expect_same_ack(Participant& p, const std::string& id, std::uint64_t seq,
                              const std::string& op, json::object args) {
    SCOPED_TRACE("resend of " + id + " as " + op + " " + json::serialize(args));
    Frame reply = p->command(id, op, std::move(args));
    ASSERT_EQ(reply.type(), "ack") << reply.text;
    EXPECT_EQ(reply.str("id"), id);
    EXPECT_EQ(reply.seq(), seq) << reply.text;
  }
};

TEST_F(IdempotencyTest, ResentIdGetsTheSameAckAndNoNewEvent) {
  const Credentials sato_c = member("佐藤 恵子", "北広島町");
  auto yamamoto = join(facilitator);
  auto sato = join(sato_c);

  Frame first = yamamoto->ws().command("same", "issue.post", text_args("一度だけ"));
  ASSERT_EQ(first.type(), "ack") << first.text;
  const std::uint64_t seq = first.seq();
  const std::string before = record();

  // Same id, other args, even another op: the first ack again.
  expect_same_ack(*yamamoto, "same", seq, "issue.post", text_args("別の文"));
  expect_same_ack(*yamamoto, "same", seq, "meeting.end", {});
  expect_same_ack(*yamamoto, "same", seq, "ranking.close", {{"ranking", "no-such-ranking"}});
  EXPECT_EQ(record(), before);

  // The next command is the next seq; nobody saw anything in between.
  EXPECT_EQ(yamamoto->ok("issue.post", text_args("次")), seq + 1);
  sato->ws().wait_event(seq + 1);
  expect_consecutive(sato->ws().events(), 1, seq + 1, "member");
  expect_consecutive(yamamoto->ws().events(), 1, seq + 1, "facilitator");
}

// "whatever its args": also args that would not even decode, or an op the
// server does not know.
TEST_F(IdempotencyTest, ResentIdWithMalformedArgsStillGetsTheSameAck) {
  auto yamamoto = join(facilitator);
  Frame first = yamamoto->ws().command("same", "issue.post", text_args("一度だけ"));
  ASSERT_EQ(first.type(), "ack") << first.text;
  const std::string before = record();
  expect_same_ack(*yamamoto, "same", first.seq(), "issue.post", {});
  expect_same_ack(*yamamoto, "same", first.seq(), "issue.post", {{"text", 42}});
  expect_same_ack(*yamamoto, "same", first.seq(), "issue.delete", {});
  EXPECT_EQ(record(), before);
  EXPECT_EQ(yamamoto->ok("issue.post", text_args("次")), first.seq() + 1);
}

TEST_F(IdempotencyTest, DuplicateSentBeforeTheFirstAckIsAnsweredWithIt) {
  auto yamamoto = join(facilitator);
  yamamoto->ws().send_cmd("twice", "issue.post", text_args("同時に二回"));
  yamamoto->ws().send_cmd("twice", "issue.post", text_args("同時に二回"));
  Frame a = yamamoto->ws().wait_reply("twice");
  Frame b = yamamoto->ws().wait_reply("twice");
  EXPECT_EQ(a.type(), "ack") << a.text;
  EXPECT_EQ(b.type(), "ack") << b.text;
  EXPECT_EQ(a.seq(), 1u);
  EXPECT_EQ(b.seq(), 1u);
  EXPECT_EQ(yamamoto->ok("issue.post", text_args("次")), 2u);
  expect_consecutive(yamamoto->ws().events(), 1, 2, "facilitator");
}

TEST_F(IdempotencyTest, SurvivesReconnectAndRestart) {
  auto yamamoto = join(facilitator);
  yamamoto->ok("issue.post", text_args("前"));
  Frame first = yamamoto->ws().command("keep", "issue.post", text_args("覚えておく"));
  ASSERT_EQ(first.type(), "ack");
  const std::uint64_t seq = first.seq();  // 2

  yamamoto->reconnect(server.port(), seq);
  EXPECT_TRUE(yamamoto->hello().events.empty());
  expect_same_ack(*yamamoto, "keep", seq, "issue.post", text_args("再接続後"));

  const std::string before = record();
  EXPECT_EQ(server.stop(), 0) << server.log();
  server.start();
  yamamoto->reconnect(server.port(), seq);
  expect_same_ack(*yamamoto, "keep", seq, "issue.post", text_args("再起動後"));
  expect_same_ack(*yamamoto, "keep", seq, "role.propose", {{"title", "t"}, {"owner_org", "o"}});
  EXPECT_EQ(record(), before);
  EXPECT_EQ(yamamoto->ok("issue.post", text_args("次")), seq + 1);

  // After a crash too.
  server.kill();
  server.start();
  yamamoto->reconnect(server.port(), 0);
  expect_same_ack(*yamamoto, "keep", seq, "issue.post", text_args("クラッシュ後"));
  EXPECT_EQ(yamamoto->ok("issue.post", text_args("最後")), seq + 2);
  yamamoto->ws().wait_event(seq + 2);
  expect_consecutive(yamamoto->ws().events(), 1, seq + 2, "facilitator");
}

TEST_F(IdempotencyTest, IdsAreScopedPerParticipant) {
  const Credentials sato_c = member("佐藤 恵子", "北広島町");
  auto yamamoto = join(facilitator);
  auto sato = join(sato_c);
  Frame mine = yamamoto->ws().command("shared-id", "issue.post", text_args("ファシリテーター"));
  Frame theirs = sato->ws().command("shared-id", "issue.post", text_args("メンバー"));
  ASSERT_EQ(mine.type(), "ack");
  ASSERT_EQ(theirs.type(), "ack");
  EXPECT_EQ(mine.seq(), 1u);
  EXPECT_EQ(theirs.seq(), 2u);
  EXPECT_EQ(sato->event(2).by(), sato_c.participant);
  EXPECT_EQ(sato->event(2).data().at("text"), json::value("メンバー"));

  // The same participant on a second connection shares the ids.
  auto sato_again = join(sato_c);
  expect_same_ack(*sato_again, "shared-id", 2, "issue.post", text_args("別の接続"));
  EXPECT_EQ(sato_again->ok("issue.post", text_args("次")), 3u);
}

TEST_F(IdempotencyTest, RejectedIdsAreNotRemembered) {
  const Credentials sato_c = member("佐藤 恵子", "北広島町");
  auto sato = join(sato_c);
  // Refused while decoding.
  Frame bad = sato->ws().command("retry", "issue.post", {});
  EXPECT_EQ(bad.str("code"), "bad_request") << bad.text;
  // Refused by the rules.
  Frame missing =
      sato->ws().command("retry", "role.consent", {{"role", "no-role"}, {"consent", true}});
  EXPECT_EQ(missing.str("code"), "not_found") << missing.text;
  Frame forbidden = sato->ws().command("retry", "meeting.start", {{"title", "会議"}});
  EXPECT_EQ(forbidden.str("code"), "forbidden") << forbidden.text;
  Frame unknown = sato->ws().command("retry", "issue.delete", text_args("x"));
  EXPECT_EQ(unknown.str("code"), "unknown_op") << unknown.text;

  // Now valid: accepted as new.
  Frame ok = sato->ws().command("retry", "issue.post", text_args("今度は正しい"));
  ASSERT_EQ(ok.type(), "ack") << ok.text;
  EXPECT_EQ(ok.seq(), 1u);
  EXPECT_EQ(sato->event(1).data().at("text"), json::value("今度は正しい"));
  // And from then on remembered.
  expect_same_ack(*sato, "retry", 1, "issue.post", text_args("三度目"));
  expect_same_ack(*sato, "retry", 1, "role.consent", {{"role", "no-role"}, {"consent", true}});
}

}  // namespace
}  // namespace renkei::it
