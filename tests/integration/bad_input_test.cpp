// Bad input, one kind per test. Each asserts the documented error code, that
// nothing changed (the record is byte-identical, the head did not move) and
// that another connected client is untouched: still open and receiving the
// next event (PROTOCOL.md "cmd", "Limits").
#include "test_support.hpp"

namespace renkei::it {
namespace {

class BadInputTest : public IntegrationTest {
 protected:
  void SetUp() override {
    IntegrationTest::SetUp();
    yamamoto = join(facilitator);
    const auto invited = members({{"佐藤 恵子", "北広島町"},
                                  {"田中 浩二", "坂町地域包括支援センター"},
                                  {"伊藤 聡", "広島西医療センター"},
                                  {"小林 直美", "広島県 健康福祉局", "observer"}});
    sato = join(invited[0]);
    tanaka = join(invited[1]);
    ito = join(invited[2]);
    kobayashi = join(invited[3]);

    issue1 = yamamoto->create("issue.post", text_args("退院調整"), "issue");
    issue2 = yamamoto->create("issue.post", text_args("見守り"), "issue");
    issue3 = yamamoto->create("issue.post", text_args("夜間対応"), "issue");
    open_ranking = yamamoto->create(
        "ranking.open", {{"candidates", {issue1, issue2}}, {"method", "schulze"}}, "ranking");
    closed_ranking = yamamoto->create(
        "ranking.open", {{"candidates", {issue1, issue3}}, {"method", "borda"}}, "ranking");
    yamamoto->ok("ranking.close", {{"ranking", closed_ranking}});
    open_proposal = yamamoto->create("proposal.open",
                                     {{"kind", "vision"}, {"text", "住み慣れた地域で暮らし続ける"}},
                                     "proposal");
    closed_proposal = yamamoto->create(
        "proposal.open", {{"kind", "direction"}, {"text", "退院前カンファレンス"}}, "proposal");
    yamamoto->ok("proposal.close", {{"proposal", closed_proposal}});
    role = yamamoto->create("role.propose",
                            {{"title", "退院時情報共有"}, {"owner_org", "北広島町"}}, "role");
    indicator =
        yamamoto->create("indicator.define",
                         {{"name", "退院調整率"}, {"kind", "process"}, {"unit", "%"}}, "indicator");

    // Council B and its ids.
    const Credentials b = server.create_council("別の協議体", "中村 健一", "安芸地区医師会");
    Participant nakamura(server.port(), b);
    b_issue = nakamura.create("issue.post", text_args("B の課題"), "issue");
    b_issue2 = nakamura.create("issue.post", text_args("B の課題 2"), "issue");
    b_ranking = nakamura.create(
        "ranking.open", {{"candidates", {b_issue, b_issue2}}, {"method", "schulze"}}, "ranking");
    b_proposal =
        nakamura.create("proposal.open", {{"kind", "vision"}, {"text", "B の提案"}}, "proposal");
    b_role =
        nakamura.create("role.propose", {{"title", "B の役割"}, {"owner_org", "北広島町"}}, "role");
    b_indicator =
        nakamura.create("indicator.define",
                        {{"name", "B の指標"}, {"kind", "outcome"}, {"unit", "人"}}, "indicator");

    head = yamamoto->ws().last_seq();
    sato->ws().wait_event(head);
    before = record();
  }

  // `offender` got error `code` for `id` (or without id when `id` is empty).
  static void expect_error(WsClient& offender, const std::string& id, const std::string& code) {
    Frame error = id.empty() ? offender.expect() : offender.wait_reply(id);
    EXPECT_EQ(error.type(), "error") << error.text;
    EXPECT_EQ(error.str("code"), code) << error.text;
    if (!id.empty()) {
      EXPECT_EQ(error.str("id"), id);
    }
    EXPECT_NE(error.str("message").find(" / "), std::string::npos) << error.text;
  }
  void expect_command_error(Participant& offender, const std::string& op, json::object args,
                            const std::string& code) {
    SCOPED_TRACE(op + " " + json::serialize(args));
    const std::string id = offender.fresh_id();
    offender->send_cmd(id, op, std::move(args));
    expect_error(offender.ws(), id, code);
  }

  // Nothing changed, and the witness is still open and gets the next event.
  void expect_nothing_changed() {
    EXPECT_EQ(record(), before) << "the record changed";
    EXPECT_FALSE(sato->ws().is_closed()) << "another participant's connection was closed";
    const std::uint64_t next = tanaka->ok("issue.post", text_args("次の課題"));
    EXPECT_EQ(next, head + 1) << "an event was recorded";
    sato->ws().wait_event(next);
    expect_consecutive(sato->ws().events(), 1, next, "witness");
  }

  std::unique_ptr<Participant> yamamoto, sato, tanaka, ito, kobayashi;
  std::string issue1, issue2, issue3, open_ranking, closed_ranking, open_proposal, closed_proposal,
      role, indicator;
  std::string b_issue, b_issue2, b_ranking, b_proposal, b_role, b_indicator;
  std::uint64_t head = 0;
  std::string before;
};

TEST_F(BadInputTest, MalformedJsonAfterHelloIsBadRequestAndKeepsTheConnection) {
  const std::vector<std::string> texts = {
      "{",
      "not json",
      R"({"type":"cmd","id":"a","op":"issue.post","args":{"text":"x"})",     // unterminated
      R"({"type":"cmd","id":"b","op":"issue.post","args":{"text":"x"}} x)",  // trailing data
      R"({"type":"cmd","id":"c","op":"issue.post","args":{"text":"x",}})",   // trailing comma
      R"({"type":"cmd","id":"d","op":"issue.post","args":{"text":'x'}})",
      "[]",
      "null",
      "42",
      R"({"type":"nothing"})",
      R"({"id":"e","op":"issue.post","args":{"text":"x"}})",      // no type
      R"({"type":"cmd","op":"issue.post","args":{"text":"x"}})",  // no id
  };
  for (const std::string& text : texts) {
    SCOPED_TRACE(text);
    yamamoto->ws().send_text(text);
    expect_error(yamamoto->ws(), "", "bad_request");
  }
  EXPECT_FALSE(yamamoto->ws().is_closed());
  expect_nothing_changed();
  // The offender's connection still works.
  EXPECT_EQ(yamamoto->ok("issue.post", text_args("まだ使える")), head + 2);
}

TEST_F(BadInputTest, InvalidCommandIdIsBadRequest) {
  for (const std::string& text : {
           std::string(R"({"type":"cmd","id":"","op":"issue.post","args":{"text":"x"}})"),
           R"({"type":"cmd","id":")" + std::string(65, 'a') +
               R"(","op":"issue.post","args":{"text":"x"}})",
           std::string(R"({"type":"cmd","id":7,"op":"issue.post","args":{"text":"x"}})"),
           std::string(R"({"type":"cmd","id":"a\u0001b","op":"issue.post","args":{"text":"x"}})"),
       }) {
    SCOPED_TRACE(text);
    yamamoto->ws().send_text(text);
    Frame error = yamamoto->ws().expect();
    EXPECT_EQ(error.type(), "error") << error.text;
    EXPECT_EQ(error.str("code"), "bad_request") << error.text;
  }
  // 64 characters (not bytes) is the limit: 64 kanji are fine.
  std::string id64;
  for (int i = 0; i < 64; ++i) id64 += "漢";
  Frame ack = yamamoto->ws().command(id64, "issue.post", text_args("長い id"));
  EXPECT_EQ(ack.type(), "ack") << ack.text;
  EXPECT_EQ(ack.str("id"), id64);
}

TEST_F(BadInputTest, UnknownOp) {
  expect_command_error(*yamamoto, "issue.delete", text_args("x"), "unknown_op");
  expect_command_error(*yamamoto, "ISSUE.POST", text_args("x"), "unknown_op");
  expect_command_error(*yamamoto, "issue.posted", text_args("x"), "unknown_op");
  expect_command_error(*ito, "council.delete", {}, "unknown_op");
  expect_nothing_changed();
}

TEST_F(BadInputTest, MissingArgsAreBadRequest) {
  expect_command_error(*yamamoto, "issue.post", {}, "bad_request");
  expect_command_error(*yamamoto, "issue.post", {{"theme", "退院支援"}}, "bad_request");
  expect_command_error(*yamamoto, "ranking.open", {{"candidates", {issue1}}}, "bad_request");
  expect_command_error(*yamamoto, "ranking.ballot", {{"ranking", open_ranking}}, "bad_request");
  expect_command_error(*yamamoto, "proposal.stance", {{"proposal", open_proposal}}, "bad_request");
  expect_command_error(*yamamoto, "role.propose", {{"title", "役割"}}, "bad_request");
  expect_command_error(*yamamoto, "role.consent", {{"role", role}}, "bad_request");
  expect_command_error(*yamamoto, "indicator.report",
                       {{"indicator", indicator}, {"period", "2026-04"}}, "bad_request");
  expect_command_error(*yamamoto, "theme.set_stage", {{"theme", "退院支援"}, {"stage", 2}},
                       "bad_request");
  // No args member at all.
  yamamoto->ws().send_text(R"({"type":"cmd","id":"no-args","op":"issue.post"})");
  expect_error(yamamoto->ws(), "no-args", "bad_request");
  expect_nothing_changed();
}

TEST_F(BadInputTest, MistypedArgsAreBadRequest) {
  expect_command_error(*yamamoto, "issue.post", {{"text", 42}}, "bad_request");
  expect_command_error(*yamamoto, "issue.post", {{"text", {"a"}}}, "bad_request");
  expect_command_error(*yamamoto, "issue.post", {{"text", "   "}}, "bad_request");
  expect_command_error(*yamamoto, "ranking.open", {{"candidates", issue1}, {"method", "schulze"}},
                       "bad_request");
  expect_command_error(*yamamoto, "ranking.open",
                       {{"candidates", {issue1}}, {"method", "condorcet"}}, "bad_request");
  expect_command_error(*yamamoto, "role.consent", {{"role", role}, {"consent", "yes"}},
                       "bad_request");
  expect_command_error(*yamamoto, "role.propose",
                       {{"title", "役割"}, {"owner_org", "北広島町"}, {"due", "2026-02-30"}},
                       "bad_request");
  expect_command_error(*yamamoto, "indicator.report",
                       {{"indicator", indicator}, {"value", "3"}, {"period", "2026-04"}},
                       "bad_request");
  expect_command_error(*yamamoto, "indicator.report",
                       {{"indicator", indicator}, {"value", 3}, {"period", "2026-13"}},
                       "bad_request");
  expect_command_error(*yamamoto, "theme.set_stage",
                       {{"theme", "退院支援"}, {"stage", "2"}, {"reason", "理由"}}, "bad_request");
  expect_command_error(*yamamoto, "theme.set_stage",
                       {{"theme", "退院支援"}, {"stage", 5}, {"reason", "理由"}}, "bad_request");
  expect_command_error(*yamamoto, "proposal.stance",
                       {{"proposal", open_proposal}, {"stance", "maybe"}}, "bad_request");
  // args that is not an object.
  yamamoto->ws().send_text(R"({"type":"cmd","id":"args-array","op":"issue.post","args":["x"]})");
  expect_error(yamamoto->ws(), "args-array", "bad_request");
  expect_nothing_changed();
}

TEST_F(BadInputTest, NonFiniteNumberIsBadRequest) {
  for (const char* value : {"1e999", "-1e400"}) {
    SCOPED_TRACE(value);
    yamamoto->ws().send_text(std::string(R"({"type":"cmd","id":"nf","op":"indicator.report",)") +
                             R"("args":{"indicator":")" + indicator + R"(","value":)" + value +
                             R"(,"period":"2026-04"}})");
    Frame error = yamamoto->ws().expect();
    EXPECT_EQ(error.type(), "error") << error.text;
    EXPECT_EQ(error.str("code"), "bad_request") << error.text;
  }
  EXPECT_FALSE(yamamoto->ws().is_closed());
  expect_nothing_changed();
}

// A text frame of exactly `size` bytes holding a valid issue.post (padded
// with an unknown argument, which the server ignores).
std::string frame_of_size(std::size_t size, const std::string& id) {
  const std::string head =
      R"({"type":"cmd","id":")" + id + R"(","op":"issue.post","args":{"text":"大きい","pad":")";
  const std::string tail = R"("}})";
  return head + std::string(size - head.size() - tail.size(), 'x') + tail;
}

TEST_F(BadInputTest, FrameOfExactly64KiBIsAccepted) {
  yamamoto->ws().send_text(frame_of_size(64 * 1024, "exact"));
  Frame reply = yamamoto->ws().wait_reply("exact");
  EXPECT_EQ(reply.type(), "ack") << reply.text;
  EXPECT_EQ(reply.seq(), head + 1);
}

TEST_F(BadInputTest, FrameOver64KiBIsTooLargeAndClosed1009) {
  WsClient offender(server.port());
  offender.hello(facilitator.token, facilitator.council, head);
  offender.send_text(frame_of_size(64 * 1024 + 1, "huge"));
  Frame error = offender.expect();
  EXPECT_EQ(error.type(), "error") << error.text;
  EXPECT_EQ(error.str("code"), "too_large") << error.text;
  EXPECT_EQ(offender.wait_closed(), std::optional<std::uint16_t>(1009));
  EXPECT_FALSE(yamamoto->ws().is_closed());
  expect_nothing_changed();
}

TEST_F(BadInputTest, BinaryFrameIsClosed1003) {
  WsClient offender(server.port());
  offender.hello(facilitator.token, facilitator.council, head);
  offender.send_binary(R"({"type":"cmd","id":"bin","op":"issue.post","args":{"text":"バイナリ"}})");
  auto code = offender.wait_closed();
  EXPECT_EQ(code, std::optional<std::uint16_t>(1003));
  while (auto frame = offender.next(Millis(0)))
    EXPECT_NE(frame->type(), "ack") << "a binary frame was executed: " << frame->text;
  expect_nothing_changed();
}

TEST_F(BadInputTest, InvalidUtf8IsClosed1007) {
  for (const std::string& bad : {std::string("\xff\xfe"), std::string("\xe3\x81"),
                                 std::string("\xc0\xaf"), std::string("\xed\xa0\x80")}) {
    WsClient offender(server.port());
    offender.hello(facilitator.token, facilitator.council, head);
    offender.send_text(R"({"type":"cmd","id":"utf","op":"issue.post","args":{"text":")" + bad +
                       R"("}})");
    EXPECT_EQ(offender.wait_closed(), std::optional<std::uint16_t>(1007));
  }
  expect_nothing_changed();
}

TEST_F(BadInputTest, IdsOfAnotherCouncilAreNotFound) {
  Participant& f = *yamamoto;
  expect_command_error(f, "ranking.open",
                       {{"candidates", {b_issue, b_issue2}}, {"method", "borda"}}, "not_found");
  expect_command_error(f, "ranking.open", {{"candidates", {issue1, b_issue}}, {"method", "borda"}},
                       "not_found");
  expect_command_error(f, "issue.merge", {{"from", b_issue}, {"into", issue1}}, "not_found");
  expect_command_error(f, "issue.merge", {{"from", issue1}, {"into", b_issue}}, "not_found");
  expect_command_error(f, "ranking.ballot", {{"ranking", b_ranking}, {"order", {b_issue}}},
                       "not_found");
  expect_command_error(f, "ranking.close", {{"ranking", b_ranking}}, "not_found");
  expect_command_error(f, "proposal.stance", {{"proposal", b_proposal}, {"stance", "agree"}},
                       "not_found");
  expect_command_error(f, "proposal.close", {{"proposal", b_proposal}}, "not_found");
  expect_command_error(f, "role.consent", {{"role", b_role}, {"consent", true}}, "not_found");
  expect_command_error(f, "role.status", {{"role", b_role}, {"status", "done"}}, "not_found");
  expect_command_error(f, "indicator.report",
                       {{"indicator", b_indicator}, {"value", 1}, {"period", "2026-04"}},
                       "not_found");
  expect_nothing_changed();
}

TEST_F(BadInputTest, UnknownIdsAreNotFound) {
  Participant& f = *yamamoto;
  const std::string c = facilitator.council;
  expect_command_error(f, "ranking.open", {{"candidates", {c + "-i999"}}, {"method", "schulze"}},
                       "not_found");
  expect_command_error(f, "issue.merge", {{"from", c + "-i999"}, {"into", issue1}}, "not_found");
  expect_command_error(f, "ranking.ballot", {{"ranking", c + "-r999"}, {"order", {issue1}}},
                       "not_found");
  expect_command_error(*ito, "ranking.ballot", {{"ranking", "r1"}, {"order", {issue1}}},
                       "not_found");
  expect_command_error(f, "ranking.close", {{"ranking", "nothing"}}, "not_found");
  expect_command_error(f, "proposal.stance", {{"proposal", c + "-pr999"}, {"stance", "agree"}},
                       "not_found");
  expect_command_error(f, "proposal.close", {{"proposal", "nothing"}}, "not_found");
  expect_command_error(*ito, "role.consent", {{"role", c + "-ro999"}, {"consent", false}},
                       "not_found");
  expect_command_error(f, "role.status", {{"role", "nothing"}, {"status", "done"}}, "not_found");
  expect_command_error(*ito, "indicator.report",
                       {{"indicator", c + "-in999"}, {"value", 1}, {"period", "2026-04"}},
                       "not_found");
  expect_nothing_changed();
}

TEST_F(BadInputTest, ClosedRankingAndProposalAreConflict) {
  expect_command_error(*ito, "ranking.ballot", {{"ranking", closed_ranking}, {"order", {issue1}}},
                       "conflict");
  expect_command_error(*yamamoto, "ranking.ballot",
                       {{"ranking", closed_ranking}, {"order", {issue3, issue1}}}, "conflict");
  expect_command_error(*yamamoto, "ranking.close", {{"ranking", closed_ranking}}, "conflict");
  expect_command_error(*ito, "proposal.stance",
                       {{"proposal", closed_proposal}, {"stance", "agree"}}, "conflict");
  expect_command_error(*yamamoto, "proposal.close", {{"proposal", closed_proposal}}, "conflict");
  expect_nothing_changed();
}

TEST_F(BadInputTest, ObserverCommandsAreForbidden) {
  Participant& o = *kobayashi;
  expect_command_error(o, "issue.post", text_args("見ているだけ"), "forbidden");
  expect_command_error(o, "ranking.ballot", {{"ranking", open_ranking}, {"order", {issue1}}},
                       "forbidden");
  expect_command_error(o, "proposal.stance", {{"proposal", open_proposal}, {"stance", "agree"}},
                       "forbidden");
  expect_command_error(o, "role.consent", {{"role", role}, {"consent", true}}, "forbidden");
  expect_command_error(o, "ranking.open", {{"candidates", {issue1}}, {"method", "schulze"}},
                       "forbidden");
  expect_command_error(o, "meeting.start", {{"title", "会議"}}, "forbidden");
  // Whatever the op or args.
  expect_command_error(o, "issue.post", {}, "forbidden");
  expect_command_error(o, "issue.delete", {}, "forbidden");
  expect_nothing_changed();
}

TEST_F(BadInputTest, MemberDoingAFacilitatorOpIsForbidden) {
  Participant& m = *ito;
  expect_command_error(m, "meeting.start", {{"title", "勝手な会議"}}, "forbidden");
  expect_command_error(m, "issue.merge", {{"from", issue2}, {"into", issue1}}, "forbidden");
  expect_command_error(m, "ranking.open", {{"candidates", {issue1, issue2}}, {"method", "borda"}},
                       "forbidden");
  expect_command_error(m, "ranking.close", {{"ranking", open_ranking}}, "forbidden");
  expect_command_error(m, "proposal.open", {{"kind", "vision"}, {"text", "案"}}, "forbidden");
  expect_command_error(m, "proposal.close", {{"proposal", open_proposal}}, "forbidden");
  expect_command_error(m, "indicator.define",
                       {{"name", "指標"}, {"kind", "outcome"}, {"unit", "件"}}, "forbidden");
  expect_command_error(m, "theme.set_stage",
                       {{"theme", "退院支援"}, {"stage", 2}, {"reason", "理由"}}, "forbidden");
  // role.status by a member outside the owner organisation.
  expect_command_error(m, "role.status", {{"role", role}, {"status", "in_progress"}}, "forbidden");
  expect_nothing_changed();
}

// {"type":"cmd",...,"args":{"text":"..","deep":[[...]]}} whose nesting depth
// (the outer object counting 1) is `depth`.
std::string nested(int depth, const std::string& id) {
  const int arrays = depth - 2;  // outer object, args object
  return R"({"type":"cmd","id":")" + id + R"(","op":"issue.post","args":{"text":"深い","deep":)" +
         std::string(arrays, '[') + std::string(arrays, ']') + "}}";
}

TEST_F(BadInputTest, JsonNestedDeeperThan64IsBadRequestAndKeepsTheConnection) {
  yamamoto->ws().send_text(nested(65, "deep65"));
  Frame error = yamamoto->ws().expect();
  EXPECT_EQ(error.type(), "error") << error.text;
  EXPECT_EQ(error.str("code"), "bad_request") << error.text;
  yamamoto->ws().send_text(std::string(1000, '[') + std::string(1000, ']'));
  expect_error(yamamoto->ws(), "", "bad_request");
  EXPECT_FALSE(yamamoto->ws().is_closed());
  expect_nothing_changed();

  // 64 deep is within the limit.
  yamamoto->ws().send_text(nested(64, "deep64"));
  Frame ack = yamamoto->ws().wait_reply("deep64");
  EXPECT_EQ(ack.type(), "ack") << ack.text;
  EXPECT_EQ(ack.seq(), head + 2);
}

}  // namespace
}  // namespace renkei::it
