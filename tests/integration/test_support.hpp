// Shared fixture and helpers of the integration tests: a server with one
// council and its facilitator, and Participant, a connected client that
// knows who it is and numbers its own command ids.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <memory>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "server_process.hpp"
#include "ws_client.hpp"

namespace renkei::it {

// Server options that lift the per-connection command rate, for tests that
// need throughput rather than the limit (the limit has its own test).
inline const std::vector<std::string> unlimited_rate = {"--rate", "100000", "--burst", "100000"};

inline json::object text_args(const std::string& text) { return json::object{{"text", text}}; }

// The keys of `object`, sorted.
inline std::set<std::string> keys_of(const json::object& object) {
  std::set<std::string> keys;
  for (const auto& entry : object) keys.emplace(entry.key());
  return keys;
}

// A client connected and past hello, with the credentials it used.
class Participant {
 public:
  Participant(std::uint16_t port, Credentials credentials, std::uint64_t since = 0)
      : credentials_(std::move(credentials)) {
    connect(port, since);
  }

  // Drops the current connection (abruptly) and says hello again.
  void reconnect(std::uint16_t port, std::uint64_t since) {
    ws_.reset();
    connect(port, since);
  }

  WsClient& ws() { return *ws_; }
  WsClient* operator->() { return ws_.get(); }
  const Credentials& credentials() const { return credentials_; }
  const std::string& id() const { return credentials_.participant; }
  const HelloResult& hello() const { return hello_; }

  // Unique in this test process, so that a second Participant with the same
  // credentials never reuses an id by accident (the server would answer it
  // with the old ack, as it should).
  static std::string fresh_id() {
    static std::atomic<std::uint64_t> counter{0};
    return "k" + std::to_string(++counter);
  }

  // A command with a fresh id; its reply.
  Frame send(const std::string& op, json::object args = {}) {
    return ws_->command(fresh_id(), op, std::move(args));
  }
  // A command that must succeed: the seq of its event. The event has
  // arrived here when this returns (the sender gets it before the ack).
  std::uint64_t ok(const std::string& op, json::object args = {}) {
    const std::string id = fresh_id();
    Frame reply = ws_->command(id, op, std::move(args));
    if (reply.type() != "ack")
      throw std::runtime_error(op + " by " + this->id() + " was refused: " + reply.text);
    return reply.seq();
  }
  // ok(), then the server-assigned id `key` from the event's data.
  std::string create(const std::string& op, json::object args, const std::string& key) {
    const std::uint64_t seq = ok(op, std::move(args));
    const Frame& event = this->event(seq);
    const json::value* v = event.data().if_contains(key);
    if (!v || !v->is_string())
      throw std::runtime_error("event has no data." + key + ": " + event.text);
    return std::string(v->as_string());
  }
  // The event with `seq` as this client received it (waits for it).
  const Frame& event(std::uint64_t seq) {
    ws_->wait_event(seq);
    for (const Frame& e : ws_->events())
      if (e.seq() == seq) return e;
    throw std::runtime_error(id() + " never received event " + std::to_string(seq));
  }

 private:
  void connect(std::uint16_t port, std::uint64_t since) {
    ws_ = std::make_unique<WsClient>(port);
    hello_ = ws_->hello(credentials_.token, credentials_.council, since);
  }

  Credentials credentials_;
  std::unique_ptr<WsClient> ws_;
  HelloResult hello_;
};

// A running server with one council ("西部圏域 地域共生ケア会議") and its
// facilitator. TearDown stops the server and expects a clean exit.
class IntegrationTest : public ::testing::Test {
 protected:
  explicit IntegrationTest(std::vector<std::string> server_args = {})
      : server(std::move(server_args)) {}

  void SetUp() override {
    server.start();
    facilitator = server.create_council("西部圏域 地域共生ケア会議", "山本 真理", "西部保健所");
  }
  void TearDown() override {
    if (server.running()) {
      const int status = server.stop();
      EXPECT_EQ(status, 0) << "the server did not exit cleanly on SIGTERM; log:\n" << server.log();
    }
  }

  Credentials member(const std::string& name, const std::string& org,
                     const std::string& role = "member") {
    return server.invite(facilitator.council, name, org, role);
  }
  struct Invitee {
    std::string name;
    std::string org;
    std::string role = "member";
  };
  // Invites several at once (the admin commands run concurrently), in order.
  std::vector<Credentials> members(const std::vector<Invitee>& invitees) {
    std::vector<std::future<Credentials>> pending;
    for (const Invitee& i : invitees)
      pending.push_back(std::async(std::launch::async, [this, i] {
        return server.invite(facilitator.council, i.name, i.org, i.role);
      }));
    std::vector<Credentials> out;
    for (auto& p : pending) out.push_back(p.get());
    return out;
  }
  std::unique_ptr<Participant> join(const Credentials& who, std::uint64_t since = 0) {
    return std::make_unique<Participant>(server.port(), who, since);
  }
  std::string record() { return get_record(server.port(), facilitator.council, facilitator.token); }

  ServerProcess server;
  Credentials facilitator;
};

// Checks the shape every event shares (PROTOCOL.md "Server to client: event").
inline void expect_event_shape(const Frame& event) {
  SCOPED_TRACE(event.text);
  EXPECT_EQ(event.type(), "event");
  EXPECT_GE(event.seq(), 1u);
  EXPECT_FALSE(event.str("op").empty());
  static const std::regex at_format(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");
  EXPECT_TRUE(std::regex_match(event.str("at"), at_format)) << "at: " << event.str("at");
  const json::value* by = event.json.if_contains("by");
  ASSERT_TRUE(by && by->is_object());
  for (const char* key : {"participant", "name", "org"}) {
    const json::value* v = by->as_object().if_contains(key);
    EXPECT_TRUE(v && v->is_string()) << "by." << key;
  }
  const json::value* meeting = event.json.if_contains("meeting");
  ASSERT_TRUE(meeting != nullptr) << "no meeting member";
  EXPECT_TRUE(meeting->is_null() || meeting->is_string());
  const json::value* data = event.json.if_contains("data");
  EXPECT_TRUE(data && data->is_object());
}

// Expects the seqs of `events` to be exactly first, first+1, ..., last.
inline void expect_consecutive(const std::vector<Frame>& events, std::uint64_t first,
                               std::uint64_t last, const std::string& who) {
  ASSERT_EQ(events.size(), last + 1 - first) << who << ": wrong number of events";
  for (std::size_t i = 0; i < events.size(); ++i) {
    ASSERT_EQ(events[i].seq(), first + i) << who << ": event " << i << " out of sequence";
  }
}

// What run_mixed_script created.
struct MixedScript {
  std::string meeting;
  std::string issue_a, issue_b, issue_c, issue_d;  // d merged into c
  std::string ranking;                             // schulze over a, b, c; closed
  std::string vision, direction;                   // adopted / not adopted
  std::string role;                                // owner 北広島町, agreed, in_progress
  std::string indicator;                           // reports 3 (2026-04), 5 (2026-05)
  std::uint64_t last_seq = 0;
};

// One of each kind of op, by a facilitator `f`, a member `owner` of
// 北広島町 and a member `other` of another organisation.
inline MixedScript run_mixed_script(Participant& f, Participant& owner, Participant& other) {
  MixedScript s;
  s.meeting = f.create("meeting.start",
                       {{"title", "第1回 地域共生ケア会議"}, {"agenda", "community-care-council"}},
                       "meeting");
  s.issue_a = owner.create(
      "issue.post", {{"text", "退院調整ルールの運用に差がある"}, {"theme", "退院支援"}}, "issue");
  s.issue_b =
      other.create("issue.post", {{"text", "独居高齢者の見守り"}, {"theme", "見守り"}}, "issue");
  s.issue_c = f.create("issue.post", text_args("夜間の訪問看護"), "issue");
  s.issue_d = f.create("issue.post", text_args("夜間対応(重複)"), "issue");
  f.ok("issue.merge", {{"from", s.issue_d}, {"into", s.issue_c}});

  s.ranking = f.create("ranking.open",
                       {{"candidates", {s.issue_a, s.issue_b, s.issue_c}}, {"method", "schulze"}},
                       "ranking");
  f.ok("ranking.ballot", {{"ranking", s.ranking}, {"order", {s.issue_a, s.issue_b, s.issue_c}}});
  owner.ok("ranking.ballot", {{"ranking", s.ranking}, {"order", {s.issue_b, s.issue_a}}});
  other.ok("ranking.ballot", {{"ranking", s.ranking}, {"order", {s.issue_a, s.issue_c}}});
  f.ok("ranking.close", {{"ranking", s.ranking}});

  s.vision = f.create("proposal.open", {{"kind", "vision"}, {"text", "住み慣れた地域で最期まで"}},
                      "proposal");
  f.ok("proposal.stance", {{"proposal", s.vision}, {"stance", "agree"}});
  owner.ok("proposal.stance", {{"proposal", s.vision}, {"stance", "agree"}, {"reason", "賛成"}});
  other.ok("proposal.stance", {{"proposal", s.vision}, {"stance", "abstain"}});
  f.ok("proposal.close", {{"proposal", s.vision}});
  s.direction = f.create(
      "proposal.open", {{"kind", "direction"}, {"text", "退院前カンファレンス必須化"}}, "proposal");
  owner.ok("proposal.stance",
           {{"proposal", s.direction}, {"stance", "block"}, {"reason", "人手不足"}});
  f.ok("proposal.close", {{"proposal", s.direction}});

  s.role = other.create("role.propose",
                        {{"title", "情報共有シートの運用"},
                         {"owner_org", "北広島町"},
                         {"due", "2026-03-31"},
                         {"theme", "退院支援"}},
                        "role");
  other.ok("role.consent", {{"role", s.role}, {"consent", true}});
  owner.ok("role.consent", {{"role", s.role}, {"consent", true}, {"note", "担当します"}});
  owner.ok("role.status", {{"role", s.role}, {"status", "in_progress"}});

  s.indicator = f.create(
      "indicator.define",
      {{"name", "退院調整件数"}, {"kind", "outcome"}, {"unit", "件"}, {"target", 10}}, "indicator");
  owner.ok("indicator.report", {{"indicator", s.indicator}, {"value", 3}, {"period", "2026-04"}});
  other.ok("indicator.report", {{"indicator", s.indicator}, {"value", 5}, {"period", "2026-05"}});

  f.ok("theme.set_stage", {{"theme", "退院支援"}, {"stage", 2}, {"reason", "課題を共有した"}});
  f.ok("meeting.advance", {{"item", 1}});
  s.last_seq = f.ok("meeting.end");
  return s;
}

}  // namespace renkei::it
