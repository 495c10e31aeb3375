// The prefecture's view (県本庁) and the health centre's roll-up over HTTP
// (CONTINUITY.md section 3, RECORD.md "The overview"):
//   GET /api/prefectures/<name>/overview[?format=csv]
//   GET /api/areas/<name>/overview[?format=csv]
// for a signed-in person with the right grant (AUTHORIZATION.md). Every
// answer is audited (action read.overview, op prefecture|area; the name is
// client text and is not written to the trail).
//
// Threading: thread-safe; the person and the directory are read on a read
// worker, each council's state on its room strand (never blocking an I/O
// thread); the document is composed on the strand of the last council to
// report. Holds references to the services, which outlive it.
#pragma once

#include <functional>
#include <string>

#include "app/api_request.hpp"
#include "app/api_router.hpp"
#include "app/audit_trail.hpp"
#include "app/clock.hpp"
#include "app/council_registry.hpp"
#include "app/http_reply.hpp"
#include "app/person_sessions.hpp"
#include "store/read_worker.hpp"

namespace renkei::app {

struct OverviewServices {
  store::ReadWorker& reader;
  PersonSessions& people;
  CouncilRegistry& registry;
  const AuditTrail& audit;
  const Clock& clock;
};

class PrefectureOverview {
 public:
  using Reply = std::function<void(HttpReply)>;

  explicit PrefectureOverview(OverviewServices services) : services_(services) {}

  // 401 signed out, 403 without the grant (or a pending second factor),
  // 400 for a name that is not UTF-8 or an unknown format; else 200 JSON
  // or CSV.
  void overview(ApiRequest request, bool scope_is_area, std::string raw_name, Reply done);

 private:
  OverviewServices services_;
};

// Registers the two routes; the PrefectureOverview lives as long as the
// router's handlers.
void add_overview_routes(ApiRouter& router, OverviewServices services);

}  // namespace renkei::app
