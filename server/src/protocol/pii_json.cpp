#include "protocol/pii_json.hpp"

#include "domain/personal_info.hpp"

namespace renkei::protocol {

void write_pii(JsonWriter& w, const std::vector<std::string_view>& texts) {
  const auto kinds = domain::personal_info_kinds(texts);
  if (kinds.empty()) return;
  w.key("pii");
  w.begin_array();
  for (domain::PersonalInfoKind kind : kinds) w.string(domain::to_string(kind));
  w.end_array();
}

}  // namespace renkei::protocol
