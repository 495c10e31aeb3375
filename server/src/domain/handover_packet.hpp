// The handover packet (引き継ぎ資料, CONTINUITY.md §2): what a person who
// takes over an organisation's seats needs to know of every council where
// the organisation sits — its open role agreements (overdue first), the
// roles awaiting its consent, each theme's stage and how it got there, the
// adopted vision and directions, the last meeting's decisions and 宿題, what
// changed since a given instant and the next meeting.
//
// Pure: composed per council from its folded state (on the council's room
// strand) into values that own their data, then put together in one packet
// on any thread. The protocol layer renders it as JSON, Markdown and HTML.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/council_state.hpp"
#include "domain/org_ref.hpp"
#include "domain/personal_info.hpp"

namespace renkei::domain {

// What the directory knows of a council (not in its log).
struct PacketCouncilInfo {
  std::string id;
  std::string name;
  CouncilKind kind = CouncilKind::council;
  std::optional<std::string> area;
  std::optional<std::string> next_meeting;  // "YYYY-MM-DD", JST
  bool archived = false;
  // The viewer holds a seat in it: the council's screen and its minutes
  // open for them (a secretariat or a colleague without a seat gets 403).
  bool seated = false;
};

struct PacketMeetingRef {
  std::string id;
  std::string title;
  std::string started_at;
  std::optional<std::string> ended_at;  // none while it is live
};

// One entry of a role's history, oldest first.
struct PacketRoleEvent {
  enum class Kind { proposed, consented, declined, status };
  Kind kind = Kind::proposed;
  std::string at;
  std::string by_org;
  std::string by_name;
  std::optional<RoleStatus> status;  // Kind::status
  std::optional<std::string> note;   // as typed; none when erased
  bool decisive = false;             // a consent of the owner organisation
  std::optional<std::string> meeting;
};

struct PacketRole {
  std::string id;
  std::string title;  // "" when erased
  std::string owner_org;
  std::optional<std::string> due;
  std::optional<std::string> detail;
  std::optional<std::string> theme;
  RoleState state = RoleState::proposed;
  RoleStatus status = RoleStatus::not_started;
  bool overdue = false;
  bool redacted = false;
  // Kinds of personal information its title, detail or notes seem to hold
  // (domain/personal_info.hpp), as the record flags texts.
  std::vector<PersonalInfoKind> pii;
  // The meeting whose minutes record its agreement (the owner's decisive
  // consent), when it was agreed during a meeting.
  std::optional<PacketMeetingRef> agreed_in;
  std::vector<PacketRoleEvent> history;
};

struct PacketStageChange {
  std::string theme;
  int from = 0;
  int to = 1;
  std::string reason;
  std::string at;
  std::optional<std::string> meeting;
};

struct PacketTheme {
  std::string name;
  int stage = 1;
  std::vector<PacketStageChange> changes;  // oldest first
};

struct PacketProposal {
  std::string id;
  ProposalKind kind = ProposalKind::vision;
  std::string text;  // "" when erased
  std::string adopted_at;
  std::optional<std::string> meeting;
};

// A 宿題 of the last meeting: a role not done and not declined, proposed or
// agreed in it, or due between it and the next meeting (two weeks from today
// when none is set).
struct PacketTask {
  std::string role;
  std::string title;
  std::string owner_org;
  std::optional<std::string> due;
  RoleState state = RoleState::proposed;
  RoleStatus status = RoleStatus::not_started;
  bool overdue = false;
  bool ours = false;  // owned by the packet's organisation
};

// What changed in the council after `since` (domain/changes.hpp).
struct PacketChanges {
  struct Status {
    std::string role;
    std::string title;
    RoleStatus from = RoleStatus::not_started;
    RoleStatus to = RoleStatus::not_started;
    std::string at;
  };
  struct Issue {
    std::string id;
    std::string text;
    std::string at;
    std::vector<PersonalInfoKind> pii;  // as PacketRole::pii
  };
  struct Report {
    std::string indicator;
    std::string name;
    double value = 0;
    std::string unit;
    std::string period;
    std::string at;
  };
  struct Open {
    std::string id;
    std::string text;  // proposals: their text; rankings: ""
  };
  std::uint64_t since_seq = 0;
  std::uint64_t events = 0;  // events after since_seq (the head minus it)
  std::vector<Status> status_changes;
  std::vector<Issue> issues_posted;
  std::vector<Report> indicator_reports;
  std::vector<PacketStageChange> stage_changes;
  std::vector<Open> open_proposals;
  std::vector<Open> open_rankings;
  std::vector<PacketMeetingRef> meetings;  // meetings held after since
  // Entries left out: each list keeps its latest max_packet_changes.
  std::uint64_t omitted = 0;
};

inline constexpr std::size_t max_packet_changes = 50;

struct PacketCouncil {
  PacketCouncilInfo info;
  bool loaded = true;  // false: the council's log could not be read
  std::optional<PacketMeetingRef> live;
  std::optional<PacketMeetingRef> last;  // the last meeting that ended
  std::vector<PacketRole> roles;         // agreed, not done; overdue first, then by due
  std::vector<PacketRole> awaiting;      // proposed to it, awaiting its consent; same order
  std::vector<PacketTheme> themes;       // creation order; planned themes at stage 1
  std::optional<PacketProposal> vision;  // the current vision
  std::vector<PacketProposal> directions;
  std::vector<std::string> last_decisions;  // sentences in Japanese (決定事項)
  std::vector<PacketTask> homework;         // 宿題, by due date (none last)
  PacketChanges changes;
  std::uint64_t overdue = 0;  // of roles and awaiting
};

struct PacketPredecessor {
  std::string person;
  std::string name;
};

struct HandoverPacket {
  OrgRef org;
  std::optional<std::string> since;  // the instant changes are counted from; none: all
  std::string today;                 // "YYYY-MM-DD", JST
  std::optional<PacketPredecessor> predecessor;
  std::vector<PacketCouncil> councils;  // overdue first, then by name
};

// Whether a role agreement belongs to the packet's organisation
// (ownership.hpp decides: by ids, else by names, through the directory).
using OwnedBy = std::function<bool(const RoleAgreement&)>;

// The packet's part of one council. `since`: an ISO instant (changes after
// it), none for the whole log; `today`: "YYYY-MM-DD" in JST; `planned_themes`:
// themes set up in the console. Runs on the council's strand: the result
// owns its data.
PacketCouncil compose_packet_council(const CouncilState& state, const PacketCouncilInfo& info,
                                     const std::vector<std::string>& planned_themes,
                                     const OwnedBy& owned, const std::optional<std::string>& since,
                                     std::string_view today);

// The seq from which events count as after `since`: the highest seq of the
// state's history stamped at or before it (0 when none is).
std::uint64_t seq_at(const CouncilState& state, std::string_view since);

// Orders the councils: those with overdue roles first, then councils before
// one-on-ones, then by name.
void order_packet_councils(std::vector<PacketCouncil>& councils);

}  // namespace renkei::domain
