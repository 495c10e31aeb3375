// The searchable texts of logged events, extracted in SQL from the `data`
// JSON of `events` rows. Private to the store. The extraction must give the
// same texts, in the same order, as domain::searchable_texts (a test checks
// it for every op that has texts): the search index is built from it, and
// the newest events, not indexed yet, are matched with it directly.
#pragma once

#include "domain/search_text.hpp"
#include "store/statement.hpp"

// Rows (seq, n, kind, ref, meeting, at, text) of the events of council ?1
// with ?2 < seq <= ?3; `n` orders the texts of one event. One range scan
// of the council's events (CROSS JOIN keeps `events` the outer loop), each
// row joined with what its op names: (op, n, kind, ref path, text path).
// Texts that are missing or not strings are left out by
// RENKEI_SEARCHABLE_WHERE.
#define RENKEI_SEARCHABLE_TEXTS                                                  \
  "(SELECT e.seq AS seq, m.column2 AS n, m.column3 AS kind, "                    \
  "json_extract(e.data, m.column4) AS ref, e.meeting AS meeting, e.at AS at, "   \
  "json_extract(e.data, m.column5) AS text FROM events AS e CROSS JOIN (VALUES " \
  "('issue.posted', 1, 'issue', '$.issue', '$.text'), "                          \
  "('proposal.opened', 1, 'proposal', '$.proposal', '$.text'), "                 \
  "('proposal.stance_taken', 1, 'stance', '$.proposal', '$.reason'), "           \
  "('role.proposed', 1, 'role', '$.role', '$.title'), "                          \
  "('role.proposed', 2, 'role_detail', '$.role', '$.detail'), "                  \
  "('role.consented', 1, 'consent', '$.role', '$.note'), "                       \
  "('role.status_changed', 1, 'status', '$.role', '$.note'), "                   \
  "('indicator.defined', 1, 'indicator', '$.indicator', '$.name'), "             \
  "('theme.stage_set', 1, 'stage', '$.theme', '$.reason')) AS m "                \
  "WHERE e.council = ?1 AND e.seq > ?2 AND e.seq <= ?3 AND m.column1 = e.op)"

#define RENKEI_SEARCHABLE_WHERE "typeof(text) = 'text' AND typeof(ref) = 'text'"

namespace renkei::store {

// A hit from the columns (kind, ref, text, seq, meeting, at), the order
// every search statement selects (search_index.cpp).
domain::SearchHit search_hit(const Query& query);

}  // namespace renkei::store
