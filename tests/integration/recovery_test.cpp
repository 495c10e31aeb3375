// Recovery: a clean restart and a SIGKILL keep every acknowledged event; the
// record and a full resync are identical after a restart; commands resent
// after a crash are applied exactly once (PROTOCOL.md "cmd", STYLE.md habit 5).
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "test_support.hpp"

namespace renkei::it {
namespace {

// Every frame a since=0 hello returns: welcome, events, synced.
std::vector<std::string> full_resync(std::uint16_t port, const Credentials& who) {
  WsClient client(port);
  HelloResult hello = client.hello(who.token, who.council, 0);
  std::vector<std::string> frames = {hello.welcome.text};
  for (const Frame& event : hello.events) frames.push_back(event.text);
  frames.push_back(hello.synced.text);
  return frames;
}

class RecoveryTest : public IntegrationTest {};

TEST_F(RecoveryTest, RestartKeepsTheRecordAndTheFramesByteForByte) {
  const Credentials sato_c = member("佐藤 恵子", "北広島町");
  const Credentials tanaka_c = member("田中 浩二", "坂町");
  auto yamamoto = join(facilitator);
  auto sato = join(sato_c);
  auto tanaka = join(tanaka_c);
  const MixedScript s = run_mixed_script(*yamamoto, *sato, *tanaka);
  // An open ranking and proposal too, with a ballot and a stance.
  const std::string open_ranking = yamamoto->create(
      "ranking.open", {{"candidates", {s.issue_a, s.issue_b}}, {"method", "dots"}, {"dots", 5}},
      "ranking");
  sato->ok("ranking.ballot",
           {{"ranking", open_ranking}, {"dots", {{s.issue_a, 4}, {s.issue_b, 1}}}});
  const std::string open_proposal =
      yamamoto->create("proposal.open", {{"kind", "direction"}, {"text", "継続審議"}}, "proposal");
  const std::uint64_t head =
      tanaka->ok("proposal.stance", {{"proposal", open_proposal}, {"stance", "disagree"}});

  const std::string record_before = record();
  const std::vector<std::string> frames_before = full_resync(server.port(), facilitator);
  const std::vector<std::string> member_frames_before = full_resync(server.port(), sato_c);
  ASSERT_EQ(frames_before.size(), head + 2);

  yamamoto.reset();
  sato.reset();
  tanaka.reset();
  ASSERT_EQ(server.stop(), 0) << server.log();
  server.start();

  EXPECT_EQ(record(), record_before);
  EXPECT_EQ(full_resync(server.port(), facilitator), frames_before);
  EXPECT_EQ(full_resync(server.port(), sato_c), member_frames_before);

  // The state is live again: the open ranking takes a ballot that must
  // respect the replaced one's budget, ids continue, seqs continue.
  auto sato2 = join(sato_c, head);
  Frame over =
      sato2->send("ranking.ballot", {{"ranking", open_ranking}, {"dots", {{s.issue_a, 6}}}});
  EXPECT_EQ(over.str("code"), "bad_request") << over.text;
  EXPECT_EQ(sato2->ok("ranking.ballot", {{"ranking", open_ranking}, {"dots", {{s.issue_b, 5}}}}),
            head + 1);
  const std::string issue = sato2->create("issue.post", text_args("再起動後の課題"), "issue");
  for (const std::string& old : {s.issue_a, s.issue_b, s.issue_c, s.issue_d}) EXPECT_NE(issue, old);
  auto yamamoto2 = join(facilitator, head);
  const std::uint64_t closed = yamamoto2->ok("ranking.close", {{"ranking", open_ranking}});
  EXPECT_EQ(closed, head + 3);
  EXPECT_EQ(yamamoto2->event(closed).data().at("result"),
            json::value(json::array{{{"issue", s.issue_b}, {"rank", 1}, {"score", 5}},
                                    {{"issue", s.issue_a}, {"rank", 2}, {"score", 0}}}));
}

TEST_F(RecoveryTest, SigkillAfterAcksLosesNothing) {
  const Credentials sato_c = member("佐藤 恵子", "北広島町");
  const Credentials tanaka_c = member("田中 浩二", "坂町");
  auto yamamoto = join(facilitator);
  auto sato = join(sato_c);
  auto tanaka = join(tanaka_c);
  run_mixed_script(*yamamoto, *sato, *tanaka);
  const std::string record_before = record();
  const std::vector<std::string> frames_before = full_resync(server.port(), facilitator);

  server.kill();
  server.start();
  EXPECT_EQ(record(), record_before);
  EXPECT_EQ(full_resync(server.port(), facilitator), frames_before);
}

class CrashTest : public IntegrationTest {
 protected:
  CrashTest() : IntegrationTest(unlimited_rate) {}
};

std::string command_text(std::size_t client, int i) {
  return "client " + std::to_string(client) + " command " + std::to_string(i);
}
std::string command_id(int i) { return "burst-" + std::to_string(i); }

TEST_F(CrashTest, AckedCommandsSurviveSigkillAndResendsApplyOnce) {
  constexpr std::size_t client_count = 5;
  constexpr int per_client = 200;
  constexpr int window = 10;
  constexpr int kill_after_acks = 150;

  std::vector<Invitee> invitees;
  for (std::size_t c = 1; c < client_count; ++c)
    invitees.push_back({"参加者 " + std::to_string(c), "機関 " + std::to_string(c)});
  std::vector<Credentials> who = {facilitator};
  for (const auto& c : members(invitees)) who.push_back(c);
  std::vector<std::unique_ptr<Participant>> clients;
  for (const auto& c : who) clients.push_back(join(c));

  // Phase 1: bursts, killed in the middle.
  std::vector<std::map<std::string, std::uint64_t>> acked(client_count);
  std::vector<std::string> unexpected(client_count);
  std::atomic<int> total_acks{0};
  std::vector<std::thread> threads;
  for (std::size_t c = 0; c < client_count; ++c) {
    threads.emplace_back([&, c] {
      WsClient& ws = clients[c]->ws();
      int answered = 0;
      auto take_reply = [&] {
        Frame reply = ws.wait_reply(command_id(answered));
        if (reply.type() == "ack") {
          acked[c][command_id(answered)] = reply.seq();
          ++total_acks;
        } else {
          unexpected[c] += reply.text + "\n";
        }
        ++answered;
      };
      try {
        for (int i = 0; i < per_client; ++i) {
          ws.send_cmd(command_id(i), "issue.post", text_args(command_text(c, i)));
          if (i + 1 - answered >= window) take_reply();
        }
        while (answered < per_client) take_reply();
      } catch (const std::exception&) {
        // The server was killed: the connection is gone.
      }
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (total_acks.load() < kill_after_acks && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  server.kill();
  for (auto& t : threads) t.join();
  for (std::size_t c = 0; c < client_count; ++c)
    EXPECT_EQ(unexpected[c], "") << "client " << c << " got errors";
  const int acks_before_crash = total_acks.load();
  ASSERT_GE(acks_before_crash, kill_after_acks);
  std::cout << "[          ] " << acks_before_crash << " of " << client_count * per_client
            << " commands acknowledged before SIGKILL\n";
  EXPECT_LT(acks_before_crash, static_cast<int>(client_count * per_client))
      << "the burst finished before the kill; the crash was not exercised";

  // Phase 2: every acknowledged command is there, with its seq.
  server.start();
  for (auto& c : clients) c.reset();
  {
    WsClient reader(server.port());
    HelloResult hello = reader.hello(facilitator.token, facilitator.council, 0);
    const std::uint64_t head = hello.synced.num("head");
    expect_consecutive(hello.events, 1, head, "after restart");
    for (std::size_t c = 0; c < client_count; ++c) {
      for (const auto& [id, seq] : acked[c]) {
        ASSERT_LE(seq, head) << "acked " << id << " of client " << c << " was lost";
        const Frame& event = hello.events[seq - 1];
        EXPECT_EQ(event.by(), who[c].participant) << id;
        EXPECT_EQ(event.data().at("text"),
                  json::value(command_text(c, std::stoi(id.substr(std::string("burst-").size())))))
            << id;
      }
    }
  }

  // Phase 3: everyone resends everything with the same ids.
  threads.clear();
  std::vector<std::map<std::string, std::uint64_t>> resent(client_count);
  std::vector<std::string> failures(client_count);
  for (std::size_t c = 0; c < client_count; ++c) {
    clients[c] = join(who[c], 0);
  }
  for (std::size_t c = 0; c < client_count; ++c) {
    threads.emplace_back([&, c] {
      try {
        WsClient& ws = clients[c]->ws();
        int answered = 0;
        for (int i = 0; i < per_client; ++i) {
          ws.send_cmd(command_id(i), "issue.post", text_args(command_text(c, i)));
          if (i + 1 - answered >= window * 2) {
            Frame reply = ws.wait_reply(command_id(answered));
            if (reply.type() == "ack")
              resent[c][command_id(answered)] = reply.seq();
            else
              failures[c] += reply.text + "\n";
            ++answered;
          }
        }
        for (; answered < per_client; ++answered) {
          Frame reply = ws.wait_reply(command_id(answered));
          if (reply.type() == "ack")
            resent[c][command_id(answered)] = reply.seq();
          else
            failures[c] += reply.text + "\n";
        }
        // A last command: any second reply to the burst would come before it.
        Frame last = ws.command("after-resend", "issue.post", text_args(command_text(c, -1)));
        if (last.type() != "ack") failures[c] += last.text + "\n";
      } catch (const std::exception& e) {
        failures[c] += e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (std::size_t c = 0; c < client_count; ++c) {
    SCOPED_TRACE("client " + std::to_string(c));
    EXPECT_EQ(failures[c], "");
    ASSERT_EQ(resent[c].size(), static_cast<std::size_t>(per_client));
    for (const auto& [id, seq] : acked[c]) EXPECT_EQ(resent[c][id], seq) << id << " got a new seq";
    std::map<std::string, int> replies;
    for (const Frame& r : clients[c]->ws().all_replies()) ++replies[r.str("id")];
    for (int i = 0; i < per_client; ++i)
      EXPECT_EQ(replies[command_id(i)], 1) << command_id(i) << " replies";
  }

  // Phase 4: each command text exactly once, seqs without gaps.
  WsClient reader(server.port());
  HelloResult hello = reader.hello(facilitator.token, facilitator.council, 0);
  const std::uint64_t head = hello.synced.num("head");
  expect_consecutive(hello.events, 1, head, "final");
  EXPECT_EQ(head, client_count * (per_client + 1));
  std::map<std::string, std::vector<std::uint64_t>> seqs_of_text;
  for (const Frame& event : hello.events) {
    ASSERT_EQ(event.str("op"), "issue.posted");
    seqs_of_text[std::string(event.data().at("text").as_string())].push_back(event.seq());
  }
  for (std::size_t c = 0; c < client_count; ++c) {
    for (int i = 0; i < per_client; ++i) {
      const auto& seqs = seqs_of_text[command_text(c, i)];
      ASSERT_EQ(seqs.size(), 1u) << command_text(c, i) << " appears " << seqs.size() << " times";
      EXPECT_EQ(seqs[0], resent[c][command_id(i)]) << command_text(c, i);
      EXPECT_EQ(hello.events[seqs[0] - 1].by(), who[c].participant);
    }
  }
}

}  // namespace
}  // namespace renkei::it
