// The prefecture's view (県本庁) and the health centre's roll-up
// (server/docs/CONTINUITY.md section 3, RECORD.md "overview"): many
// councils side by side. A pure function of the councils' metadata (from
// the directory), their folded states and the organisations; the caller
// decides which councils the viewer may see (one-on-ones are left out
// there) and passes only those.
//
// Thread-safe: no state; the states are read, never kept.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/actor.hpp"
#include "domain/council_state.hpp"
#include "domain/council_summary.hpp"

namespace renkei::domain {

// What the directory says of a council (store::CouncilRow, schema v9).
struct OverviewCouncilMeta {
  std::string id;
  std::string name;
  CouncilKind kind = CouncilKind::council;
  std::optional<std::string> area;
  std::optional<std::string> prefecture;
  std::vector<std::string> themes;          // set up in the console (stage 1 until decided)
  std::optional<std::string> next_meeting;  // local date "YYYY-MM-DD"
  bool archived = false;
};

// An organisation of the directory, as far as the overview needs it.
struct OverviewOrganisation {
  std::string id;  // "o3"
  std::string name;
  std::string kind;  // PEOPLE.md's organisation kinds ("municipality", ...)
  std::optional<std::string> area;
  std::optional<std::string> prefecture;
};

// One council to show: its metadata and its state (null when it could not
// be loaded: it is shown without stages, meetings or roles).
struct OverviewInput {
  OverviewCouncilMeta meta;
  const CouncilState* state = nullptr;
};

// The prefecture an area lies in: the prefecture of a council of that area
// that names one, else of an organisation of that area; none otherwise.
std::optional<std::string> prefecture_of_area(std::string_view area,
                                              const std::vector<OverviewCouncilMeta>& councils,
                                              const std::vector<OverviewOrganisation>& orgs);

// The prefecture a council lies in: its own, else its area's.
std::optional<std::string> prefecture_of_council(const OverviewCouncilMeta& council,
                                                 const std::vector<OverviewCouncilMeta>& councils,
                                                 const std::vector<OverviewOrganisation>& orgs);

// The area a council without one is listed under.
inline constexpr std::string_view no_area = "";

struct OverviewCouncil {
  OverviewCouncilMeta meta;
  std::vector<ThemeStage> themes;  // planned themes first, then those the log uses
  std::optional<MeetingMention> live;
  std::optional<MeetingMention> last;  // the last meeting that ended
  bool loaded = false;                 // the state could be read
};

struct OverviewArea {
  std::string name;  // "" for councils without an area
  std::vector<OverviewCouncil> councils;
};

// One cell of the matrix: the highest stage any council of the area has
// reached on the theme, and the first council (in input order) at it.
struct MatrixCell {
  std::string theme;
  std::string area;
  int stage = 0;  // 0: no council of the area works on the theme
  std::string council;
  std::string council_name;
};

struct OverviewMatrix {
  std::vector<std::string> themes;  // rows: first use across the councils
  std::vector<std::string> areas;   // columns: the areas' order
  std::vector<MatrixCell> cells;    // row-major: themes.size() * areas.size()
  const MatrixCell& at(std::size_t theme, std::size_t area) const {
    return cells[theme * areas.size() + area];
  }
};

// Open and overdue role agreements of one organisation kind in one area.
// The owner is resolved through owner_org_id, else owner_org (the name);
// an owner the directory does not know counts under kind "unknown".
struct RoleCount {
  std::string area;
  std::string kind;
  std::uint64_t open = 0;
  std::uint64_t overdue = 0;
};

// The latest value one council reported for an indicator.
struct IndicatorValue {
  std::string council;
  std::string council_name;
  std::string area;
  std::string indicator;  // its id in the council
  std::string unit;
  std::string period;
  double value = 0;
  std::optional<double> target;
  bool small_count = false;  // comparison.hpp's rule: a person count 1-4
};

// Every council's latest value of indicators of one name, side by side.
struct IndicatorRow {
  std::string name;
  std::vector<IndicatorValue> values;  // in council order
};

struct StageChangeMention {
  std::string theme;
  int from = 0;
  int to = 1;
  std::string at;
};

struct ProposalMention {
  std::string id;
  ProposalKind kind = ProposalKind::vision;
  std::string text;
  std::string at;
};

struct RoleMention {
  std::string id;
  std::string title;
  std::string owner;
  std::string at;
};

// What changed in one council this month (JST calendar month of `today`).
struct CouncilChangesThisMonth {
  std::string council;
  std::string council_name;
  std::string area;
  std::vector<StageChangeMention> stage_changes;
  std::vector<ProposalMention> adopted;
  std::vector<RoleMention> agreed;  // roles agreed this month
  std::vector<RoleMention> done;    // roles reported done this month
  bool empty() const {
    return stage_changes.empty() && adopted.empty() && agreed.empty() && done.empty();
  }
};

// 上申 (CONTINUITY.md sections 3 and 5): items that both parties of a
// one-on-one agreed to raise to the prefecture — the items as agreed, the
// area, the two organisations (the proposer's first) and the date of the
// consent; never the consultation itself (no name, id or other content).
struct OverviewSubmission {
  std::string area;
  std::string date;  // "YYYY-MM-DD" (JST)
  std::vector<std::string> organisations;
  std::vector<PromotedItem> items;
};

struct Overview {
  std::string today;  // "YYYY-MM-DD" (JST)
  std::string month;  // "YYYY-MM"
  std::vector<OverviewArea> areas;
  OverviewMatrix matrix;
  std::vector<RoleCount> roles;  // by area (areas' order), then kind (kinds' order)
  std::vector<IndicatorRow> indicators;
  std::vector<CouncilChangesThisMonth> changes;  // councils with something this month
  std::vector<OverviewSubmission> submissions;   // newest first
};

// The overview of `councils` (in the order given; areas in first-seen
// order). `today` is the JST date "YYYY-MM-DD".
Overview compose_overview(const std::vector<OverviewInput>& councils,
                          const std::vector<OverviewOrganisation>& orgs, std::string_view today);

// The 上申 of `consultations` (one-on-ones, in any order), newest first
// (by date, then in the order given). Reads only their agreed promotions to
// the prefecture (domain/promotion.hpp prefecture_submissions).
std::vector<OverviewSubmission> overview_submissions(
    const std::vector<const CouncilState*>& consultations);

// The kind of the organisation owning a role agreement: by its logged id,
// else by its name (merged names are not followed here); "unknown".
std::string owner_kind(const RoleAgreement& role, const std::vector<OverviewOrganisation>& orgs);

// Whether a log time ("...Z", UTC) falls in the JST month "YYYY-MM".
bool in_jst_month(std::string_view utc, std::string_view month);

}  // namespace renkei::domain
