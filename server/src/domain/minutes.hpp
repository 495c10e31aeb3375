// Minutes (議事録・会議録) of one meeting, generated from the log: what a
// secretariat writes after a meeting — name, date and time (西暦 and 和暦,
// JST), open or closed session, attendees and absentees by organisation,
// what happened under each agenda item, the decisions (決定事項) and the
// tasks before the next meeting (次回までの宿題). A pure function of its
// inputs, so the same log always gives the same minutes; the protocol layer
// renders them as Markdown and as a print-ready HTML page.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/attendance.hpp"
#include "domain/council_state.hpp"
#include "domain/event.hpp"

namespace renkei::domain {

struct MinutesPerson {
  std::string participant;
  std::string name;
  Role role = Role::member;
  bool acknowledged = false;  // confirmed confidentiality (closed sessions)
  // A facilitator entered input for them in this meeting (代理入力,
  // CONTINUITY.md section 4): they took part by phone or on paper, and are
  // listed among the attendees even without a connection.
  bool proxied = false;
};

// People of one organisation (所属), in roster order.
struct MinutesOrg {
  std::string org;
  std::vector<MinutesPerson> people;
};

// One thing that happened or was decided, as a sentence in Japanese, with
// sub-points (e.g. the rows of a ranking result). Texts hold user text as
// typed: renderers escape them.
struct MinutesLine {
  std::string text;
  std::vector<std::string> details;
  // The text or a detail seems to hold personal information (the record's
  // pii heuristics); renderers mark the line (※個人情報の可能性).
  bool pii = false;
};

struct MinutesItem {
  std::optional<std::int64_t> index;  // agenda item index; none for 開会前・その他
  std::string title;                  // 開会前・その他 or the item's Japanese title
  std::vector<MinutesLine> lines;     // in log order
};

// A role that is agreed and not done when the meeting ended.
struct MinutesTask {
  std::string role;
  std::string title;
  std::string owner_org;
  std::optional<std::string> due;
  RoleStatus status = RoleStatus::not_started;
  bool overdue = false;  // due before the day of the meeting
};

struct Minutes {
  std::string council;
  std::string council_name;
  CouncilKind kind = CouncilKind::council;
  std::string meeting;
  std::string title;
  std::optional<std::string> agenda;    // template id
  std::string date_iso;                 // 2026-11-24, JST, of the start
  std::string date;                     // 2026年11月24日（火）
  std::string date_wareki;              // 令和8年11月24日（火）
  std::string start_time;               // "19:00" JST
  std::optional<std::string> end_time;  // "20:30", "11月25日 01:00" on another day; none while live
  SessionType session = SessionType::open;
  Actor chair;                        // who started the meeting (進行)
  std::vector<MinutesOrg> attendees;  // organisations in roster order
  std::vector<MinutesOrg> absentees;  // active participants who did not attend
  std::size_t attendee_count = 0;
  std::size_t absentee_count = 0;
  std::size_t observer_count = 0;      // observers among the attendees
  std::size_t acknowledged_count = 0;  // attendees who confirmed confidentiality
  std::vector<MinutesItem> items;  // 開会前・その他 first (only when not empty), then agenda order
  std::vector<MinutesLine> decisions;  // 決定事項
  std::vector<MinutesTask> tasks;      // 次回までの宿題, by due date (none last)
  std::uint64_t first_seq = 0;         // the meeting's events: first_seq..last_seq
  std::uint64_t last_seq = 0;
};

// The label of events before the first meeting.advance.
inline constexpr const char* minutes_before_items = "開会前・その他";

// Preconditions: `state` is the council folded up to the meeting's last
// event (its meeting.ended, or the head while it is live), so that the
// tasks are those open when the meeting ended; `events` are the events of
// the meeting (Event::meeting == meeting), in seq order, meeting.started
// first; `attendance` may hold other meetings' rows (they are ignored);
// `roster` is every participant of the council, revoked ones inactive.
// Returns nullopt when the state has no such meeting.
std::optional<Minutes> build_minutes(const CouncilState& state, const std::string& meeting,
                                     const std::vector<Event>& events,
                                     const std::vector<Attendance>& attendance,
                                     const std::vector<RosterEntry>& roster);

}  // namespace renkei::domain
