// The "pii" member shared by the record and event frames: the kinds of
// personal information (domain/personal_info.hpp) that some texts seem to
// hold. Private to renkei_protocol.
#pragma once

#include <string_view>
#include <vector>

#include "protocol/json_writer.hpp"

namespace renkei::protocol {

// "pii":["name_with_age",...] inside an object the caller opened, kinds in
// the enum's order; nothing at all when the texts hold none.
void write_pii(JsonWriter& w, const std::vector<std::string_view>& texts);

}  // namespace renkei::protocol
