#include "domain/promotion.hpp"

namespace renkei::domain {

std::vector<PromotedItem> snapshot_items(const CouncilState& state,
                                         const std::vector<std::string>& ids) {
  std::vector<PromotedItem> items;
  items.reserve(ids.size());
  for (const std::string& id : ids) {
    PromotedItem item;
    item.id = id;
    if (const Issue* issue = state.find_issue(id)) {
      item.kind = PromotedKind::issue;
      item.text = issue->text;
      item.theme = issue->theme;
      item.redacted = issue->redacted.has_value();
    } else if (const RoleAgreement* role = state.find_role(id)) {
      item.kind = PromotedKind::role;
      item.text = role->title;
      item.theme = role->theme;
      item.owner_org = role->owner_org;
      item.owner_org_id = role->owner_org_id;
      item.due = role->due;
      item.detail = role->detail;
      item.redacted = role->redacted.has_value();
    } else if (const Proposal* proposal = state.find_proposal(id)) {
      item.kind = PromotedKind::direction;
      item.text = proposal->text;
      item.redacted = proposal->redacted.has_value();
    } else {
      continue;
    }
    items.push_back(std::move(item));
  }
  return items;
}

std::vector<PromotionWrite> promotion_writes(const CouncilState& one_on_one,
                                             const std::string& promotion) {
  std::vector<PromotionWrite> writes;
  const Promotion* found = one_on_one.find_promotion(promotion);
  if (found == nullptr || found->state != PromotionState::agreed || found->target == "prefecture")
    return writes;
  for (const PromotedItem& item : found->snapshot) {
    if (item.redacted) continue;
    writes.push_back(PromotionWrite{"promotion:" + found->id + ":" + item.id, item});
  }
  return writes;
}

EventData promoted_event(const CouncilState& target, const PromotedItem& item,
                         const std::string& date) {
  const Provenance provenance{"one_on_one", date};
  switch (item.kind) {
    case PromotedKind::issue: {
      IssuePosted posted{make_id(target, "i", target.issues.size() + 1), item.text, item.theme};
      posted.provenance = provenance;
      return posted;
    }
    case PromotedKind::role: {
      RoleProposed proposed{make_id(target, "ro", target.roles.size() + 1),
                            item.text,
                            item.owner_org,
                            item.due,
                            item.detail,
                            item.theme,
                            RoleState::proposed};
      proposed.owner_org_id = item.owner_org_id;
      proposed.provenance = provenance;
      return proposed;
    }
    case PromotedKind::direction: break;
  }
  ProposalOpened opened{make_id(target, "pr", target.proposals.size() + 1), ProposalKind::direction,
                        item.text};
  opened.provenance = provenance;
  return opened;
}

std::vector<PrefectureSubmission> prefecture_submissions(const CouncilState& one_on_one) {
  std::vector<PrefectureSubmission> submissions;
  for (const Promotion& promotion : one_on_one.promotions) {
    if (promotion.state != PromotionState::agreed || promotion.target != "prefecture") continue;
    PrefectureSubmission submission;
    submission.council = one_on_one.council;
    submission.area = one_on_one.area;
    submission.promotion = promotion.id;
    submission.date = promotion.date;
    submission.organisations.push_back(promotion.proposed.by.org);
    if (promotion.decided && promotion.decided->by.org != promotion.proposed.by.org)
      submission.organisations.push_back(promotion.decided->by.org);
    for (const PromotedItem& item : promotion.snapshot)
      if (!item.redacted) submission.items.push_back(item);
    submissions.push_back(std::move(submission));
  }
  return submissions;
}

}  // namespace renkei::domain
