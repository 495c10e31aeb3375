#include "domain/handover_packet.hpp"

#include <algorithm>

#include "domain/calendar.hpp"
#include "domain/changes.hpp"
#include "domain/derived.hpp"

namespace renkei::domain {
namespace {

PacketMeetingRef meeting_ref(const Meeting& meeting) {
  PacketMeetingRef ref{meeting.id, meeting.title, meeting.started.at, std::nullopt};
  if (meeting.ended) ref.ended_at = meeting.ended->at;
  return ref;
}

std::string shown(const std::string& text, const std::optional<Redaction>& redacted) {
  return redacted ? std::string() : text;
}

std::optional<std::string> shown_note(const std::optional<std::string>& note,
                                      const std::optional<Redaction>& redacted) {
  if (redacted || !note || note->empty()) return std::nullopt;
  return note;
}

// The decisive consent that agreed the role, if any.
const ConsentEntry* agreement_of(const RoleAgreement& role) {
  if (role.state != RoleState::agreed) return nullptr;
  for (const ConsentEntry& entry : role.consents)
    if (entry.decisive && entry.consent) return &entry;
  return nullptr;
}

PacketRole packet_role(const CouncilState& state, const RoleAgreement& role,
                       std::string_view today) {
  PacketRole out;
  out.id = role.id;
  out.title = shown(role.title, role.redacted);
  out.owner_org = role.owner_org;
  out.due = role.due;
  if (!role.redacted) out.detail = role.detail;
  out.theme = role.theme;
  out.state = role.state;
  out.status = role.status;
  out.overdue = is_overdue(role, today);
  out.redacted = role.redacted.has_value();
  if (const ConsentEntry* agreed = agreement_of(role); agreed && agreed->given.meeting) {
    if (const Meeting* meeting = state.find_meeting(*agreed->given.meeting))
      out.agreed_in = meeting_ref(*meeting);
  }
  out.history.push_back(PacketRoleEvent{PacketRoleEvent::Kind::proposed, role.proposed.at,
                                        role.proposed.by.org, role.proposed.by.name, std::nullopt,
                                        std::nullopt, false, role.proposed.meeting});
  std::vector<std::pair<std::uint64_t, PacketRoleEvent>> entries;
  for (const ConsentEntry& entry : role.consents)
    entries.emplace_back(
        entry.given.seq,
        PacketRoleEvent{
            entry.consent ? PacketRoleEvent::Kind::consented : PacketRoleEvent::Kind::declined,
            entry.given.at, entry.given.by.org, entry.given.by.name, std::nullopt,
            shown_note(entry.note, entry.redacted), entry.decisive, entry.given.meeting});
  for (const StatusEntry& entry : role.statuses)
    entries.emplace_back(
        entry.changed.seq,
        PacketRoleEvent{PacketRoleEvent::Kind::status, entry.changed.at, entry.changed.by.org,
                        entry.changed.by.name, entry.status, shown_note(entry.note, entry.redacted),
                        false, entry.changed.meeting});
  std::stable_sort(entries.begin(), entries.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [seq, entry] : entries) out.history.push_back(std::move(entry));
  std::vector<std::string_view> texts{out.title};
  if (out.detail) texts.emplace_back(*out.detail);
  for (const PacketRoleEvent& e : out.history)
    if (e.note) texts.emplace_back(*e.note);
  out.pii = personal_info_kinds(texts);
  return out;
}

// Overdue first, then by due date (none last), then in proposal order.
void order_roles(std::vector<PacketRole>& roles) {
  std::stable_sort(roles.begin(), roles.end(), [](const PacketRole& a, const PacketRole& b) {
    if (a.overdue != b.overdue) return a.overdue;
    if (a.due.has_value() != b.due.has_value()) return a.due.has_value();
    return a.due && *a.due < *b.due;
  });
}

PacketStageChange stage_change(const Theme& theme, const StageChange& change) {
  return PacketStageChange{theme.name,    change.from,       change.to,
                           change.reason, change.decided.at, change.decided.meeting};
}

PacketProposal packet_proposal(const Proposal& proposal) {
  return PacketProposal{proposal.id, proposal.kind, shown(proposal.text, proposal.redacted),
                        proposal.closed ? proposal.closed->at : std::string(),
                        proposal.closed ? proposal.closed->meeting : std::nullopt};
}

// "2027年1月31日" of "2027-01-31" (the text itself when it is not a date).
std::string japanese_day(const std::string& date) {
  const auto day = parse_iso_date(date);
  if (!day) return date;
  return std::to_string(day->year) + "年" + std::to_string(day->month) + "月" +
         std::to_string(day->day) + "日";
}

std::string quoted(const std::string& text) {
  return text.empty() ? std::string("（削除済み）") : "「" + text + "」";
}

bool in(const std::optional<std::string>& meeting, const std::string& id) {
  return meeting && *meeting == id;
}

// The decisions (決定事項) of one meeting, from the state's stamps: adopted
// proposals, closed rankings' results, agreed roles and stage changes.
std::vector<std::string> decisions_of(const CouncilState& state, const std::string& meeting) {
  std::vector<std::pair<std::uint64_t, std::string>> lines;
  for (const Proposal& proposal : state.proposals) {
    if (!proposal.closed || !in(proposal.closed->meeting, meeting) || !proposal.adopted ||
        !*proposal.adopted)
      continue;
    lines.emplace_back(proposal.closed->seq, std::string(label_ja(proposal.kind)) +
                                                 quoted(shown(proposal.text, proposal.redacted)) +
                                                 "を採択");
  }
  for (const Ranking& ranking : state.rankings) {
    if (!ranking.closed || !in(ranking.closed->meeting, meeting)) continue;
    std::string line = "優先順位を決定（" + std::string(label_ja(ranking.method)) + "、投票" +
                       std::to_string(ranking.ballot_count) + "件）";
    std::size_t shown_rows = 0;
    for (const RankRow& row : ranking.result) {
      if (shown_rows++ == 3) break;
      const Issue* issue = state.find_issue(row.issue);
      line += (shown_rows == 1 ? "：" : "、") + std::to_string(row.rank) + "位 " +
              quoted(issue ? shown(issue->text, issue->redacted) : row.issue);
    }
    lines.emplace_back(ranking.closed->seq, std::move(line));
  }
  for (const RoleAgreement& role : state.roles) {
    const ConsentEntry* agreed = agreement_of(role);
    if (agreed == nullptr || !in(agreed->given.meeting, meeting)) continue;
    std::string line =
        "役割分担に合意：" + role.owner_org + "が" + quoted(shown(role.title, role.redacted));
    if (role.due) line += "（期限 " + japanese_day(*role.due) + "）";
    lines.emplace_back(agreed->given.seq, std::move(line));
  }
  for (const Theme& theme : state.themes)
    for (const StageChange& change : theme.changes) {
      if (!in(change.decided.meeting, meeting)) continue;
      lines.emplace_back(change.decided.seq, "テーマ「" + theme.name + "」を" +
                                                 std::string(stage_name_ja(change.to)) + "（段階" +
                                                 std::to_string(change.to) + "）へ");
    }
  std::stable_sort(lines.begin(), lines.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  out.reserve(lines.size());
  for (auto& [seq, line] : lines) out.push_back(std::move(line));
  return out;
}

std::vector<PacketTask> homework_of(const CouncilState& state, const Meeting* last,
                                    const PacketCouncilInfo& info, const OwnedBy& owned,
                                    std::string_view today) {
  std::string horizon;
  if (info.next_meeting && *info.next_meeting >= today) {
    horizon = *info.next_meeting;
  } else if (const auto date = parse_iso_date(today)) {
    horizon = iso_date(add_days(*date, default_due_window_days));
  }
  std::vector<PacketTask> tasks;
  for (const RoleAgreement& role : state.roles) {
    if (role.state == RoleState::declined || role.status == RoleStatus::done) continue;
    const ConsentEntry* agreed = agreement_of(role);
    const bool from_last = last != nullptr && (in(role.proposed.meeting, last->id) ||
                                               (agreed && in(agreed->given.meeting, last->id)));
    // Due between the last meeting (today without one) and the horizon:
    // roles overdue since long ago are the owners' lists, not 宿題.
    const std::string from =
        last != nullptr && last->ended ? last->ended->at.substr(0, 10) : std::string(today);
    const bool due_soon = role.due && !horizon.empty() && *role.due >= from && *role.due <= horizon;
    if (!from_last && !due_soon) continue;
    tasks.push_back(PacketTask{role.id, shown(role.title, role.redacted), role.owner_org, role.due,
                               role.state, role.status, is_overdue(role, today),
                               owned && owned(role)});
  }
  std::stable_sort(tasks.begin(), tasks.end(), [](const PacketTask& a, const PacketTask& b) {
    if (a.due.has_value() != b.due.has_value()) return a.due.has_value();
    return a.due && *a.due < *b.due;
  });
  return tasks;
}

// Keeps the latest `max_packet_changes` entries of a list in log order.
template <typename T>
void keep_latest(std::vector<T>& list, std::uint64_t& omitted) {
  if (list.size() <= max_packet_changes) return;
  const auto drop = list.size() - max_packet_changes;
  omitted += drop;
  list.erase(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(drop));
}

PacketChanges changes_of(const CouncilState& state, std::uint64_t since_seq,
                         std::string_view today) {
  const Changes changes = changes_since(state, since_seq, today);
  PacketChanges out;
  out.since_seq = since_seq;
  out.events = state.head > since_seq ? state.head - since_seq : 0;
  for (const StatusChangeView& view : changes.status_changes)
    out.status_changes.push_back(
        PacketChanges::Status{view.role->id, shown(view.role->title, view.role->redacted),
                              view.from, view.change->status, view.change->changed.at});
  for (const Issue* issue : changes.issues_posted)
    out.issues_posted.push_back(
        PacketChanges::Issue{issue->id, shown(issue->text, issue->redacted), issue->posted.at, {}});
  for (const IndicatorReportView& view : changes.indicator_reports)
    out.indicator_reports.push_back(
        PacketChanges::Report{view.indicator->id, view.indicator->name, view.report->value,
                              view.indicator->unit, view.report->period, view.report->reported.at});
  for (const StageChangeView& view : changes.stage_changes)
    out.stage_changes.push_back(stage_change(*view.theme, *view.change));
  for (const Proposal* proposal : changes.open_proposals)
    out.open_proposals.push_back(
        PacketChanges::Open{proposal->id, shown(proposal->text, proposal->redacted)});
  for (const Ranking* ranking : changes.open_rankings)
    out.open_rankings.push_back(PacketChanges::Open{ranking->id, std::string()});
  for (const Meeting& meeting : state.meetings)
    if (meeting.started.seq > since_seq || (meeting.ended && meeting.ended->seq > since_seq))
      out.meetings.push_back(meeting_ref(meeting));
  keep_latest(out.status_changes, out.omitted);
  keep_latest(out.issues_posted, out.omitted);
  keep_latest(out.indicator_reports, out.omitted);
  keep_latest(out.stage_changes, out.omitted);
  keep_latest(out.meetings, out.omitted);
  // Only the issues kept are checked: the check reads every character.
  for (PacketChanges::Issue& issue : out.issues_posted)
    issue.pii = personal_info_kinds({std::string_view(issue.text)});
  return out;
}

}  // namespace

std::uint64_t seq_at(const CouncilState& state, std::string_view since) {
  std::uint64_t seq = 0;
  const auto see = [&](const Stamp& stamp) {
    if (stamp.seq > seq && !stamp.at.empty() && std::string_view(stamp.at) <= since)
      seq = stamp.seq;
  };
  for (const Meeting& m : state.meetings) {
    see(m.started);
    if (m.ended) see(*m.ended);
    for (const auto& [item, stamp] : m.advances) see(stamp);
  }
  for (const Issue& issue : state.issues) see(issue.posted);
  for (const Ranking& ranking : state.rankings) {
    see(ranking.opened);
    if (ranking.closed) see(*ranking.closed);
    for (const auto& [who, ballot] : ranking.ballots) see(ballot.cast);
  }
  for (const Proposal& proposal : state.proposals) {
    see(proposal.opened);
    if (proposal.closed) see(*proposal.closed);
    for (const auto& [who, stance] : proposal.stances) see(stance.taken);
  }
  for (const RoleAgreement& role : state.roles) {
    see(role.proposed);
    for (const ConsentEntry& entry : role.consents) see(entry.given);
    for (const StatusEntry& entry : role.statuses) see(entry.changed);
  }
  for (const Indicator& indicator : state.indicators) {
    see(indicator.defined);
    for (const IndicatorReportEntry& report : indicator.reports) see(report.reported);
  }
  for (const Theme& theme : state.themes)
    for (const StageChange& change : theme.changes) see(change.decided);
  return seq;
}

PacketCouncil compose_packet_council(const CouncilState& state, const PacketCouncilInfo& info,
                                     const std::vector<std::string>& planned_themes,
                                     const OwnedBy& owned, const std::optional<std::string>& since,
                                     std::string_view today) {
  PacketCouncil out;
  out.info = info;
  if (state.live_meeting)
    if (const Meeting* live = state.find_meeting(*state.live_meeting))
      out.live = meeting_ref(*live);
  const Meeting* last = last_ended_meeting(state);
  if (last) out.last = meeting_ref(*last);

  for (const RoleAgreement& role : state.roles) {
    if (role.state == RoleState::declined || role.status == RoleStatus::done) continue;
    if (!owned || !owned(role)) continue;
    PacketRole view = packet_role(state, role, today);
    if (view.overdue) ++out.overdue;
    (role.state == RoleState::agreed ? out.roles : out.awaiting).push_back(std::move(view));
  }
  order_roles(out.roles);
  order_roles(out.awaiting);

  for (const std::string& name : planned_themes)
    if (state.find_theme(name) == nullptr) out.themes.push_back(PacketTheme{name, 1, {}});
  for (const Theme& theme : state.themes) {
    PacketTheme view{theme.name, theme.stage, {}};
    for (const StageChange& change : theme.changes)
      view.changes.push_back(stage_change(theme, change));
    out.themes.push_back(std::move(view));
  }

  if (!state.adopted_visions.empty())
    if (const Proposal* vision = state.find_proposal(state.adopted_visions.back()))
      out.vision = packet_proposal(*vision);
  for (const std::string& id : state.adopted_directions)
    if (const Proposal* direction = state.find_proposal(id))
      out.directions.push_back(packet_proposal(*direction));

  if (last) out.last_decisions = decisions_of(state, last->id);
  out.homework = homework_of(state, last, info, owned, today);
  out.changes = changes_of(state, since ? seq_at(state, *since) : 0, today);
  return out;
}

void order_packet_councils(std::vector<PacketCouncil>& councils) {
  std::stable_sort(councils.begin(), councils.end(),
                   [](const PacketCouncil& a, const PacketCouncil& b) {
                     if ((a.overdue > 0) != (b.overdue > 0)) return a.overdue > 0;
                     if (a.info.kind != b.info.kind) return a.info.kind == CouncilKind::council;
                     return a.info.name < b.info.name;
                   });
}

}  // namespace renkei::domain
