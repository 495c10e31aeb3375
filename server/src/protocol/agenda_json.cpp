#include "protocol/agenda_json.hpp"

#include <climits>

namespace renkei::protocol {
namespace {

namespace json = boost::json;

domain::LocalText read_local_text(FieldReader& item, std::string_view key) {
  domain::LocalText text;
  const json::object* object = item.object(key);
  if (!object) return text;
  FieldReader r(*object, item.path(key));
  text.ja = r.string("ja");
  text.en = r.string("en");
  if (!r.ok()) item.fail(*r.error());
  return text;
}

}  // namespace

void write_local_text(JsonWriter& w, const domain::LocalText& text) {
  w.begin_object();
  w.field("ja", text.ja);
  w.field("en", text.en);
  w.end_object();
}

void write_agenda_items(JsonWriter& w, const std::vector<domain::AgendaItem>& items) {
  w.begin_array();
  for (const domain::AgendaItem& item : items) {
    w.begin_object();
    w.key("title");
    write_local_text(w, item.title);
    w.key("purpose");
    write_local_text(w, item.purpose);
    w.key("stages");
    w.begin_array();
    for (const int stage : item.stages) w.integer(stage);
    w.end_array();
    w.field("minutes", item.minutes);
    w.key("actions");
    w.begin_array();
    for (const std::string& action : item.actions) w.string(action);
    w.end_array();
    w.end_object();
  }
  w.end_array();
}

std::vector<domain::AgendaItem> read_agenda_items(FieldReader& r, const json::array& items,
                                                  const std::string& at) {
  std::vector<domain::AgendaItem> result;
  result.reserve(items.size());
  for (std::size_t i = 0; i < items.size() && r.ok(); ++i) {
    const std::string item_at = at + "[" + std::to_string(i) + "]";
    const json::object* object = items[i].if_object();
    if (!object) {
      r.fail(item_at, "オブジェクトが必要です", "an object is required");
      break;
    }
    FieldReader ir(*object, item_at);
    domain::AgendaItem item;
    item.title = read_local_text(ir, "title");
    item.purpose = read_local_text(ir, "purpose");
    if (const json::array* stages = ir.array("stages")) {
      for (std::size_t s = 0; s < stages->size() && ir.ok(); ++s)
        item.stages.push_back(static_cast<int>(ir.integer_value(
            (*stages)[s], ir.path("stages") + "[" + std::to_string(s) + "]", INT_MIN, INT_MAX)));
    }
    item.minutes = static_cast<int>(ir.integer("minutes", INT_MIN, INT_MAX));
    item.actions = ir.string_list("actions");
    if (!ir.ok()) {
      r.fail(*ir.error());
      break;
    }
    result.push_back(std::move(item));
  }
  return result;
}

}  // namespace renkei::protocol
