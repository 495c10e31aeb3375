// The server's application core: the store (writer and read workers), the
// agenda catalog, the loaded councils, and the operations the network layer
// calls: hello and catch-up reads for WebSocket clients, and every request
// of the HTTP API (handle_api), answered through the routes of its parts:
// Sessions (credentials and browser sessions) and Documents (the record and
// the council's other documents). Knows nothing of sockets.
//
// Threading: every method is thread-safe. Callbacks named `done` run on the
// connection's executor when a Connection is given (Connection::run), else
// on a store or room thread; the caller must then post to its own executor.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "app/agenda_catalog.hpp"
#include "app/api_request.hpp"
#include "app/api_router.hpp"
#include "app/audit_trail.hpp"
#include "app/auth/hash_pool.hpp"
#include "app/auth/password_hasher.hpp"
#include "app/auth/secret_box.hpp"
#include "app/auth/sign_in_throttle.hpp"
#include "app/clock.hpp"
#include "app/connection.hpp"
#include "app/console.hpp"
#include "app/council_registry.hpp"
#include "app/documents.hpp"
#include "app/executor.hpp"
#include "app/home.hpp"
#include "app/http_reply.hpp"
#include "app/metrics.hpp"
#include "app/org_cache.hpp"
#include "app/person_sessions.hpp"
#include "app/promotions.hpp"
#include "app/room.hpp"
#include "app/seat_cache.hpp"
#include "app/sessions.hpp"
#include "app/sign_in.hpp"
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

struct Joined {
  std::shared_ptr<Room> room;
  domain::Actor me;
  std::uint64_t head = 0;
};

using HelloOutcome = std::variant<Joined, domain::Error>;

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

  // GET /join/<token>: exchanges a valid invite token for a new browser
  // session; nothing for an invalid one. `done` runs on a store thread.
  void open_session(std::string token, std::function<void(std::optional<OpenedSession>)> done) {
    sessions_.open_session(std::move(token), std::move(done));
  }

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
  const Clock& clock() const { return clock_; }
  store::ReadWorker& reader() { return reader_; }

  // Several instances on one PostgreSQL database (POSTGRES.md): another
  // instance committed `council` up to `seq` (a notification of the log's
  // channel); a loaded room reads what it lacks. Thread-safe.
  void council_written(const std::string& council, std::uint64_t seq);
  // The notification listener (re)connected: notifications sent meanwhile
  // are lost, so every loaded room reads what it lacks. Thread-safe.
  void resync_councils();
  // Another instance's presence list of `council` changed (a notification
  // of the presence channel): a loaded room reads the others' lists.
  // Thread-safe.
  void presence_changed(const std::string& council);
  // This instance, among those on one PostgreSQL database.
  const std::string& instance() const { return instance_; }
  store::EventWriter& writer() { return writer_; }
  CouncilRegistry& registry() { return registry_; }
  const AuditTrail& audit_trail() const { return audit_; }
  Sessions& sessions() { return sessions_; }
  Documents& documents() { return documents_; }

  // Stops the revocation watcher, the writer after committing what is
  // queued, and the readers.
  void stop();

 private:
  // The routes of the HTTP API, added once by the constructor.
  void add_routes();

  // Closes the sockets of these participants (4401), on their rooms' strands.
  void close_seats(const std::vector<std::string>& participants);
  // Reloads the organisations the rooms resolve role owners against, and
  // the seats they look proxy input's attendees up in.
  void reload_organisations(store::Database& db);
  // RoomServices::fetch: on PostgreSQL, reads a council's newer events for
  // its room; empty on SQLite.
  std::function<void(std::shared_ptr<Room>, std::uint64_t)> room_fetch();
  // RoomServices::presence_out: on PostgreSQL, writes the list to the
  // presence table; empty on SQLite.
  std::function<void(const std::string&, std::vector<domain::Actor>)> presence_out();
  static std::string random_instance_id();
  // Each second on a read worker (the sessions watcher's tick).
  void presence_tick(store::Database& db);
  static constexpr std::chrono::seconds presence_lifetime{30};

  ApplicationSettings settings_;
  const Clock& clock_;
  Metrics metrics_;
  AgendaCatalog agendas_;
  // The directory's organisations for deciding role owners (RoomServices
  // points at orgs_, which answers from org_cache_).
  OrgCache org_cache_;
  domain::OrgResolver orgs_;
  // Every council's seats, for proxy input; reloaded with the organisations.
  SeatCache seat_cache_;
  domain::SeatLookup seats_ = seat_cache_.lookup();
  // A random id naming this instance in the presence table (before the
  // rooms, which use it).
  const std::string instance_ = random_instance_id();
  std::atomic<std::uint64_t> presence_ticks_{0};
  store::EventWriter writer_;
  store::ReadWorker reader_;
  PromotionHooks promotion_hooks_;  // set from promotions_ before any room exists
  CouncilRegistry registry_;
  Promotions promotions_{reader_, registry_};
  AuditTrail audit_;
  // People and sign-in (PEOPLE.md). The hash pool is declared after what
  // its jobs use, so that it stops first; the services after the pool.
  auth::PasswordHasher hasher_;
  auth::SecretBox secret_box_;
  auth::SignInThrottle throttle_;
  auth::HashPool hash_pool_;
  PersonSessions people_;
  Sessions sessions_;
  Documents documents_;
  SignIn sign_in_;
  Console console_;
  Home home_;
  ApiRouter router_;
};

}  // namespace renkei::app
