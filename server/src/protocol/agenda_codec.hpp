// Agenda template files (agendas/*.json): parsing and validation. The format
// is documented in agendas/README.md.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/agenda.hpp"

namespace renkei::protocol {

// Names the file and the field at fault, e.g.
// "agendas/x.json: items[2].minutes: 正の整数が必要です / must be a positive integer".
struct AgendaError {
  std::string message;
};

// `id` is the template id (the file stem); `file` is used in error messages.
std::variant<domain::AgendaTemplate, AgendaError> parse_agenda(std::string_view json_text,
                                                               std::string_view id,
                                                               std::string_view file);

// The template as JSON (for GET /api/agendas).
std::string encode_agenda(const domain::AgendaTemplate& agenda);

}  // namespace renkei::protocol
