#include "app/seat_cache.hpp"

namespace renkei::app {

void SeatCache::replace(const std::vector<store::ParticipantRow>& seats,
                        const std::optional<std::string>& now) {
  auto next = std::make_shared<Snapshot>();
  next->reserve(seats.size());
  for (const auto& p : seats) {
    next->emplace(p.id,
                  domain::Seat{domain::Actor{p.id, p.name, p.org, p.role, p.org_id.value_or("")},
                               p.council, now ? p.active_at(*now) : !p.revoked_at.has_value()});
  }
  std::lock_guard lock(mutex_);
  snapshot_ = std::move(next);
}

std::optional<domain::Seat> SeatCache::find(std::string_view participant) const {
  std::shared_ptr<const Snapshot> snapshot;
  {
    std::lock_guard lock(mutex_);
    snapshot = snapshot_;
  }
  const auto it = snapshot->find(std::string(participant));
  if (it == snapshot->end()) return std::nullopt;
  return it->second;
}

domain::SeatLookup SeatCache::lookup() const {
  return [this](std::string_view participant) { return find(participant); };
}

}  // namespace renkei::app
