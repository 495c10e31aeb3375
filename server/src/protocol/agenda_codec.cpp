// Agenda template files. Format (JSON, UTF-8; unknown fields are ignored):
//   {"format":1,
//    "title":{"ja":"地域共生ケア会議","en":"Inclusive community care council"},
//    "kind":"council"|"one_on_one"|"review",
//    "minutes":90,                      optional; if given, the sum of the items'
//    "items":[{"title":{"ja","en"},"purpose":{"ja","en"},
//              "stages":[2],            stages 1-4 the item advances, at least one
//              "minutes":5,             positive integer
//              "actions":["post_issues"]}]}   from agenda_actions below, may be empty
#include "protocol/agenda_codec.hpp"

#include <algorithm>
#include <array>
#include <boost/json/value.hpp>
#include <climits>

#include "protocol/agenda_json.hpp"
#include "protocol/field_reader.hpp"
#include "protocol/json_parse.hpp"
#include "protocol/json_writer.hpp"

namespace renkei::protocol {
namespace {

namespace json = boost::json;

constexpr std::array<std::string_view, 3> agenda_kinds{"council", "one_on_one", "review"};
constexpr std::array<std::string_view, 9> agenda_actions{
    "post_issues",       "merge_issues",      "rank",      "adopt", "agree_roles",
    "define_indicators", "report_indicators", "set_stage", "review"};
constexpr std::string_view agenda_kind_list = "council, one_on_one, review";
constexpr std::string_view agenda_action_list =
    "post_issues, merge_issues, rank, adopt, agree_roles, define_indicators, "
    "report_indicators, set_stage, review";

constexpr TextRule title_rule{200, false};
constexpr TextRule purpose_rule{2000, true};

template <std::size_t N>
bool is_one_of(const std::array<std::string_view, N>& words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

AgendaError agenda_error(std::string_view file, const FieldError& e) {
  std::string message(file);
  message.append(": ");
  if (!e.path.empty()) message.append(e.path).append(": ");
  message.append(e.ja).append(" / ").append(e.en);
  return AgendaError{std::move(message)};
}

// {"ja","en"}, both non-empty after trimming.
domain::LocalText read_local_text(FieldReader& r, std::string_view key, const TextRule& rule) {
  domain::LocalText text;
  const json::object* object = r.object(key);
  if (!object) return text;
  FieldReader t(*object, r.path(key));
  text.ja = t.text("ja", rule);
  text.en = t.text("en", rule);
  if (!t.ok()) r.fail(*t.error());
  return text;
}

// A positive integer that fits an int.
int read_minutes(FieldReader& r, std::string_view key) {
  const std::int64_t minutes = r.integer(key, 1);
  if (r.ok() && minutes > INT_MAX) r.fail(r.path(key), "大きすぎます", "too large");
  return r.ok() ? static_cast<int>(minutes) : 0;
}

domain::AgendaItem read_item(FieldReader& r) {
  domain::AgendaItem item;
  item.title = read_local_text(r, "title", title_rule);
  item.purpose = read_local_text(r, "purpose", purpose_rule);
  if (const json::array* stages = r.array("stages")) {
    if (stages->empty()) r.fail(r.path("stages"), "1個以上必要です", "at least 1 item(s) required");
    for (std::size_t i = 0; i < stages->size() && r.ok(); ++i)
      item.stages.push_back(static_cast<int>(
          r.integer_value((*stages)[i], r.path("stages") + "[" + std::to_string(i) + "]", 1, 4)));
  }
  item.minutes = read_minutes(r, "minutes");
  if (const json::array* actions = r.array("actions")) {
    for (std::size_t i = 0; i < actions->size() && r.ok(); ++i) {
      const std::string at = r.path("actions") + "[" + std::to_string(i) + "]";
      std::string action = r.string_value((*actions)[i], at);
      if (r.ok() && !is_one_of(agenda_actions, action))
        r.fail(at, "次のいずれかが必要です: " + std::string(agenda_action_list),
               "must be one of: " + std::string(agenda_action_list));
      item.actions.push_back(std::move(action));
    }
  }
  return item;
}

}  // namespace

std::variant<domain::AgendaTemplate, AgendaError> parse_agenda(std::string_view json_text,
                                                               std::string_view id,
                                                               std::string_view file) {
  json::value document;
  if (parse_json(json_text, 32, document) != JsonFailure::none)
    return agenda_error(file, FieldError{"", "JSONとして読めません", "not valid JSON"});
  const json::object* object = document.if_object();
  if (!object)
    return agenda_error(file,
                        FieldError{"", "JSONオブジェクトが必要です", "a JSON object is required"});

  FieldReader r(*object, "");
  domain::AgendaTemplate agenda;
  agenda.id = std::string(id);

  if (const json::value* format = r.find("format"); !format) {
    r.fail("format", "必須です", "is required");
  } else if (as_integer(*format) != 1) {
    r.fail("format", "1が必要です", "must be 1");
  }
  agenda.title = read_local_text(r, "title", title_rule);
  agenda.kind = r.string("kind");
  if (r.ok() && !is_one_of(agenda_kinds, agenda.kind))
    r.fail("kind", "次のいずれかが必要です: " + std::string(agenda_kind_list),
           "must be one of: " + std::string(agenda_kind_list));

  std::int64_t total_minutes = 0;
  if (const json::array* items = r.array("items")) {
    if (items->empty()) r.fail("items", "1個以上必要です", "at least 1 item(s) required");
    for (std::size_t i = 0; i < items->size() && r.ok(); ++i) {
      const std::string at = "items[" + std::to_string(i) + "]";
      const json::object* item_object = (*items)[i].if_object();
      if (!item_object) {
        r.fail(at, "オブジェクトが必要です", "an object is required");
        break;
      }
      FieldReader item_reader(*item_object, at);
      domain::AgendaItem item = read_item(item_reader);
      if (!item_reader.ok()) {
        r.fail(*item_reader.error());
        break;
      }
      total_minutes += item.minutes;
      agenda.items.push_back(std::move(item));
    }
  }

  if (r.ok() && total_minutes > INT_MAX)
    r.fail("items", "時間の合計が大きすぎます", "total minutes too large");
  agenda.minutes = static_cast<int>(r.ok() ? total_minutes : 0);
  if (const json::value* minutes = r.find("minutes"); minutes && r.ok()) {
    const int declared = read_minutes(r, "minutes");
    if (r.ok() && declared != agenda.minutes) {
      const std::string sum = std::to_string(agenda.minutes);
      r.fail("minutes", "項目の時間の合計(" + sum + ")と一致しません",
             "must equal the sum of the items' minutes (" + sum + ")");
    }
  }

  if (!r.ok()) return agenda_error(file, *r.error());
  return agenda;
}

std::string encode_agenda(const domain::AgendaTemplate& agenda) {
  std::string out;
  out.reserve(512 + 256 * agenda.items.size());
  JsonWriter w(out);
  w.begin_object();
  w.field("id", agenda.id);
  w.key("title");
  write_local_text(w, agenda.title);
  w.field("kind", agenda.kind);
  w.field("minutes", agenda.minutes);
  w.key("items");
  write_agenda_items(w, agenda.items);
  w.end_object();
  return out;
}

}  // namespace renkei::protocol
