#include "domain/vocabulary.hpp"

#include <array>
#include <utility>

namespace renkei::domain {
namespace {

// One table per vocabulary: the enum value and its wire spelling.
template <typename E, std::size_t N>
using Table = std::array<std::pair<E, std::string_view>, N>;

constexpr Table<RankingMethod, 3> ranking_methods{{
    {RankingMethod::schulze, "schulze"},
    {RankingMethod::borda, "borda"},
    {RankingMethod::dots, "dots"},
}};
constexpr Table<ProposalKind, 2> proposal_kinds{{
    {ProposalKind::vision, "vision"},
    {ProposalKind::direction, "direction"},
}};
constexpr Table<Stance, 4> stances{{
    {Stance::agree, "agree"},
    {Stance::abstain, "abstain"},
    {Stance::disagree, "disagree"},
    {Stance::block, "block"},
}};
constexpr Table<RoleState, 3> role_states{{
    {RoleState::proposed, "proposed"},
    {RoleState::agreed, "agreed"},
    {RoleState::declined, "declined"},
}};
constexpr Table<RoleStatus, 4> role_statuses{{
    {RoleStatus::not_started, "not_started"},
    {RoleStatus::in_progress, "in_progress"},
    {RoleStatus::done, "done"},
    {RoleStatus::revised, "revised"},
}};
constexpr Table<IndicatorKind, 3> indicator_kinds{{
    {IndicatorKind::structure, "structure"},
    {IndicatorKind::process, "process"},
    {IndicatorKind::outcome, "outcome"},
}};
constexpr Table<SessionType, 2> session_types{{
    {SessionType::open, "open"},
    {SessionType::closed, "closed"},
}};

template <typename E, std::size_t N>
std::string_view name_of(const Table<E, N>& table, E value) {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  return {};
}

template <typename E, std::size_t N>
std::optional<E> value_of(const Table<E, N>& table, std::string_view name) {
  for (const auto& [v, n] : table)
    if (n == name) return v;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(RankingMethod v) { return name_of(ranking_methods, v); }
std::string_view to_string(ProposalKind v) { return name_of(proposal_kinds, v); }
std::string_view to_string(Stance v) { return name_of(stances, v); }
std::string_view to_string(RoleState v) { return name_of(role_states, v); }
std::string_view to_string(RoleStatus v) { return name_of(role_statuses, v); }
std::string_view to_string(IndicatorKind v) { return name_of(indicator_kinds, v); }
std::string_view to_string(SessionType v) { return name_of(session_types, v); }

std::optional<RankingMethod> ranking_method_from_string(std::string_view s) {
  return value_of(ranking_methods, s);
}
std::optional<ProposalKind> proposal_kind_from_string(std::string_view s) {
  return value_of(proposal_kinds, s);
}
std::optional<Stance> stance_from_string(std::string_view s) { return value_of(stances, s); }
std::optional<RoleState> role_state_from_string(std::string_view s) {
  return value_of(role_states, s);
}
std::optional<RoleStatus> role_status_from_string(std::string_view s) {
  return value_of(role_statuses, s);
}
std::optional<IndicatorKind> indicator_kind_from_string(std::string_view s) {
  return value_of(indicator_kinds, s);
}
std::optional<SessionType> session_type_from_string(std::string_view s) {
  return value_of(session_types, s);
}

}  // namespace renkei::domain
