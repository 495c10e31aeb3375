// Comparison across organisations (stage 1, 実態把握・課題集約): for each
// organisation (市町村 and partners), the issues it posted and the values it
// reported for each indicator. Small towns make small numbers, which may
// point at a few people: a count of people, or of events that happen to a
// person (cases), from 1 to small_count_threshold - 1 is flagged so that the
// client shows it with care. Counts of issues, of meetings held or of
// facilities point at no person and are not flagged (see
// server/docs/RECORD.md, "comparison").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/council_state.hpp"

namespace renkei::domain {

// Counts from 1 to below this are "small" (1-4). Five is the smallest cell
// size Japanese public statistics commonly publish without suppression; a
// zero points at nobody and is not flagged.
inline constexpr std::int64_t small_count_threshold = 5;

// True for a count that is flagged: above 0 and below the threshold.
constexpr bool is_small_count(double count) {
  return count > 0 && count < static_cast<double>(small_count_threshold);
}

// True for indicator units that count people or things (人, 名, 件, 回,
// 施設, 箇所, 世帯, 事業所, ...): their values are counts.
bool is_count_unit(std::string_view unit);

// True for the count units whose small values may identify a person: people
// (人, 名, 人数, 世帯, people, persons) and events that happen to a person
// (件, 件数, cases: 看取り件数, 相談件数). Not: 回 (meetings held), 施設,
// 箇所, 事業所, 機関, 団体, 校 (places and organisations).
bool is_person_count_unit(std::string_view unit);

// One period's value. A later report for the same period corrects an
// earlier one; only the later is kept.
struct PeriodValue {
  std::string period;
  double value = 0;
  const IndicatorReportEntry* report = nullptr;
  bool small_count = false;  // a person count unit and a value below the threshold
};

struct OrgIndicator {
  const Indicator* indicator = nullptr;
  std::vector<PeriodValue> values;  // by period, oldest first; the last is the latest
};

struct OrgComparison {
  std::string org;
  std::vector<const Issue*> issues;      // posted by a participant of the organisation
  std::vector<OrgIndicator> indicators;  // indicators it reported, in definition order
};

// One entry per organisation: those of `orgs` first (e.g. the council's
// participants' organisations, so that one that posted nothing shows 0),
// in that order, then any other organisation that posted or reported, in
// the order of the log. Pointers are into `state`.
std::vector<OrgComparison> compare_organisations(const CouncilState& state,
                                                 const std::vector<std::string>& orgs);

}  // namespace renkei::domain
