#include "domain/ranking_methods.hpp"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <set>
#include <unordered_map>

namespace renkei::domain {
namespace {

// Adds without signed overflow: a score saturates at the int64 maximum.
// Scores are non-negative, so only the upper bound matters.
std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
  constexpr auto max = std::numeric_limits<std::int64_t>::max();
  if (b > 0 && a > max - b) return max;
  return a + b;
}

// Candidate id -> position in `candidates` (first occurrence wins).
std::unordered_map<std::string, std::size_t> positions_of(
    const std::vector<std::string>& candidates) {
  std::unordered_map<std::string, std::size_t> positions;
  for (std::size_t i = 0; i < candidates.size(); ++i) positions.emplace(candidates[i], i);
  return positions;
}

// The ballot as candidate positions, in ballot order. decide() only lets
// through ballots of distinct candidates; anything else (a non-candidate, a
// repeat) is dropped here so that a bad log entry cannot corrupt a count.
std::vector<std::size_t> ranked_positions(
    const std::vector<std::string>& order,
    const std::unordered_map<std::string, std::size_t>& positions) {
  std::vector<std::size_t> ranked;
  std::vector<bool> seen(positions.size(), false);
  ranked.reserve(order.size());
  for (const auto& id : order) {
    const auto it = positions.find(id);
    if (it == positions.end() || it->second >= seen.size() || seen[it->second]) continue;
    seen[it->second] = true;
    ranked.push_back(it->second);
  }
  return ranked;
}

}  // namespace

std::vector<RankRow> rank_by_score(const std::vector<std::string>& candidates,
                                   const std::map<std::string, std::int64_t>& scores) {
  // Each candidate once, in byte order of its id.
  const std::set<std::string> unique(candidates.begin(), candidates.end());

  std::vector<RankRow> rows;
  rows.reserve(unique.size());
  for (const auto& id : unique) {
    const auto it = scores.find(id);
    rows.push_back(RankRow{id, 0, it == scores.end() ? 0 : it->second});
  }
  for (auto& row : rows) {
    std::int64_t higher = 0;
    for (const auto& other : rows)
      if (other.score > row.score) ++higher;
    row.rank = 1 + higher;
  }
  // `rows` is already in id order, so a stable sort by rank keeps ties by id.
  std::stable_sort(rows.begin(), rows.end(),
                   [](const RankRow& a, const RankRow& b) { return a.rank < b.rank; });
  return rows;
}

std::vector<RankRow> schulze(const std::vector<std::string>& candidates,
                             const std::vector<std::vector<std::string>>& ballots) {
  const auto positions = positions_of(candidates);
  const std::size_t n = candidates.size();

  // d[a][b]: ballots preferring a to b. Ranked candidates are preferred in
  // ballot order and to every unranked one; unranked ones are tied.
  std::vector<std::vector<std::int64_t>> d(n, std::vector<std::int64_t>(n, 0));
  for (const auto& ballot : ballots) {
    const auto ranked = ranked_positions(ballot, positions);
    std::vector<bool> is_ranked(n, false);
    for (std::size_t i = 0; i < ranked.size(); ++i) {
      const std::size_t a = ranked[i];
      is_ranked[a] = true;
      for (std::size_t j = i + 1; j < ranked.size(); ++j) ++d[a][ranked[j]];
    }
    for (const std::size_t a : ranked)
      for (std::size_t b = 0; b < n; ++b)
        if (!is_ranked[b]) ++d[a][b];
  }

  // Link strength by winning votes, then the widest paths (Floyd–Warshall).
  std::vector<std::vector<std::int64_t>> p(n, std::vector<std::int64_t>(n, 0));
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = 0; b < n; ++b)
      if (a != b && d[a][b] > d[b][a]) p[a][b] = d[a][b];
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      if (j == i) continue;
      for (std::size_t k = 0; k < n; ++k) {
        if (k == i || k == j) continue;
        p[j][k] = std::max(p[j][k], std::min(p[j][i], p[i][k]));
      }
    }

  std::map<std::string, std::int64_t> scores;
  for (std::size_t a = 0; a < n; ++a) {
    std::int64_t beaten = 0;
    for (std::size_t c = 0; c < n; ++c)
      if (c != a && p[a][c] > p[c][a]) ++beaten;
    scores.emplace(candidates[a], beaten);
  }
  return rank_by_score(candidates, scores);
}

std::vector<RankRow> borda(const std::vector<std::string>& candidates,
                           const std::vector<std::vector<std::string>>& ballots) {
  const auto positions = positions_of(candidates);
  const auto n = static_cast<std::int64_t>(positions.size());

  std::vector<std::int64_t> points(candidates.size(), 0);
  for (const auto& ballot : ballots) {
    const auto ranked = ranked_positions(ballot, positions);
    for (std::size_t place = 0; place < ranked.size(); ++place)
      points[ranked[place]] += n - 1 - static_cast<std::int64_t>(place);
  }

  std::map<std::string, std::int64_t> scores;
  for (std::size_t i = 0; i < candidates.size(); ++i) scores.emplace(candidates[i], points[i]);
  return rank_by_score(candidates, scores);
}

std::vector<RankRow> dot_vote(const std::vector<std::string>& candidates,
                              const std::vector<std::map<std::string, std::int64_t>>& ballots) {
  std::map<std::string, std::int64_t> scores;
  for (const auto& id : candidates) scores.emplace(id, 0);
  for (const auto& ballot : ballots)
    for (const auto& [id, dots] : ballot) {
      const auto it = scores.find(id);
      if (it == scores.end() || dots <= 0) continue;  // decide() lets neither through
      it->second = saturating_add(it->second, dots);
    }
  return rank_by_score(candidates, scores);
}

}  // namespace renkei::domain
