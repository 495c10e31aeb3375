// Promotion from a one-on-one (CONTINUITY.md section 5): pure functions over
// a one-on-one's state that say what an agreed promotion hands on — the
// items a target council receives as its own new items, and the 上申 the
// prefecture's view lists. Nothing else of the consultation (no id of it, no
// stance, no note) is in what they return. Any thread; no I/O.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/council_state.hpp"
#include "domain/event.hpp"

namespace renkei::domain {

// The items named by `ids` as they stand in `state` now (unknown ids are
// skipped). The fold takes this snapshot when a promotion is agreed.
std::vector<PromotedItem> snapshot_items(const CouncilState& state,
                                         const std::vector<std::string>& ids);

// One event an agreed promotion appends to its target council: the command
// id that makes the write idempotent (with the proposer's participant id as
// the events' author: one key per promotion and item) and the item.
struct PromotionWrite {
  std::string command_id;  // "promotion:<promotion>:<item>"
  PromotedItem item;
};
// The writes of an agreed promotion whose target is a council (empty for the
// prefecture, a promotion not agreed, or an unknown id). Items redacted since
// the consent are left out.
std::vector<PromotionWrite> promotion_writes(const CouncilState& one_on_one,
                                             const std::string& promotion);

// The event data `target` appends for a promoted item: issue.posted,
// role.proposed (state proposed) or proposal.opened (kind direction), with
// the target's next id and provenance {"one_on_one", date}.
EventData promoted_event(const CouncilState& target, const PromotedItem& item,
                         const std::string& date);

// One 上申 of a one-on-one to the prefecture (for the prefecture's view):
// the consultation's area, the two organisations (the proposer's first), the
// date of the consent and the items' texts as at the consent.
struct PrefectureSubmission {
  std::string council;  // the one-on-one
  std::optional<std::string> area;
  std::string promotion;
  std::string date;  // "YYYY-MM-DD" (Japan)
  std::vector<std::string> organisations;
  std::vector<PromotedItem> items;
};
// Every agreed promotion of `one_on_one` to "prefecture", in order.
std::vector<PrefectureSubmission> prefecture_submissions(const CouncilState& one_on_one);

}  // namespace renkei::domain
