// Shapes documented in server/docs/RECORD.md ("changes", "comparison",
// "search", "check-text"); keep the two in step.
#include "protocol/report_codec.hpp"

#include <boost/json/value.hpp>

#include "domain/derived.hpp"
#include "protocol/json_parse.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/person_json.hpp"

namespace renkei::protocol {
namespace {

namespace json = boost::json;
using namespace renkei::domain;

// A role as the changes list it.
void write_role_summary(JsonWriter& w, const RoleAgreement& role, std::string_view today) {
  w.begin_object();
  w.field("id", role.id);
  w.field("title", role.title);
  w.field("owner_org", role.owner_org);
  w.optional_field("due", role.due);
  w.optional_field("issue", role.issue);
  w.field("state", to_string(role.state));
  w.field("status", to_string(role.status));
  w.field("overdue", is_overdue(role, today));
  w.end_object();
}

void write_roles(JsonWriter& w, std::string_view key,
                 const std::vector<const RoleAgreement*>& roles, std::string_view today) {
  w.key(key);
  w.begin_array();
  for (const RoleAgreement* role : roles) write_role_summary(w, *role, today);
  w.end_array();
}

}  // namespace

std::string encode_changes(const CouncilState& state, const Changes& changes,
                           std::string_view today) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("since");
  if (changes.since) {
    w.begin_object();
    w.field("meeting", changes.since->id);
    w.field("title", changes.since->title);
    w.string_or_null("ended_at", changes.since->ended
                                     ? std::optional<std::string>(changes.since->ended->at)
                                     : std::nullopt);
    w.end_object();
  } else {
    w.null();
  }
  w.field("since_seq", changes.since_seq);
  w.field("head", state.head);
  w.field("today", today);
  write_roles(w, "roles_due", changes.roles_due, today);
  write_roles(w, "roles_overdue", changes.roles_overdue, today);

  w.key("status_changes");
  w.begin_array();
  for (const StatusChangeView& c : changes.status_changes) {
    w.begin_object();
    w.field("role", c.role->id);
    w.field("title", c.role->title);
    w.field("owner_org", c.role->owner_org);
    w.field("from", to_string(c.from));
    w.field("to", to_string(c.change->status));
    w.optional_field("note", c.change->note);
    w.field("at", c.change->changed.at);
    w.key("by");
    write_person(w, c.change->changed.by);
    w.field("seq", c.change->changed.seq);
    w.string_or_null("meeting", c.change->changed.meeting);
    w.end_object();
  }
  w.end_array();

  w.key("issues_posted");
  w.begin_array();
  const IssueStatuses statuses(state);
  for (const Issue* issue : changes.issues_posted) {
    w.begin_object();
    w.field("id", issue->id);
    w.field("text", issue->text);
    w.optional_field("theme", issue->theme);
    w.field("status", to_string(statuses.of(*issue)));
    w.field("at", issue->posted.at);
    w.key("by");
    write_person(w, issue->posted.by);
    w.field("seq", issue->posted.seq);
    w.string_or_null("meeting", issue->posted.meeting);
    w.end_object();
  }
  w.end_array();

  w.key("indicator_reports");
  w.begin_array();
  for (const IndicatorReportView& r : changes.indicator_reports) {
    w.begin_object();
    w.field("indicator", r.indicator->id);
    w.field("name", r.indicator->name);
    w.field("unit", r.indicator->unit);
    w.number_field("value", r.report->value);
    w.field("period", r.report->period);
    w.field("at", r.report->reported.at);
    w.key("by");
    write_person(w, r.report->reported.by);
    w.field("seq", r.report->reported.seq);
    w.end_object();
  }
  w.end_array();

  w.key("open_proposals");
  w.begin_array();
  for (const Proposal* p : changes.open_proposals) {
    const Tally tally = current_tally(*p);
    w.begin_object();
    w.field("id", p->id);
    w.field("kind", to_string(p->kind));
    w.field("text", p->text);
    w.field("opened_at", p->opened.at);
    w.key("tally");
    w.begin_object();
    w.field("agree", tally.agree);
    w.field("abstain", tally.abstain);
    w.field("disagree", tally.disagree);
    w.field("block", tally.block);
    w.end_object();
    w.end_object();
  }
  w.end_array();

  w.key("open_rankings");
  w.begin_array();
  for (const Ranking* r : changes.open_rankings) {
    w.begin_object();
    w.field("id", r->id);
    w.field("method", to_string(r->method));
    w.key("candidates");
    w.begin_array();
    for (const std::string& c : r->candidates) w.string(c);
    w.end_array();
    w.field("ballots", static_cast<std::int64_t>(r->ballots.size()));
    w.field("opened_at", r->opened.at);
    w.end_object();
  }
  w.end_array();

  w.key("stage_changes");
  w.begin_array();
  for (const StageChangeView& c : changes.stage_changes) {
    w.begin_object();
    w.field("theme", c.theme->name);
    w.field("from", c.change->from);
    w.field("to", c.change->to);
    w.field("reason", c.change->reason);
    w.field("at", c.change->decided.at);
    w.key("by");
    write_person(w, c.change->decided.by);
    w.field("seq", c.change->decided.seq);
    w.string_or_null("meeting", c.change->decided.meeting);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return out;
}

std::string encode_comparison(const CouncilState& state,
                              const std::vector<OrgComparison>& organisations) {
  std::string out;
  JsonWriter w(out);
  const IssueStatuses statuses(state);
  const auto write_value = [&w](const PeriodValue& v) {
    w.begin_object();
    w.field("period", v.period);
    w.number_field("value", v.value);
    w.field("small_count", v.small_count);
    w.field("at", v.report->reported.at);
    w.key("by");
    write_person(w, v.report->reported.by);
    w.end_object();
  };
  w.begin_object();
  w.field("small_count_threshold", small_count_threshold);
  w.key("organisations");
  w.begin_array();
  for (const OrgComparison& org : organisations) {
    w.begin_object();
    w.field("org", org.org);
    w.key("issues");
    w.begin_object();
    // No small_count here: a count of issues points at no person.
    w.field("count", static_cast<std::int64_t>(org.issues.size()));
    w.key("items");
    w.begin_array();
    for (const Issue* issue : org.issues) {
      w.begin_object();
      w.field("id", issue->id);
      w.field("text", issue->text);
      w.optional_field("theme", issue->theme);
      w.field("status", to_string(statuses.of(*issue)));
      w.end_object();
    }
    w.end_array();
    w.end_object();
    w.key("indicators");
    w.begin_array();
    for (const OrgIndicator& indicator : org.indicators) {
      w.begin_object();
      w.field("indicator", indicator.indicator->id);
      w.field("name", indicator.indicator->name);
      w.field("kind", to_string(indicator.indicator->kind));
      w.field("unit", indicator.indicator->unit);
      w.optional_number("target", indicator.indicator->target);
      w.optional_number("baseline", indicator.indicator->baseline);
      w.key("latest");
      if (indicator.values.empty())
        w.null();
      else
        write_value(indicator.values.back());
      w.key("values");
      w.begin_array();
      for (const PeriodValue& v : indicator.values) write_value(v);
      w.end_array();
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return out;
}

std::string encode_search(std::string_view query, const std::vector<std::string>& terms,
                          const std::vector<SearchHit>& hits) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.field("query", query);
  w.key("hits");
  w.begin_array();
  for (const SearchHit& hit : hits) {
    w.begin_object();
    w.field("kind", hit.text.kind);
    w.field("id", hit.text.ref);
    w.field("text", search_snippet(hit.text.text, terms));
    w.field("seq", hit.seq);
    w.string_or_null("meeting", hit.meeting);
    w.field("at", hit.at);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return out;
}

std::variant<std::string, Error> parse_check_text(std::string_view body) {
  const auto bad = [](std::string_view ja, std::string_view en) {
    return make_error(ErrorCode::bad_request, ja, en);
  };
  if (body.size() > max_check_text_bytes)
    return make_error(ErrorCode::too_large, "本文が大きすぎます", "body too large");
  json::value document;
  if (parse_json(body, 8, document) != JsonFailure::none)
    return bad("JSONとして読めません", "malformed JSON");
  const json::object* object = document.if_object();
  const json::value* text = object ? object->if_contains("text") : nullptr;
  const json::string* string = text ? text->if_string() : nullptr;
  if (string == nullptr) return bad("text: 文字列が必要です", "text: a string is required");
  return std::string(string->data(), string->size());
}

std::string encode_findings(std::string_view text,
                            const std::vector<PersonalInfoFinding>& findings) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("findings");
  w.begin_array();
  for (const PersonalInfoFinding& f : findings) {
    w.begin_object();
    w.field("kind", to_string(f.kind));
    w.field("text", text.substr(f.start, f.length));
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return out;
}

}  // namespace renkei::protocol
