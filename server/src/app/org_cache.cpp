#include "app/org_cache.hpp"

namespace renkei::app {

void OrgCache::replace(const std::vector<store::OrganisationRow>& orgs) {
  auto next = std::make_shared<Snapshot>();
  for (const auto& org : orgs) {
    next->by_id.emplace(org.id, org);
    if (!org.merged_into) next->id_by_name.emplace(org.name, org.id);
  }
  std::lock_guard lock(mutex_);
  snapshot_ = std::move(next);
}

std::optional<domain::OrgRef> OrgCache::resolve(std::string_view id_or_name) const {
  std::shared_ptr<const Snapshot> snapshot;
  {
    std::lock_guard lock(mutex_);
    snapshot = snapshot_;
  }
  const std::string key(id_or_name);
  auto it = snapshot->by_id.find(key);
  if (it == snapshot->by_id.end()) {
    auto named = snapshot->id_by_name.find(key);
    if (named == snapshot->id_by_name.end()) return std::nullopt;
    it = snapshot->by_id.find(named->second);
    if (it == snapshot->by_id.end()) return std::nullopt;
  }
  // Follow merges (bounded: a merge refuses a merged target).
  for (int hops = 0; it->second.merged_into && hops < 64; ++hops) {
    auto next = snapshot->by_id.find(*it->second.merged_into);
    if (next == snapshot->by_id.end()) break;
    it = next;
  }
  return domain::OrgRef{it->second.id, it->second.name};
}

domain::OrgResolver OrgCache::resolver() const {
  return [this](std::string_view id_or_name) { return resolve(id_or_name); };
}

}  // namespace renkei::app
