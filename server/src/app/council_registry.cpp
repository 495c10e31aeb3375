#include "app/council_registry.hpp"

#include <iostream>

#include "app/council_loader.hpp"

namespace renkei::app {

CouncilRegistry::CouncilRegistry(store::ReadWorker& reader, ExecutorFactory& executors,
                                 RoomServices services)
    : reader_(reader), executors_(executors), services_(services) {
  services_.writer.set_observer([&metrics = services_.metrics](const store::CommitObservation& o) {
    if (o.ok && o.events > 0) metrics.observe_commit(o.events, o.latency);
  });
}

std::shared_ptr<Room> CouncilRegistry::build(store::Database& db,
                                             const store::CouncilRow& council) {
  LoadedCouncil loaded = load_council(db, council);
  return std::make_shared<Room>(std::move(loaded.state), std::move(loaded.commands),
                                executors_.make_strand(), services_);
}

void CouncilRegistry::load_all(store::Database& db) {
  // Replaying every log here made start-up grow with the whole database
  // (seconds for a million events); with_room() loads a council on first
  // use instead.
  (void)db.list_councils();
}

std::size_t CouncilRegistry::size() const {
  std::lock_guard lock(mutex_);
  return rooms_.size();
}

std::shared_ptr<Room> CouncilRegistry::loaded(const std::string& council) const {
  std::lock_guard lock(mutex_);
  auto it = rooms_.find(council);
  return it == rooms_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<Room>> CouncilRegistry::all_loaded() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<Room>> out;
  out.reserve(rooms_.size());
  for (const auto& [council, room] : rooms_) out.push_back(room);
  return out;
}

void CouncilRegistry::with_room(const std::string& council,
                                std::function<void(std::shared_ptr<Room>)> done) {
  {
    std::unique_lock lock(mutex_);
    if (auto it = rooms_.find(council); it != rooms_.end()) {
      auto room = it->second;
      lock.unlock();
      done(std::move(room));
      return;
    }
    auto [it, first] = loading_.try_emplace(council);
    it->second.push_back(std::move(done));
    if (!first) return;  // a load is already under way
  }
  reader_.post([this, council](store::Database& db) {
    std::shared_ptr<Room> room;
    try {
      if (auto row = db.find_council(council)) room = build(db, *row);
    } catch (const std::exception& e) {
      std::cerr << "renkei: loading council " << council << " failed: " << e.what() << '\n';
    }
    std::vector<std::function<void(std::shared_ptr<Room>)>> waiters;
    {
      std::lock_guard lock(mutex_);
      if (room) rooms_[council] = room;
      waiters = std::move(loading_[council]);
      loading_.erase(council);
    }
    for (auto& waiter : waiters) waiter(room);
    // Several instances (PostgreSQL): what another one committed after the
    // log was read and before the room was listed here came with a
    // notification no room took; read it now.
    if (room && services_.fetch)
      room->head([this, room](std::uint64_t head) { services_.fetch(room, head); });
  });
}

}  // namespace renkei::app
