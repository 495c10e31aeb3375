// Handover (引き継ぎ) and 空席 over HTTP (server/docs/CONTINUITY.md
// section 1): the console's handover of a person's seats, the person's own
// request and its confirmation or rejection, vacancies (list, fill,
// dismiss), a council's seat lines (GET /api/councils/<id>/holders, the
// record's access rules) and the successor's "packet opened" mark.
//
// Threading: the handlers may be called on any thread; each authenticates on
// a read worker, reads there, and writes through the group-commit writer in
// one savepoint with its audit rows, so a refusal writes nothing. `done`
// runs on a store thread. The services must outlive the router.
#pragma once

#include "app/api_router.hpp"
#include "app/audit_trail.hpp"
#include "app/clock.hpp"
#include "app/person_sessions.hpp"
#include "app/sessions.hpp"

namespace renkei::store {
class ReadWorker;
class EventWriter;
}  // namespace renkei::store

namespace renkei::app {

struct HandoverServices {
  store::ReadWorker& reader;
  store::EventWriter& writer;
  PersonSessions& people;
  Sessions& sessions;
  const AuditTrail& audit;
  const Clock& clock;
};

// The instant a handover dated `date` ("YYYY-MM-DD", a date in Japan)
// takes effect: the start of that day in Japan, or now for today or a day
// before. Empty for a malformed date.
std::string handover_instant(const std::string& date, const Clock& clock);

void add_handover_routes(ApiRouter& router, HandoverServices services);

}  // namespace renkei::app
