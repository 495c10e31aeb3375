// Who may do what in the secretariat's console (server/docs/AUTHORIZATION.md,
// "People, organisations and the console"): the scope a signed-in person's
// grants give them. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/directory_rows.hpp"

namespace renkei::app {

struct Access {
  std::string person;  // "u<n>"
  bool admin = false;
  std::vector<std::string> secretariat_areas;  // areas whose secretariat they are
  std::vector<std::string> prefectures;        // prefecture_viewer scopes

  // May open the console at all.
  bool console() const { return admin || !secretariat_areas.empty(); }
  // Administrators cover every area (and objects without one);
  // secretariats cover exactly their own areas.
  bool covers_area(const std::optional<std::string>& area) const;
  // The one area a secretariat works in, for defaults (the first, when
  // several); none for administrators.
  std::optional<std::string> home_area() const;
};

Access access_of(const std::string& person, const std::vector<store::GrantRow>& grants);

}  // namespace renkei::app
