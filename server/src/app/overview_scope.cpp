#include "app/overview_scope.hpp"

#include <algorithm>

#include "protocol/directory_codec.hpp"

namespace renkei::app {
namespace {

bool holds(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

DirectorySnapshot read_directory(store::Directory& directory) {
  DirectorySnapshot snapshot;
  for (const auto& row : directory.list_councils()) {
    snapshot.councils.push_back(domain::OverviewCouncilMeta{
        row.id, row.name, row.kind, row.area, row.prefecture,
        protocol::decode_theme_list(row.themes), row.next_meeting, row.archived_at.has_value()});
  }
  for (const auto& row : directory.list_organisations()) {
    if (row.merged_into) continue;
    snapshot.orgs.push_back(
        domain::OverviewOrganisation{row.id, row.name, row.kind, row.area, row.prefecture});
  }
  return snapshot;
}

std::vector<domain::OverviewCouncilMeta> overview_councils(const DirectorySnapshot& snapshot,
                                                           bool scope_is_area,
                                                           const std::string& name,
                                                           const std::vector<std::string>& seats) {
  std::vector<domain::OverviewCouncilMeta> out;
  for (const auto& council : snapshot.councils) {
    if (council.kind == domain::CouncilKind::one_on_one && !holds(seats, council.id)) continue;
    const bool in_scope = scope_is_area ? council.area == name
                                        : domain::prefecture_of_council(council, snapshot.councils,
                                                                        snapshot.orgs) == name;
    if (in_scope) out.push_back(council);
  }
  return out;
}

std::vector<std::string> overview_consultations(const DirectorySnapshot& snapshot,
                                                bool scope_is_area, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& council : snapshot.councils) {
    if (council.kind != domain::CouncilKind::one_on_one) continue;
    const bool in_scope = scope_is_area ? council.area == name
                                        : domain::prefecture_of_council(council, snapshot.councils,
                                                                        snapshot.orgs) == name;
    if (in_scope) out.push_back(council.id);
  }
  return out;
}

bool may_see_overview(const Access& access, const DirectorySnapshot& snapshot, bool scope_is_area,
                      const std::string& name) {
  if (access.admin) return true;
  if (!scope_is_area) return holds(access.prefectures, name);
  if (holds(access.secretariat_areas, name)) return true;
  const auto prefecture = domain::prefecture_of_area(name, snapshot.councils, snapshot.orgs);
  return prefecture && holds(access.prefectures, *prefecture);
}

bool may_read_as_prefecture_viewer(const Access& access, const DirectorySnapshot& snapshot,
                                   const std::string& id) {
  if (access.prefectures.empty()) return false;
  for (const auto& council : snapshot.councils) {
    if (council.id != id) continue;
    if (council.kind == domain::CouncilKind::one_on_one) return false;
    const auto prefecture =
        domain::prefecture_of_council(council, snapshot.councils, snapshot.orgs);
    return prefecture && holds(access.prefectures, *prefecture);
  }
  return false;
}

}  // namespace renkei::app
