// The admin commands run while `serve` runs on the same database, and their
// participants can say hello at once (PROTOCOL.md "Command line").
#include <algorithm>
#include <atomic>
#include <thread>

#include "test_support.hpp"

namespace renkei::it {
namespace {

class CliTest : public IntegrationTest {};

TEST_F(CliTest, CouncilCreatedWhileServingIsUsableAtOnce) {
  auto yamamoto = join(facilitator);
  yamamoto->ok("issue.post", text_args("既存の協議体"));

  auto result = run_renkei({"council", "create", "--db", server.db(), "--name", "新しい協議体",
                            "--kind", "one_on_one", "--facilitator-name", "高橋 由美",
                            "--facilitator-org", "安芸太田町"});
  ASSERT_EQ(result.status, 0) << result.err;
  const json::value printed = json::parse(result.out);
  EXPECT_EQ(keys_of(printed.as_object()),
            (std::set<std::string>{"council", "participant", "token"}));
  EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 1) << "one JSON line";
  const Credentials created{std::string(printed.at("council").as_string()),
                            std::string(printed.at("participant").as_string()),
                            std::string(printed.at("token").as_string())};
  EXPECT_NE(created.council, facilitator.council);

  WsClient client(server.port());
  HelloResult hello = client.hello(created.token, created.council);
  EXPECT_EQ(hello.welcome.json.at("council").at("id"), json::value(created.council));
  EXPECT_EQ(hello.welcome.json.at("council").at("name"), json::value("新しい協議体"));
  EXPECT_EQ(hello.welcome.json.at("council").at("kind"), json::value("one_on_one"));
  EXPECT_EQ(hello.welcome.json.at("me").at("participant"), json::value(created.participant));
  EXPECT_EQ(hello.welcome.json.at("me").at("name"), json::value("高橋 由美"));
  EXPECT_EQ(hello.welcome.json.at("me").at("org"), json::value("安芸太田町"));
  EXPECT_EQ(hello.welcome.json.at("me").at("role"), json::value("facilitator"));
  EXPECT_EQ(hello.welcome.num("head"), 0u);
  Frame ack = client.command("first", "issue.post", text_args("新しい協議体の最初の課題"));
  EXPECT_EQ(ack.type(), "ack") << ack.text;
  EXPECT_EQ(ack.seq(), 1u);
  // The councils stay apart.
  EXPECT_EQ(yamamoto->ok("issue.post", text_args("二つ目")), 2u);

  // And a participant invited into the new council joins at once too.
  const Credentials invited = server.invite(created.council, "佐藤 恵子", "北広島町", "member");
  WsClient second(server.port());
  HelloResult joined = second.hello(invited.token, invited.council);
  EXPECT_EQ(joined.welcome.json.at("me").at("role"), json::value("member"));
  expect_consecutive(joined.events, 1, 1, "new council");
}

TEST_F(CliTest, InvitesWhileOthersWriteCanHelloAtOnce) {
  auto yamamoto = join(facilitator);
  std::atomic<bool> stop{false};
  std::string writer_failure;
  int written = 0;
  std::thread writer([&] {
    try {
      while (!stop.load()) {
        yamamoto->ok("issue.post", text_args("書き込み中 " + std::to_string(written)));
        ++written;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
      }
    } catch (const std::exception& e) {
      writer_failure = e.what();
    }
  });

  const std::vector<std::pair<std::string, std::string>> invitees = {{"member", "member"},
                                                                     {"observer", "observer"},
                                                                     {"facilitator", "facilitator"},
                                                                     {"member", "member"},
                                                                     {"member", "member"}};
  std::set<std::string> tokens;
  for (std::size_t i = 0; i < invitees.size(); ++i) {
    SCOPED_TRACE("invitee " + std::to_string(i));
    auto result =
        run_renkei({"invite", "--db", server.db(), "--council", facilitator.council, "--name",
                    "招待 " + std::to_string(i), "--org", "北広島町", "--role", invitees[i].first});
    ASSERT_EQ(result.status, 0) << result.err;
    const json::value printed = json::parse(result.out);
    EXPECT_EQ(keys_of(printed.as_object()),
              (std::set<std::string>{"participant", "token", "link"}));
    const std::string token(printed.at("token").as_string());
    EXPECT_EQ(printed.at("link"), json::value("/join/" + token));
    EXPECT_TRUE(tokens.insert(token).second) << "token reused";
    WsClient client(server.port());
    HelloResult hello = client.hello(token, facilitator.council);
    EXPECT_EQ(hello.welcome.json.at("me").at("participant"), printed.at("participant"));
    EXPECT_EQ(hello.welcome.json.at("me").at("name"), json::value("招待 " + std::to_string(i)));
    EXPECT_EQ(hello.welcome.json.at("me").at("role"), json::value(invitees[i].second));
    if (invitees[i].first != "observer") {
      Frame ack = client.command("hi", "issue.post", text_args("参加しました"));
      EXPECT_EQ(ack.type(), "ack") << ack.text;
    }
  }
  stop = true;
  writer.join();
  EXPECT_EQ(writer_failure, "");
  EXPECT_GT(written, 0);
}

TEST_F(CliTest, InviteToAnUnknownCouncilFails) {
  auto result = run_renkei({"invite", "--db", server.db(), "--council", "c999", "--name", "誰か",
                            "--org", "どこか", "--role", "member"});
  EXPECT_NE(result.status, 0);
  EXPECT_EQ(result.out, "");
  EXPECT_FALSE(result.err.empty());
  auto bad_role = run_renkei({"invite", "--db", server.db(), "--council", facilitator.council,
                              "--name", "誰か", "--org", "どこか", "--role", "admin"});
  EXPECT_NE(bad_role.status, 0);
  EXPECT_EQ(bad_role.out, "");
}

}  // namespace
}  // namespace renkei::it
