// The seats of every council held in memory, for proxy input (CONTINUITY.md
// section 4): a room decides a command entered on behalf of an attendee it
// may not follow, so it looks the attendee's seat up here, without any I/O,
// on its strand. Reloaded like OrgCache: at start, after every change the
// console makes and once a second by the application's watcher (the CLI
// changes seats from another process), always on a read worker. A seat
// removed or revoked less than a second ago by the CLI may still answer as
// active; the console's changes are seen as soon as the reload after them
// ran.
//
// Threading: find() and replace() are thread-safe; a find sees one whole
// snapshot.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/proxy.hpp"
#include "store/rows.hpp"

namespace renkei::app {

class SeatCache {
 public:
  // Replaces the snapshot with `seats` (every participants row). A seat is
  // active when it is in force at `now` (UTC ISO): a handover's successor
  // seat counts from its start, the predecessor's until its end (schema
  // v10). Absent `now`: active unless revoked.
  void replace(const std::vector<store::ParticipantRow>& seats,
               const std::optional<std::string>& now = std::nullopt);
  // The seat of participant id `participant`; nullopt for none.
  std::optional<domain::Seat> find(std::string_view participant) const;
  // The lookup to hand to the rooms.
  domain::SeatLookup lookup() const;

 private:
  using Snapshot = std::unordered_map<std::string, domain::Seat>;
  mutable std::mutex mutex_;
  std::shared_ptr<const Snapshot> snapshot_ = std::make_shared<Snapshot>();
};

}  // namespace renkei::app
