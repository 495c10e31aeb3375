#include "protocol/event_codec.hpp"

#include <array>
#include <boost/json/value.hpp>
#include <climits>

#include "domain/search_text.hpp"
#include "protocol/agenda_json.hpp"
#include "protocol/field_reader.hpp"
#include "protocol/json_parse.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/person_json.hpp"
#include "protocol/pii_json.hpp"

namespace renkei::protocol {
namespace {

namespace json = boost::json;
using namespace renkei::domain;

// Writes the members of one event's data object (without the braces).
// `with_private` adds what only the log may hold: the content of a ballot.
struct DataWriter {
  JsonWriter& w;
  bool with_private;

  void operator()(const MeetingStarted& d) const {
    w.field("meeting", d.meeting);
    w.field("title", d.title);
    w.string_or_null("agenda", d.agenda);
    w.key("items");
    write_agenda_items(w, d.items);
    if (d.session) w.field("session", to_string(*d.session));
  }
  void operator()(const MeetingAdvanced& d) const { w.field("item", d.item); }
  void operator()(const MeetingEnded&) const {}
  void operator()(const IssuePosted& d) const {
    w.field("issue", d.issue);
    w.field("text", d.text);
    w.optional_field("theme", d.theme);
    write_provenance(w, d.provenance);
    write_redacted(w, d.redacted);
  }
  void operator()(const IssueMerged& d) const {
    w.field("from", d.from);
    w.field("into", d.into);
  }
  void operator()(const RankingOpened& d) const {
    w.field("ranking", d.ranking);
    w.key("candidates");
    w.begin_array();
    for (const std::string& c : d.candidates) w.string(c);
    w.end_array();
    w.field("method", to_string(d.method));
    w.field("dots", d.dots);
  }
  void operator()(const RankingBallotCast& d) const {
    w.field("ranking", d.ranking);
    w.field("participant", d.participant);
    if (!with_private) return;
    if (d.order) {
      w.key("order");
      w.begin_array();
      for (const std::string& issue : *d.order) w.string(issue);
      w.end_array();
    }
    if (d.dots) {
      w.key("dots");
      w.begin_object();
      for (const auto& [issue, n] : *d.dots) w.field(issue, n);
      w.end_object();
    }
  }
  void operator()(const RankingClosed& d) const {
    w.field("ranking", d.ranking);
    w.field("ballots", d.ballots);
    w.key("result");
    w.begin_array();
    for (const RankRow& row : d.result) {
      w.begin_object();
      w.field("issue", row.issue);
      w.field("rank", row.rank);
      w.field("score", row.score);
      w.end_object();
    }
    w.end_array();
  }
  void operator()(const RankingAdopted& d) const {
    w.field("ranking", d.ranking);
    if (d.replaces.empty()) return;
    w.key("replaces");
    w.begin_array();
    for (const std::string& id : d.replaces) w.string(id);
    w.end_array();
  }
  void operator()(const ProposalOpened& d) const {
    w.field("proposal", d.proposal);
    w.field("kind", to_string(d.kind));
    w.field("text", d.text);
    write_redacted(w, d.redacted);
    w.optional_field("revises", d.revises);
    write_provenance(w, d.provenance);
  }
  void operator()(const ProposalStanceTaken& d) const {
    w.field("proposal", d.proposal);
    w.field("stance", to_string(d.stance));
    w.optional_field("reason", d.reason);
    write_redacted(w, d.redacted);
  }
  void operator()(const ProposalClosed& d) const {
    w.field("proposal", d.proposal);
    w.field("outcome", d.adopted ? "adopted" : "not_adopted");
    w.key("tally");
    w.begin_object();
    w.field("agree", d.tally.agree);
    w.field("abstain", d.tally.abstain);
    w.field("disagree", d.tally.disagree);
    w.field("block", d.tally.block);
    w.end_object();
  }
  void operator()(const RoleProposed& d) const {
    w.field("role", d.role);
    w.field("title", d.title);
    w.field("owner_org", d.owner_org);
    w.optional_field("due", d.due);
    w.optional_field("detail", d.detail);
    w.optional_field("theme", d.theme);
    w.field("state", to_string(d.state));
    w.optional_field("issue", d.issue);
    // v2 extension, absent when unknown so v1 events stay byte-identical;
    // before "redacted", which the log's rewrite appends at the end.
    if (!d.owner_org_id.empty()) w.field("owner_org_id", d.owner_org_id);
    write_provenance(w, d.provenance);
    write_redacted(w, d.redacted);
  }
  void operator()(const RoleConsented& d) const {
    w.field("role", d.role);
    w.field("consent", d.consent);
    w.optional_field("note", d.note);
    w.field("state", to_string(d.state));
    if (!d.owner_org_id.empty()) w.field("owner_org_id", d.owner_org_id);
    write_redacted(w, d.redacted);
  }
  void operator()(const RoleStatusChanged& d) const {
    w.field("role", d.role);
    w.field("status", to_string(d.status));
    w.optional_field("note", d.note);
    write_redacted(w, d.redacted);
  }
  void operator()(const IndicatorDefined& d) const {
    w.field("indicator", d.indicator);
    w.field("name", d.name);
    w.field("kind", to_string(d.kind));
    w.field("unit", d.unit);
    w.optional_number("target", d.target);
    w.optional_number("baseline", d.baseline);
  }
  void operator()(const IndicatorReported& d) const {
    w.field("indicator", d.indicator);
    w.number_field("value", d.value);
    w.field("period", d.period);
  }
  void operator()(const ThemeStageSet& d) const {
    w.field("theme", d.theme);
    w.field("stage", d.stage);
    w.field("reason", d.reason);
    w.field("previous", d.previous);
  }
  void operator()(const TextRedacted& d) const {
    w.field("target", d.target);
    w.optional_field("participant", d.participant);
    w.field("reason", d.reason);
  }
  void operator()(const PromotionProposed& d) const {
    w.field("promotion", d.promotion);
    w.key("items");
    w.begin_array();
    for (const std::string& id : d.items) w.string(id);
    w.end_array();
    w.field("target", d.target);
    w.optional_field("target_name", d.target_name);
    w.optional_field("note", d.note);
  }
  void operator()(const PromotionConsented& d) const {
    w.field("promotion", d.promotion);
    w.field("consent", d.consent);
    w.field("state", to_string(d.state));
  }
  // Extension: absent on every item not promoted from a one-on-one, so those
  // events encode byte for byte as before.
  static void write_provenance(JsonWriter& w, const std::optional<Provenance>& provenance) {
    if (!provenance) return;
    w.key("provenance");
    w.begin_object();
    w.field("source", provenance->source);
    w.field("date", provenance->date);
    w.end_object();
  }
  // The mark a rewrite by text.redacted leaves (the log's rows get it from
  // the store's SQL, server/docs/STORAGE.md "Redaction").
  static void write_redacted(JsonWriter& w, bool redacted) {
    if (redacted) w.field("redacted", true);
  }
};

void write_data(JsonWriter& w, const EventData& data, bool with_private) {
  w.begin_object();
  std::visit(DataWriter{w, with_private}, data);
  w.end_object();
}

// "pii" (extension): the kinds of personal information the event's free
// texts seem to hold, as the record flags them; left out when none.
void write_event_pii(JsonWriter& w, const EventData& data) {
  const std::vector<SearchText> texts = searchable_texts(data);
  std::vector<std::string_view> views;
  views.reserve(texts.size());
  for (const SearchText& t : texts) views.push_back(t.text);
  write_pii(w, views);
}

// --- decoding: one reader per event op; `r` keeps the first problem --------

int small_int(FieldReader& r, std::string_view key) {
  return static_cast<int>(r.integer(key, INT_MIN, INT_MAX));
}

EventData meeting_started(FieldReader& r) {
  MeetingStarted d;
  d.meeting = r.string("meeting");
  d.title = r.string("title");
  d.agenda = r.optional_string("agenda");
  if (const json::array* items = r.array("items"))
    d.items = read_agenda_items(r, *items, r.path("items"));
  // Absent (and in logs written before the extension): an open session.
  if (const json::value* session = r.find("session"); session && !session->is_null())
    d.session = r.choice("session", session_type_from_string, "open, closed");
  return d;
}

// "redacted": true, left by text.redacted's rewrite of the log.
bool redacted_flag(FieldReader& r) {
  const json::value* flag = r.find("redacted");
  return flag != nullptr && flag->is_bool() && flag->get_bool();
}

// "provenance" (extension): absent on items not promoted from a one-on-one.
std::optional<Provenance> read_provenance(FieldReader& r) {
  const json::value* value = r.find("provenance");
  if (value == nullptr || value->is_null()) return std::nullopt;
  const json::object* object = r.object("provenance");
  if (object == nullptr) return std::nullopt;
  FieldReader p(*object, r.path("provenance"));
  Provenance provenance;
  provenance.source = p.string("source");
  provenance.date = p.string("date");
  if (!p.ok()) r.fail(*p.error());
  return provenance;
}

EventData meeting_advanced(FieldReader& r) { return MeetingAdvanced{r.integer("item")}; }

EventData meeting_ended(FieldReader&) { return MeetingEnded{}; }

EventData issue_posted(FieldReader& r) {
  IssuePosted d;
  d.issue = r.string("issue");
  d.text = r.string("text");
  d.theme = r.optional_string("theme");
  d.redacted = redacted_flag(r);
  d.provenance = read_provenance(r);
  return d;
}

EventData promotion_proposed(FieldReader& r) {
  PromotionProposed d;
  d.promotion = r.string("promotion");
  d.items = r.string_list("items");
  d.target = r.string("target");
  d.target_name = r.optional_string("target_name");
  d.note = r.optional_string("note");
  return d;
}

EventData promotion_consented(FieldReader& r) {
  PromotionConsented d;
  d.promotion = r.string("promotion");
  d.consent = r.boolean("consent");
  d.state = r.choice("state", promotion_state_from_string, "proposed, agreed, declined");
  return d;
}

EventData issue_merged(FieldReader& r) {
  IssueMerged d;
  d.from = r.string("from");
  d.into = r.string("into");
  return d;
}

EventData ranking_opened(FieldReader& r) {
  RankingOpened d;
  d.ranking = r.string("ranking");
  d.candidates = r.string_list("candidates");
  d.method = r.choice("method", ranking_method_from_string, "schulze, borda, dots");
  d.dots = r.integer("dots");
  return d;
}

EventData ranking_ballot_cast(FieldReader& r) {
  RankingBallotCast d;
  d.ranking = r.string("ranking");
  d.participant = r.string("participant");
  if (const json::value* order = r.find("order"); order && !order->is_null())
    d.order = r.string_list("order");
  if (const json::value* dots = r.find("dots"); dots && !dots->is_null()) {
    if (const json::object* object = r.object("dots")) {
      std::map<std::string, std::int64_t> counts;
      for (const auto& entry : *object) {
        std::string issue(entry.key().data(), entry.key().size());
        const std::int64_t n = r.integer_value(entry.value(), r.path("dots") + "." + issue);
        counts.emplace(std::move(issue), n);
      }
      d.dots = std::move(counts);
    }
  }
  return d;
}

EventData ranking_closed(FieldReader& r) {
  RankingClosed d;
  d.ranking = r.string("ranking");
  d.ballots = r.integer("ballots");
  if (const json::array* rows = r.array("result")) {
    d.result.reserve(rows->size());
    for (std::size_t i = 0; i < rows->size() && r.ok(); ++i) {
      const std::string at = r.path("result") + "[" + std::to_string(i) + "]";
      const json::object* object = (*rows)[i].if_object();
      if (!object) {
        r.fail(at, "オブジェクトが必要です", "an object is required");
        break;
      }
      FieldReader row_reader(*object, at);
      RankRow row;
      row.issue = row_reader.string("issue");
      row.rank = row_reader.integer("rank");
      row.score = row_reader.integer("score");
      if (!row_reader.ok()) r.fail(*row_reader.error());
      d.result.push_back(std::move(row));
    }
  }
  return d;
}

EventData ranking_adopted(FieldReader& r) {
  RankingAdopted d;
  d.ranking = r.string("ranking");
  if (const json::value* replaces = r.find("replaces"); replaces && !replaces->is_null())
    d.replaces = r.string_list("replaces");
  return d;
}

EventData proposal_opened(FieldReader& r) {
  ProposalOpened d;
  d.proposal = r.string("proposal");
  d.kind = r.choice("kind", proposal_kind_from_string, "vision, direction");
  d.text = r.string("text");
  d.redacted = redacted_flag(r);
  d.revises = r.optional_string("revises");
  d.provenance = read_provenance(r);
  return d;
}

EventData proposal_stance_taken(FieldReader& r) {
  ProposalStanceTaken d;
  d.proposal = r.string("proposal");
  d.stance = r.choice("stance", stance_from_string, "agree, abstain, disagree, block");
  d.reason = r.optional_string("reason");
  d.redacted = redacted_flag(r);
  return d;
}

EventData proposal_closed(FieldReader& r) {
  ProposalClosed d;
  d.proposal = r.string("proposal");
  const std::string outcome = r.string("outcome");
  if (r.ok() && outcome != "adopted" && outcome != "not_adopted")
    r.fail(r.path("outcome"), "次のいずれかが必要です: adopted, not_adopted",
           "must be one of: adopted, not_adopted");
  d.adopted = outcome == "adopted";
  if (const json::object* tally = r.object("tally")) {
    FieldReader t(*tally, r.path("tally"));
    d.tally.agree = t.integer("agree");
    d.tally.abstain = t.integer("abstain");
    d.tally.disagree = t.integer("disagree");
    d.tally.block = t.integer("block");
    if (!t.ok()) r.fail(*t.error());
  }
  return d;
}

EventData role_proposed(FieldReader& r) {
  RoleProposed d;
  d.role = r.string("role");
  d.title = r.string("title");
  d.owner_org = r.string("owner_org");
  d.due = r.optional_string("due");
  d.detail = r.optional_string("detail");
  d.theme = r.optional_string("theme");
  d.state = r.choice("state", role_state_from_string, "proposed, agreed, declined");
  d.issue = r.optional_string("issue");
  d.redacted = redacted_flag(r);
  d.owner_org_id = r.optional_string("owner_org_id").value_or("");
  d.provenance = read_provenance(r);
  return d;
}

EventData role_consented(FieldReader& r) {
  RoleConsented d;
  d.role = r.string("role");
  d.consent = r.boolean("consent");
  d.note = r.optional_string("note");
  d.state = r.choice("state", role_state_from_string, "proposed, agreed, declined");
  d.redacted = redacted_flag(r);
  d.owner_org_id = r.optional_string("owner_org_id").value_or("");
  return d;
}

EventData role_status_changed(FieldReader& r) {
  RoleStatusChanged d;
  d.role = r.string("role");
  d.status = r.choice("status", role_status_from_string, "not_started, in_progress, done, revised");
  d.note = r.optional_string("note");
  d.redacted = redacted_flag(r);
  return d;
}

EventData indicator_defined(FieldReader& r) {
  IndicatorDefined d;
  d.indicator = r.string("indicator");
  d.name = r.string("name");
  d.kind = r.choice("kind", indicator_kind_from_string, "structure, process, outcome");
  d.unit = r.string("unit");
  d.target = r.optional_number("target");
  d.baseline = r.optional_number("baseline");
  return d;
}

EventData indicator_reported(FieldReader& r) {
  IndicatorReported d;
  d.indicator = r.string("indicator");
  d.value = r.number("value");
  d.period = r.string("period");
  return d;
}

EventData theme_stage_set(FieldReader& r) {
  ThemeStageSet d;
  d.theme = r.string("theme");
  d.stage = small_int(r, "stage");
  d.reason = r.string("reason");
  d.previous = small_int(r, "previous");
  return d;
}

EventData text_redacted(FieldReader& r) {
  TextRedacted d;
  d.target = r.string("target");
  d.participant = r.optional_string("participant");
  d.reason = r.string("reason");
  return d;
}

struct EventDecoder {
  std::string_view op;
  EventData (*decode)(FieldReader&);
};

constexpr std::array<EventDecoder, 21> event_decoders{{
    {"meeting.started", meeting_started},
    {"meeting.advanced", meeting_advanced},
    {"meeting.ended", meeting_ended},
    {"issue.posted", issue_posted},
    {"issue.merged", issue_merged},
    {"ranking.opened", ranking_opened},
    {"ranking.ballot_cast", ranking_ballot_cast},
    {"ranking.closed", ranking_closed},
    {"proposal.opened", proposal_opened},
    {"proposal.stance_taken", proposal_stance_taken},
    {"proposal.closed", proposal_closed},
    {"role.proposed", role_proposed},
    {"role.consented", role_consented},
    {"role.status_changed", role_status_changed},
    {"indicator.defined", indicator_defined},
    {"indicator.reported", indicator_reported},
    {"theme.stage_set", theme_stage_set},
    {"text.redacted", text_redacted},
    {"ranking.adopted", ranking_adopted},
    {"promotion.proposed", promotion_proposed},
    {"promotion.consented", promotion_consented},
}};

Error unreadable(std::string_view ja, std::string_view en) {
  return make_error(ErrorCode::internal, std::string("保存されたイベントを読めません: ") += ja,
                    std::string("stored event unreadable: ") += en);
}

}  // namespace

std::string encode_event_data(const EventData& data) {
  std::string out;
  out.reserve(128);
  JsonWriter w(out);
  write_data(w, data, true);
  return out;
}

std::string encode_event_frame(const Event& event) {
  std::string out;
  out.reserve(256);
  JsonWriter w(out);
  w.begin_object();
  w.field("type", "event");
  w.field("seq", event.seq);
  w.field("op", op_name(event.data));
  w.field("at", event.at);
  w.key("by");
  write_actor(w, event.by);
  if (event.entered_by) {
    w.key("entered_by");
    write_actor(w, *event.entered_by);
  }
  w.string_or_null("meeting", event.meeting);
  w.key("data");
  write_data(w, event.data, false);
  write_event_pii(w, event.data);
  w.end_object();
  return out;
}

std::string decode_frame_by_org_id(std::string_view frame) {
  // Most frames (all of v1) have none: skip the parse.
  if (frame.find("\"org_id\"") == std::string_view::npos) return {};
  json::value parsed;
  if (parse_json(frame, 64, parsed) != JsonFailure::none || !parsed.is_object()) return {};
  const json::value* by = parsed.get_object().if_contains("by");
  if (by == nullptr || !by->is_object()) return {};
  const json::value* org_id = by->get_object().if_contains("org_id");
  if (org_id == nullptr || !org_id->is_string()) return {};
  return std::string(org_id->get_string());
}

std::optional<Actor> decode_frame_entered_by(std::string_view frame) {
  // Only proxied events have one: skip the parse for every other frame.
  if (frame.find("\"entered_by\"") == std::string_view::npos) return std::nullopt;
  json::value parsed;
  if (parse_json(frame, 64, parsed) != JsonFailure::none || !parsed.is_object())
    return std::nullopt;
  const json::value* entered = parsed.get_object().if_contains("entered_by");
  if (entered == nullptr || !entered->is_object()) return std::nullopt;
  const json::object& object = entered->get_object();
  const auto text = [&object](std::string_view key) -> std::optional<std::string> {
    const json::value* value = object.if_contains(key);
    if (value == nullptr || !value->is_string()) return std::nullopt;
    return std::string(value->get_string());
  };
  const auto participant = text("participant");
  const auto name = text("name");
  const auto org = text("org");
  const auto role_text = text("role");
  const auto role = role_text ? role_from_string(*role_text) : std::nullopt;
  if (!participant || !name || !org || !role) return std::nullopt;
  return Actor{*participant, *name, *org, *role, text("org_id").value_or("")};
}

std::variant<EventData, Error> decode_event_data(std::string_view op, std::string_view data_json) {
  const EventDecoder* decoder = nullptr;
  for (const EventDecoder& d : event_decoders)
    if (d.op == op) decoder = &d;
  if (!decoder) return unreadable("未知のイベント種別です", "unknown event op");

  json::value document;
  if (parse_json(data_json, 64, document) != JsonFailure::none)
    return unreadable("JSONとして読めません", "malformed JSON");
  const json::object* object = document.if_object();
  if (!object) return unreadable("オブジェクトが必要です", "an object is required");

  FieldReader reader(*object, "data");
  EventData data = decoder->decode(reader);
  if (!reader.ok()) {
    const FieldError& e = *reader.error();
    return unreadable(e.path + ": " + e.ja, e.path + ": " + e.en);
  }
  return data;
}

}  // namespace renkei::protocol
