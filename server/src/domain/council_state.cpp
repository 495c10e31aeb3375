#include "domain/council_state.hpp"

namespace renkei::domain {
namespace {

// Looks `id` up in one of the state's index maps; nullptr when absent or when
// the index points past the vector (which apply() never lets happen).
template <typename T>
const T* find_in(const std::vector<T>& items,
                 const std::unordered_map<std::string, std::size_t>& index, const std::string& id) {
  const auto it = index.find(id);
  if (it == index.end() || it->second >= items.size()) return nullptr;
  return &items[it->second];
}

}  // namespace

const Meeting* CouncilState::find_meeting(const std::string& id) const {
  return find_in(meetings, meeting_index, id);
}
const Issue* CouncilState::find_issue(const std::string& id) const {
  return find_in(issues, issue_index, id);
}
const Ranking* CouncilState::find_ranking(const std::string& id) const {
  return find_in(rankings, ranking_index, id);
}
const Proposal* CouncilState::find_proposal(const std::string& id) const {
  return find_in(proposals, proposal_index, id);
}
const RoleAgreement* CouncilState::find_role(const std::string& id) const {
  return find_in(roles, role_index, id);
}
const Indicator* CouncilState::find_indicator(const std::string& id) const {
  return find_in(indicators, indicator_index, id);
}
const Theme* CouncilState::find_theme(const std::string& name) const {
  return find_in(themes, theme_index, name);
}

const Promotion* CouncilState::find_promotion(const std::string& id) const {
  return find_in(promotions, promotion_index, id);
}

std::string make_id(const CouncilState& state, const char* prefix, std::size_t n) {
  std::string id;
  id.reserve(state.council.size() + 24);
  id.append(state.council).append("-").append(prefix).append(std::to_string(n));
  return id;
}

}  // namespace renkei::domain
