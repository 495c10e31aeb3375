// Facts derived from the folded state that several views share: the record,
// the changes before the next meeting, the minutes, the exports and the
// comparison across organisations. Pure functions of the state (and, for
// due dates, of the day it is now, passed in).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "domain/council_state.hpp"

namespace renkei::domain {

// The status of an issue as the record shows it, most decisive first:
//   merged       merged into another issue (名寄せ);
//   resolved     at least one role is linked to it and all its linked roles
//                are done (解決済み);
//   prioritised  a candidate of at least one closed ranking (優先順位付け済み);
//   open         otherwise.
enum class IssueStatus { open, prioritised, resolved, merged };

std::string_view to_string(IssueStatus status);
// Japanese label: 検討中 / 優先順位付け済み / 解決済み / 統合済み.
std::string_view label_ja(IssueStatus status);

// The status of every issue of a state, computed once from its rankings and
// roles (the vectors, not the index maps, so a state built by hand works
// too). Holds no pointers into the state.
class IssueStatuses {
 public:
  explicit IssueStatuses(const CouncilState& state);
  IssueStatus of(const Issue& issue) const;

 private:
  std::unordered_set<std::string> prioritised_;
  std::unordered_map<std::string, std::pair<int, int>> roles_;  // issue -> linked, done
};

// A role is overdue when it has a due date before `today` ("YYYY-MM-DD",
// the day in JST), is not done, and was not declined (a declined role is
// nobody's task). Dates compare as text because both are YYYY-MM-DD.
bool is_overdue(const RoleAgreement& role, std::string_view today);

// A proposal's tally: fixed at closing, or counted live from each
// participant's latest stance while it is open.
Tally current_tally(const Proposal& proposal);

// Where a ranking stands as a decision (extension ranking.adopt; the rule is
// documented in server/docs/RECORD.md):
//   open       not closed yet;
//   decision   its result counts: explicitly adopted and not replaced by a
//              later adoption of a ranking sharing a candidate; or never
//              adopted and no other closed ranking shares a candidate (a sole
//              ranking counts by itself, as in logs before the extension);
//   pending    never adopted, overlaps another closed ranking and none of the
//              overlapping ones is adopted (採用待ち);
//   reference  closed but not the decision: replaced, or another ranking
//              sharing a candidate was adopted (参考（採用されなかった結果）).
enum class RankingStanding { open, decision, pending, reference };

RankingStanding ranking_standing(const CouncilState& state, const Ranking& ranking);

// Japanese labels of the role vocabularies, for documents and exports.
std::string_view label_ja(RoleState state);    // 提案中 / 合意 / 辞退
std::string_view label_ja(RoleStatus status);  // 未着手 / 実施中 / 完了 / 見直し
std::string_view label_ja(ProposalKind kind);  // あるべき姿 / 方針
std::string_view label_ja(Stance stance);      // 賛成 / 保留 / 反対 / 異議
std::string_view label_ja(RankingMethod method);
std::string_view label_ja(IndicatorKind kind);  // ストラクチャー / プロセス / アウトカム
std::string_view label_ja(SessionType session);  // 公開 / 非公開
std::string_view label_ja(Role role);  // ファシリテーター / メンバー / オブザーバー
// "1 実態把握・課題集約" ... "4 運用・評価・改善" (0: "未設定").
std::string_view stage_name_ja(int stage);

// A number as documents show it: whole numbers without a fraction (90),
// others in the shortest form that reads back exactly (90.4).
std::string format_number(double value);

}  // namespace renkei::domain
