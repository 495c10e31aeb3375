// Promotion from a one-on-one (CONTINUITY.md section 5), the part that spans
// two councils: looking the target council up for promotion.propose, and
// handing an agreed promotion's items to the target council's room, through
// its normal write path (Room::append_promoted: EventWriter, group commit),
// one idempotent command id per promotion and item. At start-up it completes
// every agreed promotion whose items are not yet in their target (a crash
// between the consent's commit and the target's writes), so nothing is lost
// and, by the command ids, nothing is written twice.
//
// Threading: thread-safe; hooks() is called on rooms' strands and never
// blocks (reads go to the read worker, writes to the target's strand).
// Holds references to the reader and the registry, which outlive it.
#pragma once

#include <string>

#include "app/council_registry.hpp"
#include "app/room.hpp"
#include "domain/council_state.hpp"
#include "store/database.hpp"
#include "store/read_worker.hpp"

namespace renkei::app {

class Promotions {
 public:
  Promotions(store::ReadWorker& reader, CouncilRegistry& registry)
      : reader_(reader), registry_(registry) {}

  // The hooks rooms call (RoomServices::promotions).
  PromotionHooks hooks();

  // Start-up: loads every one-on-one of `db` and delivers each of its agreed
  // promotions to a council again; items already there are skipped.
  void complete_all(store::Database& db);

  // Appends the items of `promotion` (agreed) of `one_on_one` to its target.
  void deliver(const domain::CouncilState& one_on_one, const std::string& promotion);

 private:
  store::ReadWorker& reader_;
  CouncilRegistry& registry_;
};

}  // namespace renkei::app
