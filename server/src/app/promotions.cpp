#include "app/promotions.hpp"

#include <iostream>
#include <utility>
#include <vector>

#include "domain/promotion.hpp"

namespace renkei::app {

PromotionHooks Promotions::hooks() {
  PromotionHooks hooks;
  hooks.resolve = [this](const std::string& target,
                         std::function<void(std::optional<domain::PromotionTarget>)> done) {
    reader_.post([target, done = std::move(done)](store::Database& db) {
      std::optional<domain::PromotionTarget> resolved;
      try {
        if (const auto row = db.find_council(target))
          resolved = domain::PromotionTarget{row->kind, row->area, row->archived_at.has_value(),
                                             row->name};
      } catch (const std::exception& e) {
        std::cerr << "renkei: promotion target not read: " << e.what() << '\n';
      }
      done(std::move(resolved));
    });
  };
  hooks.deliver = [this](const domain::CouncilState& one_on_one, const std::string& promotion) {
    deliver(one_on_one, promotion);
  };
  return hooks;
}

void Promotions::deliver(const domain::CouncilState& one_on_one, const std::string& promotion) {
  const domain::Promotion* found = one_on_one.find_promotion(promotion);
  if (found == nullptr) return;
  std::vector<domain::PromotionWrite> writes = domain::promotion_writes(one_on_one, promotion);
  if (writes.empty()) return;
  registry_.with_room(found->target, [by = found->proposed.by, date = found->date,
                                      writes = std::move(writes)](std::shared_ptr<Room> room) {
    if (!room) return;
    for (const domain::PromotionWrite& write : writes)
      room->append_promoted(by, write.command_id, write.item, date);
  });
}

void Promotions::complete_all(store::Database& db) {
  for (const store::CouncilRow& council : db.list_councils()) {
    if (council.kind != domain::CouncilKind::one_on_one) continue;
    registry_.with_room(council.id, [this](std::shared_ptr<Room> room) {
      if (!room) return;
      room->inspect([this](const domain::CouncilState& state) {
        for (const domain::Promotion& promotion : state.promotions)
          if (promotion.state == domain::PromotionState::agreed && promotion.target != "prefecture")
            deliver(state, promotion.id);
      });
    });
  }
}

}  // namespace renkei::app
