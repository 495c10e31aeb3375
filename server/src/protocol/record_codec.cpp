// The consensus record (GET /api/councils/<id>/record). The shape is
// documented in server/docs/RECORD.md; keep the two in step. Ballot
// contents never appear: rankings show only how many voted.
#include "protocol/record_codec.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "domain/derived.hpp"
#include "protocol/agenda_json.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/person_json.hpp"
#include "protocol/pii_json.hpp"

namespace renkei::protocol {
namespace {

using namespace renkei::domain;

// Proxy input (CONTINUITY.md section 4): "entered_by", the facilitator who
// entered it on behalf of its author; left out for everything else.
void write_entered_by(JsonWriter& w, const Stamp& stamp) {
  if (!stamp.entered_by) return;
  w.key("entered_by");
  write_person(w, *stamp.entered_by);
}

void write_at_or_null(JsonWriter& w, std::string_view key, const std::optional<Stamp>& stamp) {
  w.key(key);
  if (stamp)
    w.string(stamp->at);
  else
    w.null();
}

void write_tally(JsonWriter& w, const Tally& tally) {
  w.begin_object();
  w.field("agree", tally.agree);
  w.field("abstain", tally.abstain);
  w.field("disagree", tally.disagree);
  w.field("block", tally.block);
  w.end_object();
}

void write_rank_rows(JsonWriter& w, const std::vector<RankRow>& rows) {
  w.begin_array();
  for (const RankRow& row : rows) {
    w.begin_object();
    w.field("issue", row.issue);
    w.field("rank", row.rank);
    w.field("score", row.score);
    w.end_object();
  }
  w.end_array();
}

void write_strings(JsonWriter& w, const std::vector<std::string>& values) {
  w.begin_array();
  for (const std::string& v : values) w.string(v);
  w.end_array();
}

// "redacted": who erased the text (text.redact, v1.1), when and why; the
// member is left out while the text stands.
void write_redaction(JsonWriter& w, const std::optional<Redaction>& redacted) {
  if (!redacted) return;
  w.key("redacted");
  w.begin_object();
  w.field("seq", redacted->stamp.seq);
  w.field("at", redacted->stamp.at);
  w.key("by");
  write_person(w, redacted->stamp.by);
  w.field("reason", redacted->reason);
  w.end_object();
}

// Who attended which meeting, with the participants' names.
struct AttendanceIndex {
  std::unordered_map<std::string_view, std::vector<const Attendance*>> by_meeting;
  std::unordered_map<std::string_view, const Actor*> people;
};

// The id -> proposal lookup is built here from the vector rather than taken
// from the state's index, so that the record depends only on the entities.
using ProposalsById = std::unordered_map<std::string_view, const Proposal*>;

// {"proposal","text","adopted_at","seq"} for an adopted vision or direction.
// "provenance" (extension): only on items a one-on-one promoted, so every
// other record reads as before.
void write_provenance(JsonWriter& w, const std::optional<Provenance>& provenance) {
  if (!provenance) return;
  w.key("provenance");
  w.begin_object();
  w.field("source", provenance->source);
  w.field("date", provenance->date);
  w.end_object();
}

// "promotions" (extension): a one-on-one's promotions, with their items as
// agreed; absent from the record of a council and of a one-on-one without
// any (so records read as before).
void write_promotion(JsonWriter& w, const Promotion& promotion) {
  w.begin_object();
  w.field("id", promotion.id);
  w.key("items");
  write_strings(w, promotion.items);
  w.field("target", promotion.target);
  w.optional_field("target_name", promotion.target_name);
  w.optional_field("note", promotion.note);
  w.field("state", to_string(promotion.state));
  w.key("proposed_by");
  write_person(w, promotion.proposed.by);
  w.field("proposed_at", promotion.proposed.at);
  w.field("seq", promotion.proposed.seq);
  if (promotion.decided) {
    w.key("decided_by");
    write_person(w, promotion.decided->by);
    w.field("decided_at", promotion.decided->at);
  }
  if (!promotion.date.empty()) w.field("date", promotion.date);
  w.end_object();
}

void write_adopted(JsonWriter& w, const Proposal& proposal) {
  const Stamp& adopted = proposal.closed ? *proposal.closed : proposal.opened;
  w.begin_object();
  w.field("proposal", proposal.id);
  w.field("text", proposal.text);
  w.field("adopted_at", adopted.at);
  w.field("seq", adopted.seq);
  write_redaction(w, proposal.redacted);
  w.end_object();
}

void write_adopted_list(JsonWriter& w, const std::vector<std::string>& ids,
                        const ProposalsById& proposals) {
  w.begin_array();
  for (const std::string& id : ids)
    if (const auto it = proposals.find(id); it != proposals.end()) write_adopted(w, *it->second);
  w.end_array();
}

void write_meeting(JsonWriter& w, const Meeting& m, const AttendanceIndex& attendance) {
  w.begin_object();
  w.field("id", m.id);
  w.field("title", m.title);
  w.string_or_null("agenda", m.agenda);
  w.key("items");
  write_agenda_items(w, m.items);
  w.field("current_item", m.current_item);
  w.field("started_at", m.started.at);
  w.key("started_by");
  write_person(w, m.started.by);
  write_at_or_null(w, "ended_at", m.ended);
  w.field("session", to_string(m.session));
  w.key("attendance");
  w.begin_array();
  if (const auto it = attendance.by_meeting.find(m.id); it != attendance.by_meeting.end()) {
    for (const Attendance* row : it->second) {
      w.begin_object();
      w.field("participant", row->participant);
      const auto who = attendance.people.find(row->participant);
      const Actor* actor = who == attendance.people.end() ? nullptr : who->second;
      w.string_or_null("name", actor ? std::optional<std::string>(actor->name) : std::nullopt);
      w.string_or_null("org", actor ? std::optional<std::string>(actor->org) : std::nullopt);
      w.key("role");
      if (actor)
        w.string(to_string(actor->role));
      else
        w.null();
      w.field("first_seen_at", row->first_seen_at);
      w.string_or_null("confidentiality_ack_at", row->confidentiality_ack_at);
      w.end_object();
    }
  }
  w.end_array();
  w.end_object();
}

void write_issue(JsonWriter& w, const IssueStatuses& statuses, const Issue& issue) {
  w.begin_object();
  w.field("id", issue.id);
  w.field("text", issue.text);
  w.optional_field("theme", issue.theme);
  w.key("by");
  write_person(w, issue.posted.by);
  write_entered_by(w, issue.posted);
  w.field("at", issue.posted.at);
  w.string_or_null("meeting", issue.posted.meeting);
  w.field("status", to_string(statuses.of(issue)));
  w.optional_field("merged_into", issue.merged_into);
  w.key("merged_from");
  write_strings(w, issue.merged_from);
  w.key("rankings");
  write_strings(w, issue.rankings);
  write_pii(w, {issue.text});
  write_redaction(w, issue.redacted);
  write_provenance(w, issue.provenance);
  w.end_object();
}

void write_ranking(JsonWriter& w, const CouncilState& state, const Ranking& ranking) {
  w.begin_object();
  w.field("id", ranking.id);
  w.field("method", to_string(ranking.method));
  w.field("dots", ranking.dots);
  w.key("candidates");
  write_strings(w, ranking.candidates);
  w.field("open", ranking.open);
  // Distinct voters so far; the ballots themselves stay private.
  w.field("ballots",
          ranking.open ? static_cast<std::int64_t>(ranking.ballots.size()) : ranking.ballot_count);
  w.field("opened_at", ranking.opened.at);
  write_at_or_null(w, "closed_at", ranking.closed);
  w.key("result");
  if (ranking.open)
    w.null();
  else
    write_rank_rows(w, ranking.result);
  // Extension (ranking.adopt): whether the result counts as the decision.
  w.field("decision", ranking_standing(state, ranking) == RankingStanding::decision);
  if (ranking.adopted) {
    w.key("adopted");
    w.begin_object();
    w.field("seq", ranking.adopted->seq);
    w.field("at", ranking.adopted->at);
    w.key("by");
    write_person(w, ranking.adopted->by);
    w.end_object();
  }
  w.optional_field("replaced_by", ranking.replaced_by);
  w.end_object();
}

void write_proposal(JsonWriter& w, const Proposal& proposal) {
  w.begin_object();
  w.field("id", proposal.id);
  w.field("kind", to_string(proposal.kind));
  w.field("text", proposal.text);
  w.optional_field("revises", proposal.revises);
  w.optional_field("revised_by", proposal.revised_by);
  w.field("open", proposal.open);
  w.field("opened_at", proposal.opened.at);
  write_at_or_null(w, "closed_at", proposal.closed);
  w.key("outcome");
  if (proposal.open || !proposal.adopted)
    w.null();
  else
    w.string(*proposal.adopted ? "adopted" : "not_adopted");

  // While open, the tally is counted live from each participant's latest stance.
  w.key("tally");
  write_tally(w, current_tally(proposal));

  // Latest stance of each participant, in the order they were taken.
  std::vector<const StanceEntry*> stances;
  stances.reserve(proposal.stances.size());
  for (const auto& [participant, entry] : proposal.stances) stances.push_back(&entry);
  std::stable_sort(stances.begin(), stances.end(), [](const StanceEntry* a, const StanceEntry* b) {
    return a->taken.seq < b->taken.seq;
  });
  w.key("stances");
  w.begin_array();
  std::vector<std::string_view> texts{proposal.text};
  for (const StanceEntry* entry : stances) {
    w.begin_object();
    write_person_fields(w, entry->taken.by);
    write_entered_by(w, entry->taken);
    w.field("stance", to_string(entry->stance));
    w.optional_field("reason", entry->reason);
    w.field("at", entry->taken.at);
    write_redaction(w, entry->redacted);
    w.end_object();
    if (entry->reason) texts.push_back(*entry->reason);
  }
  w.end_array();
  write_pii(w, texts);
  write_redaction(w, proposal.redacted);
  write_provenance(w, proposal.provenance);
  w.end_object();
}

void write_role(JsonWriter& w, const RoleAgreement& role, std::string_view today) {
  w.begin_object();
  w.field("id", role.id);
  w.field("title", role.title);
  w.field("owner_org", role.owner_org);
  // v2 extension: the owner's id as logged; absent when unknown.
  if (!role.owner_org_id.empty()) w.field("owner_org_id", role.owner_org_id);
  w.optional_field("due", role.due);
  w.optional_field("detail", role.detail);
  w.optional_field("theme", role.theme);
  w.optional_field("issue", role.issue);
  w.field("state", to_string(role.state));
  w.field("status", to_string(role.status));
  if (is_overdue(role, today)) w.field("overdue", true);
  w.key("proposed_by");
  write_person(w, role.proposed.by);
  w.field("at", role.proposed.at);
  w.key("consents");
  w.begin_array();
  for (const ConsentEntry& consent : role.consents) {
    w.begin_object();
    write_person_fields(w, consent.given.by);
    write_entered_by(w, consent.given);
    w.field("consent", consent.consent);
    w.optional_field("note", consent.note);
    w.field("decisive", consent.decisive);
    w.field("at", consent.given.at);
    write_redaction(w, consent.redacted);
    w.end_object();
  }
  w.end_array();
  w.key("statuses");
  w.begin_array();
  for (const StatusEntry& status : role.statuses) {
    w.begin_object();
    w.field("status", to_string(status.status));
    w.optional_field("note", status.note);
    w.key("by");
    write_person(w, status.changed.by);
    w.field("at", status.changed.at);
    write_redaction(w, status.redacted);
    w.end_object();
  }
  w.end_array();
  std::vector<std::string_view> texts{role.title};
  if (role.detail) texts.push_back(*role.detail);
  for (const ConsentEntry& consent : role.consents)
    if (consent.note) texts.push_back(*consent.note);
  for (const StatusEntry& status : role.statuses)
    if (status.note) texts.push_back(*status.note);
  write_pii(w, texts);
  write_redaction(w, role.redacted);
  write_provenance(w, role.provenance);
  w.end_object();
}

void write_indicator(JsonWriter& w, const Indicator& indicator) {
  w.begin_object();
  w.field("id", indicator.id);
  w.field("name", indicator.name);
  w.field("kind", to_string(indicator.kind));
  w.field("unit", indicator.unit);
  w.optional_number("target", indicator.target);
  w.optional_number("baseline", indicator.baseline);
  w.field("defined_at", indicator.defined.at);
  w.key("reports");
  w.begin_array();
  for (const IndicatorReportEntry& report : indicator.reports) {
    w.begin_object();
    w.number_field("value", report.value);
    w.field("period", report.period);
    w.key("by");
    write_person(w, report.reported.by);
    write_entered_by(w, report.reported);
    w.field("at", report.reported.at);
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

void write_theme(JsonWriter& w, const Theme& theme) {
  w.begin_object();
  w.field("name", theme.name);
  w.field("stage", theme.stage);
  w.key("history");
  w.begin_array();
  for (const StageChange& change : theme.changes) {
    w.begin_object();
    w.field("from", change.from);
    w.field("to", change.to);
    w.field("reason", change.reason);
    w.key("by");
    write_person(w, change.decided.by);
    w.field("at", change.decided.at);
    w.field("seq", change.decided.seq);
    w.string_or_null("meeting", change.decided.meeting);
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

}  // namespace

std::string encode_record(const CouncilState& state, const std::vector<Actor>& participants,
                          const RecordContext& context) {
  ProposalsById proposals;
  proposals.reserve(state.proposals.size());
  for (const Proposal& p : state.proposals) proposals.emplace(p.id, &p);

  // Attendance by meeting, each meeting's rows in the order people came.
  AttendanceIndex attendance;
  for (const Actor& p : context.everyone.empty() ? participants : context.everyone)
    attendance.people.emplace(p.participant, &p);
  for (const Attendance& row : context.attendance)
    attendance.by_meeting[row.meeting].push_back(&row);
  for (auto& [meeting, rows] : attendance.by_meeting)
    std::sort(rows.begin(), rows.end(), [](const Attendance* a, const Attendance* b) {
      if (a->first_seen_at != b->first_seen_at) return a->first_seen_at < b->first_seen_at;
      return a->participant < b->participant;
    });

  std::string out;
  out.reserve(4096 + 512 * (state.issues.size() + state.proposals.size() + state.roles.size()));
  JsonWriter w(out);
  w.begin_object();

  w.key("council");
  w.begin_object();
  w.field("id", state.council);
  w.field("name", state.name);
  w.field("kind", to_string(state.kind));
  w.end_object();
  w.field("head", state.head);
  w.string_or_null("live_meeting", state.live_meeting);

  w.key("participants");
  w.begin_array();
  for (const Actor& p : participants) {
    w.begin_object();
    write_person_fields(w, p);
    w.field("role", to_string(p.role));
    w.end_object();
  }
  w.end_array();

  // The vision in force is the last adopted one.
  w.key("vision");
  const Proposal* vision = nullptr;
  if (!state.adopted_visions.empty())
    if (const auto it = proposals.find(state.adopted_visions.back()); it != proposals.end())
      vision = it->second;
  if (vision)
    write_adopted(w, *vision);
  else
    w.null();
  w.key("visions");
  write_adopted_list(w, state.adopted_visions, proposals);
  w.key("directions");
  write_adopted_list(w, state.adopted_directions, proposals);

  w.key("meetings");
  w.begin_array();
  for (const Meeting& m : state.meetings) write_meeting(w, m, attendance);
  w.end_array();
  w.key("issues");
  w.begin_array();
  const IssueStatuses statuses(state);
  for (const Issue& issue : state.issues) write_issue(w, statuses, issue);
  w.end_array();
  w.key("rankings");
  w.begin_array();
  for (const Ranking& ranking : state.rankings) write_ranking(w, state, ranking);
  w.end_array();
  w.key("proposals");
  w.begin_array();
  for (const Proposal& proposal : state.proposals) write_proposal(w, proposal);
  w.end_array();
  w.key("roles");
  w.begin_array();
  for (const RoleAgreement& role : state.roles) write_role(w, role, context.today);
  w.end_array();
  w.key("indicators");
  w.begin_array();
  for (const Indicator& indicator : state.indicators) write_indicator(w, indicator);
  w.end_array();
  w.key("themes");
  w.begin_array();
  for (const Theme& theme : state.themes) write_theme(w, theme);
  w.end_array();
  if (state.kind == CouncilKind::one_on_one && !state.promotions.empty()) {
    w.key("promotions");
    w.begin_array();
    for (const Promotion& promotion : state.promotions) write_promotion(w, promotion);
    w.end_array();
  }

  w.end_object();
  return out;
}

}  // namespace renkei::protocol
