#include "store/redaction.hpp"

#include "store/database.hpp"

namespace renkei::store {

namespace {

// Every rewrite selects by op and the id in the event's data (a scan of the
// council's events, which are stored together: redactions are rare), keeps
// the other members as they are, and marks data and frame "redacted": true,
// which the trigger of schema v8 requires.
#define RENKEI_REDACT_WHERE(op) "WHERE council = ?1 AND seq < ?2 AND op = '" op "' "

#define RENKEI_REDACT_TEXT                                            \
  "UPDATE events SET "                                                \
  "data = json_set(data, '$.text', '', '$.redacted', json('true')), " \
  "frame = json_set(frame, '$.data.text', '', '$.data.redacted', json('true')) "

}  // namespace

Redactor::Redactor(sqlite3* db)
    : grant_(db, "INSERT INTO redaction_grant(council, seq) VALUES(?1, ?2)"),
      revoke_(db, "DELETE FROM redaction_grant WHERE council = ?1 AND seq = ?2"),
      issue_(db, RENKEI_REDACT_TEXT RENKEI_REDACT_WHERE(
                     "issue.posted") "AND json_extract(data, '$.issue') = ?3 RETURNING seq"),
      proposal_(db, RENKEI_REDACT_TEXT RENKEI_REDACT_WHERE(
                        "proposal.opened") "AND json_extract(data, '$.proposal') = ?3 RETURNING seq"),
      stance_reason_(
          db,
          "UPDATE events SET "
          "data = json_set(json_remove(data, '$.reason'), '$.redacted', json('true')), "
          "frame = json_set(json_remove(frame, '$.data.reason'), '$.data.redacted', json('true')) "
          RENKEI_REDACT_WHERE("proposal.stance_taken")
          "AND json_extract(data, '$.proposal') = ?3 AND participant = ?4 "
          "AND json_type(data, '$.reason') IS NOT NULL RETURNING seq"),
      role_(db,
            "UPDATE events SET "
            "data = json_replace(json_set(data, '$.title', '', '$.redacted', json('true')), "
            "'$.detail', ''), "
            "frame = json_replace(json_set(frame, '$.data.title', '', '$.data.redacted', "
            "json('true')), '$.data.detail', '') " RENKEI_REDACT_WHERE(
                "role.proposed") "AND json_extract(data, '$.role') = ?3 RETURNING seq"),
      role_notes_(
          db,
          "UPDATE events SET "
          "data = json_set(json_remove(data, '$.note'), '$.redacted', json('true')), "
          "frame = json_set(json_remove(frame, '$.data.note'), '$.data.redacted', json('true')) "
          "WHERE council = ?1 AND seq < ?2 AND op IN ('role.consented', 'role.status_changed') "
          "AND json_extract(data, '$.role') = ?3 AND participant = ?4 "
          "AND json_type(data, '$.note') IS NOT NULL RETURNING seq") {}

std::vector<std::uint64_t> Redactor::rewrite(const std::string& council, std::uint64_t seq,
                                             const RedactionRow& redaction) {
  const auto at = static_cast<std::int64_t>(seq);
  {
    Query grant(grant_, "redact: grant");
    grant.bind_text(1, council).bind_int(2, at).run();
  }
  Statement* statement = &issue_;
  switch (redaction.scope) {
    case RedactionScope::issue: statement = &issue_; break;
    case RedactionScope::proposal: statement = &proposal_; break;
    case RedactionScope::stance_reason: statement = &stance_reason_; break;
    case RedactionScope::role: statement = &role_; break;
    case RedactionScope::role_notes: statement = &role_notes_; break;
  }
  std::vector<std::uint64_t> rewritten;
  {
    Query update(*statement, "redact: rewrite");
    update.bind_text(1, council).bind_int(2, at).bind_text(3, redaction.target);
    if (redaction.scope == RedactionScope::stance_reason ||
        redaction.scope == RedactionScope::role_notes)
      update.bind_text(4, redaction.participant);
    while (update.step()) rewritten.push_back(static_cast<std::uint64_t>(update.int64(0)));
  }
  Query revoke(revoke_, "redact: revoke");
  revoke.bind_text(1, council).bind_int(2, at).run();
  return rewritten;
}

}  // namespace renkei::store
