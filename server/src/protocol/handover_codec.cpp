#include "protocol/handover_codec.hpp"

#include <boost/json/value.hpp>

#include "domain/calendar.hpp"
#include "protocol/field_reader.hpp"
#include "protocol/json_parse.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/text_rules.hpp"

namespace renkei::protocol {
namespace {

namespace json = boost::json;

constexpr std::size_t max_body_depth = 8;
constexpr TextRule id_rule{100, false};
constexpr TextRule note_rule{1000, true};

template <typename T, typename Read>
Decoded<T> decode(std::string_view body, Read read) {
  json::value value;
  if (parse_json(body, max_body_depth, value) != JsonFailure::none || !value.is_object())
    return BodyError{"bad_request", "JSON オブジェクトが必要です / a JSON object is required"};
  FieldReader r(value.as_object(), "");
  T out = read(r);
  if (const auto& e = r.error()) {
    if (e->path.empty()) return BodyError{"bad_request", e->ja + " / " + e->en};
    return BodyError{"bad_request", e->path + ": " + e->ja + " / " + e->path + ": " + e->en};
  }
  return out;
}

void write_ref(JsonWriter& w, std::string_view id_key, const NamedRef& ref) {
  w.begin_object();
  w.field(id_key, ref.id);
  w.field("name", ref.name);
  w.end_object();
}

void write_optional_text(JsonWriter& w, std::string_view key,
                         const std::optional<std::string>& value) {
  w.key(key);
  value ? w.string(*value) : w.null();
}

void write_request(JsonWriter& w, const HandoverRequestView& r) {
  w.begin_object();
  w.field("request", r.id);
  w.field("state", r.state);
  w.key("person");
  write_ref(w, "person", r.person);
  w.key("org");
  r.org ? write_ref(w, "id", *r.org) : w.null();
  w.key("successor");
  r.successor ? write_ref(w, "person", *r.successor) : w.null();
  w.field("date", r.date);
  write_optional_text(w, "note", r.note);
  w.field("created_at", r.created_at);
  write_optional_text(w, "decided_at", r.decided_at);
  w.key("councils");
  w.begin_array();
  for (const auto& c : r.councils) write_ref(w, "id", c);
  w.end_array();
  w.end_object();
}

}  // namespace

Decoded<HandoverBody> decode_handover_body(std::string_view body) {
  return decode<HandoverBody>(body, [](FieldReader& r) {
    HandoverBody out;
    if (!r.find("successor"))
      r.fail("successor", "後任を指定してください（なしは null）",
             "successor is required (null for none)");
    out.successor = r.optional_text("successor", id_rule);
    out.date = r.text("date", id_rule);
    if (r.ok() && !domain::parse_iso_date(out.date))
      r.fail("date", "日付は YYYY-MM-DD で指定してください", "a date YYYY-MM-DD is required");
    out.note = r.optional_text("note", note_rule);
    return out;
  });
}

Decoded<FillBody> decode_fill_body(std::string_view body) {
  return decode<FillBody>(body, [](FieldReader& r) {
    FillBody out;
    out.person = r.text("person", id_rule);
    return out;
  });
}

std::string encode_handover_result(const std::string& effective_at,
                                   const std::vector<HandedSeatView>& seats,
                                   const std::optional<std::string>& request) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  if (request) w.field("request", *request);
  w.field("effective_at", effective_at);
  w.key("seats");
  w.begin_array();
  for (const auto& s : seats) {
    w.begin_object();
    w.field("council", s.council);
    w.field("from", s.from);
    write_optional_text(w, "to", s.to);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return out;
}

std::string encode_handover_request(const std::optional<HandoverRequestView>& request) {
  std::string out;
  JsonWriter w(out);
  request ? write_request(w, *request) : w.null();
  return out;
}

std::string encode_handover_requests(const std::vector<HandoverRequestView>& requests) {
  return json_list_object("requests", requests,
                          [](JsonWriter& w, const HandoverRequestView& r) { write_request(w, r); });
}

std::string encode_vacancies(const std::vector<VacancyView>& vacancies) {
  std::string out;
  JsonWriter w(out);
  w.begin_array();
  for (const auto& v : vacancies) {
    w.begin_object();
    w.field("participant", v.participant);
    w.key("council");
    write_ref(w, "id", v.council);
    w.key("org");
    write_ref(w, "id", v.org);
    w.field("role", domain::to_string(v.role));
    w.field("vacated_at", v.vacated_at);
    w.key("last_holder");
    write_ref(w, "person", NamedRef{v.last_holder, v.last_holder_name});
    w.end_object();
  }
  w.end_array();
  return out;
}

std::string encode_holders(const std::vector<SeatLineView>& lines) {
  return json_list_object("seats", lines, [](JsonWriter& w, const SeatLineView& line) {
    w.begin_object();
    w.key("org");
    write_ref(w, "id", line.org);
    w.field("role", domain::to_string(line.role));
    w.key("holders");
    w.begin_array();
    for (const auto& h : line.holders) {
      w.begin_object();
      w.field("participant", h.participant);
      w.field("person", h.person);
      w.field("name", h.name);
      w.field("from", h.from);
      write_optional_text(w, "to", h.to);
      w.end_object();
    }
    w.end_array();
    w.key("vacant");
    w.boolean(line.vacant);
    w.end_object();
  });
}

}  // namespace renkei::protocol
