// The handover packet over HTTP (CONTINUITY.md §2, RECORD.md "Handover
// packet"): GET /api/orgs/<o>/handover[?since=] as JSON, …/handover.md (a
// download) and …/handover.html (print-ready A4).
//
// Who may open it: a person of the organisation (following merges), the
// secretariat of the organisation's area, administrators; others 403, an
// unknown organisation 404, no session 401. A one-on-one is included only
// for a viewer who holds a seat in it.
//
// Threading: every method is thread-safe and returns at once. The
// directory is read on a read worker; each council's part is composed on
// its room strand (loading the council there if it is not yet loaded, as
// the documents do); the reply is sent from whichever thread finishes last.
// Holds references to the services it is given, which outlive it.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "app/api_router.hpp"
#include "app/clock.hpp"
#include "app/council_registry.hpp"
#include "app/http_reply.hpp"
#include "app/person_sessions.hpp"
#include "domain/handover_packet.hpp"
#include "domain/org_ref.hpp"
#include "store/read_worker.hpp"

namespace renkei::app {

enum class HandoverFormat { json, markdown, html };

struct HandoverPacketServices {
  store::ReadWorker& reader;
  PersonSessions& people;
  CouncilRegistry& registry;
  const Clock& clock;
  const domain::OrgResolver* orgs;  // may be null or empty (v1): ownership as logged
};

class HandoverPackets {
 public:
  using Reply = std::function<void(HttpReply)>;

  explicit HandoverPackets(HandoverPacketServices services) : services_(services) {}

  // GET /api/orgs/<org>/handover{,.md,.html}. The query's `since`: a date,
  // an ISO instant or "all" (the whole log); 400 otherwise; absent:
  // default_since().
  void packet(ApiRequest request, std::string org, HandoverFormat format, Reply done);

 private:
  HandoverPacketServices services_;
};

// Where the packet's changes start when the request names none, and whose
// seats the viewer took over. The viewer's current seats held for `org`
// that continue a predecessor's (a handover, CONTINUITY.md section 1): the
// predecessor of the latest such seat, and the earlier of their last visit
// and the end of their seat (a predecessor who keeps using Renkei in a new
// post does not move the start; one who never visited saw nothing: none,
// the whole log). Without a predecessor: the viewer's own last visit, none
// for a first visit. Read worker thread.
struct PacketStart {
  std::optional<std::string> since;
  std::optional<domain::PacketPredecessor> predecessor;
};
PacketStart default_since(store::Database& db, const SignedIn& viewer, const std::string& org);

// "2027-04-01" (the start of that day in JST) or an ISO instant
// ("2027-04-01T09:00:00Z", with or without milliseconds) as the log writes
// instants ("2027-04-01T09:00:00.000Z"); nullopt when it is neither.
std::optional<std::string> normalise_since(std::string_view text);

// Registers the three routes; the handler object lives as long as the router.
void add_handover_packet_routes(ApiRouter& router, HandoverPacketServices services);

}  // namespace renkei::app
