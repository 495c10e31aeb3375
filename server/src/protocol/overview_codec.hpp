// The overview document (RECORD.md "The overview", CONTINUITY.md section
// 3) as JSON and as CSV: GET /api/prefectures/<name>/overview and
// GET /api/areas/<name>/overview. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "domain/overview.hpp"

namespace renkei::protocol {

// Which overview: a prefecture's or an area's (health centre's roll-up).
enum class OverviewScope { prefecture, area };

// {"scope":"prefecture","name":..,"today":..,"month":..,"stages":[..],
//  "areas":[..],"matrix":{..},"roles":[..],"indicators":[..],"changes":[..]}.
// A section added later (e.g. "submissions") goes after "changes".
std::string encode_overview(const domain::Overview& overview, OverviewScope scope,
                            std::string_view name);

// UTF-8 with a byte order mark, CRLF, RFC 4180: one table per section,
// each under a title row (【…】) and a header row, tables separated by an
// empty line.
std::string overview_csv(const domain::Overview& overview, OverviewScope scope,
                         std::string_view name);

// The stage names of the report (1-4), Japanese.
std::string_view stage_name_ja(int stage);

}  // namespace renkei::protocol
