#include "domain/organisation.hpp"

#include <array>
#include <utility>

namespace renkei::domain {
namespace {

struct KindNames {
  OrganisationKind kind;
  std::string_view code;
  std::string_view japanese;
};

constexpr std::array<KindNames, 11> kinds = {{
    {OrganisationKind::prefecture, "prefecture", "県本庁"},
    {OrganisationKind::health_centre, "health_centre", "保健所"},
    {OrganisationKind::municipality, "municipality", "市町村"},
    {OrganisationKind::hospital, "hospital", "病院"},
    {OrganisationKind::clinic, "clinic", "診療所"},
    {OrganisationKind::association, "association", "医師会など"},
    {OrganisationKind::visiting_nurse, "visiting_nurse", "訪問看護ステーション"},
    {OrganisationKind::community_support_centre, "community_support_centre",
     "地域包括支援センター"},
    {OrganisationKind::care_management, "care_management", "居宅介護支援事業所"},
    {OrganisationKind::social_welfare_council, "social_welfare_council", "社会福祉協議会"},
    {OrganisationKind::other, "other", "その他"},
}};

// Other names people type for a kind in a spreadsheet.
constexpr std::array<std::pair<std::string_view, OrganisationKind>, 14> aliases = {{
    {"県", OrganisationKind::prefecture},
    {"都道府県", OrganisationKind::prefecture},
    {"市", OrganisationKind::municipality},
    {"町", OrganisationKind::municipality},
    {"村", OrganisationKind::municipality},
    {"市区町村", OrganisationKind::municipality},
    {"医師会", OrganisationKind::association},
    {"職能団体", OrganisationKind::association},
    {"訪問看護", OrganisationKind::visiting_nurse},
    {"包括", OrganisationKind::community_support_centre},
    {"地域包括", OrganisationKind::community_support_centre},
    {"居宅介護支援", OrganisationKind::care_management},
    {"ケアマネ", OrganisationKind::care_management},
    {"社協", OrganisationKind::social_welfare_council},
}};

std::string_view trim(std::string_view text) {
  auto space = [](std::string_view t, bool front) {
    if (t.empty()) return std::size_t{0};
    if (t.size() >= 3) {
      const std::string_view ideographic = "\u3000";
      if (front ? t.substr(0, 3) == ideographic : t.substr(t.size() - 3) == ideographic)
        return std::size_t{3};
    }
    const char c = front ? t.front() : t.back();
    return (c == ' ' || c == '\t' || c == '\r' || c == '\n') ? std::size_t{1} : std::size_t{0};
  };
  for (std::size_t n; (n = space(text, true)) != 0;) text.remove_prefix(n);
  for (std::size_t n; (n = space(text, false)) != 0;) text.remove_suffix(n);
  return text;
}

}  // namespace

const std::vector<OrganisationKind>& organisation_kinds() {
  static const std::vector<OrganisationKind> all = [] {
    std::vector<OrganisationKind> out;
    for (const auto& k : kinds) out.push_back(k.kind);
    return out;
  }();
  return all;
}

std::string_view to_string(OrganisationKind kind) {
  for (const auto& k : kinds)
    if (k.kind == kind) return k.code;
  return "other";
}

std::string_view japanese_name(OrganisationKind kind) {
  for (const auto& k : kinds)
    if (k.kind == kind) return k.japanese;
  return "その他";
}

std::optional<OrganisationKind> organisation_kind_from_text(std::string_view text) {
  text = trim(text);
  for (const auto& k : kinds)
    if (text == k.code || text == k.japanese) return k.kind;
  for (const auto& [alias, kind] : aliases)
    if (text == alias) return kind;
  return std::nullopt;
}

}  // namespace renkei::domain
