#include "domain/fold.hpp"

#include <type_traits>
#include <utility>

#include "domain/calendar.hpp"
#include "domain/ownership.hpp"
#include "domain/promotion.hpp"

namespace renkei::domain {
namespace {

// Mutable lookup through one of the state's index maps.
template <typename T>
T* find_mut(std::vector<T>& items, const std::unordered_map<std::string, std::size_t>& index,
            const std::string& id) {
  const auto it = index.find(id);
  if (it == index.end() || it->second >= items.size()) return nullptr;
  return &items[it->second];
}

// Appends `item` and records its position under `id`.
template <typename T>
T& add(std::vector<T>& items, std::unordered_map<std::string, std::size_t>& index,
       const std::string& id, T item) {
  index[id] = items.size();
  items.push_back(std::move(item));
  return items.back();
}

// Applies one event's data. Events come from decide() or from the log, so every
// id they name exists; should one not (a damaged log), the event changes
// nothing rather than inventing an entity, and replay stays deterministic.
class Applier {
 public:
  Applier(CouncilState& state, const Event& event)
      : state_(state), stamp_{event.seq, event.at, event.by, event.meeting, event.entered_by} {}

  void operator()(const MeetingStarted& e) {
    Meeting meeting;
    meeting.id = e.meeting;
    meeting.title = e.title;
    meeting.agenda = e.agenda;
    meeting.items = e.items;
    meeting.started = stamp_;
    meeting.session = e.session.value_or(SessionType::open);
    add(state_.meetings, state_.meeting_index, e.meeting, std::move(meeting));
    state_.live_meeting = e.meeting;
  }

  void operator()(const MeetingAdvanced& e) {
    if (Meeting* meeting = live_meeting()) {
      meeting->current_item = e.item;
      meeting->advances.emplace_back(e.item, stamp_);
    }
  }

  void operator()(const MeetingEnded&) {
    if (Meeting* meeting = live_meeting()) meeting->ended = stamp_;
    state_.live_meeting.reset();
  }

  void operator()(const IssuePosted& e) {
    if (e.theme) touch_theme(*e.theme);
    Issue issue;
    issue.id = e.issue;
    issue.text = e.text;
    issue.theme = e.theme;
    issue.posted = stamp_;
    issue.provenance = e.provenance;
    if (e.redacted) issue.redacted = Redaction{};
    add(state_.issues, state_.issue_index, e.issue, std::move(issue));
  }

  void operator()(const IssueMerged& e) {
    Issue* from = find_mut(state_.issues, state_.issue_index, e.from);
    Issue* into = find_mut(state_.issues, state_.issue_index, e.into);
    if (from == nullptr || into == nullptr) return;
    from->merged_into = e.into;
    into->merged_from.push_back(e.from);
  }

  void operator()(const RankingOpened& e) {
    Ranking ranking;
    ranking.id = e.ranking;
    ranking.method = e.method;
    ranking.dots = e.dots;
    ranking.candidates = e.candidates;
    ranking.opened = stamp_;
    add(state_.rankings, state_.ranking_index, e.ranking, std::move(ranking));
    for (const auto& id : e.candidates)
      if (Issue* issue = find_mut(state_.issues, state_.issue_index, id))
        issue->rankings.push_back(e.ranking);
  }

  void operator()(const RankingBallotCast& e) {
    Ranking* ranking = find_mut(state_.rankings, state_.ranking_index, e.ranking);
    if (ranking == nullptr) return;
    ranking->ballots[e.participant] = Ballot{e.order, e.dots, stamp_};  // replaces
  }

  void operator()(const RankingClosed& e) {
    Ranking* ranking = find_mut(state_.rankings, state_.ranking_index, e.ranking);
    if (ranking == nullptr) return;
    ranking->open = false;
    ranking->closed = stamp_;
    ranking->ballot_count = e.ballots;
    ranking->result = e.result;
  }

  void operator()(const RankingAdopted& e) {
    Ranking* ranking = find_mut(state_.rankings, state_.ranking_index, e.ranking);
    if (ranking == nullptr) return;
    ranking->adopted = stamp_;
    ranking->replaced_by.reset();
    for (const std::string& id : e.replaces)
      if (Ranking* replaced = find_mut(state_.rankings, state_.ranking_index, id))
        replaced->replaced_by = e.ranking;
  }

  void operator()(const ProposalOpened& e) {
    Proposal proposal;
    proposal.id = e.proposal;
    proposal.kind = e.kind;
    proposal.text = e.text;
    proposal.opened = stamp_;
    proposal.provenance = e.provenance;
    if (e.redacted) proposal.redacted = Redaction{};
    proposal.revises = e.revises;
    if (e.revises)
      if (Proposal* earlier = find_mut(state_.proposals, state_.proposal_index, *e.revises))
        earlier->revised_by = e.proposal;
    add(state_.proposals, state_.proposal_index, e.proposal, std::move(proposal));
  }

  void operator()(const ProposalStanceTaken& e) {
    Proposal* proposal = find_mut(state_.proposals, state_.proposal_index, e.proposal);
    if (proposal == nullptr) return;
    StanceEntry& entry = proposal->stances[stamp_.by.participant];
    const bool earlier_reason = entry.reason_in_log;
    entry = StanceEntry{e.stance, e.reason, stamp_};
    // A rewritten event (replay) held a reason until its text.redacted.
    entry.reason_in_log = earlier_reason || e.reason.has_value() || e.redacted;
    if (e.redacted) entry.redacted = Redaction{};
  }

  void operator()(const ProposalClosed& e) {
    Proposal* proposal = find_mut(state_.proposals, state_.proposal_index, e.proposal);
    if (proposal == nullptr) return;
    proposal->open = false;
    proposal->closed = stamp_;
    proposal->adopted = e.adopted;
    proposal->tally = e.tally;
    if (e.adopted) {
      auto& adopted = proposal->kind == ProposalKind::vision ? state_.adopted_visions
                                                             : state_.adopted_directions;
      adopted.push_back(e.proposal);
    }
  }

  void operator()(const RoleProposed& e) {
    if (e.theme) touch_theme(*e.theme);
    RoleAgreement role;
    role.id = e.role;
    role.title = e.title;
    role.owner_org = e.owner_org;
    role.owner_org_id = e.owner_org_id;
    role.due = e.due;
    role.detail = e.detail;
    role.theme = e.theme;
    role.state = e.state;
    role.proposed = stamp_;
    role.provenance = e.provenance;
    role.issue = e.issue;
    if (e.redacted) role.redacted = Redaction{};
    if (e.issue)
      if (Issue* issue = find_mut(state_.issues, state_.issue_index, *e.issue))
        issue->roles.push_back(e.role);
    add(state_.roles, state_.role_index, e.role, std::move(role));
  }

  void operator()(const RoleConsented& e) {
    RoleAgreement* role = find_mut(state_.roles, state_.role_index, e.role);
    if (role == nullptr) return;
    // The rule as logged (domain/ownership.hpp); a consent that was the
    // owner's only through the directory says so itself.
    const bool decisive = !e.owner_org_id.empty() || speaks_for_as_logged(stamp_.by, *role);
    role->consents.push_back(ConsentEntry{e.consent, e.note, decisive, stamp_});
    if (e.redacted) role->consents.back().redacted = Redaction{};
    role->state = e.state;
  }

  void operator()(const RoleStatusChanged& e) {
    RoleAgreement* role = find_mut(state_.roles, state_.role_index, e.role);
    if (role == nullptr) return;
    role->statuses.push_back(StatusEntry{e.status, e.note, stamp_});
    if (e.redacted) role->statuses.back().redacted = Redaction{};
    role->status = e.status;
  }

  void operator()(const IndicatorDefined& e) {
    Indicator indicator;
    indicator.id = e.indicator;
    indicator.name = e.name;
    indicator.kind = e.kind;
    indicator.unit = e.unit;
    indicator.target = e.target;
    indicator.baseline = e.baseline;
    indicator.defined = stamp_;
    add(state_.indicators, state_.indicator_index, e.indicator, std::move(indicator));
  }

  void operator()(const IndicatorReported& e) {
    Indicator* indicator = find_mut(state_.indicators, state_.indicator_index, e.indicator);
    if (indicator == nullptr) return;
    indicator->reports.push_back(IndicatorReportEntry{e.value, e.period, stamp_});
  }

  void operator()(const ThemeStageSet& e) {
    Theme& theme = touch_theme(e.theme);
    theme.changes.push_back(StageChange{e.previous, e.stage, e.reason, stamp_});
    theme.stage = e.stage;
  }

  // Erases the text from the state. Entries of the participant are those
  // that still have their text, or whose event the log already holds
  // rewritten (a placeholder, on replay), so live and replay agree.
  void operator()(const TextRedacted& e) {
    const Redaction redaction{e.reason, stamp_};
    if (Issue* issue = find_mut(state_.issues, state_.issue_index, e.target)) {
      issue->text.clear();
      issue->redacted = redaction;
    } else if (Proposal* proposal = find_mut(state_.proposals, state_.proposal_index, e.target)) {
      if (!e.participant) {
        proposal->text.clear();
        proposal->redacted = redaction;
      } else if (auto it = proposal->stances.find(*e.participant); it != proposal->stances.end()) {
        if (it->second.reason_in_log) it->second.redacted = redaction;
        it->second.reason.reset();
        it->second.reason_in_log = false;
      }
    } else if (RoleAgreement* role = find_mut(state_.roles, state_.role_index, e.target)) {
      if (!e.participant) {
        role->title.clear();
        if (role->detail) role->detail->clear();
        role->redacted = redaction;
        return;
      }
      erase_notes(role->consents, *e.participant, redaction);
      erase_notes(role->statuses, *e.participant, redaction);
    }
    // A promotion's snapshot is erased with its source.
    if (!e.participant)
      for (Promotion& promotion : state_.promotions)
        for (PromotedItem& item : promotion.snapshot)
          if (item.id == e.target) {
            item.text.clear();
            if (item.detail) item.detail->clear();
            item.redacted = true;
          }
  }

  void operator()(const PromotionProposed& e) {
    Promotion promotion;
    promotion.id = e.promotion;
    promotion.items = e.items;
    promotion.target = e.target;
    promotion.target_name = e.target_name;
    promotion.note = e.note;
    promotion.proposed = stamp_;
    add(state_.promotions, state_.promotion_index, e.promotion, std::move(promotion));
  }

  void operator()(const PromotionConsented& e) {
    Promotion* promotion = find_mut(state_.promotions, state_.promotion_index, e.promotion);
    if (promotion == nullptr) return;
    promotion->state = e.state;
    promotion->decided = stamp_;
    if (e.state != PromotionState::agreed) return;
    if (const auto jst = to_jst(stamp_.at)) promotion->date = iso_date(jst->date);
    promotion->snapshot = snapshot_items(state_, promotion->items);
  }

 private:
  static bool awaits(const std::optional<Redaction>& redacted) {
    return redacted && redacted->stamp.seq == 0;
  }
  template <typename Entry>
  static void erase_notes(std::vector<Entry>& entries, const std::string& participant,
                          const Redaction& redaction) {
    for (Entry& entry : entries) {
      if (entry_author(entry) != participant) continue;
      if (!entry.note && !awaits(entry.redacted)) continue;
      entry.note.reset();
      entry.redacted = redaction;
    }
  }
  static const std::string& entry_author(const ConsentEntry& entry) {
    return entry.given.by.participant;
  }
  static const std::string& entry_author(const StatusEntry& entry) {
    return entry.changed.by.participant;
  }

  Meeting* live_meeting() {
    if (!state_.live_meeting) return nullptr;
    return find_mut(state_.meetings, state_.meeting_index, *state_.live_meeting);
  }

  // The theme named `name`, created at stage 1 on first use.
  Theme& touch_theme(const std::string& name) {
    if (Theme* theme = find_mut(state_.themes, state_.theme_index, name)) return *theme;
    return add(state_.themes, state_.theme_index, name, Theme{name, 1, stamp_, {}});
  }

  CouncilState& state_;
  Stamp stamp_;
};

}  // namespace

void apply_redaction(CouncilState& state, const Event& event) {
  if (const auto* redacted = std::get_if<TextRedacted>(&event.data)) {
    Applier applier{state, event};
    applier(*redacted);
  }
}

void apply(CouncilState& state, const Event& event) {
  Applier applier{state, event};
  std::visit(applier, event.data);
  state.head = event.seq;
}

}  // namespace renkei::domain
