#include "app/application.hpp"

#include <iostream>

#include "app/tokens.hpp"
#include "protocol/agenda_codec.hpp"
#include "protocol/record_codec.hpp"
#include "protocol/server_messages.hpp"
#include "store/database.hpp"

namespace renkei::app {
namespace {

// Opens the database once on the constructing thread so that the schema is
// created or migrated before the writer and readers start.
const std::string& migrated(const std::string& path) {
  store::Database db(path);
  return path;
}

domain::Error unauthorized() {
  return domain::make_error(domain::ErrorCode::unauthorized,
                            "招待トークンが無効か、期限切れか、この協議体のものではありません",
                            "the token is invalid, expired, revoked or of another council");
}

std::vector<domain::Actor> roster(store::Database& db, const std::string& council) {
  std::vector<domain::Actor> actors;
  for (const auto& p : db.list_participants(council)) {
    if (p.revoked_at) continue;
    actors.push_back(domain::Actor{p.id, p.name, p.org, p.role});
  }
  return actors;
}

}  // namespace

Application::Application(ApplicationSettings settings, ExecutorFactory& executors,
                         const Clock& clock)
    : settings_(std::move(settings)),
      clock_(clock),
      agendas_(AgendaCatalog::load(settings_.agenda_dir)),
      writer_(migrated(settings_.db_path), settings_.max_batch),
      reader_(settings_.db_path, settings_.read_threads),
      registry_(reader_, executors, RoomServices{writer_, clock_, agendas_, metrics_}) {
  for (const auto& error : agendas_.errors()) std::cerr << "renkei: " << error << '\n';
  store::Database db(settings_.db_path);
  registry_.load_all(db);
}

Application::~Application() { stop(); }

void Application::stop() {
  writer_.stop();
  reader_.stop();
}

std::optional<store::ParticipantRow> Application::session_participant(store::Database& db,
                                                                      const std::string& cookie) {
  const std::string id_hash = hash_token(cookie);
  auto session = db.find_browser_session(id_hash);
  if (!session || session->ended_at || session->expires_at <= clock_.now() ||
      session->last_seen_at < clock_.before(settings_.session_idle_timeout)) {
    return std::nullopt;
  }
  auto participant = db.find_participant(session->participant);
  if (!participant || participant->revoked_at) return std::nullopt;
  // Sliding idle timeout, written at most once a minute per session.
  if (session->last_seen_at < clock_.before(std::chrono::seconds(60))) {
    db.touch_browser_session(id_hash, clock_.now());
  }
  return participant;
}

void Application::authenticate(store::Database& db, const HelloRequest& request,
                               std::variant<domain::Actor, domain::Error>& out) {
  std::optional<store::ParticipantRow> participant;
  if (request.token) {
    participant = db.find_participant_by_token_hash(hash_token(*request.token));
    // Invite tokens may expire; browser sessions have their own timeouts.
    if (participant && participant->expires_at && *participant->expires_at <= clock_.now())
      participant.reset();
  } else if (request.session_cookie) {
    participant = session_participant(db, *request.session_cookie);
  }
  if (!participant || participant->revoked_at) {
    out = unauthorized();
    return;
  }
  out = domain::Actor{participant->id, participant->name, participant->org, participant->role};
  if (participant->council != request.council) {
    out = domain::make_error(domain::ErrorCode::forbidden, "この協議体の参加者ではありません",
                             "not a participant of this council");
  }
}

void Application::hello(std::shared_ptr<Connection> connection, HelloRequest request,
                        std::function<void(HelloOutcome)> done) {
  reader_.post([this, connection, request = std::move(request),
                done = std::move(done)](store::Database& db) mutable {
    std::variant<domain::Actor, domain::Error> who;
    try {
      authenticate(db, request, who);
    } catch (const std::exception&) {
      who = domain::make_error(domain::ErrorCode::internal, "認証に失敗しました",
                               "authentication failed");
    }
    if (auto* error = std::get_if<domain::Error>(&who)) {
      // A token of another council is refused like an unknown one.
      domain::Error refusal = error->code == domain::ErrorCode::forbidden ? unauthorized() : *error;
      audit(request.council, std::nullopt, "join", std::nullopt,
            std::string(domain::to_string(refusal.code)));
      connection->run([done = std::move(done), refusal] { done(refusal); });
      return;
    }
    domain::Actor me = std::get<domain::Actor>(who);
    registry_.with_room(request.council, [this, connection, me, done = std::move(done)](
                                             std::shared_ptr<Room> room) mutable {
      if (!room) {
        connection->run([done = std::move(done)] { done(unauthorized()); });
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

void Application::record(HelloRequest credentials, std::function<void(HttpReply)> done) {
  reader_.post([this, credentials = std::move(credentials),
                done = std::move(done)](store::Database& db) mutable {
    std::variant<domain::Actor, domain::Error> who;
    try {
      authenticate(db, credentials, who);
    } catch (const std::exception&) {
      done(HttpReply{500, "application/json; charset=utf-8", "{\"error\":\"internal\"}"});
      return;
    }
    if (auto* error = std::get_if<domain::Error>(&who)) {
      const int status = error->code == domain::ErrorCode::forbidden ? 403 : 401;
      audit(credentials.council, std::nullopt, "read.record", std::nullopt, std::to_string(status));
      done(HttpReply{status, "application/json; charset=utf-8",
                     "{\"error\":\"" + std::string(domain::to_string(error->code)) + "\"}"});
      return;
    }
    audit(credentials.council, std::get<domain::Actor>(who).participant, "read.record",
          std::nullopt, "ok");
    auto participants = roster(db, credentials.council);
    registry_.with_room(
        credentials.council, [participants = std::move(participants),
                              done = std::move(done)](std::shared_ptr<Room> room) mutable {
          if (!room) {
            done(HttpReply{404, "application/json; charset=utf-8", "{\"error\":\"not_found\"}"});
            return;
          }
          room->inspect([participants = std::move(participants),
                         done = std::move(done)](const domain::CouncilState& state) {
            done(HttpReply{200, "application/json; charset=utf-8",
                           protocol::encode_record(state, participants)});
          });
        });
  });
}

void Application::open_session(std::string token,
                               std::function<void(std::optional<OpenedSession>)> done) {
  reader_.post([this, token = std::move(token), done = std::move(done)](store::Database& db) {
    std::optional<OpenedSession> opened;
    try {
      auto participant = db.find_participant_by_token_hash(hash_token(token));
      const bool valid = participant && !participant->revoked_at &&
                         !(participant->expires_at && *participant->expires_at <= clock_.now());
      if (valid) {
        OpenedSession session;
        session.cookie = generate_token();
        session.council = participant->council;
        session.max_age = settings_.session_absolute_timeout;
        db.create_browser_session(hash_token(session.cookie), participant->id, clock_.now(),
                                  clock_.after(settings_.session_absolute_timeout));
        opened = std::move(session);
      }
    } catch (const std::exception&) {
      opened.reset();
    }
    done(std::move(opened));
  });
}

void Application::session_info(std::string cookie, std::function<void(HttpReply)> done) {
  reader_.post([this, cookie = std::move(cookie), done = std::move(done)](store::Database& db) {
    try {
      auto participant = session_participant(db, cookie);
      auto council = participant ? db.find_council(participant->council) : std::nullopt;
      if (!participant || !council) {
        done(HttpReply{401, "application/json; charset=utf-8", "{\"error\":\"unauthorized\"}"});
        return;
      }
      domain::Actor me{participant->id, participant->name, participant->org, participant->role};
      done(HttpReply{200, "application/json; charset=utf-8",
                     protocol::encode_session(me, council->id, council->name, council->kind)});
    } catch (const std::exception&) {
      done(HttpReply{500, "application/json; charset=utf-8", "{\"error\":\"internal\"}"});
    }
  });
}

void Application::logout(std::string cookie, std::function<void()> done) {
  reader_.post([this, cookie = std::move(cookie), done = std::move(done)](store::Database& db) {
    try {
      const std::string id_hash = hash_token(cookie);
      if (auto session = db.find_browser_session(id_hash); session && !session->ended_at) {
        db.end_browser_session(id_hash, clock_.now());
        if (auto participant = db.find_participant(session->participant)) {
          registry_.with_room(participant->council,
                              [id = participant->id](std::shared_ptr<Room> room) {
                                if (room) room->disconnect(id, 4401);
                              });
        }
      }
    } catch (const std::exception&) {
      // Logging out of a session that cannot be read leaves nothing to end.
    }
    done();
  });
}

void Application::audit(std::optional<std::string> council, std::optional<std::string> participant,
                        std::string action, std::optional<std::string> op, std::string outcome) {
  store::AuditRow row;
  row.at = clock_.now();
  row.council = std::move(council);
  row.participant = std::move(participant);
  row.action = std::move(action);
  row.op = std::move(op);
  row.outcome = std::move(outcome);
  writer_.submit_audit(std::move(row));
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
  return metrics_.render(
      MetricsSnapshotInputs{registry_.size(), stats.batches, stats.events, stats.failures});
}

}  // namespace renkei::app
