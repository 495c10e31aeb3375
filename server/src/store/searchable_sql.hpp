// The searchable texts of logged events, extracted in SQL from the `data`
// JSON of `events` rows. Private to the store. The extraction must give the
// same texts, in the same order, as domain::searchable_texts (a test checks
// it for every op that has texts): the search index is built from it, and
// the newest events, not indexed yet, are matched with it directly.
#pragma once

#include "domain/search_text.hpp"
#include "store/statement.hpp"

// Rows (seq, n, kind, ref, meeting, at, text) of the events of council ?1
// with ?2 < seq <= ?3; `n` orders the texts of one event. Texts that are
// missing or not strings are left out by RENKEI_SEARCHABLE_WHERE.
#define RENKEI_SEARCHABLE_BRANCH(n, kind, ref, text, op)                    \
  "SELECT seq, " #n " AS n, '" kind "' AS kind, json_extract(data, '$." ref \
  "') AS ref, meeting, at, json_extract(data, '$." text                     \
  "') AS text FROM events "                                                 \
  "WHERE council = ?1 AND seq > ?2 AND seq <= ?3 AND op = '" op "'"

#define RENKEI_SEARCHABLE_TEXTS \
  "(" RENKEI_SEARCHABLE_BRANCH(1, "issue", "issue", "text", "issue.posted")          \
  " UNION ALL " RENKEI_SEARCHABLE_BRANCH(1, "proposal", "proposal", "text",          \
                                         "proposal.opened")                          \
  " UNION ALL " RENKEI_SEARCHABLE_BRANCH(1, "stance", "proposal", "reason",          \
                                         "proposal.stance_taken")                    \
  " UNION ALL " RENKEI_SEARCHABLE_BRANCH(1, "role", "role", "title", "role.proposed") \
  " UNION ALL " RENKEI_SEARCHABLE_BRANCH(2, "role_detail", "role", "detail",         \
                                         "role.proposed")                            \
  " UNION ALL " RENKEI_SEARCHABLE_BRANCH(1, "consent", "role", "note",               \
                                         "role.consented")                           \
  " UNION ALL " RENKEI_SEARCHABLE_BRANCH(1, "status", "role", "note",                \
                                         "role.status_changed")                      \
  " UNION ALL " RENKEI_SEARCHABLE_BRANCH(1, "indicator", "indicator", "name",        \
                                         "indicator.defined")                        \
  " UNION ALL " RENKEI_SEARCHABLE_BRANCH(1, "stage", "theme", "reason",              \
                                         "theme.stage_set") ")"

#define RENKEI_SEARCHABLE_WHERE "typeof(text) = 'text' AND typeof(ref) = 'text'"

namespace renkei::store {

// A hit from the columns (kind, ref, text, seq, meeting, at), the order
// every search statement selects (search_index.cpp).
domain::SearchHit search_hit(const Query& query);

}  // namespace renkei::store
