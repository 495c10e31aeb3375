// The personal-information guard: heuristics that find what looks like
// personal data of a case (個人情報) in Japanese free text, so that the client
// can warn before an issue, proposal or role is posted and the record can
// flag what was posted anyway. Council-level texts should name no person; a
// finding is a warning, never a refusal (the heuristics have false positives
// and negatives). The heuristics are documented with examples in
// server/docs/PERSONAL_INFO.md; keep the two in step.
//
// Pure and thread-safe. The input must be valid UTF-8 (every text the server
// holds has been checked); invalid bytes are skipped.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace renkei::domain {

enum class PersonalInfoKind {
  name_with_age,  // 山田太郎さん（82歳）, 山田さん 82歳, 82歳の山田さん, 85歳の男性 near a name
  birth_date,     // 1942年3月5日生まれ, 昭和17年3月5日, S17.3.5, 生年月日
  address,  // 北広島町有田1234番地, 広島市中区基町10番52号, 広島県…1-2-3
  phone,    // 0826-72-2111, 090-1234-5678, (082)123-4567, full-width digits too
};

// Wire spelling: "name_with_age", "birth_date", "address", "phone".
std::string_view to_string(PersonalInfoKind kind);

struct PersonalInfoFinding {
  PersonalInfoKind kind = PersonalInfoKind::name_with_age;
  std::size_t start = 0;   // byte offset into the text
  std::size_t length = 0;  // bytes

  friend bool operator==(const PersonalInfoFinding&, const PersonalInfoFinding&) = default;
};

// Every finding, ordered by start (then kind). Overlapping findings of one
// kind are merged; findings of different kinds may overlap.
std::vector<PersonalInfoFinding> find_personal_info(std::string_view text);

// The distinct kinds found in `texts`, in the enum's order (for the record's
// `pii` flags).
std::vector<PersonalInfoKind> personal_info_kinds(const std::vector<std::string_view>& texts);

}  // namespace renkei::domain
