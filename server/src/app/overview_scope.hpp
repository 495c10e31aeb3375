// What a prefecture viewer and a health centre's secretariat may see of the
// councils (AUTHORIZATION.md "The prefecture's view"): the directory read
// into the overview's inputs, which councils an overview holds, and the
// councils a prefecture viewer may read (drill-down). Pure but for
// read_directory(), which reads on the caller's connection (a read worker).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/access.hpp"
#include "domain/overview.hpp"
#include "store/directory.hpp"

namespace renkei::app {

struct DirectorySnapshot {
  std::vector<domain::OverviewCouncilMeta> councils;  // by id
  std::vector<domain::OverviewOrganisation> orgs;     // not merged
};

DirectorySnapshot read_directory(store::Directory& directory);

// The councils of a prefecture (scope_is_area false) or of an area, in
// directory order. A one-on-one is left out unless `seats` (the viewer's
// councils) holds it.
std::vector<domain::OverviewCouncilMeta> overview_councils(const DirectorySnapshot& snapshot,
                                                           bool scope_is_area,
                                                           const std::string& name,
                                                           const std::vector<std::string>& seats);

// The one-on-ones in the scope, whoever asks: read ONLY for their 上申
// (domain::overview_submissions), never shown otherwise.
std::vector<std::string> overview_consultations(const DirectorySnapshot& snapshot,
                                                bool scope_is_area, const std::string& name);

// May `access` read the overview of that prefecture or area: an
// administrator; a prefecture viewer of the prefecture (of the area's
// prefecture); the secretariat of the area.
bool may_see_overview(const Access& access, const DirectorySnapshot& snapshot, bool scope_is_area,
                      const std::string& name);

// May a prefecture viewer read council `id` without a seat: it exists, is
// not a one-on-one, and lies in one of the viewer's prefectures.
bool may_read_as_prefecture_viewer(const Access& access, const DirectorySnapshot& snapshot,
                                   const std::string& id);

}  // namespace renkei::app
