// Shared fixture and helpers of the integration tests: a server with one
// council and its facilitator, and Participant, a connected client that
// knows who it is and numbers its own command ids.
#pragma once

#include <gtest/gtest.h>

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

  std::string fresh_id() { return "k" + std::to_string(++counter_); }

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
    if (!v || !v->is_string()) throw std::runtime_error("event has no data." + key + ": " + event.text);
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
  int counter_ = 0;
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

}  // namespace renkei::it
