// The state of one council: the fold of its event log. Only apply() changes
// it; decide() reads it. Containers keep creation order; lookups go through
// the index maps, which apply() keeps in step.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/actor.hpp"
#include "domain/agenda.hpp"
#include "domain/event.hpp"
#include "domain/vocabulary.hpp"

namespace renkei::domain {

// Where and when something happened, for history entries.
struct Stamp {
  std::uint64_t seq = 0;
  std::string at;
  Actor by;
  std::optional<std::string> meeting;
  // Proxy input: who entered it on behalf of `by` (CONTINUITY.md section 4).
  std::optional<Actor> entered_by = std::nullopt;
};

// Who erased a text (text.redacted, v1.1), when and why. The text itself is
// gone: "" or absent in the state and in the log. A placeholder (seq 0) marks
// an entry whose event was rewritten, until the text.redacted that follows
// it in the log is applied.
struct Redaction {
  std::string reason;
  Stamp stamp;
};

struct Meeting {
  std::string id;
  std::string title;
  std::optional<std::string> agenda;
  std::vector<AgendaItem> items;
  std::int64_t current_item = -1;  // -1 before the first advance
  Stamp started;
  std::optional<Stamp> ended;
  std::vector<std::pair<std::int64_t, Stamp>> advances;  // item, when
  SessionType session = SessionType::open;
};

struct Issue {
  std::string id;
  std::string text;
  std::optional<std::string> theme;
  Stamp posted;
  std::optional<std::string> merged_into;               // set once merged
  std::vector<std::string> merged_from;                 // issues merged into this one
  std::vector<std::string> rankings;                    // rankings it was a candidate of
  std::vector<std::string> roles = {};                  // roles linked to it (role.propose issue)
  std::optional<Redaction> redacted = std::nullopt;     // its text erased
  std::optional<Provenance> provenance = std::nullopt;  // promoted from a one-on-one
};

struct Ballot {
  std::optional<std::vector<std::string>> order;
  std::optional<std::map<std::string, std::int64_t>> dots;
  Stamp cast;  // the latest cast; a later ballot replaces it
};

struct Ranking {
  std::string id;
  RankingMethod method = RankingMethod::schulze;
  std::int64_t dots = 3;
  std::vector<std::string> candidates;
  bool open = true;
  std::map<std::string, Ballot> ballots;  // by participant id
  Stamp opened;
  std::optional<Stamp> closed;
  std::int64_t ballot_count = 0;  // set on close
  std::vector<RankRow> result;    // set on close
  // Extension (ranking.adopt): the latest adoption, and the ranking whose
  // later adoption replaced it as the decision.
  std::optional<Stamp> adopted = std::nullopt;
  std::optional<std::string> replaced_by = std::nullopt;
};

struct StanceEntry {
  Stance stance = Stance::agree;
  std::optional<std::string> reason;
  Stamp taken;
  // This stance's or an earlier one's reason (by the same participant on
  // the same proposal) is still in the log: text.redact may erase it.
  bool reason_in_log = false;
  std::optional<Redaction> redacted = std::nullopt;  // its reason erased
};

struct Proposal {
  std::string id;
  ProposalKind kind = ProposalKind::vision;
  std::string text;
  bool open = true;
  std::map<std::string, StanceEntry> stances;  // by participant id
  Stamp opened;
  std::optional<Stamp> closed;
  std::optional<bool> adopted;                       // set on close
  Tally tally;                                       // set on close
  std::optional<Redaction> redacted = std::nullopt;  // its text erased
  // Extension: the not adopted proposal this one revises, and the latest
  // proposal that revises this one.
  std::optional<std::string> revises = std::nullopt;
  std::optional<std::string> revised_by = std::nullopt;
  std::optional<Provenance> provenance = std::nullopt;  // promoted from a one-on-one
};

struct ConsentEntry {
  bool consent = false;
  std::optional<std::string> note;
  bool decisive = false;  // given by a participant of the owner organisation
  Stamp given;
  std::optional<Redaction> redacted = std::nullopt;  // its note erased
};

struct StatusEntry {
  RoleStatus status = RoleStatus::not_started;
  std::optional<std::string> note;
  Stamp changed;
  std::optional<Redaction> redacted = std::nullopt;  // its note erased
};

struct RoleAgreement {
  std::string id;
  std::string title;
  std::string owner_org;
  std::optional<std::string> due;
  std::optional<std::string> detail;
  std::optional<std::string> theme;
  RoleState state = RoleState::proposed;
  RoleStatus status = RoleStatus::not_started;
  Stamp proposed;
  // The owner's id as role.proposed logged it ("o3"); empty when unknown.
  std::string owner_org_id = {};
  std::vector<ConsentEntry> consents;                   // every consent, in order
  std::vector<StatusEntry> statuses;                    // every status change, in order
  std::optional<std::string> issue = std::nullopt;      // the issue it answers, if linked
  std::optional<Redaction> redacted = std::nullopt;     // its title and detail erased
  std::optional<Provenance> provenance = std::nullopt;  // promoted from a one-on-one
};

struct IndicatorReportEntry {
  double value = 0;
  std::string period;
  Stamp reported;
};

struct Indicator {
  std::string id;
  std::string name;
  IndicatorKind kind = IndicatorKind::process;
  std::string unit;
  std::optional<double> target;
  std::optional<double> baseline;
  Stamp defined;
  std::vector<IndicatorReportEntry> reports;
};

struct StageChange {
  int from = 0;
  int to = 1;
  std::string reason;
  Stamp decided;
};

struct Theme {
  std::string name;
  int stage = 1;  // a theme starts at stage 1 when first used
  Stamp created;
  std::vector<StageChange> changes;
};

// Extension (CONTINUITY.md section 5): an item of a promotion as it stood
// when the promotion was agreed (its text is what the target receives and
// what the prefecture's 上申 shows). Erased like its source when that is
// redacted later.
enum class PromotedKind { issue, role, direction };
struct PromotedItem {
  std::string id;  // in the one-on-one
  PromotedKind kind = PromotedKind::issue;
  std::string text;  // issue or direction text, role title
  std::optional<std::string> theme;
  // Roles only.
  std::string owner_org;
  std::string owner_org_id;
  std::optional<std::string> due;
  std::optional<std::string> detail;
  bool redacted = false;
};

struct Promotion {
  std::string id;  // "c5-pm1"
  std::vector<std::string> items;
  std::string target;                                     // council id or "prefecture"
  std::optional<std::string> target_name = std::nullopt;  // the council's name then
  std::optional<std::string> note;
  PromotionState state = PromotionState::proposed;
  Stamp proposed;
  std::optional<Stamp> decided;
  std::string date;                    // the consent's date in Japan, once agreed
  std::vector<PromotedItem> snapshot;  // set when agreed
};

struct CouncilState {
  // Identity, set before the first apply (not an event).
  std::string council;  // e.g. "c2"; prefix of every id the council assigns
  std::string name;
  CouncilKind kind = CouncilKind::council;
  // The council's area (schema v9), for promotion's same-area rule; none for
  // councils without one.
  std::optional<std::string> area = std::nullopt;

  std::uint64_t head = 0;  // seq of the last applied event
  std::optional<std::string> live_meeting;

  std::vector<Meeting> meetings;
  std::vector<Issue> issues;
  std::vector<Ranking> rankings;
  std::vector<Proposal> proposals;
  std::vector<RoleAgreement> roles;
  std::vector<Indicator> indicators;
  std::vector<Theme> themes;
  std::vector<Promotion> promotions;  // one-on-ones only

  // Adopted proposals in adoption order (ids). The current vision is the last
  // adopted vision; directions accumulate.
  std::vector<std::string> adopted_visions;
  std::vector<std::string> adopted_directions;

  // id -> position in the vectors above.
  std::unordered_map<std::string, std::size_t> meeting_index;
  std::unordered_map<std::string, std::size_t> issue_index;
  std::unordered_map<std::string, std::size_t> ranking_index;
  std::unordered_map<std::string, std::size_t> proposal_index;
  std::unordered_map<std::string, std::size_t> role_index;
  std::unordered_map<std::string, std::size_t> indicator_index;
  std::unordered_map<std::string, std::size_t> theme_index;
  std::unordered_map<std::string, std::size_t> promotion_index;

  const Meeting* find_meeting(const std::string& id) const;
  const Issue* find_issue(const std::string& id) const;
  const Ranking* find_ranking(const std::string& id) const;
  const Proposal* find_proposal(const std::string& id) const;
  const RoleAgreement* find_role(const std::string& id) const;
  const Indicator* find_indicator(const std::string& id) const;
  const Theme* find_theme(const std::string& name) const;
  const Promotion* find_promotion(const std::string& id) const;
};

// The id the council assigns to its next entity of a kind: "<council>-<prefix><n>",
// e.g. next_id(state, "i", 7) == "c2-i7". Prefixes: m meeting, i issue,
// r ranking, pr proposal, ro role, in indicator, pm promotion.
std::string make_id(const CouncilState& state, const char* prefix, std::size_t n);

}  // namespace renkei::domain
