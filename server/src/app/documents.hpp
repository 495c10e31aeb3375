// The council's documents over HTTP (server/docs/RECORD.md): the record,
// what changed, the comparison by organisation, search, the minutes and
// the downloads; the confidentiality acknowledgement of a closed session
// and the personal-information check of a text. Each follows the record's
// rules: 401 without valid credentials, 403 with another council's, and
// every answer audited (never text or tokens).
//
// Threading: every method is thread-safe and returns at once; the work runs
// on a read worker and the council's room strand, writes go to the writer.
// `done` runs on a store or room thread. Holds references to the services
// it is given, which outlive it.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "app/api_router.hpp"
#include "app/audit_trail.hpp"
#include "app/clock.hpp"
#include "app/council_registry.hpp"
#include "app/http_reply.hpp"
#include "app/sessions.hpp"
#include "domain/actor.hpp"
#include "domain/council_state.hpp"
#include "store/event_writer.hpp"
#include "store/read_worker.hpp"

namespace renkei::app {

// The downloads of GET /api/councils/<id>/... (server/docs/RECORD.md).
enum class ExportKind { roles_csv, issues_csv, roles_ics };
enum class MinutesFormat { markdown, html };

struct DocumentServices {
  store::ReadWorker& reader;
  store::EventWriter& writer;
  CouncilRegistry& registry;
  Sessions& sessions;
  const AuditTrail& audit;
  const Clock& clock;
};

class Documents {
 public:
  using Reply = std::function<void(HttpReply)>;

  explicit Documents(DocumentServices services) : services_(services) {}

  // GET /api/councils/<id>/record for a bearer token or session participant.
  void record(HelloRequest credentials, Reply done);
  // GET /api/councils/<id>/changes[?since=<meeting>]: since that meeting
  // (default: the last ended one, else the whole log); 404 for an unknown
  // meeting.
  void changes(HelloRequest credentials, std::optional<std::string> since, Reply done);
  // GET /api/councils/<id>/comparison.
  void comparison(HelloRequest credentials, Reply done);
  // GET /api/councils/<id>/promotion-targets (extension, CONTINUITY.md
  // section 5): the councils a party of this one-on-one may promote items
  // to — kind council, same area, not archived — as
  // {"targets":[{"id","name"}]}; empty for a council.
  void promotion_targets(HelloRequest credentials, Reply done);
  // GET /api/councils/<id>/search?q=: 400 unless q holds 1-100 characters.
  void search(HelloRequest credentials, std::optional<std::string> query, Reply done);
  // GET /api/councils/<id>/meetings/<mid>/minutes.{md,html}; 404 for an
  // unknown meeting.
  void minutes(HelloRequest credentials, std::string meeting, MinutesFormat format, Reply done);
  // GET /api/councils/<id>/{roles.csv,issues.csv,roles.ics}.
  void export_file(HelloRequest credentials, ExportKind kind, Reply done);
  // POST /api/councils/<id>/meetings/<mid>/confidentiality: records the
  // participant's acknowledgement once (any role); 404 unknown meeting, 409
  // when it is not a closed session (or ended before any acknowledgement).
  void acknowledge_confidentiality(HelloRequest credentials, std::string meeting, Reply done);
  // POST /api/check-text: personal-information findings in {"text": ...}.
  // Any valid credentials (request.council is ignored); 401 otherwise.
  void check_text(HelloRequest credentials, std::string body, Reply done);

  // The routes of all of the above.
  void add_routes(ApiRouter& router);

 private:
  // Authenticates `credentials` for their council on a read worker and runs
  // `then` there with the database and the participant; refusals are
  // answered 401/403. Every answer is audited as `action` (with `op`) and
  // its outcome ("ok" or the HTTP status) before it reaches `done`.
  void authorised(HelloRequest credentials, std::string action, std::optional<std::string> op,
                  std::function<void(store::Database&, const domain::Actor&, Reply)> then,
                  Reply done);
  // Runs `fn` on the council's room strand with its committed state; 404
  // when the council cannot be loaded.
  void with_state(const std::string& council, Reply reply,
                  std::function<void(const domain::CouncilState&, Reply)> fn);

  DocumentServices services_;
};

}  // namespace renkei::app
