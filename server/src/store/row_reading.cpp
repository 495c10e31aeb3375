#include "store/row_reading.hpp"

#include "store/database.hpp"

namespace renkei::store {

std::optional<std::int64_t> parse_id(std::string_view text, char prefix) {
  if (text.size() < 2 || text.size() > 19 || text.front() != prefix || text[1] == '0') {
    return std::nullopt;
  }
  std::int64_t value = 0;
  for (char c : text.substr(1)) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::string make_id(char prefix, std::int64_t rowid) {
  return std::string(1, prefix) + std::to_string(rowid);
}

std::optional<std::string> optional_id(const Query& query, int column, char prefix) {
  if (query.is_null(column)) return std::nullopt;
  return make_id(prefix, query.int64(column));
}

void corrupt(std::string_view what) {
  throw StoreError("unreadable row: " + std::string(what), SQLITE_CORRUPT);
}

CouncilRow council_row(const Query& query) {
  CouncilRow row;
  row.id = make_id('c', query.int64(0));
  row.name = query.text(1);
  const auto kind = domain::council_kind_from_string(query.text(2));
  if (!kind) corrupt("unknown council kind");
  row.kind = *kind;
  row.created_at = query.text(3);
  row.area = query.optional_text(4);
  row.prefecture = query.optional_text(5);
  row.themes = query.text(6);
  row.default_agenda = query.optional_text(7);
  row.archived_at = query.optional_text(8);
  row.next_meeting = query.optional_text(9);
  return row;
}

ParticipantRow participant_row(const Query& query) {
  ParticipantRow row;
  row.id = make_id('p', query.int64(0));
  row.council = make_id('c', query.int64(1));
  row.name = query.text(2);
  row.org = query.text(3);
  const auto role = domain::role_from_string(query.text(4));
  if (!role) corrupt("unknown role");
  row.role = *role;
  row.created_at = query.text(5);
  row.expires_at = query.optional_text(6);
  row.revoked_at = query.optional_text(7);
  row.person = optional_id(query, 8, 'u');
  row.org_id = optional_id(query, 9, 'o');
  row.succeeds = optional_id(query, 10, 'p');
  row.active_from = query.optional_text(11);
  row.vacated_at = query.optional_text(12);
  row.handover_seen_at = query.optional_text(13);
  return row;
}

}  // namespace renkei::store
