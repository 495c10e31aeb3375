#include "app/application.hpp"

#include <iostream>
#include <stdexcept>

#include "app/handover_packets.hpp"
#include "app/handover_routes.hpp"
#include "app/people_routes.hpp"
#include "app/prefecture_overview.hpp"
#include "app/tokens.hpp"
#include "protocol/agenda_codec.hpp"
#include "protocol/http_error.hpp"
#include "store/database.hpp"
#include "store/pg_connection.hpp"
#include "store/sqlite_directory.hpp"

namespace renkei::app {
namespace {

// The file of the key that seals second-factor secrets: --secret-key, or
// beside a SQLite file. On PostgreSQL every instance must use the same key,
// so it is never guessed.
std::string secret_key_file(const ApplicationSettings& settings) {
  if (!settings.secret_key_path.empty()) return settings.secret_key_path;
  if (store::is_postgresql_uri(settings.db_path))
    throw std::invalid_argument(
        "PostgreSQL では --secret-key FILE が必要です（全インスタンスで同じ鍵） / "
        "--secret-key FILE is required with PostgreSQL (the same key on every instance)");
  return settings.db_path + ".key";
}

// Opens the database once on the constructing thread so that the schema is
// created or migrated before the writer and readers start.
const std::string& migrated(const std::string& path) {
  store::Database db(path);
  return path;
}

}  // namespace

Application::Application(ApplicationSettings settings, ExecutorFactory& executors,
                         const Clock& clock)
    : settings_(std::move(settings)),
      clock_(clock),
      agendas_(AgendaCatalog::load(settings_.agenda_dir)),
      orgs_(org_cache_.resolver()),
      writer_(migrated(settings_.db_path), settings_.max_batch),
      reader_(settings_.db_path, settings_.read_threads),
      registry_(reader_, executors,
                RoomServices{writer_, clock_, agendas_, metrics_, &orgs_, &seats_,
                             &promotion_hooks_, room_fetch(), presence_out()}),
      audit_(writer_, clock_),
      secret_box_(auth::SecretBox::from_key_file(secret_key_file(settings_))),
      hash_pool_(settings_.hash_threads ? settings_.hash_threads
                                        : auth::HashPool::default_threads()),
      people_(PersonSessionSettings{settings_.session_idle_timeout,
                                    settings_.session_absolute_timeout, settings_.demo},
              clock_, writer_),
      sessions_(SessionSettings{settings_.session_idle_timeout, settings_.session_absolute_timeout},
                writer_, reader_, registry_, clock_),
      documents_(DocumentServices{reader_, writer_, registry_, sessions_, audit_, clock_}),
      sign_in_(reader_, writer_, people_, hash_pool_, hasher_, secret_box_, throttle_, clock_,
               [this](const std::vector<std::string>& seats) { close_seats(seats); }),
      console_(reader_, writer_, people_, clock_, agendas_),
      home_(
          reader_, writer_, people_, clock_,
          [this](const std::string& council, std::function<void(const domain::CouncilState*)> fn) {
            registry_.with_room(council, [fn = std::move(fn)](std::shared_ptr<Room> room) {
              if (!room) return fn(nullptr);
              room->inspect([fn](const domain::CouncilState& state) { fn(&state); });
            });
          },
          &orgs_) {
  for (const auto& error : agendas_.errors()) std::cerr << "renkei: " << error << '\n';
  store::Database db(settings_.db_path);
  reload_organisations(db);
  console_.on_change = [this] {
    reader_.post([this](store::Database& rdb) { reload_organisations(rdb); });
  };
  sessions_.set_people(&people_, settings_.demo, [this](store::Database& rdb) {
    reload_organisations(rdb);
    presence_tick(rdb);
  });
  sign_in_.share_failures(store::is_postgresql_uri(settings_.db_path));
  promotion_hooks_ = promotions_.hooks();
  registry_.load_all(db);
  promotions_.complete_all(db);
  add_routes();
  sessions_.start();
}

std::function<void(std::shared_ptr<Room>, std::uint64_t)> Application::room_fetch() {
  // Only several instances on one PostgreSQL database write a council
  // behind a room's back.
  if (!store::is_postgresql_uri(settings_.db_path)) return {};
  return [this](std::shared_ptr<Room> room, std::uint64_t after) {
    reader_.post([room = std::move(room), after](store::Database& db) {
      constexpr std::size_t chunk = 10000;
      // Even when there is nothing new: the room then decides again what
      // it had to refuse as stale.
      room->receive(db.read_events(room->council(), after, chunk));
    });
  };
}

std::string Application::random_instance_id() { return generate_token().substr(0, 16); }

std::function<void(const std::string&, std::vector<domain::Actor>)> Application::presence_out() {
  if (!store::is_postgresql_uri(settings_.db_path)) return {};
  return [this](const std::string& council, std::vector<domain::Actor> connected) {
    writer_.submit_write(
        [this, council, connected = std::move(connected),
         expires = clock_.after(presence_lifetime)](store::Database& db) {
          db.replace_presence(instance_, council, connected, expires);
        },
        [](bool ok, const std::string& error) {
          if (!ok) std::cerr << "renkei: presence not published: " << error << '\n';
        });
  };
}

void Application::presence_changed(const std::string& council) {
  auto room = registry_.loaded(council);
  if (!room || !store::is_postgresql_uri(settings_.db_path)) return;
  reader_.post([this, room](store::Database& db) {
    room->set_remote_presence(db.read_presence(room->council(), instance_, clock_.now()));
  });
}

void Application::presence_tick(store::Database& db) {
  if (!store::is_postgresql_uri(settings_.db_path)) return;
  // Every 10 s: this instance's rows live on; the others' lists are read
  // again, which drops those of an instance that died (their rows lapse).
  if (++presence_ticks_ % 10 != 0) return;
  writer_.submit_write([this, expires = clock_.after(presence_lifetime), now = clock_.now()](
                           store::Database& wdb) { wdb.refresh_presence(instance_, expires, now); },
                       [](bool, const std::string&) {});
  for (auto& room : registry_.all_loaded()) {
    try {
      room->set_remote_presence(db.read_presence(room->council(), instance_, clock_.now()));
    } catch (const std::exception& e) {
      std::cerr << "renkei: presence not read: " << e.what() << '\n';
    }
  }
}

void Application::council_written(const std::string& council, std::uint64_t seq) {
  // Applied in seq order, so a late or repeated notification reads nothing,
  // and the room's own (it decided that seq) none either.
  if (auto room = registry_.loaded(council)) room->written(seq);
}

void Application::resync_councils() {
  auto fetch = room_fetch();
  if (!fetch) return;
  for (auto& room : registry_.all_loaded())
    room->head([room, fetch](std::uint64_t head) { fetch(room, head); });
}

void Application::reload_organisations(store::Database& db) {
  try {
    store::SqliteDirectory directory(db);
    org_cache_.replace(directory.list_organisations());
    seat_cache_.replace(directory.all_seats(), clock_.now());
  } catch (const std::exception& e) {
    std::cerr << "renkei: organisations not reloaded: " << e.what() << '\n';
  }
}

void Application::close_seats(const std::vector<std::string>& participants) {
  reader_.post([this, participants](store::Database& db) {
    for (const auto& id : participants) {
      auto seat = db.find_participant(id);
      if (!seat) continue;
      registry_.with_room(seat->council, [id](std::shared_ptr<Room> room) {
        if (room) room->disconnect(id, 4401);
      });
    }
  });
}

Application::~Application() { stop(); }

void Application::stop() {
  sessions_.stop();
  hash_pool_.stop();
  writer_.stop();
  reader_.stop();
}

void Application::handle_api(ApiRequest request, ApiDone done) const {
  router_.dispatch(std::move(request), std::move(done));
}

void Application::add_routes() {
  sessions_.add_routes(router_);
  documents_.add_routes(router_);
  add_people_routes(router_, sign_in_, console_, home_);
  add_handover_packet_routes(router_, {reader_, people_, registry_, clock_, &orgs_});
  add_handover_routes(router_, {reader_, writer_, people_, sessions_, audit_, clock_});
  add_overview_routes(router_, OverviewServices{reader_, people_, registry_, audit_, clock_});
  router_.add("GET", "/api/agendas",
              [this](ApiRequest, RouteParams, ApiDone done) { done(agendas_json()); },
              {ApiRouter::OriginCheck::cookie_writes, protocol::HttpErrorShape::with_error_key});
}

void Application::hello(std::shared_ptr<Connection> connection, HelloRequest request,
                        std::function<void(HelloOutcome)> done) {
  reader_.post([this, connection, request = std::move(request),
                done = std::move(done)](store::Database& db) mutable {
    std::variant<domain::Actor, domain::Error> who;
    try {
      who = sessions_.authenticate(db, request);
    } catch (const std::exception& e) {
      std::cerr << "renkei: hello: " << e.what() << '\n';
      who = domain::make_error(domain::ErrorCode::internal, "認証に失敗しました",
                               "authentication failed");
    }
    if (auto* error = std::get_if<domain::Error>(&who)) {
      // A token of another council is refused like an unknown one.
      domain::Error refusal =
          error->code == domain::ErrorCode::forbidden ? invalid_credentials() : *error;
      // The council named by the client is kept only when it exists: the
      // field is client text otherwise.
      std::optional<std::string> council;
      try {
        if (db.find_council(request.council)) council = request.council;
      } catch (const std::exception&) {
        council.reset();
      }
      audit(council, std::nullopt, "join", std::nullopt,
            std::string(domain::to_string(refusal.code)));
      connection->run([done = std::move(done), refusal] { done(refusal); });
      return;
    }
    domain::Actor me = std::get<domain::Actor>(who);
    registry_.with_room(request.council, [this, connection, me, done = std::move(done)](
                                             std::shared_ptr<Room> room) mutable {
      if (!room) {
        connection->run([done = std::move(done)] { done(invalid_credentials()); });
        return;
      }
      audit(room->council(), me.participant, "join", std::nullopt, "ok");
      room->join(connection, me,
                 [connection, me, room, done = std::move(done)](std::uint64_t head) mutable {
                   connection->run([done = std::move(done), room, me, head] {
                     done(Joined{room, me, head});
                   });
                 });
    });
  });
}

void Application::read_frames(std::shared_ptr<Connection> connection, std::string council,
                              std::uint64_t after, std::uint64_t upto, std::size_t limit,
                              std::function<void(std::optional<std::vector<std::string>>)> done) {
  reader_.post([connection, council = std::move(council), after, upto, limit,
                done = std::move(done)](store::Database& db) mutable {
    std::optional<std::vector<std::string>> frames;
    try {
      frames = db.read_frames(council, after, upto, limit);
    } catch (const std::exception&) {
      frames.reset();  // the connection cannot be brought up to date
    }
    connection->run([done = std::move(done), frames = std::move(frames)]() mutable {
      done(std::move(frames));
    });
  });
}

void Application::audit(std::optional<std::string> council, std::optional<std::string> participant,
                        std::string action, std::optional<std::string> op, std::string outcome) {
  audit_.record(std::move(council), std::move(participant), std::move(action), std::move(op),
                std::move(outcome));
}

HttpReply Application::agendas_json() const {
  std::string body = "[";
  bool first = true;
  for (const auto& [id, agenda] : agendas_.all()) {
    if (!first) body.push_back(',');
    first = false;
    body += protocol::encode_agenda(agenda);
  }
  body.push_back(']');
  return HttpReply{200, "application/json; charset=utf-8", std::move(body)};
}

std::string Application::metrics_text() const {
  const auto stats = writer_.stats();
  return metrics_.render(MetricsSnapshotInputs{
      registry_.size(), stats.batches, stats.events, stats.failures, stats.checkpoints,
      stats.writer_checkpoints, stats.writer_checkpoint_seconds, stats.wal_pages});
}

}  // namespace renkei::app
