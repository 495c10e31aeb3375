// Who a request speaks for, and the browser sessions: invite tokens
// (scripted clients) and session cookies (browsers) are checked here;
// /join/<token> opens a session, /api/session tells who it is, sign-out
// ends it. A watcher closes the sockets of participants revoked by another
// process (`renkei revoke`) and ends their sessions.
//
// Threading: identify() and authenticate() run on a read worker, with its
// connection. The rest is thread-safe; reads go to the read workers and
// every write to the writer (EventWriter::submit_write). `done` callbacks
// run on a store thread (a read worker or the writer). Holds references to
// the writer, the readers, the registry and the clock, which outlive it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>

#include "app/api_request.hpp"
#include "app/api_router.hpp"
#include "app/clock.hpp"
#include "app/council_registry.hpp"
#include "app/http_reply.hpp"
#include "app/person_sessions.hpp"
#include "domain/actor.hpp"
#include "domain/error.hpp"
#include "store/event_writer.hpp"
#include "store/read_worker.hpp"
#include "store/rows.hpp"

namespace renkei::app {

struct SessionSettings {
  // Browser sessions end after this long without use, and this long after
  // they began, whichever comes first.
  std::chrono::seconds idle_timeout{12 * 3600};
  std::chrono::seconds absolute_timeout{7 * 24 * 3600};
};

// Who a request speaks for: an invite token (scripted clients) or the
// value of the browser's session cookie, and the council it asks for.
struct HelloRequest {
  std::optional<std::string> token;
  std::optional<std::string> session_cookie;
  std::string council;
};

// The credentials of an API request for `council`: the bearer token, else
// the session cookie. A request with neither still reaches its endpoint,
// which answers 401 (and audits the refusal).
HelloRequest credentials_of(const ApiRequest& request, std::string council);

// The refusal of credentials that are invalid, expired, revoked or of
// another council (a hello is refused with it either way).
domain::Error invalid_credentials();

// A browser session opened by an invite link.
struct OpenedSession {
  std::string cookie;   // the new random cookie value (not the token)
  std::string council;  // where to send the browser
  std::chrono::seconds max_age{0};
};

class Sessions {
 public:
  Sessions(SessionSettings settings, store::EventWriter& writer, store::ReadWorker& reader,
           CouncilRegistry& registry, const Clock& clock);
  ~Sessions();  // stops the watcher
  Sessions(const Sessions&) = delete;
  Sessions& operator=(const Sessions&) = delete;

  // Read worker: the valid participant the credentials speak for, whatever
  // the council (a session's use is recorded, at most once a minute).
  std::optional<store::ParticipantRow> identify(store::Database& db, const HelloRequest& request);
  // Read worker: the participant, if the credentials are valid and belong
  // to request.council; `unauthorized` (invalid_credentials) or
  // `forbidden` (another council's) otherwise. Throws on a store failure.
  std::variant<domain::Actor, domain::Error> authenticate(store::Database& db,
                                                          const HelloRequest& request);
  // Read worker: a signed-in person without a seat in request.council who
  // may read it as a prefecture viewer (AUTHORIZATION.md "The prefecture's
  // view": not a one-on-one, in one of their prefectures). The Actor's
  // participant is the person's id ("u3"), its role observer. For the GET
  // documents only: never for hello nor for a write. Throws on a store
  // failure.
  std::optional<domain::Actor> prefecture_reader(store::Database& db, const HelloRequest& request);

  // GET /join/<token>: exchanges a valid invite token for a new browser
  // session (written before `done`); nothing for an invalid one.
  void open_session(std::string token, std::function<void(std::optional<OpenedSession>)> done);
  // GET /api/session[?council=<id>]: who the cookie speaks for (200), or
  // 401. A person's sign-in session answers for their seat in `council_id`
  // (403 second_factor_enrolment_required until they must and have not
  // enrolled).
  void session_info(std::string cookie, std::string council_id,
                    std::function<void(HttpReply)> done);

  // v2: people's sign-in sessions (a cookie that is not a v1 browser
  // session is looked up there), whether this is the demo database (its
  // invite links of seated people sign the person in), and work the
  // watcher does once a second on a read worker (reloading organisations
  // the CLI changed). Call before start().
  void set_people(PersonSessions* people, bool demo,
                  std::function<void(store::Database&)> on_tick) {
    people_ = people;
    demo_ = demo;
    on_tick_ = std::move(on_tick);
  }
  // POST /api/logout: ends the session and closes the participant's sockets.
  void logout(std::string cookie, std::function<void()> done);

  // GET /api/session and POST /api/logout.
  void add_routes(ApiRouter& router);

  // Starts the revocation watcher (once); stop() ends it (idempotent).
  void start();
  void stop();

 private:
  // The participant a cookie speaks for, if the session is valid now.
  std::optional<store::ParticipantRow> session_participant(store::Database& db,
                                                           const std::string& cookie);
  // The seat of a person's sign-in session in `request.council`; `refusal`
  // is set when they must first enrol a second factor, or hold no seat there.
  std::optional<store::ParticipantRow> person_seat(store::Database& db, const HelloRequest& request,
                                                   std::optional<domain::Error>& refusal);
  // Revocation made by `renkei revoke` (another process) reaches live
  // sockets: once a second a read task looks for participants revoked since
  // the last one seen and closes their connections (4401).
  void watch_revocations();

  SessionSettings settings_;
  PersonSessions* people_ = nullptr;
  bool demo_ = false;
  std::function<void(store::Database&)> on_tick_;
  store::EventWriter& writer_;
  store::ReadWorker& reader_;
  CouncilRegistry& registry_;
  const Clock& clock_;

  std::mutex watch_mutex_;
  std::condition_variable watch_wake_;
  bool watch_stopping_ = false;  // guarded by watch_mutex_
  std::mutex revocation_mutex_;
  std::string last_revocation_;  // guarded by revocation_mutex_
  std::thread watcher_;
};

}  // namespace renkei::app
