// Organisations (関係機関) as the domain knows them: their kinds, with the
// Japanese names the console, the CSV import and the documents use.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace renkei::domain {

enum class OrganisationKind {
  prefecture,                // 県本庁
  health_centre,             // 保健所
  municipality,              // 市町村
  hospital,                  // 病院
  clinic,                    // 診療所
  association,               // 医師会など
  visiting_nurse,            // 訪問看護ステーション
  community_support_centre,  // 地域包括支援センター
  care_management,           // 居宅介護支援事業所
  social_welfare_council,    // 社会福祉協議会
  other,                     // その他
};

// Every kind, in the order the console lists them.
const std::vector<OrganisationKind>& organisation_kinds();

// The code on the wire and in the database ("health_centre").
std::string_view to_string(OrganisationKind kind);
// The Japanese name ("保健所").
std::string_view japanese_name(OrganisationKind kind);

// A code ("hospital") or a Japanese name ("病院", also the common short
// forms listed in organisation.cpp, e.g. "包括" for 地域包括支援センター), as
// typed in a CSV file; surrounding spaces are ignored. Nothing for
// anything else.
std::optional<OrganisationKind> organisation_kind_from_text(std::string_view text);

}  // namespace renkei::domain
