// Test support for the domain tests: a council driven through decide() and
// apply() the way the app does it, with a fake clock and fixed actors.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "domain/decide.hpp"
#include "domain/fold.hpp"

namespace renkei::domain::testing {

inline Actor facilitator() { return Actor{"p1", "山田", "保健所", Role::facilitator}; }
inline Actor member() { return Actor{"p2", "佐藤", "北広島町", Role::member}; }
inline Actor other_member() { return Actor{"p3", "鈴木", "医師会", Role::member}; }
inline Actor third_member() { return Actor{"p5", "高橋", "社協", Role::member}; }
inline Actor observer() { return Actor{"p4", "田中", "県本庁", Role::observer}; }

// A participant of the given organisation with the given id.
inline Actor member_of(std::string participant, std::string org) {
  return Actor{std::move(participant), "参加者", std::move(org), Role::member};
}

// A council state plus its log. run() decides a command and, when accepted,
// stamps the event (seq, a fake time, the live meeting) and applies it.
class Script {
 public:
  explicit Script(std::string council = "c1") { state_.council = std::move(council); }

  // Makes this a one-on-one (or a council) of `area`, as the app sets the
  // identity before the first apply.
  void set_kind(CouncilKind kind, std::optional<std::string> area = std::nullopt) {
    state_.kind = kind;
    state_.area = std::move(area);
  }

  // Decides from now on with this directory of organisations (v2).
  void use_directory(OrgResolver orgs) { orgs_ = std::move(orgs); }

  Decision run(const Actor& actor, const Command& command) {
    Decision decision = decide(state_, actor, command, orgs_);
    if (const auto* data = std::get_if<EventData>(&decision)) {
      Event event;
      event.seq = state_.head + 1;
      event.at = "2026-11-24T10:00:" + std::to_string(10 + event.seq % 50) + ".000Z";
      event.by = actor;
      event.meeting = state_.live_meeting;
      if (const auto* started = std::get_if<MeetingStarted>(data)) event.meeting = started->meeting;
      event.data = *data;
      apply(state_, event);
      log_.push_back(std::move(event));
    }
    return decision;
  }

  // Runs a command that must be accepted and returns its event data as T.
  template <typename T>
  T ok(const Actor& actor, const Command& command) {
    Decision decision = run(actor, command);
    if (const auto* error = std::get_if<Error>(&decision)) {
      ADD_FAILURE() << "rejected: " << op_name(command) << ": " << error->message;
      return T{};
    }
    const auto* data = std::get_if<T>(&std::get<EventData>(decision));
    if (data == nullptr) {
      ADD_FAILURE() << "unexpected event for " << op_name(command);
      return T{};
    }
    return *data;
  }

  // Runs a command that must be rejected and returns its error. The state must
  // not change.
  Error fail(const Actor& actor, const Command& command) {
    const std::uint64_t head = state_.head;
    Decision decision = run(actor, command);
    EXPECT_EQ(state_.head, head);
    if (const auto* error = std::get_if<Error>(&decision)) return *error;
    ADD_FAILURE() << "accepted: " << op_name(command);
    return Error{};
  }

  ErrorCode code(const Actor& actor, const Command& command) { return fail(actor, command).code; }

  // Shorthands for the common setup steps.
  std::string issue(const std::string& text = "課題") {
    return ok<IssuePosted>(facilitator(), IssuePost{text, std::nullopt}).issue;
  }
  std::vector<std::string> issues(int n) {
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) ids.push_back(issue("課題" + std::to_string(i + 1)));
    return ids;
  }
  std::string ranking(std::vector<std::string> candidates, RankingMethod method,
                      std::int64_t dots = 3) {
    return ok<RankingOpened>(facilitator(), RankingOpen{std::move(candidates), method, dots})
        .ranking;
  }
  // A Borda ranking of `candidates` with one ballot (member(), in the given
  // order), closed.
  std::string closed_ranking(const std::vector<std::string>& candidates) {
    const std::string id = ranking(candidates, RankingMethod::borda);
    ok<RankingBallotCast>(member(), RankingBallot{id, candidates, std::nullopt});
    ok<RankingClosed>(facilitator(), RankingClose{id});
    return id;
  }
  std::string proposal(ProposalKind kind = ProposalKind::vision) {
    return ok<ProposalOpened>(facilitator(), ProposalOpen{kind, "あるべき姿"}).proposal;
  }
  std::string role(const std::string& owner_org = "北広島町") {
    return ok<RoleProposed>(facilitator(), RolePropose{"退院調整ルールの運用", owner_org,
                                                       "2027-03-31", std::nullopt, std::nullopt})
        .role;
  }
  std::string indicator() {
    return ok<IndicatorDefined>(
               facilitator(),
               IndicatorDefine{"入退院時の引継ぎ率", IndicatorKind::process, "%", 90.0, 69.1})
        .indicator;
  }

  const CouncilState& state() const { return state_; }
  const std::vector<Event>& log() const { return log_; }

 private:
  CouncilState state_;
  std::vector<Event> log_;
  OrgResolver orgs_;
};

}  // namespace renkei::domain::testing
