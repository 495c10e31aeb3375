// Events: accepted facts, the only thing the log stores. Each command that is
// accepted produces exactly one event. Event data carries the command's
// arguments as accepted plus the ids the server assigned.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "domain/actor.hpp"
#include "domain/agenda.hpp"
#include "domain/vocabulary.hpp"

namespace renkei::domain {

// Extension (CONTINUITY.md section 5): where an item of a council came from
// when a one-on-one promoted it: source "one_on_one" and the consent's date
// in Japan ("YYYY-MM-DD"). Nothing else of the consultation.
struct Provenance {
  std::string source = "one_on_one";
  std::string date;

  friend bool operator==(const Provenance&, const Provenance&) = default;
};

struct MeetingStarted {
  std::string meeting;
  std::string title;
  std::optional<std::string> agenda;
  std::vector<AgendaItem> items;
  // As given to meeting.start; absent means open (公開), as in logs written
  // before the extension.
  std::optional<SessionType> session = std::nullopt;
};
struct MeetingAdvanced {
  std::int64_t item = 0;
};
struct MeetingEnded {};

struct IssuePosted {
  std::string issue;
  std::string text;
  std::optional<std::string> theme;
  // Set when a later text.redacted erased this event's text in the log
  // (wire: "redacted": true; the text is then "" or absent).
  bool redacted = false;
  std::optional<Provenance> provenance = std::nullopt;  // extension, promoted items only
};
struct IssueMerged {
  std::string from;
  std::string into;
};

struct RankingOpened {
  std::string ranking;
  std::vector<std::string> candidates;
  RankingMethod method = RankingMethod::schulze;
  std::int64_t dots = 3;
};
// The ballot's content (order or dots) is private: it is stored so that the
// result can be computed again on replay, but never broadcast.
struct RankingBallotCast {
  std::string ranking;
  std::string participant;
  std::optional<std::vector<std::string>> order;
  std::optional<std::map<std::string, std::int64_t>> dots;
};
struct RankRow {
  std::string issue;
  std::int64_t rank = 0;
  std::int64_t score = 0;

  friend bool operator==(const RankRow&, const RankRow&) = default;
};
struct RankingClosed {
  std::string ranking;
  std::int64_t ballots = 0;  // distinct voters
  std::vector<RankRow> result;
};
// Extension: `replaces` lists the rankings sharing a candidate with this one
// that were the adopted decision until now (empty: none).
struct RankingAdopted {
  std::string ranking;
  std::vector<std::string> replaces;
};

struct ProposalOpened {
  std::string proposal;
  ProposalKind kind = ProposalKind::vision;
  std::string text;
  std::optional<std::string> revises = std::nullopt;  // extension
  // Set when a later text.redacted erased this event's text in the log
  // (wire: "redacted": true; the text is then "" or absent).
  bool redacted = false;
  std::optional<Provenance> provenance = std::nullopt;  // extension, promoted items only
};
struct ProposalStanceTaken {
  std::string proposal;
  Stance stance = Stance::agree;
  std::optional<std::string> reason;
  // Set when a later text.redacted erased this event's text in the log
  // (wire: "redacted": true; the text is then "" or absent).
  bool redacted = false;
};
struct Tally {
  std::int64_t agree = 0;
  std::int64_t abstain = 0;
  std::int64_t disagree = 0;
  std::int64_t block = 0;

  friend bool operator==(const Tally&, const Tally&) = default;
};
struct ProposalClosed {
  std::string proposal;
  bool adopted = false;  // wire: outcome "adopted" / "not_adopted"
  Tally tally;
};

struct RoleProposed {
  std::string role;
  std::string title;
  std::string owner_org;
  std::optional<std::string> due;
  std::optional<std::string> detail;
  std::optional<std::string> theme;
  RoleState state = RoleState::proposed;
  std::optional<std::string> issue = std::nullopt;  // linked issue (extension)
  // Set when a later text.redacted erased this event's text in the log
  // (wire: "redacted": true; the text is then "" or absent).
  bool redacted = false;
  // The owner's id in the directory (v2 extension); empty when unknown (v1,
  // and every event logged before the directory) and then not on the wire.
  std::string owner_org_id = {};
  std::optional<Provenance> provenance = std::nullopt;  // extension, promoted items only
};
struct RoleConsented {
  std::string role;
  bool consent = false;
  std::optional<std::string> note;
  RoleState state = RoleState::proposed;  // the role's state after this event
  // Set when a later text.redacted erased this event's text in the log
  // (wire: "redacted": true; the text is then "" or absent).
  bool redacted = false;
  // Set (v2 extension) only when the consent was decided as the owner's
  // through the directory although the logged ids and names differ (the
  // owner was merged into the consenter's organisation, or the other way
  // round): the owner's canonical id at that moment. The fold reads the
  // consent as decisive from it, so replay needs no directory.
  std::string owner_org_id = {};
};
struct RoleStatusChanged {
  std::string role;
  RoleStatus status = RoleStatus::not_started;
  std::optional<std::string> note;
  // Set when a later text.redacted erased this event's text in the log
  // (wire: "redacted": true; the text is then "" or absent).
  bool redacted = false;
};

struct IndicatorDefined {
  std::string indicator;
  std::string name;
  IndicatorKind kind = IndicatorKind::process;
  std::string unit;
  std::optional<double> target;
  std::optional<double> baseline;
};
struct IndicatorReported {
  std::string indicator;
  double value = 0;
  std::string period;
};

struct ThemeStageSet {
  std::string theme;
  int stage = 1;
  std::string reason;
  int previous = 0;  // the stage before; 0 when the theme is new
};

// v1.1: the args of text.redact as accepted. The events that held the text
// are rewritten in the log in the same transaction (STORAGE.md, "Redaction").
struct TextRedacted {
  std::string target;
  std::optional<std::string> participant;
  std::string reason;
};

// Extension (CONTINUITY.md section 5), one-on-ones only.
enum class PromotionState { proposed, agreed, declined };
std::string_view to_string(PromotionState state);
std::optional<PromotionState> promotion_state_from_string(std::string_view text);

struct PromotionProposed {
  std::string promotion;           // "c5-pm1"
  std::vector<std::string> items;  // as given
  std::string target;              // council id or "prefecture"
  std::optional<std::string> note;
  // The target council's name when proposed (written after `target`), so
  // the one-on-one's minutes and record name it; absent for "prefecture"
  // and in events logged before it was added.
  std::optional<std::string> target_name = std::nullopt;
};
struct PromotionConsented {
  std::string promotion;
  bool consent = false;
  PromotionState state = PromotionState::agreed;  // after this event
};

using EventData =
    std::variant<MeetingStarted, MeetingAdvanced, MeetingEnded, IssuePosted, IssueMerged,
                 RankingOpened, RankingBallotCast, RankingClosed, ProposalOpened,
                 ProposalStanceTaken, ProposalClosed, RoleProposed, RoleConsented,
                 RoleStatusChanged, IndicatorDefined, IndicatorReported, ThemeStageSet,
                 TextRedacted, RankingAdopted, PromotionProposed, PromotionConsented>;

// The wire name of the event's op, e.g. "issue.posted".
std::string_view op_name(const EventData& data);

// One entry of a council's log.
struct Event {
  std::uint64_t seq = 0;               // per council, from 1, no gaps
  std::string at;                      // UTC, "2026-11-24T10:00:00.123Z"
  Actor by;                            // author
  std::optional<std::string> meeting;  // meeting live when it happened
  EventData data;
  // Proxy input (CONTINUITY.md section 4): the facilitator who entered the
  // command on behalf of `by`; none for everything else.
  std::optional<Actor> entered_by = std::nullopt;
};

}  // namespace renkei::domain
