// The councils this server has loaded, by id. A council is loaded (its log
// replayed on a read-worker thread) the first time it is asked for, not at
// start: start-up time does not grow with the log, and councils nobody
// joins cost no memory. Councils created later by the CLI are found the
// same way.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/executor.hpp"
#include "app/room.hpp"
#include "store/database.hpp"
#include "store/read_worker.hpp"

namespace renkei::app {

class CouncilRegistry {
 public:
  // Also reports the writer's commits to services.metrics (batch size and
  // commit latency histograms).
  CouncilRegistry(store::ReadWorker& reader, ExecutorFactory& executors, RoomServices services);

  // Server start. Councils are loaded lazily (with_room), so this only
  // checks that the council table can be read.
  void load_all(store::Database& db);

  // Thread-safe. Calls `done` with the council's room, or nullptr if there is
  // no such council (or it cannot be loaded). `done` runs inline when the
  // room is loaded, else on a read-worker thread.
  void with_room(const std::string& council, std::function<void(std::shared_ptr<Room>)> done);

  // Councils loaded in memory.
  std::size_t size() const;
  // Thread-safe. The council's room if it is loaded (nullptr otherwise);
  // never loads it.
  std::shared_ptr<Room> loaded(const std::string& council) const;
  // Thread-safe. Every loaded room.
  std::vector<std::shared_ptr<Room>> all_loaded() const;

 private:
  std::shared_ptr<Room> build(store::Database& db, const store::CouncilRow& council);

  store::ReadWorker& reader_;
  ExecutorFactory& executors_;
  RoomServices services_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<Room>> rooms_;
  std::unordered_map<std::string, std::vector<std::function<void(std::shared_ptr<Room>)>>> loading_;
};

}  // namespace renkei::app
