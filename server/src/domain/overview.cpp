#include "domain/overview.hpp"

#include <algorithm>

#include "domain/calendar.hpp"
#include "domain/comparison.hpp"
#include "domain/promotion.hpp"

namespace renkei::domain {
namespace {

template <typename T>
std::size_t index_of(std::vector<T>& items, const T& item) {
  auto it = std::find(items.begin(), items.end(), item);
  if (it != items.end()) return static_cast<std::size_t>(it - items.begin());
  items.push_back(item);
  return items.size() - 1;
}

// The themes a council works on: planned ones (stage 1 until a decision
// moves them) and those its log uses, planned first.
std::vector<ThemeStage> council_themes(const OverviewCouncilMeta& meta, const CouncilState* state) {
  std::vector<ThemeStage> themes;
  for (const auto& name : meta.themes) themes.push_back(ThemeStage{name, 1});
  if (state == nullptr) return themes;
  for (const Theme& theme : state->themes) {
    auto it = std::find_if(themes.begin(), themes.end(),
                           [&](const ThemeStage& t) { return t.name == theme.name; });
    if (it != themes.end())
      it->stage = theme.stage;
    else
      themes.push_back(ThemeStage{theme.name, theme.stage});
  }
  return themes;
}

// When a role agreement became agreed: the latest consent that agreed it
// for the owner, else its proposal (an owner proposing its own role).
const Stamp& agreed_stamp(const RoleAgreement& role) {
  for (auto it = role.consents.rbegin(); it != role.consents.rend(); ++it)
    if (it->consent && it->decisive) return it->given;
  return role.proposed;
}

std::string role_title(const RoleAgreement& role) { return role.redacted ? "" : role.title; }

}  // namespace

std::optional<std::string> prefecture_of_area(std::string_view area,
                                              const std::vector<OverviewCouncilMeta>& councils,
                                              const std::vector<OverviewOrganisation>& orgs) {
  if (area.empty()) return std::nullopt;
  for (const auto& council : councils)
    if (council.area && *council.area == area && council.prefecture && !council.prefecture->empty())
      return council.prefecture;
  for (const auto& org : orgs)
    if (org.area && *org.area == area && org.prefecture && !org.prefecture->empty())
      return org.prefecture;
  return std::nullopt;
}

std::optional<std::string> prefecture_of_council(const OverviewCouncilMeta& council,
                                                 const std::vector<OverviewCouncilMeta>& councils,
                                                 const std::vector<OverviewOrganisation>& orgs) {
  if (council.prefecture && !council.prefecture->empty()) return council.prefecture;
  if (!council.area) return std::nullopt;
  return prefecture_of_area(*council.area, councils, orgs);
}

std::string owner_kind(const RoleAgreement& role, const std::vector<OverviewOrganisation>& orgs) {
  if (!role.owner_org_id.empty())
    for (const auto& org : orgs)
      if (org.id == role.owner_org_id) return org.kind;
  for (const auto& org : orgs)
    if (org.name == role.owner_org) return org.kind;
  return "unknown";
}

bool in_jst_month(std::string_view utc, std::string_view month) {
  const auto jst = to_jst(utc);
  if (!jst) return false;
  return iso_date(jst->date).substr(0, 7) == month;
}

Overview compose_overview(const std::vector<OverviewInput>& councils,
                          const std::vector<OverviewOrganisation>& orgs, std::string_view today) {
  Overview out;
  out.today = std::string(today);
  out.month = std::string(today.substr(0, std::min<std::size_t>(7, today.size())));

  // Areas and their councils.
  std::vector<std::string> area_names;
  for (const auto& input : councils) {
    const std::string area = input.meta.area.value_or(std::string(no_area));
    const std::size_t a = index_of(area_names, area);
    if (a == out.areas.size()) out.areas.push_back(OverviewArea{area, {}});
    OverviewCouncil council;
    council.meta = input.meta;
    council.themes = council_themes(input.meta, input.state);
    council.loaded = input.state != nullptr;
    if (input.state != nullptr) {
      const auto summary = summarize_council(
          *input.state, [](const RoleAgreement&) { return false; }, today);
      council.live = summary.live;
      council.last = summary.last;
    }
    out.areas[a].councils.push_back(std::move(council));
  }

  // The matrix: themes (first use) × areas.
  out.matrix.areas = area_names;
  for (const auto& area : out.areas)
    for (const auto& council : area.councils)
      for (const auto& theme : council.themes) index_of(out.matrix.themes, theme.name);
  for (const auto& theme : out.matrix.themes) {
    for (const auto& area : out.areas) {
      MatrixCell cell{theme, area.name, 0, "", ""};
      for (const auto& council : area.councils)
        for (const auto& t : council.themes)
          if (t.name == theme && t.stage > cell.stage) {
            cell.stage = t.stage;
            cell.council = council.meta.id;
            cell.council_name = council.meta.name;
          }
      out.matrix.cells.push_back(std::move(cell));
    }
  }

  // Role agreements by organisation kind, per area.
  for (const auto& area : out.areas) {
    std::vector<RoleCount> counts;
    for (const auto& input : councils) {
      if (input.state == nullptr || input.meta.area.value_or(std::string(no_area)) != area.name)
        continue;
      for (const RoleAgreement& role : input.state->roles) {
        if (!role_is_open(role)) continue;
        const std::string kind = owner_kind(role, orgs);
        auto it = std::find_if(counts.begin(), counts.end(),
                               [&](const RoleCount& c) { return c.kind == kind; });
        if (it == counts.end()) {
          counts.push_back(RoleCount{area.name, kind, 0, 0});
          it = counts.end() - 1;
        }
        ++it->open;
        if (role_is_overdue(role, today)) ++it->overdue;
      }
    }
    std::stable_sort(counts.begin(), counts.end(),
                     [](const RoleCount& a, const RoleCount& b) { return a.kind < b.kind; });
    out.roles.insert(out.roles.end(), counts.begin(), counts.end());
  }

  // Indicators by name: each council's latest value.
  std::vector<std::string> indicator_names;
  for (const auto& input : councils) {
    if (input.state == nullptr) continue;
    for (const Indicator& indicator : input.state->indicators) {
      if (indicator.reports.empty()) continue;
      // The latest period; a later report for the same period corrects it.
      const IndicatorReportEntry* latest = nullptr;
      for (const auto& report : indicator.reports)
        if (latest == nullptr || report.period >= latest->period) latest = &report;
      const std::size_t i = index_of(indicator_names, indicator.name);
      if (i == out.indicators.size()) out.indicators.push_back(IndicatorRow{indicator.name, {}});
      IndicatorValue value;
      value.council = input.meta.id;
      value.council_name = input.meta.name;
      value.area = input.meta.area.value_or(std::string(no_area));
      value.indicator = indicator.id;
      value.unit = indicator.unit;
      value.period = latest->period;
      value.value = latest->value;
      value.target = indicator.target;
      value.small_count = is_person_count_unit(indicator.unit) && is_small_count(latest->value);
      out.indicators[i].values.push_back(std::move(value));
    }
  }

  // What changed this month.
  for (const auto& input : councils) {
    if (input.state == nullptr) continue;
    const CouncilState& state = *input.state;
    CouncilChangesThisMonth changes;
    changes.council = input.meta.id;
    changes.council_name = input.meta.name;
    changes.area = input.meta.area.value_or(std::string(no_area));
    for (const Theme& theme : state.themes)
      for (const StageChange& change : theme.changes)
        if (in_jst_month(change.decided.at, out.month))
          changes.stage_changes.push_back(
              StageChangeMention{theme.name, change.from, change.to, change.decided.at});
    for (const Proposal& proposal : state.proposals)
      if (proposal.adopted.value_or(false) && proposal.closed &&
          in_jst_month(proposal.closed->at, out.month))
        changes.adopted.push_back(ProposalMention{proposal.id, proposal.kind,
                                                  proposal.redacted ? "" : proposal.text,
                                                  proposal.closed->at});
    for (const RoleAgreement& role : state.roles) {
      if (role.state == RoleState::agreed) {
        const Stamp& agreed = agreed_stamp(role);
        if (in_jst_month(agreed.at, out.month))
          changes.agreed.push_back(
              RoleMention{role.id, role_title(role), role.owner_org, agreed.at});
      }
      if (role.status == RoleStatus::done && !role.statuses.empty() &&
          in_jst_month(role.statuses.back().changed.at, out.month))
        changes.done.push_back(RoleMention{role.id, role_title(role), role.owner_org,
                                           role.statuses.back().changed.at});
    }
    if (!changes.empty()) out.changes.push_back(std::move(changes));
  }
  return out;
}

std::vector<OverviewSubmission> overview_submissions(
    const std::vector<const CouncilState*>& consultations) {
  std::vector<OverviewSubmission> out;
  for (const CouncilState* state : consultations) {
    if (state == nullptr) continue;
    for (auto& submission : prefecture_submissions(*state)) {
      if (submission.items.empty()) continue;  // every item erased since
      out.push_back(OverviewSubmission{submission.area.value_or(""), std::move(submission.date),
                                       std::move(submission.organisations),
                                       std::move(submission.items)});
    }
  }
  std::stable_sort(
      out.begin(), out.end(),
      [](const OverviewSubmission& a, const OverviewSubmission& b) { return a.date > b.date; });
  return out;
}

}  // namespace renkei::domain
