// The searchable texts of logged events on PostgreSQL, extracted in SQL
// from `events.data` into `search_text` (STORAGE.md "PostgreSQL"): the
// same op/field table as store/searchable_sql.hpp (and so as
// domain::searchable_texts). Private to the store; callers append their
// conditions on `e` after RENKEI_PG_SEARCH_TEXT_INSERT (a WHERE follows).
#pragma once

// RENKEI_PG_SEARCH_TEXT_INSERT_FROM("rows"): the same from another relation
// with the columns council, seq, op, meeting, at and data (the rows a
// data-modifying WITH just inserted).
#define RENKEI_PG_SEARCH_TEXT_INSERT RENKEI_PG_SEARCH_TEXT_INSERT_FROM("events")
#define RENKEI_PG_SEARCH_TEXT_INSERT_FROM(source)                                     \
  "INSERT INTO search_text(council, seq, n, kind, ref, meeting, at, text) "           \
  "SELECT e.council, e.seq, m.n, m.kind, e.data::json->>m.ref, e.meeting, e.at, "     \
  "e.data::json->>m.text FROM " source                                                \
  " AS e JOIN (VALUES "                                                               \
  "('issue.posted', 1, 'issue', 'issue', 'text'), "                                   \
  "('proposal.opened', 1, 'proposal', 'proposal', 'text'), "                          \
  "('proposal.stance_taken', 1, 'stance', 'proposal', 'reason'), "                    \
  "('role.proposed', 1, 'role', 'role', 'title'), "                                   \
  "('role.proposed', 2, 'role_detail', 'role', 'detail'), "                           \
  "('role.consented', 1, 'consent', 'role', 'note'), "                                \
  "('role.status_changed', 1, 'status', 'role', 'note'), "                            \
  "('indicator.defined', 1, 'indicator', 'indicator', 'name'), "                      \
  "('theme.stage_set', 1, 'stage', 'theme', 'reason')) AS m(op, n, kind, ref, text) " \
  "ON m.op = e.op WHERE json_typeof(e.data::json->m.ref) = 'string' "                 \
  "AND json_typeof(e.data::json->m.text) = 'string' "
