#include "store/pg_redactor.hpp"

#include <utility>

#include "store/pg_connection.hpp"
#include "store/statement.hpp"
#include "store/store_error.hpp"

namespace renkei::store {

// SQLite's JSON functions on a private in-memory database: ?1 is data, ?2
// the frame; each statement returns the rewritten pair. The expressions are
// those of Redactor (redaction.cpp).
struct PgRedactor::Json {
  Json()
      : connection(":memory:"),
        text(connection.get(),
             "SELECT json_set(?1, '$.text', '', '$.redacted', json('true')), "
             "json_set(?2, '$.data.text', '', '$.data.redacted', json('true'))"),
        reason(connection.get(),
               "SELECT json_set(json_remove(?1, '$.reason'), '$.redacted', json('true')), "
               "json_set(json_remove(?2, '$.data.reason'), '$.data.redacted', json('true'))"),
        role(connection.get(),
             "SELECT json_replace(json_set(?1, '$.title', '', '$.redacted', json('true')), "
             "'$.detail', ''), json_replace(json_set(?2, '$.data.title', '', "
             "'$.data.redacted', json('true')), '$.data.detail', '')"),
        note(connection.get(),
             "SELECT json_set(json_remove(?1, '$.note'), '$.redacted', json('true')), "
             "json_set(json_remove(?2, '$.data.note'), '$.data.redacted', json('true'))") {}

  Connection connection;
  Statement text;
  Statement reason;
  Statement role;
  Statement note;
};

namespace {

#define RENKEI_PG_REDACT_SELECT \
  "SELECT seq, data, frame FROM events WHERE council = $1 AND seq < $2 "

}  // namespace

PgRedactor::PgRedactor() : json_(std::make_unique<Json>()) {}

PgRedactor::~PgRedactor() = default;

std::vector<std::uint64_t> PgRedactor::rewrite(PgConnection& connection, const std::string& council,
                                               std::uint64_t seq, const RedactionRow& redaction) {
  const auto at = static_cast<std::int64_t>(seq);
  connection.query("INSERT INTO redaction_grant(council, seq) VALUES($1, $2)",
                   PgParams().text(council).integer(at), "redact: grant");
  PgParams params;
  params.text(council).integer(at).text(redaction.target);
  const bool by_participant = redaction.scope == RedactionScope::stance_reason ||
                              redaction.scope == RedactionScope::role_notes;
  if (by_participant) params.text(redaction.participant);
  PgResult rows(nullptr);
  Statement* rewrite = &json_->text;
  switch (redaction.scope) {
    case RedactionScope::issue:
      rows = connection.query(RENKEI_PG_REDACT_SELECT
                              "AND op = 'issue.posted' AND data::json->>'issue' = $3 ORDER BY seq",
                              params, "redact: select");
      break;
    case RedactionScope::proposal:
      rows = connection.query(
          RENKEI_PG_REDACT_SELECT
          "AND op = 'proposal.opened' AND data::json->>'proposal' = $3 ORDER BY seq",
          params, "redact: select");
      break;
    case RedactionScope::stance_reason:
      rewrite = &json_->reason;
      rows = connection.query(RENKEI_PG_REDACT_SELECT
                              "AND op = 'proposal.stance_taken' AND data::json->>'proposal' = $3 "
                              "AND participant = $4 AND data::json->'reason' IS NOT NULL "
                              "ORDER BY seq",
                              params, "redact: select");
      break;
    case RedactionScope::role:
      rewrite = &json_->role;
      rows = connection.query(RENKEI_PG_REDACT_SELECT
                              "AND op = 'role.proposed' AND data::json->>'role' = $3 ORDER BY seq",
                              params, "redact: select");
      break;
    case RedactionScope::role_notes:
      rewrite = &json_->note;
      rows = connection.query(RENKEI_PG_REDACT_SELECT
                              "AND op IN ('role.consented', 'role.status_changed') "
                              "AND data::json->>'role' = $3 AND participant = $4 "
                              "AND data::json->'note' IS NOT NULL ORDER BY seq",
                              params, "redact: select");
      break;
  }
  std::vector<std::uint64_t> rewritten;
  for (int i = 0; i < rows.rows(); ++i) {
    const std::string data = rows.text(i, 1);
    const std::string frame = rows.text(i, 2);
    std::string new_data;
    std::string new_frame;
    {
      Query json(*rewrite, "redact: rewrite");
      json.bind_text(1, data).bind_text(2, frame);
      if (!json.step()) throw StoreError("redact: no rewrite", 1);
      new_data = json.text(0);
      new_frame = json.text(1);
    }
    connection.query(
        "UPDATE events SET data = $3, frame = $4 WHERE council = $1 AND seq = $2",
        PgParams().text(council).integer(rows.int64(i, 0)).text(new_data).text(new_frame),
        "redact: rewrite");
    connection.query("DELETE FROM search_text WHERE council = $1 AND seq = $2",
                     PgParams().text(council).integer(rows.int64(i, 0)), "redact: search text");
    rewritten.push_back(static_cast<std::uint64_t>(rows.int64(i, 0)));
  }
  connection.query("DELETE FROM redaction_grant WHERE council = $1 AND seq = $2",
                   PgParams().text(council).integer(at), "redact: revoke");
  return rewritten;
}

}  // namespace renkei::store
