// The organisations of the directory held in memory for deciding: the
// domain's OrgResolver (domain/org_ref.hpp) answers from here without any
// I/O, on any room strand. Reloaded from the store after every change the
// console makes and once a second by the application's watcher (the CLI
// changes the directory from another process).
//
// Threading: resolve() and replace() are thread-safe; a resolve sees one
// whole snapshot.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/org_ref.hpp"
#include "store/directory_rows.hpp"

namespace renkei::app {

class OrgCache {
 public:
  // Replaces the snapshot with `orgs` (every organisation, merged ones too).
  void replace(const std::vector<store::OrganisationRow>& orgs);
  // An id or a name; a merged organisation answers as its survivor;
  // deactivated ones answer too (agreements keep their owner).
  std::optional<domain::OrgRef> resolve(std::string_view id_or_name) const;
  // The resolver to hand to the rooms.
  domain::OrgResolver resolver() const;

 private:
  struct Snapshot {
    std::unordered_map<std::string, store::OrganisationRow> by_id;
    std::unordered_map<std::string, std::string> id_by_name;  // not merged
  };
  mutable std::mutex mutex_;
  std::shared_ptr<const Snapshot> snapshot_ = std::make_shared<Snapshot>();
};

}  // namespace renkei::app
