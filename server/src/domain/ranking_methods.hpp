// Ranking methods of the v1 contract (Schulze, Borda, dots) and the common
// rank rule. Pure functions over candidates and ballots.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "domain/event.hpp"

namespace renkei::domain {

// Scores with the shared rank rule: rank = 1 + number of candidates with a
// higher score; rows ascending by rank, ties by issue id as byte strings.
// Every candidate appears once.
std::vector<RankRow> rank_by_score(const std::vector<std::string>& candidates,
                                   const std::map<std::string, std::int64_t>& scores);

// Each ballot is an order of distinct candidates (possibly partial).
std::vector<RankRow> schulze(const std::vector<std::string>& candidates,
                             const std::vector<std::vector<std::string>>& ballots);
std::vector<RankRow> borda(const std::vector<std::string>& candidates,
                           const std::vector<std::vector<std::string>>& ballots);
std::vector<RankRow> dot_vote(const std::vector<std::string>& candidates,
                              const std::vector<std::map<std::string, std::int64_t>>& ballots);

}  // namespace renkei::domain
