// SqliteDirectory, schema v10 (CONTINUITY.md section 1): handover of a
// person's seats now and on a future date, vacating, requests, vacancies
// (fill, dismiss, deactivation), seat lines, the handover packet's query,
// and every refusal changing nothing.
#include <gtest/gtest.h>

#include "store/sqlite_directory.hpp"
#include "temp_dir.hpp"

namespace renkei::store {
namespace {

using testing::RawConnection;
using testing::TempDir;

constexpr const char* t0 = "2026-11-24T09:00:00.000Z";
constexpr const char* t1 = "2026-11-25T09:00:00.000Z";
constexpr const char* t2 = "2026-11-26T09:00:00.000Z";
constexpr const char* april = "2027-03-31T15:00:00.000Z";  // 2027-04-01 in Japan
constexpr const char* may = "2027-05-01T00:00:00.000Z";

class HandoverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    town_ = org("北広島町");
    other_ = org("安芸太田町");
    sato_ = person("佐藤", town_.id);
    suzuki_ = person("鈴木", town_.id);
    tanaka_ = person("田中", other_.id);
    c1_ = directory_.create_council(NewCouncil{"北広島", {}, {}, {}, {}, {}}, at(t0)).id;
    c2_ = directory_.create_council(NewCouncil{"在宅", {}, {}, {}, {}, {}}, at(t0)).id;
    s1_ = directory_.add_seat(c1_, sato_.id, domain::Role::facilitator, at(t0)).id;
    s2_ = directory_.add_seat(c2_, sato_.id, domain::Role::member, at(t0)).id;
  }
  Change at(const char* when) { return Change{when, std::string("u999"), std::string("10.0.0.1")}; }
  OrganisationRow org(const std::string& name) {
    return directory_.add_organisation(
        NewOrganisation{name, "municipality", "北広島保健所管内", {}}, at(t0));
  }
  PersonRow person(const std::string& name, const std::string& org_id) {
    return directory_.add_person(NewPerson{name, org_id, std::nullopt}, at(t0));
  }
  std::size_t audit_rows() {
    RawConnection raw(path_);
    return std::stoul(raw.scalar("SELECT count(*) FROM audit_log"));
  }
  std::vector<std::string> audit_of(const std::string& action) {
    RawConnection raw(path_);
    return raw.column(
        "SELECT subject || ' ' || coalesce(old_value, '') || ' ' || "
        "coalesce(new_value, '') FROM audit_log WHERE action = '" +
            action + "' ORDER BY id",
        0);
  }

  TempDir dir_;
  std::string path_ = dir_.file("renkei.db");
  Database db_{path_};
  SqliteDirectory directory_{db_};
  OrganisationRow town_, other_;
  PersonRow sato_, suzuki_, tanaka_;
  std::string c1_, c2_, s1_, s2_;
};

TEST_F(HandoverTest, AHandoverNowMovesEverySeatToTheSuccessor) {
  db_.create_browser_session("bs1", s1_, t0, may);
  const auto result = directory_.hand_over_seats(sato_.id, suzuki_.id, t1, at(t1));
  EXPECT_EQ(result.effective_at, t1);
  ASSERT_EQ(result.seats.size(), 2u);
  EXPECT_EQ(result.seats[0].council, c1_);
  EXPECT_EQ(result.seats[0].from, s1_);
  const auto next = *db_.find_participant(*result.seats[0].to);
  EXPECT_EQ(next.person, suzuki_.id);
  EXPECT_EQ(next.name, "鈴木");
  EXPECT_EQ(next.org_id, town_.id);
  EXPECT_EQ(next.role, domain::Role::facilitator) << "the same role";
  EXPECT_EQ(next.succeeds, s1_);
  EXPECT_EQ(next.active_from, t1);
  EXPECT_TRUE(next.active_at(t1));
  const auto old = *db_.find_participant(s1_);
  EXPECT_EQ(old.revoked_at, t1);
  EXPECT_FALSE(old.vacated_at) << "a handover with a successor is no vacancy";
  EXPECT_FALSE(old.active_at(t1));
  EXPECT_EQ(db_.find_browser_session("bs1")->ended_at, t1);
  EXPECT_EQ(db_.revoked_since(t0, t2).size(), 2u);
  EXPECT_TRUE(directory_.list_vacancies().empty());
  const auto trail = audit_of("seat.handover");
  ASSERT_EQ(trail.size(), 2u);
  EXPECT_NE(trail[0].find("\"person\":\"u1\""), std::string::npos) << trail[0];
  EXPECT_NE(trail[0].find("\"person\":\"u2\""), std::string::npos) << trail[0];
  EXPECT_NE(trail[0].find("\"revoked_at\":null"), std::string::npos) << trail[0];
}

TEST_F(HandoverTest, AFutureHandoverStartsAndEndsSeatsAtItsInstant) {
  db_.create_browser_session("bs1", s1_, t0, may);
  const auto result = directory_.hand_over_seats(sato_.id, suzuki_.id, april, at(t1));
  const auto next = *db_.find_participant(*result.seats[0].to);
  const auto old = *db_.find_participant(s1_);
  EXPECT_TRUE(old.active_at(t2)) << "the predecessor keeps the seat until April";
  EXPECT_FALSE(next.active_at(t2));
  EXPECT_TRUE(next.upcoming_at(t2));
  EXPECT_FALSE(old.active_at(april));
  EXPECT_TRUE(next.active_at(april));
  EXPECT_FALSE(db_.find_browser_session("bs1")->ended_at) << "ended by the watcher when due";
  EXPECT_TRUE(db_.revoked_since(t0, t2).empty()) << "not due yet";
  EXPECT_EQ(db_.revoked_since(t0, may).size(), 2u);
  // The person leaving holds no open seat any more: a second handover is
  // refused, and the successor cannot be given another seat line twice.
  EXPECT_THROW(directory_.hand_over_seats(sato_.id, suzuki_.id, april, at(t2)),
               std::invalid_argument);
}

TEST_F(HandoverTest, WithoutASuccessorEverySeatIsVacated) {
  const auto result = directory_.hand_over_seats(sato_.id, std::nullopt, t1, at(t1));
  ASSERT_EQ(result.seats.size(), 2u);
  EXPECT_FALSE(result.seats[0].to);
  const auto vacancies = directory_.list_vacancies();
  ASSERT_EQ(vacancies.size(), 2u);
  EXPECT_EQ(vacancies[0].id, s1_);
  EXPECT_EQ(vacancies[0].person, sato_.id) << "the last holder";
  EXPECT_EQ(vacancies[0].vacated_at, t1);
  EXPECT_EQ(audit_of("seat.vacated").size(), 2u);

  // Fill: a person of the organisation; refused otherwise.
  const auto before = audit_rows();
  EXPECT_THROW(directory_.fill_vacancy(s1_, tanaka_.id, at(t2)), std::invalid_argument)
      << "another organisation";
  EXPECT_THROW(directory_.fill_vacancy(s1_, "u77", at(t2)), std::invalid_argument);
  EXPECT_THROW(directory_.fill_vacancy("p99", suzuki_.id, at(t2)), std::invalid_argument);
  EXPECT_EQ(audit_rows(), before) << "refusals write nothing";
  const auto filled = directory_.fill_vacancy(s1_, suzuki_.id, at(t2));
  EXPECT_EQ(filled.succeeds, s1_);
  EXPECT_EQ(filled.role, domain::Role::facilitator);
  EXPECT_TRUE(filled.active_at(t2));
  EXPECT_THROW(directory_.fill_vacancy(s1_, suzuki_.id, at(t2)), std::invalid_argument)
      << "no longer a vacancy";
  EXPECT_EQ(audit_of("seat.filled").size(), 1u);

  // Dismiss: the organisation leaves the council.
  directory_.dismiss_vacancy(s2_, at(t2));
  EXPECT_TRUE(directory_.list_vacancies().empty());
  EXPECT_FALSE(db_.find_participant(s2_)->active_at(may));
  EXPECT_THROW(directory_.dismiss_vacancy(s2_, at(t2)), std::invalid_argument);
  EXPECT_THROW(directory_.dismiss_vacancy(filled.id, at(t2)), std::invalid_argument);
  ASSERT_EQ(audit_of("vacancy.dismissed").size(), 1u);
  EXPECT_NE(audit_of("vacancy.dismissed")[0].find(t1), std::string::npos);
}

TEST_F(HandoverTest, RefusalsChangeNothing) {
  const auto before = audit_rows();
  const auto other_seat = directory_.add_seat(c1_, tanaka_.id, domain::Role::member, at(t0));
  const auto after_seat = audit_rows();
  EXPECT_EQ(after_seat, before + 1);
  EXPECT_THROW(directory_.hand_over_seats(sato_.id, tanaka_.id, t1, at(t1)), std::invalid_argument)
      << "another organisation";
  EXPECT_THROW(directory_.hand_over_seats(sato_.id, sato_.id, t1, at(t1)), std::invalid_argument);
  EXPECT_THROW(directory_.hand_over_seats(sato_.id, std::string("u77"), t1, at(t1)),
               std::invalid_argument);
  EXPECT_THROW(directory_.hand_over_seats("u77", suzuki_.id, t1, at(t1)), std::invalid_argument);
  const auto idle = person("山田", town_.id);
  EXPECT_THROW(directory_.hand_over_seats(idle.id, suzuki_.id, t1, at(t1)), std::invalid_argument)
      << "no open seat";
  directory_.add_seat(c2_, suzuki_.id, domain::Role::member, at(t1));
  const auto rows = audit_rows();
  EXPECT_THROW(directory_.hand_over_seats(sato_.id, suzuki_.id, t1, at(t1)), std::invalid_argument)
      << "the successor is already seated in c2";
  const auto gone = person("高橋", town_.id);
  directory_.deactivate_person(gone.id, at(t1));
  const auto rows2 = audit_rows();
  EXPECT_THROW(directory_.hand_over_seats(sato_.id, gone.id, t1, at(t1)), std::invalid_argument);
  EXPECT_EQ(audit_rows(), rows2);
  EXPECT_GT(rows2, rows);
  EXPECT_TRUE(db_.find_participant(s1_)->active_at(may));
  EXPECT_TRUE(db_.find_participant(other_seat.id)->active_at(may));
}

TEST_F(HandoverTest, RequestsAreConfirmedOrRejectedOnce) {
  const auto r1 = directory_.request_handover(sato_.id, suzuki_.id, "2027-04-01",
                                              std::string("4月から本庁へ"), at(t1));
  EXPECT_EQ(r1.id, "h1");
  EXPECT_EQ(r1.state, HandoverRequestState::pending);
  EXPECT_EQ(r1.note, "4月から本庁へ");
  EXPECT_THROW(directory_.request_handover("u77", std::nullopt, "2027-04-01", {}, at(t1)),
               std::invalid_argument);
  EXPECT_THROW(directory_.request_handover(sato_.id, std::string("u77"), "2027-04-01", {}, at(t1)),
               std::invalid_argument);
  const auto r2 = directory_.request_handover(suzuki_.id, std::nullopt, "2027-04-01", {}, at(t1));
  ASSERT_EQ(directory_.list_handover_requests().size(), 2u);
  EXPECT_EQ(directory_.list_handover_requests()[0].id, r2.id) << "newest first";

  const Change decided{t2, tanaka_.id, std::nullopt};
  const auto result = directory_.confirm_handover_request(r1.id, april, decided);
  EXPECT_EQ(result.seats.size(), 2u);
  const auto confirmed = *directory_.find_handover_request(r1.id);
  EXPECT_EQ(confirmed.state, HandoverRequestState::confirmed);
  EXPECT_EQ(confirmed.decided_at, t2);
  EXPECT_EQ(confirmed.decided_by, tanaka_.id);
  EXPECT_THROW(directory_.confirm_handover_request(r1.id, april, at(t2)), std::invalid_argument);
  EXPECT_FALSE(directory_.reject_handover_request(r1.id, at(t2)));
  EXPECT_THROW(directory_.reject_handover_request("h9", at(t2)), std::invalid_argument);
  // Confirming a request whose handover is refused keeps it pending.
  const auto r3 = directory_.request_handover(tanaka_.id, std::nullopt, "2027-04-01", {}, at(t2));
  EXPECT_THROW(directory_.confirm_handover_request(r3.id, april, decided), std::invalid_argument)
      << "no open seat";
  EXPECT_EQ(directory_.find_handover_request(r3.id)->state, HandoverRequestState::pending);
  EXPECT_TRUE(directory_.reject_handover_request(r3.id, decided));
  EXPECT_EQ(directory_.find_handover_request(r3.id)->state, HandoverRequestState::rejected);
  EXPECT_EQ(audit_of("handover.requested").size(), 3u);
  EXPECT_EQ(audit_of("handover.confirmed").size(), 1u);
  EXPECT_EQ(audit_of("handover.rejected").size(), 1u);
  for (const auto& row : audit_of("handover.requested"))
    EXPECT_EQ(row.find("本庁"), std::string::npos) << "the note stays out of the trail";
}

TEST_F(HandoverTest, SeatLinesListHoldersOldestFirst) {
  const auto first = directory_.hand_over_seats(sato_.id, suzuki_.id, t1, at(t1));
  const auto third = person("山田", town_.id);
  directory_.hand_over_seats(suzuki_.id, third.id, april, at(t2));
  directory_.add_seat(c1_, tanaka_.id, domain::Role::member, at(t2));
  const auto lines = directory_.seat_lines(c1_);
  ASSERT_EQ(lines.size(), 2u);
  ASSERT_EQ(lines[0].size(), 3u);
  EXPECT_EQ(lines[0][0].person, sato_.id);
  EXPECT_EQ(lines[0][1].person, suzuki_.id);
  EXPECT_EQ(lines[0][2].person, third.id);
  EXPECT_EQ(lines[0][1].revoked_at, april);
  EXPECT_EQ(lines[0][2].active_from, april);
  ASSERT_EQ(lines[1].size(), 1u);
  EXPECT_EQ(lines[1][0].person, tanaka_.id);
  EXPECT_TRUE(directory_.seat_lines("c99").empty());
}

TEST_F(HandoverTest, TheSuccessorsUnseenHandoversNameThePredecessor) {
  directory_.record_visit(sato_.id, t0);
  EXPECT_TRUE(directory_.unseen_handovers(suzuki_.id).empty());
  directory_.hand_over_seats(sato_.id, suzuki_.id, april, at(t1));
  const auto unseen = directory_.unseen_handovers(suzuki_.id);
  ASSERT_EQ(unseen.size(), 2u);
  EXPECT_EQ(unseen[0].org, town_.id);
  EXPECT_EQ(unseen[0].org_name, "北広島町");
  EXPECT_EQ(unseen[0].predecessor, sato_.id);
  EXPECT_EQ(unseen[0].predecessor_name, "佐藤");
  EXPECT_EQ(unseen[0].predecessor_last_visit_at, t0);
  EXPECT_EQ(unseen[0].predecessor_participant, s1_);
  EXPECT_EQ(unseen[0].council, c1_);
  EXPECT_TRUE(directory_.unseen_handovers(sato_.id).empty());
  EXPECT_EQ(directory_.mark_handover_seen(suzuki_.id, t2), 2);
  EXPECT_EQ(directory_.mark_handover_seen(suzuki_.id, t2), 0);
  EXPECT_TRUE(directory_.unseen_handovers(suzuki_.id).empty());
  EXPECT_EQ(db_.find_participant(unseen[0].participant)->handover_seen_at, t2);
  EXPECT_EQ(directory_.mark_handover_seen("x", t2), 0);
}

TEST_F(HandoverTest, DeactivationBeforeAHandoversDateEndsTheSeatAtOnce) {
  const auto result = directory_.hand_over_seats(sato_.id, suzuki_.id, april, at(t1));
  directory_.deactivate_person(sato_.id, at(t2));
  EXPECT_EQ(db_.find_participant(s1_)->revoked_at, t2) << "the earlier end counts";
  EXPECT_EQ(db_.revoked_since(t1, may).size(), 2u);
  EXPECT_TRUE(directory_.list_vacancies().empty()) << "the seats have a successor";
  EXPECT_TRUE(db_.find_participant(*result.seats[0].to)->upcoming_at(t2));
}

TEST_F(HandoverTest, DeactivatingAPersonLeavesVacancies) {
  directory_.deactivate_person(sato_.id, at(t1));
  const auto vacancies = directory_.list_vacancies();
  ASSERT_EQ(vacancies.size(), 2u);
  EXPECT_EQ(vacancies[0].vacated_at, t1);
  EXPECT_EQ(vacancies[0].revoked_at, t1) << "reads as revoked by the deactivation";
  EXPECT_EQ(audit_of("seat.vacated").size(), 2u);
  // A seat removed before is no vacancy.
  const auto other = person("山田", town_.id);
  const auto removed = directory_.add_seat(c1_, other.id, domain::Role::member, at(t1));
  directory_.remove_seat(removed.id, at(t1));
  directory_.deactivate_person(other.id, at(t2));
  EXPECT_EQ(directory_.list_vacancies().size(), 2u);
  const auto filled = directory_.fill_vacancy(s2_, suzuki_.id, at(t2));
  EXPECT_EQ(filled.council, c2_);
  EXPECT_EQ(directory_.list_vacancies().size(), 1u);
}

}  // namespace
}  // namespace renkei::store
