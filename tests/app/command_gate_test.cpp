// What a joined connection may do with a message (app/command_gate.hpp):
// one budget for commands and heartbeats, observers refused, the refusals'
// wording and the op that is audited.
#include "app/command_gate.hpp"

#include <gtest/gtest.h>

#include "protocol/server_messages.hpp"

namespace renkei::app {
namespace {

using Verdict = CommandGate::Verdict;
using Clock = RateLimiter::clock;

domain::Actor as(domain::Role role) { return domain::Actor{"p1", "山本 真理", "西部保健所", role}; }

TEST(CommandGate, CommandsAndPingsShareOneBudget) {
  CommandGate gate(1, 3);
  const auto t0 = Clock::time_point{} + std::chrono::hours(1);
  EXPECT_EQ(gate.command(as(domain::Role::member), t0), Verdict::accept);
  EXPECT_EQ(gate.ping(t0), Verdict::pong);
  EXPECT_EQ(gate.command(as(domain::Role::facilitator), t0), Verdict::accept);
  EXPECT_EQ(gate.ping(t0), Verdict::rate_limited);
  EXPECT_EQ(gate.command(as(domain::Role::member), t0), Verdict::rate_limited);
  // One token a second comes back.
  EXPECT_EQ(gate.ping(t0 + std::chrono::seconds(1)), Verdict::pong);
}

TEST(CommandGate, ObserversAreRefusedAfterTheBudget) {
  CommandGate gate(1, 1);
  const auto t0 = Clock::time_point{} + std::chrono::hours(1);
  EXPECT_EQ(gate.command(as(domain::Role::observer), t0), Verdict::forbidden);
  // The refused command took the token: a flood costs its budget too.
  EXPECT_EQ(gate.command(as(domain::Role::observer), t0), Verdict::rate_limited);
  // Observers may still ping.
  EXPECT_EQ(gate.ping(t0 + std::chrono::seconds(1)), Verdict::pong);
}

TEST(CommandGate, Refusals) {
  const domain::Error& observer = CommandGate::refusal(Verdict::forbidden, false);
  EXPECT_EQ(observer.code, domain::ErrorCode::forbidden);
  EXPECT_EQ(observer.message, "オブザーバーは操作できません / observers cannot send commands");
  EXPECT_EQ(CommandGate::refusal(Verdict::rate_limited, false).message,
            "送信が速すぎます。少し待ってから再送してください / too many commands; retry shortly");
  EXPECT_EQ(CommandGate::refusal(Verdict::rate_limited, true).message,
            "送信が速すぎます。少し待ってから再送してください / too many messages; retry shortly");
  EXPECT_EQ(*CommandGate::pong_frame(), protocol::encode_pong());
  EXPECT_EQ(CommandGate::pong_frame().get(), CommandGate::pong_frame().get());
}

TEST(CommandGate, AnUnknownOpIsNotAudited) {
  protocol::CmdMessage known{"k-1", "issue.post",
                             domain::make_error(domain::ErrorCode::bad_request, "a", "b")};
  EXPECT_EQ(CommandGate::audited_op(known), "issue.post");
  protocol::CmdMessage unknown{"k-2", "顧客の名前",
                               domain::make_error(domain::ErrorCode::unknown_op, "a", "b")};
  EXPECT_EQ(CommandGate::audited_op(unknown), std::nullopt);
  protocol::CmdMessage none{"k-3", "",
                            domain::make_error(domain::ErrorCode::bad_request, "a", "b")};
  EXPECT_EQ(CommandGate::audited_op(none), std::nullopt);
}

}  // namespace
}  // namespace renkei::app
