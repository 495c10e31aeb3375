// JSON shape of agenda items, shared by the meeting.started event data, the
// record's meetings and GET /api/agendas. Private to renkei_protocol.
//   item: {"title":{"ja","en"},"purpose":{"ja","en"},"stages":[..],"minutes":N,"actions":[..]}
#pragma once

#include <boost/json/array.hpp>
#include <vector>

#include "domain/agenda.hpp"
#include "protocol/field_reader.hpp"
#include "protocol/json_writer.hpp"

namespace renkei::protocol {

void write_local_text(JsonWriter& w, const domain::LocalText& text);
void write_agenda_items(JsonWriter& w, const std::vector<domain::AgendaItem>& items);

// Reads items as written by write_agenda_items (stored data: types only);
// problems are recorded in `r`, with paths under `at`.
std::vector<domain::AgendaItem> read_agenda_items(FieldReader& r, const boost::json::array& items,
                                                  const std::string& at);

}  // namespace renkei::protocol
