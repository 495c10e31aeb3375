#include "app/access.hpp"

#include <algorithm>

namespace renkei::app {

bool Access::covers_area(const std::optional<std::string>& area) const {
  if (admin) return true;
  if (!area || area->empty()) return false;
  return std::find(secretariat_areas.begin(), secretariat_areas.end(), *area) !=
         secretariat_areas.end();
}

std::optional<std::string> Access::home_area() const {
  if (admin || secretariat_areas.empty()) return std::nullopt;
  return secretariat_areas.front();
}

Access access_of(const std::string& person, const std::vector<store::GrantRow>& grants) {
  Access access;
  access.person = person;
  for (const store::GrantRow& grant : grants) {
    switch (grant.role) {
      case store::GrantRole::admin: access.admin = true; break;
      case store::GrantRole::secretariat:
        if (!grant.scope.empty()) access.secretariat_areas.push_back(grant.scope);
        break;
      case store::GrantRole::prefecture_viewer:
        if (!grant.scope.empty()) access.prefectures.push_back(grant.scope);
        break;
    }
  }
  return access;
}

}  // namespace renkei::app
