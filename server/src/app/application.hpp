// The server's application core: the store (writer and read workers), the
// agenda catalog, the loaded councils, and the operations the network layer
// calls (hello, catch-up reads, the record and the council's other
// documents, confidentiality acknowledgements, the text check). Knows
// nothing of sockets.
//
// Threading: every method is thread-safe. Callbacks named `done` run on the
// connection's executor when a Connection is given (Connection::run), else
// on a store or room thread; the caller must then post to its own executor.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "app/agenda_catalog.hpp"
#include "app/auth/hash_pool.hpp"
#include "app/auth/password_hasher.hpp"
#include "app/auth/secret_box.hpp"
#include "app/auth/sign_in_throttle.hpp"
#include "app/console.hpp"
#include "app/home.hpp"
#include "app/org_cache.hpp"
#include "app/person_sessions.hpp"
#include "app/sign_in.hpp"
#include "app/api_request.hpp"
#include "app/api_router.hpp"
#include "app/clock.hpp"
#include "app/connection.hpp"
#include "app/council_registry.hpp"
#include "app/executor.hpp"
#include "app/http_reply.hpp"
#include "app/metrics.hpp"
#include "app/room.hpp"
#include "domain/actor.hpp"
#include "domain/error.hpp"
#include "domain/org_ref.hpp"
#include "store/event_writer.hpp"
#include "store/read_worker.hpp"

namespace renkei::app {

struct ApplicationSettings {
  std::string db_path = "./renkei.db";
  std::string agenda_dir;
  std::size_t read_threads = 2;
  std::size_t max_batch = 4096;
  // Browser sessions end after this long without use, and this long after
  // they began, whichever comes first.
  std::chrono::seconds session_idle_timeout{12 * 3600};
  std::chrono::seconds session_absolute_timeout{7 * 24 * 3600};
  // Sign-in (PEOPLE.md): the key that seals TOTP secrets (default: the
  // database path + ".key"), the hash pool's threads (0: half the cores),
  // and whether this is the demo database (no second factor required;
  // invite links of seated people sign the person in).
  std::string secret_key_path;
  std::size_t hash_threads = 0;
  bool demo = false;
};

// Who a request speaks for: an invite token (scripted clients) or the
// value of the browser's session cookie.
struct HelloRequest {
  std::optional<std::string> token;
  std::optional<std::string> session_cookie;
  std::string council;
};

// A browser session opened by an invite link.
struct OpenedSession {
  std::string cookie;   // the new random cookie value (not the token)
  std::string council;  // where to send the browser
  std::chrono::seconds max_age{0};
};

struct Joined {
  std::shared_ptr<Room> room;
  domain::Actor me;
  std::uint64_t head = 0;
};

using HelloOutcome = std::variant<Joined, domain::Error>;

// The downloads of GET /api/councils/<id>/... (server/docs/RECORD.md).
enum class ExportKind { roles_csv, issues_csv, roles_ics };
enum class MinutesFormat { markdown, html };

class Application {
 public:
  // Opens (and migrates) the database, starts the writer and read workers
  // and loads the agenda templates. Councils are replayed on first use
  // (CouncilRegistry::with_room), so start-up does not grow with the log.
  // Throws on failure.
  Application(ApplicationSettings settings, ExecutorFactory& executors, const Clock& clock);
  ~Application();
  Application(const Application&) = delete;
  Application& operator=(const Application&) = delete;

  // Answers a request of the HTTP API (any path under /api/) through its
  // route (app/api_router.hpp); `done` runs once, on any thread.
  void handle_api(ApiRequest request, ApiDone done) const;

  // Authenticates and joins. On success the connection follows the room.
  void hello(std::shared_ptr<Connection> connection, HelloRequest request,
             std::function<void(HelloOutcome)> done);

  // Frames of `council` with after < seq <= upto, at most `limit`.
  void read_frames(std::shared_ptr<Connection> connection, std::string council, std::uint64_t after,
                   std::uint64_t upto, std::size_t limit,
                   std::function<void(std::optional<std::vector<std::string>>)> done);

  // GET /api/councils/<id>/record for a bearer token or session participant.
  // 401 without valid credentials, 403 for another council's credentials.
  void record(HelloRequest credentials, std::function<void(HttpReply)> done);

  // The council's own documents, each with the record's rules: 401 without
  // valid credentials, 403 for another council's, audited (never text or
  // tokens). `done` runs on a store or room thread.
  //
  // GET /api/councils/<id>/changes[?since=<meeting>]: since that meeting
  // (default: the last ended one, else the whole log); 404 for an unknown
  // meeting.
  void changes(HelloRequest credentials, std::optional<std::string> since,
               std::function<void(HttpReply)> done);
  // GET /api/councils/<id>/comparison.
  void comparison(HelloRequest credentials, std::function<void(HttpReply)> done);
  // GET /api/councils/<id>/search?q=: 400 unless q holds 1-100 characters.
  void search(HelloRequest credentials, std::optional<std::string> query,
              std::function<void(HttpReply)> done);
  // GET /api/councils/<id>/meetings/<mid>/minutes.{md,html}; 404 for an
  // unknown meeting.
  void minutes(HelloRequest credentials, std::string meeting, MinutesFormat format,
               std::function<void(HttpReply)> done);
  // GET /api/councils/<id>/{roles.csv,issues.csv,roles.ics}.
  void export_file(HelloRequest credentials, ExportKind kind, std::function<void(HttpReply)> done);
  // POST /api/councils/<id>/meetings/<mid>/confidentiality: records the
  // participant's acknowledgement once (any role); 404 unknown meeting, 409
  // when it is not a closed session (or ended before any acknowledgement).
  void acknowledge_confidentiality(HelloRequest credentials, std::string meeting,
                                   std::function<void(HttpReply)> done);
  // POST /api/check-text: personal-information findings in {"text": ...}.
  // Any valid credentials (request.council is ignored); 401 otherwise.
  void check_text(HelloRequest credentials, std::string body, std::function<void(HttpReply)> done);

  // GET /join/<token>: exchanges a valid invite token for a new browser
  // session; nothing for an invalid one. `done` runs on a store thread.
  void open_session(std::string token, std::function<void(std::optional<OpenedSession>)> done);

  // GET /api/session[?council=<id>]: who the cookie speaks for (200), or
  // 401. A person's sign-in session answers for their seat in `council_id`
  // (403 second_factor_enrolment_required until they must and have not
  // enrolled).
  void session_info(std::string cookie, std::string council_id,
                    std::function<void(HttpReply)> done);

  // POST /api/logout: ends the session and closes the participant's sockets.
  void logout(std::string cookie, std::function<void()> done);

  // Records one line of the audit trail (never message text or tokens).
  // Thread-safe; written with the next group commit.
  void audit(std::optional<std::string> council, std::optional<std::string> participant,
             std::string action, std::optional<std::string> op, std::string outcome);

  // GET /api/agendas: the loaded templates.
  HttpReply agendas_json() const;

  // GET /metrics.
  std::string metrics_text() const;

  const AgendaCatalog& agendas() const { return agendas_; }
  Metrics& metrics() { return metrics_; }

  // The directory of organisations the rooms decide with (v2: role owners
  // are organisations, merges followed; domain/org_ref.hpp). Until set, or
  // set to an empty function, there is none and every council decides as in
  // v1. Call before serving: rooms read it on their strands unguarded.
  void set_org_resolver(domain::OrgResolver orgs) { orgs_ = std::move(orgs); }
  const Clock& clock() const { return clock_; }
  store::ReadWorker& reader() { return reader_; }

  // Stops the writer after committing what is queued, and the readers.
  void stop();

 private:
  // Checks the credentials and that they belong to request.council
  // (`forbidden` when they belong to another council).
  void authenticate(store::Database& db, const HelloRequest& request,
                    std::variant<domain::Actor, domain::Error>& out);
  // The valid participant the credentials speak for, whatever the council.
  std::optional<store::ParticipantRow> identify(store::Database& db, const HelloRequest& request);

  using Reply = std::function<void(HttpReply)>;
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
  // The participant a cookie speaks for, if the session is valid now.
  std::optional<store::ParticipantRow> session_participant(store::Database& db,
                                                           const std::string& cookie);

  // The routes of the HTTP API, added once by the constructor.
  void add_routes();

  ApplicationSettings settings_;
  const Clock& clock_;
  Metrics metrics_;
  AgendaCatalog agendas_;
  domain::OrgResolver orgs_;  // see set_org_resolver; RoomServices points here
  store::EventWriter writer_;
  store::ReadWorker reader_;
  CouncilRegistry registry_;
  ApiRouter router_;

  // People and sign-in (PEOPLE.md). The hash pool is declared after what
  // its jobs use, so that it stops first; the services after the pool.
  OrgCache org_cache_;
  auth::PasswordHasher hasher_;
  auth::SecretBox secret_box_;
  auth::SignInThrottle throttle_;
  auth::HashPool hash_pool_;
  PersonSessions people_;
  SignIn sign_in_;
  Console console_;
  Home home_;
  // The seat of a person's sign-in session in `request.council`: nothing
  // when the cookie is not a person's session or the person has no seat
  // there; `refusal` is set when the person must first enrol a second
  // factor. Read worker thread.
  std::optional<store::ParticipantRow> person_seat(store::Database& db, const HelloRequest& request,
                                                   std::optional<domain::Error>& refusal);
  // Closes the sockets of these participants (4401), on their rooms' strands.
  void close_seats(const std::vector<std::string>& participants);
  // Reloads the organisations the rooms resolve role owners against.
  void reload_organisations(store::Database& db);

  // Revocation made by `renkei revoke` (another process) reaches live
  // sockets: once a second a read task looks for participants revoked since
  // the last one seen and closes their connections (4401). Seats of people
  // deactivated by `renkei person deactivate` count as revoked then
  // (store::Database::revoked_since).
  void watch_revocations();
  std::mutex watch_mutex_;
  std::condition_variable watch_wake_;
  bool watch_stopping_ = false;
  std::mutex revocation_mutex_;
  std::string last_revocation_;  // guarded by revocation_mutex_
  std::thread watcher_;
};

}  // namespace renkei::app
