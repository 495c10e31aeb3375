#include "domain/handover_packet.hpp"

#include <gtest/gtest.h>

namespace renkei::domain {
namespace {

Stamp stamp(std::uint64_t seq, std::string at, std::optional<std::string> meeting = std::nullopt,
            std::string org = "北広島町", std::string name = "鈴木") {
  Stamp s;
  s.seq = seq;
  s.at = std::move(at);
  s.by = Actor{"p1", std::move(name), std::move(org), Role::member, "o1"};
  s.meeting = std::move(meeting);
  return s;
}

RoleAgreement role(std::string id, std::string owner, std::optional<std::string> due,
                   RoleState state, RoleStatus status, std::uint64_t seq) {
  RoleAgreement r;
  r.id = std::move(id);
  r.title = "役割 " + r.id;
  r.owner_org = std::move(owner);
  r.due = std::move(due);
  r.state = state;
  r.status = status;
  r.proposed = stamp(seq, "2026-04-10T01:0" + std::to_string(seq % 10) + ":00.000Z", "c1-m1");
  return r;
}

// A council with one ended meeting (c1-m1, seq 1..20) and one after it.
CouncilState council() {
  CouncilState state;
  state.council = "c1";
  state.name = "在宅医療・介護連携推進会議";
  state.head = 40;
  Meeting m1;
  m1.id = "c1-m1";
  m1.title = "第1回";
  m1.started = stamp(1, "2026-04-10T01:00:00.000Z");
  m1.ended = stamp(20, "2026-04-10T03:00:00.000Z", "c1-m1");
  state.meetings = {m1};
  state.meeting_index = {{"c1-m1", 0}};

  auto overdue =
      role("c1-ro1", "北広島町", "2026-06-30", RoleState::agreed, RoleStatus::in_progress, 2);
  overdue.consents.push_back(ConsentEntry{
      true, std::string("引き受けます"), true, stamp(3, "2026-04-10T01:10:00.000Z", "c1-m1"), {}});
  overdue.statuses.push_back(StatusEntry{
      RoleStatus::in_progress, std::string("着手"), stamp(30, "2026-05-01T00:00:00.000Z"), {}});
  auto later =
      role("c1-ro2", "北広島町", "2026-12-31", RoleState::agreed, RoleStatus::not_started, 4);
  later.consents.push_back(
      ConsentEntry{true, std::nullopt, true, stamp(5, "2026-04-10T01:20:00.000Z", "c1-m1"), {}});
  auto none =
      role("c1-ro3", "北広島町", std::nullopt, RoleState::agreed, RoleStatus::not_started, 6);
  auto awaiting =
      role("c1-ro4", "北広島町", "2026-08-31", RoleState::proposed, RoleStatus::not_started, 7);
  auto done = role("c1-ro5", "北広島町", "2026-01-31", RoleState::agreed, RoleStatus::done, 8);
  auto other = role("c1-ro6", "A病院", "2026-07-01", RoleState::agreed, RoleStatus::not_started, 9);
  state.roles = {none, later, overdue, awaiting, done, other};
  for (std::size_t i = 0; i < state.roles.size(); ++i) state.role_index[state.roles[i].id] = i;

  Theme theme{"認知症", 2, stamp(10, "2026-04-10T01:30:00.000Z"), {}};
  theme.changes.push_back(
      StageChange{1, 2, "課題が出そろったため", stamp(11, "2026-04-10T02:00:00.000Z", "c1-m1")});
  state.themes = {theme};
  state.theme_index = {{"認知症", 0}};

  Proposal vision;
  vision.id = "c1-pr1";
  vision.kind = ProposalKind::vision;
  vision.text = "住み慣れた地域で最期まで";
  vision.open = false;
  vision.adopted = true;
  vision.opened = stamp(12, "2026-04-10T02:10:00.000Z", "c1-m1");
  vision.closed = stamp(13, "2026-04-10T02:20:00.000Z", "c1-m1");
  state.proposals = {vision};
  state.proposal_index = {{"c1-pr1", 0}};
  state.adopted_visions = {"c1-pr1"};

  Issue issue;
  issue.id = "c1-i1";
  issue.text = "退院調整の連絡が遅い";
  issue.posted = stamp(35, "2026-06-01T00:00:00.000Z");
  state.issues = {issue};
  state.issue_index = {{"c1-i1", 0}};
  return state;
}

PacketCouncilInfo info() {
  return PacketCouncilInfo{"c1",
                           "在宅医療・介護連携推進会議",
                           CouncilKind::council,
                           std::string("北広島"),
                           std::string("2026-07-20"),
                           false};
}

const OwnedBy ours = [](const RoleAgreement& r) { return r.owner_org == "北広島町"; };

TEST(HandoverPacket, OpenRolesOverdueFirstThenByDueAndTheAwaitingOnes) {
  const CouncilState state = council();
  const auto packet =
      compose_packet_council(state, info(), {"在宅医療"}, ours, std::nullopt, "2026-07-10");
  ASSERT_EQ(packet.roles.size(), 3u);
  EXPECT_EQ(packet.roles[0].id, "c1-ro1");
  EXPECT_TRUE(packet.roles[0].overdue);
  EXPECT_EQ(packet.roles[1].id, "c1-ro2");
  EXPECT_EQ(packet.roles[2].id, "c1-ro3");  // no due date: last
  ASSERT_EQ(packet.awaiting.size(), 1u);
  EXPECT_EQ(packet.awaiting[0].id, "c1-ro4");
  EXPECT_EQ(packet.overdue, 1u);

  // History: proposed, the owner's consent, the status change; agreed in m1.
  const PacketRole& first = packet.roles[0];
  ASSERT_EQ(first.history.size(), 3u);
  EXPECT_EQ(first.history[0].kind, PacketRoleEvent::Kind::proposed);
  EXPECT_EQ(first.history[1].kind, PacketRoleEvent::Kind::consented);
  EXPECT_TRUE(first.history[1].decisive);
  EXPECT_EQ(first.history[1].note, "引き受けます");
  EXPECT_EQ(first.history[2].kind, PacketRoleEvent::Kind::status);
  EXPECT_EQ(first.history[2].status, RoleStatus::in_progress);
  ASSERT_TRUE(first.agreed_in);
  EXPECT_EQ(first.agreed_in->id, "c1-m1");
  EXPECT_EQ(first.agreed_in->title, "第1回");
  EXPECT_FALSE(packet.roles[2].agreed_in);  // never consented
}

TEST(HandoverPacket, ThemesVisionLastMeetingAndHomework) {
  const CouncilState state = council();
  const auto packet = compose_packet_council(state, info(), {"在宅医療", "認知症"}, ours,
                                             std::nullopt, "2026-07-10");
  ASSERT_EQ(packet.themes.size(), 2u);
  EXPECT_EQ(packet.themes[0].name, "在宅医療");  // planned, not yet in the log
  EXPECT_EQ(packet.themes[0].stage, 1);
  EXPECT_EQ(packet.themes[1].stage, 2);
  ASSERT_EQ(packet.themes[1].changes.size(), 1u);
  EXPECT_EQ(packet.themes[1].changes[0].reason, "課題が出そろったため");
  ASSERT_TRUE(packet.vision);
  EXPECT_EQ(packet.vision->text, "住み慣れた地域で最期まで");
  ASSERT_TRUE(packet.last);
  EXPECT_EQ(packet.last->id, "c1-m1");
  EXPECT_FALSE(packet.live);
  // Adopted vision, the two roles agreed in m1, the stage change; in log order.
  ASSERT_EQ(packet.last_decisions.size(), 4u);
  EXPECT_NE(packet.last_decisions[0].find("役割分担に合意"), std::string::npos);
  EXPECT_NE(packet.last_decisions[0].find("（期限 2026年6月30日）"), std::string::npos)
      << packet.last_decisions[0];
  EXPECT_NE(packet.last_decisions[2].find("テーマ「認知症」"), std::string::npos);
  EXPECT_NE(packet.last_decisions[3].find("を採択"), std::string::npos);
  // 宿題: every open role proposed in m1 (any owner), by due date.
  ASSERT_GE(packet.homework.size(), 4u);
  EXPECT_EQ(packet.homework[0].role, "c1-ro1");
  EXPECT_TRUE(packet.homework[0].overdue);
  EXPECT_TRUE(packet.homework[0].ours);
  bool other = false;
  for (const auto& task : packet.homework)
    if (task.role == "c1-ro6") other = !task.ours;
  EXPECT_TRUE(other);
}

TEST(HandoverPacket, ChangesSinceAnInstant) {
  const CouncilState state = council();
  EXPECT_EQ(seq_at(state, "2026-04-30T00:00:00.000Z"), 20u);
  EXPECT_EQ(seq_at(state, "2026-01-01T00:00:00.000Z"), 0u);
  const auto packet = compose_packet_council(state, info(), {}, ours,
                                             std::string("2026-04-30T00:00:00.000Z"), "2026-07-10");
  EXPECT_EQ(packet.changes.since_seq, 20u);
  EXPECT_EQ(packet.changes.events, 20u);
  ASSERT_EQ(packet.changes.status_changes.size(), 1u);
  EXPECT_EQ(packet.changes.status_changes[0].role, "c1-ro1");
  ASSERT_EQ(packet.changes.issues_posted.size(), 1u);
  EXPECT_TRUE(packet.changes.stage_changes.empty());
  EXPECT_TRUE(packet.changes.meetings.empty());

  const auto all = compose_packet_council(state, info(), {}, ours, std::nullopt, "2026-07-10");
  EXPECT_EQ(all.changes.since_seq, 0u);
  EXPECT_EQ(all.changes.stage_changes.size(), 1u);
  EXPECT_EQ(all.changes.meetings.size(), 1u);
}

TEST(HandoverPacket, HomeworkIsDueFromTheLastMeetingToTheNextOne) {
  CouncilState state = council();
  // A role proposed after the meeting: 宿題 only while due by the next meeting.
  auto soon = role("c1-ro7", "A病院", "2026-07-15", RoleState::agreed, RoleStatus::not_started, 37);
  soon.proposed.meeting.reset();
  auto later =
      role("c1-ro8", "A病院", "2026-09-15", RoleState::agreed, RoleStatus::not_started, 38);
  later.proposed.meeting.reset();
  auto ancient =
      role("c1-ro9", "A病院", "2026-01-15", RoleState::agreed, RoleStatus::not_started, 39);
  ancient.proposed.meeting.reset();
  for (auto* r : {&soon, &later, &ancient}) {
    state.role_index[r->id] = state.roles.size();
    state.roles.push_back(*r);
  }
  const auto packet = compose_packet_council(state, info(), {}, ours, std::nullopt, "2026-07-10");
  const auto has = [&](const std::string& id) {
    for (const auto& task : packet.homework)
      if (task.role == id) return true;
    return false;
  };
  EXPECT_TRUE(has("c1-ro7"));
  EXPECT_FALSE(has("c1-ro8"));  // after the next meeting (2026-07-20)
  EXPECT_FALSE(has("c1-ro9"));  // due before the last meeting: the owner's overdue list
}

TEST(HandoverPacket, TextsThatSeemToHoldPersonalInformationAreFlagged) {
  CouncilState state = council();
  state.roles[2].detail = "山田太郎さん（82歳）の退院調整";
  state.issues[0].text = "山田太郎さん（82歳）が退院後に転倒した";
  const auto packet = compose_packet_council(state, info(), {}, ours, std::nullopt, "2026-07-10");
  ASSERT_EQ(packet.roles[0].id, "c1-ro1");
  EXPECT_FALSE(packet.roles[0].pii.empty());
  EXPECT_TRUE(packet.roles[1].pii.empty());
  ASSERT_EQ(packet.changes.issues_posted.size(), 1u);
  EXPECT_FALSE(packet.changes.issues_posted[0].pii.empty());
}

TEST(HandoverPacket, ErasedTextsStayErased) {
  CouncilState state = council();
  state.roles[2].redacted = Redaction{"個人情報", stamp(36, "2026-06-02T00:00:00.000Z")};
  const auto packet = compose_packet_council(state, info(), {}, ours, std::nullopt, "2026-07-10");
  EXPECT_EQ(packet.roles[0].id, "c1-ro1");
  EXPECT_TRUE(packet.roles[0].title.empty());
  EXPECT_TRUE(packet.roles[0].redacted);
}

TEST(HandoverPacket, CouncilsWithOverdueRolesComeFirstThenCouncilsThenOneOnOnes) {
  std::vector<PacketCouncil> councils(3);
  councils[0].info.name = "あ";
  councils[0].info.kind = CouncilKind::one_on_one;
  councils[1].info.name = "い";
  councils[2].info.name = "う";
  councils[2].overdue = 2;
  order_packet_councils(councils);
  EXPECT_EQ(councils[0].info.name, "う");
  EXPECT_EQ(councils[1].info.name, "い");
  EXPECT_EQ(councils[2].info.name, "あ");
}

TEST(HandoverPacket, AnEmptyCouncil) {
  CouncilState state;
  state.council = "c9";
  const auto packet = compose_packet_council(
      state, PacketCouncilInfo{"c9", "空", CouncilKind::council, std::nullopt, std::nullopt, false},
      {}, ours, std::nullopt, "2026-07-10");
  EXPECT_TRUE(packet.roles.empty());
  EXPECT_TRUE(packet.homework.empty());
  EXPECT_FALSE(packet.last);
  EXPECT_FALSE(packet.vision);
}

}  // namespace
}  // namespace renkei::domain
