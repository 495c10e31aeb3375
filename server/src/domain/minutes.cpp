#include "domain/minutes.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "domain/calendar.hpp"
#include "domain/derived.hpp"
#include "domain/glossary_terms.hpp"
#include "domain/ownership.hpp"
#include "domain/personal_info.hpp"
#include "domain/promotion.hpp"

namespace renkei::domain {
namespace {

std::string quoted(const std::string& text) { return "「" + text + "」"; }

// What the minutes show of a text erased by text.redact (v1.1): the reason
// in its place, 「（伏せ字：<reason>）」 once quoted.
std::string shown(const std::string& text, const std::optional<Redaction>& redacted) {
  return redacted ? "（伏せ字：" + redacted->reason + "）" : text;
}

// The erasure of a note given with the event at `seq`, if any.
template <typename Entry>
const std::optional<Redaction>* note_redaction(const std::vector<Entry>& entries, std::uint64_t seq,
                                               const Stamp Entry::*stamp) {
  for (const Entry& entry : entries)
    if ((entry.*stamp).seq == seq) return &entry.redacted;
  return nullptr;
}

std::string person(const Actor& actor) { return actor.org + " " + actor.name; }

// 「（代理入力：<入力者名>）」 after a line whose author is named, when a
// facilitator entered it on their behalf; "" otherwise.
std::string proxy_note(const Event& event) {
  return event.entered_by ? "（代理入力：" + event.entered_by->name + "）" : "";
}

std::string tally_text(const Tally& t) {
  return std::string(glossary::stance_agree) + std::to_string(t.agree) + "・" +
         std::string(glossary::stance_abstain) + std::to_string(t.abstain) + "・" +
         std::string(glossary::stance_disagree) + std::to_string(t.disagree) + "・" +
         std::string(glossary::stance_block) + std::to_string(t.block);
}

std::string stage_text(int stage) {
  return "段階" + std::to_string(stage) + "（" + std::string(stage_name_ja(stage)) + "）";
}

// Adds `person` to the group of its organisation, keeping first-seen order.
void add_to(std::vector<MinutesOrg>& groups, const std::string& org, MinutesPerson person) {
  auto it =
      std::find_if(groups.begin(), groups.end(), [&](const MinutesOrg& g) { return g.org == org; });
  if (it == groups.end()) {
    groups.push_back(MinutesOrg{org, {}});
    it = groups.end() - 1;
  }
  it->people.push_back(std::move(person));
}

// Turns the meeting's events into lines under agenda items and decisions.
class Writer {
 public:
  Writer(const CouncilState& state, const Meeting& meeting, Minutes& minutes)
      : state_(state), minutes_(minutes) {
    before_.title = minutes_before_items;
    for (std::size_t i = 0; i < meeting.items.size(); ++i)
      items_.push_back(MinutesItem{static_cast<std::int64_t>(i), meeting.items[i].title.ja, {}});
  }

  void add(const Event& event) {
    event_ = &event;
    std::visit(*this, event.data);
  }

  // Moves the items and decisions into the minutes. A role agreed in the
  // meeting is a decision only if it is still agreed when the meeting ended.
  void finish() {
    if (!before_.lines.empty()) minutes_.items.push_back(std::move(before_));
    for (MinutesItem& item : items_) minutes_.items.push_back(std::move(item));
    for (auto& [role_id, decision] : decisions_) {
      if (!role_id.empty()) {
        const RoleAgreement* role = state_.find_role(role_id);
        if (role == nullptr || role->state != RoleState::agreed) continue;
      }
      minutes_.decisions.push_back(std::move(decision));
    }
  }

  // --- one handler per event op -------------------------------------------
  void operator()(const MeetingStarted&) {}
  void operator()(const MeetingEnded&) {}
  void operator()(const MeetingAdvanced& e) {
    if (e.item >= 0 && static_cast<std::size_t>(e.item) < items_.size()) current_ = e.item;
  }
  void operator()(const IssuePosted& e) {
    std::string text = "課題の提出: " + quoted(issue_text(e.issue)) + "（" + person(event_->by);
    if (e.theme) text += "、テーマ: " + *e.theme;
    line(text + "）" + proxy_note(*event_) + from_one_on_one(e.provenance));
  }
  void operator()(const IssueMerged& e) {
    line("課題の統合: " + quoted(issue_text(e.from)) + "を" + quoted(issue_text(e.into)) +
         "に統合");
  }
  void operator()(const RankingOpened& e) {
    line("優先順位付けの開始: " + std::string(label_ja(e.method)) + "、候補" +
         std::to_string(e.candidates.size()) + "件");
  }
  void operator()(const RankingBallotCast&) {}  // ballots are secret; the count comes at close
  void operator()(const RankingClosed& e) {
    const Ranking* ranking = state_.find_ranking(e.ranking);
    const std::string method = ranking ? std::string(label_ja(ranking->method)) : "";
    // Borda points, dots, or (Schulze) the candidates an issue beats.
    const std::string unit = !ranking                                    ? "点"
                             : ranking->method == RankingMethod::dots    ? "票"
                             : ranking->method == RankingMethod::schulze ? "勝"
                                                                         : "点";
    // Only the ranking that counts (derived.hpp ranking_standing, as of the
    // end of the meeting) is a decision; the others are noted as such.
    const RankingStanding standing =
        ranking ? ranking_standing(state_, *ranking) : RankingStanding::decision;
    std::string heading =
        "優先順位付けの結果（" + method + "、投票" + std::to_string(e.ballots) + "名）";
    if (standing == RankingStanding::pending) heading += ": 採用待ち";
    if (standing == RankingStanding::reference) heading += ": 参考（採用されなかった結果）";
    MinutesLine result{heading, {}};
    for (const RankRow& row : e.result)
      result.details.push_back(std::to_string(row.rank) + "位 " + quoted(issue_text(row.issue)) +
                               "（" + std::to_string(row.score) + unit + "）");
    line(std::move(result));
    if (standing == RankingStanding::decision) decide_ranking(e.ranking, method, e.result);
  }
  void operator()(const RankingAdopted& e) {
    const Ranking* ranking = state_.find_ranking(e.ranking);
    if (ranking == nullptr) return;
    const std::string method(label_ja(ranking->method));
    MinutesLine adopted{"優先順位付けの結果（" + method + "、投票" +
                            std::to_string(ranking->ballot_count) + "名）を採用",
                        {}};
    for (const std::string& id : e.replaces)
      if (const Ranking* replaced = state_.find_ranking(id)) {
        std::string text = "それまでの結果（" + std::string(label_ja(replaced->method));
        if (const auto closed = to_jst(replaced->closed.value_or(Stamp{}).at))
          text += "、" + format_western_ja(closed->date) + "締切";
        adopted.details.push_back(text + "）に代えて採用");
      }
    line(std::move(adopted));
    if (ranking_standing(state_, *ranking) == RankingStanding::decision)
      decide_ranking(e.ranking, method, ranking->result);
  }
  void operator()(const ProposalOpened& e) {
    std::string text =
        "提案（" + std::string(label_ja(e.kind)) + "）: " + quoted(proposal_text(e.proposal));
    if (e.revises)
      if (state_.find_proposal(*e.revises))
        text += "（" + quoted(proposal_text(*e.revises)) + "の修正案）";
    line(text + from_one_on_one(e.provenance));
  }
  void operator()(const ProposalStanceTaken&) {}  // counted in the tally at close
  void operator()(const ProposalClosed& e) {
    const Proposal* proposal = state_.find_proposal(e.proposal);
    if (proposal == nullptr) return;
    // The reasons given with the stances are the gist of what was said.
    MinutesLine closed{
        "提案" + quoted(proposal_text(e.proposal)) + ": " +
            std::string(e.adopted ? glossary::outcome_adopted : glossary::outcome_not_adopted) +
            "（" + tally_text(e.tally) + "）",
        {}};
    std::vector<const StanceEntry*> stances;
    for (const auto& [participant, entry] : proposal->stances)
      if (entry.reason || entry.redacted) stances.push_back(&entry);
    std::sort(stances.begin(), stances.end(), [](const StanceEntry* a, const StanceEntry* b) {
      return a->taken.seq < b->taken.seq;
    });
    for (const StanceEntry* entry : stances)
      closed.details.push_back(std::string(label_ja(entry->stance)) + ": " +
                               person(entry->taken.by) + "（" +
                               shown(entry->reason.value_or(""), entry->redacted) + "）");
    line(std::move(closed));
    if (e.adopted)
      decide(MinutesLine{
          std::string(label_ja(proposal->kind)) + "の採択: " + quoted(proposal_text(e.proposal)),
          {}});
  }
  void operator()(const RoleProposed& e) {
    std::string text = "役割の提案: " + quoted(role_title(e.role)) + "（担当: " + e.owner_org;
    if (e.due) text += "、期限: " + *e.due;
    text += "）" + from_one_on_one(e.provenance);
    MinutesLine proposed{text, {}};
    if (e.issue) proposed.details.push_back("課題: " + quoted(issue_text(*e.issue)));
    line(std::move(proposed));
  }
  void operator()(const RoleConsented& e) {
    const RoleAgreement* role = state_.find_role(e.role);
    if (role == nullptr) return;
    if (e.owner_org_id.empty() && !speaks_for_as_logged(event_->by, *role)) {
      // Not decisive: who supported or objected, as the record lists them.
      std::string text =
          "役割への意見: " + quoted(role_title(e.role)) + "に" + person(event_->by) +
          (e.consent ? std::string("が賛同") : "が" + std::string(glossary::role_objection));
      if (const auto note = note_of(e.note, role->consents, &ConsentEntry::given))
        text += "（" + *note + "）";
      line(text + proxy_note(*event_));
      return;
    }
    std::string text = (e.consent ? "役割の合意: " : "役割の辞退: ") + quoted(role_title(e.role)) +
                       "（" + role->owner_org + (e.consent ? "が担当" : "");
    if (const auto note = note_of(e.note, role->consents, &ConsentEntry::given))
      text += "、" + *note;
    line(text + "）" + proxy_note(*event_));
    if (!e.consent || agreed_here_.contains(e.role)) return;
    agreed_here_.insert(e.role);
    std::string decision = "役割分担: " + quoted(role_title(e.role)) + "（担当: " + role->owner_org;
    if (role->due) decision += "、期限: " + *role->due;
    decisions_.emplace_back(e.role, flag_pii(MinutesLine{decision + "）", {}}));
  }
  void operator()(const RoleStatusChanged& e) {
    const RoleAgreement* role = state_.find_role(e.role);
    if (role == nullptr) return;
    RoleStatus from = RoleStatus::not_started;
    for (const StatusEntry& entry : role->statuses) {
      if (entry.changed.seq >= event_->seq) break;
      from = entry.status;
    }
    std::string text = "進捗の報告: " + quoted(role_title(e.role)) + " " +
                       std::string(label_ja(from)) + "→" + std::string(label_ja(e.status)) + "（" +
                       role->owner_org;
    if (const auto note = note_of(e.note, role->statuses, &StatusEntry::changed))
      text += "、" + *note;
    line(text + "）");
  }
  void operator()(const IndicatorDefined& e) {
    std::string text =
        "評価指標の設定: " + e.name + "（" + std::string(label_ja(e.kind)) + "、単位: " + e.unit;
    if (e.baseline) text += "、現状値: " + format_number(*e.baseline);
    if (e.target) text += "、目標値: " + format_number(*e.target);
    line(text + "）");
  }
  void operator()(const IndicatorReported& e) {
    const Indicator* indicator = state_.find_indicator(e.indicator);
    if (indicator == nullptr) return;
    line("指標の報告: " + indicator->name + " " + format_number(e.value) + indicator->unit + "（" +
         e.period + "、" + event_->by.org + "）" + proxy_note(*event_));
  }
  void operator()(const TextRedacted&) {}  // shown where the text was
  // One-on-ones only: what was put forward to a council or the prefecture.
  void operator()(const PromotionProposed& e) {
    MinutesLine proposed{
        "提起・上申の提案: " + std::to_string(e.items.size()) + "件（" +
            (e.target == "prefecture" ? std::string("県本庁への上申")
                                      : "「" + e.target_name.value_or(e.target) + "」への提起") +
            "、" + person(event_->by) + "）",
        {}};
    if (const Promotion* promotion = state_.find_promotion(e.promotion))
      for (const PromotedItem& item : snapshot_items(state_, promotion->items))
        proposed.details.push_back(item.redacted ? std::string("（伏せ字）") : quoted(item.text));
    line(std::move(proposed));
  }
  void operator()(const PromotionConsented& e) {
    line(std::string(e.consent ? "提起・上申への同意: " : "提起・上申の見送り: ") + e.promotion +
         "（" + person(event_->by) + "）");
  }
  void operator()(const ThemeStageSet& e) {
    const std::string change = (e.previous == 0 ? std::string("新規") : stage_text(e.previous)) +
                               "→" + stage_text(e.stage);
    line("段階の変更: " + e.theme + " " + change + "（理由: " + e.reason + "）");
    decide(MinutesLine{"テーマ" + quoted(e.theme) + "を" + stage_text(e.stage) + "へ", {e.reason}});
  }

 private:
  // 「一対一協議（2027-01-15）より」 after an item a one-on-one promoted.
  static std::string from_one_on_one(const std::optional<Provenance>& provenance) {
    return provenance ? "　一対一協議（" + provenance->date + "）より" : "";
  }
  std::string issue_text(const std::string& id) const {
    const Issue* issue = state_.find_issue(id);
    return issue ? shown(issue->text, issue->redacted) : id;
  }
  std::string proposal_text(const std::string& id) const {
    const Proposal* proposal = state_.find_proposal(id);
    return proposal ? shown(proposal->text, proposal->redacted) : id;
  }
  std::string role_title(const std::string& id) const {
    const RoleAgreement* role = state_.find_role(id);
    return role ? shown(role->title, role->redacted) : id;
  }
  // The note of this event's consent or status entry, or its erasure.
  template <typename Entry>
  std::optional<std::string> note_of(const std::optional<std::string>& note,
                                     const std::vector<Entry>& entries,
                                     const Stamp Entry::*stamp) const {
    const std::optional<Redaction>* redacted = note_redaction(entries, event_->seq, stamp);
    if (redacted != nullptr && *redacted) return shown("", *redacted);
    return note;
  }
  static MinutesLine flag_pii(MinutesLine l) {
    std::vector<std::string_view> texts{l.text};
    texts.insert(texts.end(), l.details.begin(), l.details.end());
    l.pii = !personal_info_kinds(texts).empty();
    return l;
  }
  // "1位「…」、2位「…」": a ranking result in one line.
  std::string ranking_summary(const std::vector<RankRow>& rows) const {
    std::string text;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (i > 0) text += "、";
      text += std::to_string(rows[i].rank) + "位" + quoted(issue_text(rows[i].issue));
    }
    return text;
  }
  // The decision line of a ranking that counts, once per meeting.
  void decide_ranking(const std::string& id, const std::string& method,
                      const std::vector<RankRow>& rows) {
    if (!ranked_here_.insert(id).second) return;
    decide(MinutesLine{"優先順位（" + method + "）: " + ranking_summary(rows), {}});
  }
  void line(std::string text) { line(MinutesLine{std::move(text), {}}); }
  void decide(MinutesLine l) { decisions_.emplace_back(std::string(), flag_pii(std::move(l))); }
  void line(MinutesLine l) {
    l = flag_pii(std::move(l));
    if (current_ < 0)
      before_.lines.push_back(std::move(l));
    else
      items_[static_cast<std::size_t>(current_)].lines.push_back(std::move(l));
  }

  const CouncilState& state_;
  Minutes& minutes_;
  const Event* event_ = nullptr;
  std::int64_t current_ = -1;
  MinutesItem before_;
  std::vector<MinutesItem> items_;
  std::set<std::string> agreed_here_;
  std::set<std::string> ranked_here_;  // rankings already under 決定事項
  // Decisions in log order; the role id for role agreements, else "".
  std::vector<std::pair<std::string, MinutesLine>> decisions_;
};

}  // namespace

std::optional<Minutes> build_minutes(const CouncilState& state, const std::string& meeting_id,
                                     const std::vector<Event>& events,
                                     const std::vector<Attendance>& attendance,
                                     const std::vector<RosterEntry>& roster) {
  const Meeting* meeting = state.find_meeting(meeting_id);
  if (meeting == nullptr) return std::nullopt;

  Minutes minutes;
  minutes.council = state.council;
  minutes.council_name = state.name;
  minutes.kind = state.kind;
  minutes.meeting = meeting->id;
  minutes.title = meeting->title;
  minutes.agenda = meeting->agenda;
  minutes.session = meeting->session;
  minutes.chair = meeting->started.by;
  if (const auto start = to_jst(meeting->started.at)) {
    minutes.date_iso = iso_date(start->date);
    minutes.date = format_western_ja(start->date);
    minutes.date_wareki = format_wareki(start->date).value_or(minutes.date);
    minutes.start_time = hh_mm(*start);
    if (meeting->ended) {
      if (const auto end = to_jst(meeting->ended->at)) {
        minutes.end_time = end->date == start->date
                               ? hh_mm(*end)
                               : std::to_string(end->date.month) + "月" +
                                     std::to_string(end->date.day) + "日 " + hh_mm(*end);
      }
    }
  }

  // Attendance, grouped by organisation in roster order.
  std::map<std::string, const Attendance*> attended;
  for (const Attendance& row : attendance)
    if (row.meeting == meeting_id) attended.emplace(row.participant, &row);
  // Who took part through proxy input in this meeting.
  std::set<std::string> proxied;
  for (const Event& event : events)
    if (event.entered_by && event.meeting == meeting_id) proxied.insert(event.by.participant);
  std::set<std::string> listed;
  for (const RosterEntry& entry : roster) {
    const Actor& a = entry.actor;
    const auto it = attended.find(a.participant);
    if (proxied.contains(a.participant) && it == attended.end()) {
      add_to(minutes.attendees, a.org, MinutesPerson{a.participant, a.name, a.role, false, true});
      ++minutes.attendee_count;
      listed.insert(a.participant);
    } else if (it != attended.end()) {
      const bool acknowledged = it->second->confidentiality_ack_at.has_value();
      add_to(minutes.attendees, a.org,
             MinutesPerson{a.participant, a.name, a.role, acknowledged,
                           proxied.contains(a.participant)});
      ++minutes.attendee_count;
      if (a.role == Role::observer) ++minutes.observer_count;
      if (acknowledged) ++minutes.acknowledged_count;
      listed.insert(a.participant);
    } else if (entry.active) {
      add_to(minutes.absentees, a.org, MinutesPerson{a.participant, a.name, a.role, false});
      ++minutes.absentee_count;
    }
  }
  // Someone who attended but is not in the roster any more: listed by id.
  for (const auto& [participant, row] : attended) {
    if (listed.contains(participant)) continue;
    const bool acknowledged = row->confidentiality_ack_at.has_value();
    add_to(minutes.attendees, "",
           MinutesPerson{participant, participant, Role::member, acknowledged});
    ++minutes.attendee_count;
    if (acknowledged) ++minutes.acknowledged_count;
  }

  Writer writer(state, *meeting, minutes);
  for (const Event& event : events) {
    if (event.meeting != meeting_id) continue;
    if (minutes.first_seq == 0) minutes.first_seq = event.seq;
    minutes.last_seq = event.seq;
    writer.add(event);
  }
  writer.finish();

  // 次回までの宿題: agreed roles not done when the meeting ended.
  for (const RoleAgreement& role : state.roles) {
    if (role.state != RoleState::agreed || role.status == RoleStatus::done) continue;
    const bool overdue = role.due && !minutes.date_iso.empty() && *role.due < minutes.date_iso;
    minutes.tasks.push_back(
        MinutesTask{role.id, role.title, role.owner_org, role.due, role.status, overdue});
  }
  std::stable_sort(minutes.tasks.begin(), minutes.tasks.end(),
                   [](const MinutesTask& a, const MinutesTask& b) {
                     if (a.due.has_value() != b.due.has_value()) return a.due.has_value();
                     return a.due && *a.due < *b.due;
                   });
  return minutes;
}

}  // namespace renkei::domain
