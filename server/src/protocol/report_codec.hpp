// JSON documents served next to the record (server/docs/RECORD.md):
// "before the next meeting" (changes), the comparison across organisations,
// search results and personal-information findings; and the reading of the
// check-text request body.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/changes.hpp"
#include "domain/comparison.hpp"
#include "domain/error.hpp"
#include "domain/personal_info.hpp"
#include "domain/search_text.hpp"

namespace renkei::protocol {

// GET /api/councils/<id>/changes. `today` is echoed as "today".
std::string encode_changes(const domain::CouncilState& state, const domain::Changes& changes,
                           std::string_view today);

// GET /api/councils/<id>/comparison.
std::string encode_comparison(const domain::CouncilState& state,
                              const std::vector<domain::OrgComparison>& organisations);

// GET /api/councils/<id>/search: {"query","hits":[{kind,id,text,seq,meeting,at}]};
// `text` is a snippet around the first term.
std::string encode_search(std::string_view query, const std::vector<std::string>& terms,
                          const std::vector<domain::SearchHit>& hits);

// POST /api/check-text body: {"text": "..."} (a string of at most
// max_check_text_bytes). The text, or a bad_request error naming the field.
inline constexpr std::size_t max_check_text_bytes = 64 * 1024;
std::variant<std::string, domain::Error> parse_check_text(std::string_view body);

// {"findings":[{"kind","text"}]}: each finding with the text it covers.
std::string encode_findings(std::string_view text,
                            const std::vector<domain::PersonalInfoFinding>& findings);

}  // namespace renkei::protocol
