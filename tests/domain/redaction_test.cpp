// text.redact (v1.1, 伏せ字): who may erase which text, the errors, and the
// fold: the state loses the text and keeps who erased it, when and why, the
// same live and on replay of a log whose rows the store rewrote.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/decide.hpp"
#include "domain/fold.hpp"
#include "domain/minutes.hpp"
#include "script.hpp"

namespace renkei::domain {
namespace {

using testing::facilitator;
using testing::member;
using testing::observer;
using testing::other_member;
using testing::Script;

const std::string pii = "山田太郎さん（82歳）090-1234-5678";

TextRedact redact(const std::string& target, const char* reason = "個人が特定できる") {
  return TextRedact{target, std::nullopt, reason};
}
TextRedact redact_of(const std::string& target, const std::string& participant) {
  return TextRedact{target, participant, "病名が書かれている"};
}

// A council where member() wrote an issue, a stance reason, a role and notes.
struct Written {
  Script s;
  std::string issue, proposal, role;

  Written() {
    issue = s.ok<IssuePosted>(member(), IssuePost{pii, std::nullopt}).issue;
    proposal = s.proposal();
    s.ok<ProposalStanceTaken>(member(), ProposalStance{proposal, Stance::block, pii});
    role = s.ok<RoleProposed>(
                member(), RolePropose{"見守り " + pii, "北広島町", std::nullopt, pii, std::nullopt})
               .role;
    s.ok<RoleConsented>(member(), RoleConsent{role, true, pii});
    s.ok<RoleStatusChanged>(member(), RoleStatusUpdate{role, RoleStatus::in_progress, pii});
  }
};

TEST(DecideRedact, TheAuthorMayEraseWhatTheyWrote) {
  Written w;
  const auto e = w.s.ok<TextRedacted>(member(), redact(w.issue));
  EXPECT_EQ(e.target, w.issue);
  EXPECT_FALSE(e.participant);
  EXPECT_EQ(e.reason, "個人が特定できる");
  w.s.ok<TextRedacted>(member(), redact_of(w.proposal, "p2"));
  w.s.ok<TextRedacted>(member(), redact(w.role));
  w.s.ok<TextRedacted>(member(), redact_of(w.role, "p2"));
}

TEST(DecideRedact, TheFacilitatorMayEraseAnyText) {
  Written w;
  w.s.ok<TextRedacted>(facilitator(), redact(w.issue));
  w.s.ok<TextRedacted>(facilitator(), redact(w.proposal));
  w.s.ok<TextRedacted>(facilitator(), redact_of(w.proposal, "p2"));
  w.s.ok<TextRedacted>(facilitator(), redact(w.role));
  w.s.ok<TextRedacted>(facilitator(), redact_of(w.role, "p2"));
}

TEST(DecideRedact, AnyoneElseIsForbidden) {
  Written w;
  EXPECT_EQ(w.s.code(other_member(), redact(w.issue)), ErrorCode::forbidden);
  EXPECT_EQ(w.s.code(other_member(), redact(w.proposal)), ErrorCode::forbidden);  // F opened it
  EXPECT_EQ(w.s.code(other_member(), redact_of(w.proposal, "p2")), ErrorCode::forbidden);
  EXPECT_EQ(w.s.code(other_member(), redact(w.role)), ErrorCode::forbidden);
  EXPECT_EQ(w.s.code(other_member(), redact_of(w.role, "p2")), ErrorCode::forbidden);
  EXPECT_EQ(w.s.code(observer(), redact(w.issue)), ErrorCode::forbidden);
  const Error e = w.s.fail(other_member(), redact(w.issue));
  EXPECT_EQ(e.message.rfind("伏せ字にできるのは", 0), 0u) << e.message;
  EXPECT_EQ(w.s.state().find_issue(w.issue)->text, pii);  // nothing changed
}

TEST(DecideRedact, UnknownTargetsAndMissingTextsAreNotFound) {
  Written w;
  EXPECT_EQ(w.s.code(facilitator(), redact("c1-i99")), ErrorCode::not_found);
  EXPECT_EQ(w.s.code(facilitator(), redact("c1-r1")), ErrorCode::not_found);  // not a text
  EXPECT_EQ(w.s.code(facilitator(), redact_of(w.proposal, "p3")), ErrorCode::not_found);
  EXPECT_EQ(w.s.code(facilitator(), redact_of(w.role, "p3")), ErrorCode::not_found);
  // A stance without a reason has nothing to erase.
  w.s.ok<ProposalStanceTaken>(other_member(),
                              ProposalStance{w.proposal, Stance::agree, std::nullopt});
  EXPECT_EQ(w.s.code(facilitator(), redact_of(w.proposal, "p3")), ErrorCode::not_found);
  EXPECT_EQ(w.s.code(facilitator(), redact_of(w.issue, "p2")), ErrorCode::bad_request);
}

TEST(DecideRedact, ATextAlreadyErasedIsConflict) {
  Written w;
  w.s.ok<TextRedacted>(member(), redact(w.issue));
  w.s.ok<TextRedacted>(member(), redact_of(w.proposal, "p2"));
  w.s.ok<TextRedacted>(member(), redact(w.role));
  w.s.ok<TextRedacted>(member(), redact_of(w.role, "p2"));
  EXPECT_EQ(w.s.code(facilitator(), redact(w.issue)), ErrorCode::conflict);
  EXPECT_EQ(w.s.code(facilitator(), redact_of(w.proposal, "p2")), ErrorCode::conflict);
  EXPECT_EQ(w.s.code(facilitator(), redact(w.role)), ErrorCode::conflict);
  EXPECT_EQ(w.s.code(facilitator(), redact_of(w.role, "p2")), ErrorCode::conflict);
}

TEST(DecideRedact, AnEarlierStanceReasonCountsToo) {
  Written w;  // p2's block stance had a reason; a later stance has none
  w.s.ok<ProposalStanceTaken>(member(), ProposalStance{w.proposal, Stance::agree, std::nullopt});
  w.s.ok<TextRedacted>(member(), redact_of(w.proposal, "p2"));
  const StanceEntry& entry = w.s.state().find_proposal(w.proposal)->stances.at("p2");
  ASSERT_TRUE(entry.redacted);
  EXPECT_EQ(entry.stance, Stance::agree);
}

TEST(FoldRedact, TheStateLosesTheTextAndKeepsWhoWhenWhy) {
  Written w;
  const std::uint64_t seq = w.s.state().head + 1;
  w.s.ok<TextRedacted>(member(), redact(w.issue));
  w.s.ok<TextRedacted>(facilitator(), redact_of(w.proposal, "p2"));
  w.s.ok<TextRedacted>(member(), redact(w.role));
  w.s.ok<TextRedacted>(member(), redact_of(w.role, "p2"));
  const CouncilState& state = w.s.state();

  const Issue* issue = state.find_issue(w.issue);
  EXPECT_EQ(issue->text, "");
  ASSERT_TRUE(issue->redacted);
  EXPECT_EQ(issue->redacted->reason, "個人が特定できる");
  EXPECT_EQ(issue->redacted->stamp.seq, seq);
  EXPECT_EQ(issue->redacted->stamp.by.participant, "p2");

  const StanceEntry& stance = state.find_proposal(w.proposal)->stances.at("p2");
  EXPECT_FALSE(stance.reason);
  ASSERT_TRUE(stance.redacted);
  EXPECT_EQ(stance.redacted->stamp.by.participant, "p1");
  EXPECT_EQ(stance.stance, Stance::block);  // the stance itself stays

  const RoleAgreement* role = state.find_role(w.role);
  EXPECT_EQ(role->title, "");
  EXPECT_EQ(role->detail, std::optional<std::string>(""));
  EXPECT_TRUE(role->redacted);
  EXPECT_EQ(role->state, RoleState::agreed);
  ASSERT_EQ(role->consents.size(), 1u);
  EXPECT_FALSE(role->consents[0].note);
  EXPECT_TRUE(role->consents[0].redacted);
  ASSERT_EQ(role->statuses.size(), 1u);
  EXPECT_FALSE(role->statuses[0].note);
  EXPECT_TRUE(role->statuses[0].redacted);
}

// The store rewrites the rows that held the text: text "", reasons and notes
// removed, "redacted": true. Folding that log gives the state the live fold
// gave, redaction stamps included.
TEST(FoldRedact, ReplayOfTheRewrittenLogGivesTheSameState) {
  Written w;
  w.s.ok<RoleConsented>(member(), RoleConsent{w.role, true, std::nullopt});
  w.s.ok<TextRedacted>(member(), redact(w.issue));
  w.s.ok<TextRedacted>(member(), redact_of(w.proposal, "p2"));
  w.s.ok<TextRedacted>(member(), redact(w.role));
  w.s.ok<TextRedacted>(member(), redact_of(w.role, "p2"));
  // A later note by the same participant, erased by a second redaction.
  w.s.ok<RoleConsented>(member(), RoleConsent{w.role, true, "再掲 " + pii});
  w.s.ok<TextRedacted>(facilitator(), redact_of(w.role, "p2"));

  std::vector<Event> log = w.s.log();
  for (Event& event : log) {
    std::visit(
        [](auto& d) {
          using T = std::decay_t<decltype(d)>;
          if constexpr (std::is_same_v<T, IssuePosted> || std::is_same_v<T, ProposalOpened>) {
            if (d.text.find("山田") != std::string::npos) {
              d.text.clear();
              d.redacted = true;
            }
          } else if constexpr (std::is_same_v<T, ProposalStanceTaken>) {
            d.redacted = d.reason.has_value();
            d.reason.reset();
          } else if constexpr (std::is_same_v<T, RoleProposed>) {
            d.title.clear();
            d.detail = "";
            d.redacted = true;
          } else if constexpr (std::is_same_v<T, RoleConsented> ||
                               std::is_same_v<T, RoleStatusChanged>) {
            d.redacted = d.note.has_value();
            d.note.reset();
          }
        },
        event.data);
  }
  CouncilState replayed;
  replayed.council = "c1";
  for (const Event& event : log) apply(replayed, event);
  const CouncilState& live = w.s.state();

  EXPECT_EQ(replayed.find_issue(w.issue)->text, "");
  EXPECT_EQ(replayed.find_issue(w.issue)->redacted->stamp.seq,
            live.find_issue(w.issue)->redacted->stamp.seq);
  const auto& a = replayed.find_proposal(w.proposal)->stances.at("p2");
  const auto& b = live.find_proposal(w.proposal)->stances.at("p2");
  EXPECT_EQ(a.redacted->stamp.seq, b.redacted->stamp.seq);
  EXPECT_EQ(a.reason_in_log, b.reason_in_log);
  const RoleAgreement* ra = replayed.find_role(w.role);
  const RoleAgreement* rb = live.find_role(w.role);
  EXPECT_EQ(ra->redacted->stamp.seq, rb->redacted->stamp.seq);
  ASSERT_EQ(ra->consents.size(), rb->consents.size());
  for (std::size_t i = 0; i < ra->consents.size(); ++i) {
    EXPECT_EQ(ra->consents[i].note, rb->consents[i].note) << i;
    EXPECT_EQ(ra->consents[i].redacted.has_value(), rb->consents[i].redacted.has_value()) << i;
    if (ra->consents[i].redacted) {
      EXPECT_EQ(ra->consents[i].redacted->stamp.seq, rb->consents[i].redacted->stamp.seq) << i;
    }
  }
  // The first note keeps its own redaction, the later one the second.
  EXPECT_NE(rb->consents[0].redacted->stamp.seq, rb->consents[2].redacted->stamp.seq);
  EXPECT_FALSE(rb->consents[1].redacted);  // it had no note
}

TEST(MinutesRedact, TheReasonStandsInPlaceOfTheText) {
  Script s;
  s.ok<MeetingStarted>(facilitator(), MeetingStart{"第1回", std::nullopt, {}});
  const std::string issue = s.ok<IssuePosted>(member(), IssuePost{pii, std::nullopt}).issue;
  const std::string proposal = s.proposal();
  s.ok<ProposalStanceTaken>(member(), ProposalStance{proposal, Stance::disagree, pii});
  s.ok<ProposalClosed>(facilitator(), ProposalClose{proposal});
  s.ok<TextRedacted>(member(), redact(issue, "氏名と年齢"));
  s.ok<TextRedacted>(member(), redact_of(proposal, "p2"));
  s.ok<MeetingEnded>(facilitator(), MeetingEnd{});
  std::vector<Event> events;
  for (const Event& e : s.log())
    if (e.meeting == "c1-m1") events.push_back(e);
  const auto minutes = build_minutes(s.state(), "c1-m1", events, {}, {});
  ASSERT_TRUE(minutes);
  std::string all;
  for (const auto& item : minutes->items)
    for (const auto& line : item.lines) {
      all += line.text + "\n";
      for (const auto& detail : line.details) all += detail + "\n";
    }
  EXPECT_EQ(all.find("山田"), std::string::npos) << all;
  EXPECT_NE(all.find("「（伏せ字：氏名と年齢）」"), std::string::npos) << all;
  EXPECT_NE(all.find("（伏せ字：病名が書かれている）"), std::string::npos) << all;
}

}  // namespace
}  // namespace renkei::domain
