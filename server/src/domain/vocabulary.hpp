// Closed vocabularies of the domain (methods, kinds, stances, states) and
// their wire spellings. The spellings are part of the v1 contract.
#pragma once

#include <optional>
#include <string_view>

namespace renkei::domain {

enum class RankingMethod { schulze, borda, dots };
enum class ProposalKind { vision, direction };
enum class Stance { agree, abstain, disagree, block };
enum class RoleState { proposed, agreed, declined };
enum class RoleStatus { not_started, in_progress, done, revised };
enum class IndicatorKind { structure, process, outcome };
// Whether a meeting is held in public (公開) or closed (非公開). A closed
// session asks every participant to acknowledge confidentiality once.
enum class SessionType { open, closed };

std::string_view to_string(RankingMethod v);
std::string_view to_string(ProposalKind v);
std::string_view to_string(Stance v);
std::string_view to_string(RoleState v);
std::string_view to_string(RoleStatus v);
std::string_view to_string(IndicatorKind v);
std::string_view to_string(SessionType v);

std::optional<RankingMethod> ranking_method_from_string(std::string_view s);
std::optional<ProposalKind> proposal_kind_from_string(std::string_view s);
std::optional<Stance> stance_from_string(std::string_view s);
std::optional<RoleState> role_state_from_string(std::string_view s);
std::optional<RoleStatus> role_status_from_string(std::string_view s);
std::optional<IndicatorKind> indicator_kind_from_string(std::string_view s);
std::optional<SessionType> session_type_from_string(std::string_view s);

}  // namespace renkei::domain
