#include "domain/comparison.hpp"

#include <algorithm>
#include <array>
#include <map>

namespace renkei::domain {
namespace {

constexpr std::array<std::string_view, 22> count_units{
    "人",     "名",   "件",   "回", "施設", "箇所", "か所", "ヶ所",   "カ所",   "ケ所",    "世帯",
    "事業所", "機関", "団体", "校", "人数", "件数", "回数", "施設数", "people", "persons", "cases"};

// Units counting people, or events that happen to one person.
constexpr std::array<std::string_view, 9> person_count_units{
    "人", "名", "人数", "世帯", "件", "件数", "people", "persons", "cases"};

}  // namespace

bool is_person_count_unit(std::string_view unit) {
  return std::find(person_count_units.begin(), person_count_units.end(), unit) !=
         person_count_units.end();
}

bool is_count_unit(std::string_view unit) {
  return std::find(count_units.begin(), count_units.end(), unit) != count_units.end();
}

std::vector<OrgComparison> compare_organisations(const CouncilState& state,
                                                 const std::vector<std::string>& orgs) {
  std::vector<OrgComparison> out;
  std::map<std::string, std::size_t, std::less<>> index;
  const auto entry = [&](const std::string& org) -> OrgComparison& {
    auto [it, inserted] = index.try_emplace(org, out.size());
    if (inserted) out.push_back(OrgComparison{org, {}, {}});
    return out[it->second];
  };
  for (const std::string& org : orgs) entry(org);

  // Walk the log's order: issues and reports by seq.
  struct Item {
    std::uint64_t seq;
    const Issue* issue;
    const Indicator* indicator;
    const IndicatorReportEntry* report;
  };
  std::vector<Item> items;
  for (const Issue& issue : state.issues)
    items.push_back(Item{issue.posted.seq, &issue, nullptr, nullptr});
  for (const Indicator& indicator : state.indicators)
    for (const IndicatorReportEntry& report : indicator.reports)
      items.push_back(Item{report.reported.seq, nullptr, &indicator, &report});
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.seq < b.seq; });

  for (const Item& item : items) {
    if (item.issue != nullptr) {
      entry(item.issue->posted.by.org).issues.push_back(item.issue);
      continue;
    }
    OrgComparison& org = entry(item.report->reported.by.org);
    auto it = std::find_if(org.indicators.begin(), org.indicators.end(),
                           [&](const OrgIndicator& i) { return i.indicator == item.indicator; });
    if (it == org.indicators.end()) {
      org.indicators.push_back(OrgIndicator{item.indicator, {}});
      it = org.indicators.end() - 1;
    }
    const bool small =
        is_person_count_unit(item.indicator->unit) && is_small_count(item.report->value);
    PeriodValue value{item.report->period, item.report->value, item.report, small};
    auto same = std::find_if(it->values.begin(), it->values.end(),
                             [&](const PeriodValue& v) { return v.period == value.period; });
    if (same != it->values.end())
      *same = value;  // a correction
    else
      it->values.push_back(value);
  }

  for (OrgComparison& org : out) {
    // Indicators in definition order; periods oldest first.
    std::sort(org.indicators.begin(), org.indicators.end(),
              [](const OrgIndicator& a, const OrgIndicator& b) {
                return a.indicator->defined.seq < b.indicator->defined.seq;
              });
    for (OrgIndicator& indicator : org.indicators)
      std::stable_sort(
          indicator.values.begin(), indicator.values.end(),
          [](const PeriodValue& a, const PeriodValue& b) { return a.period < b.period; });
  }
  return out;
}

}  // namespace renkei::domain
