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

// The index's hits for an FTS5 query (?2) in council ?1 up to seq ?3,
// newest first, at most ?4, with ?5 = domain::max_searchable_texts_per_event
// - 1. The full-text index drives the join (CROSS JOIN fixes the order):
// its matches newest first (rowid descending, no sort), each looked up by
// primary key for its council and seq, stopping after ?4 + ?5 rows. Rowids
// grow with seq within a council (texts are indexed in seq order and ids
// only grow), so those rows hold the newest ?4 matches whole once ?5 covers
// the other texts of the last event; the outer ORDER BY puts them in the
// order of the log (seq descending, an event's texts in the order they
// were extracted). Driven the other way (the council's texts in seq order,
// the index probed for each) a rare term cost a probe per text: 2 s at
// 50,000 texts (tests/bench/RESULTS.md, "Search latency").
#define RENKEI_SEARCH_MATCH_SQL                                                 \
  "SELECT kind, ref, text, seq, meeting, at FROM ("                             \
  "SELECT t.id, t.kind, t.ref, t.text, t.seq, t.meeting, t.at "                 \
  "FROM search_index CROSS JOIN search_text AS t ON t.id = search_index.rowid " \
  "WHERE search_index MATCH ?2 AND t.council = ?1 AND t.seq <= ?3 "             \
  "ORDER BY search_index.rowid DESC LIMIT ?4 + ?5) "                            \
  "ORDER BY seq DESC, id LIMIT ?4"

namespace renkei::store {

// A hit from the columns (kind, ref, text, seq, meeting, at), the order
// every search statement selects (search_index.cpp).
domain::SearchHit search_hit(const Query& query);

}  // namespace renkei::store
