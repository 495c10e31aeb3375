#include "app/sessions.hpp"

#include <algorithm>

#include "app/overview_scope.hpp"
#include "app/person_sessions.hpp"
#include "app/tokens.hpp"
#include "protocol/http_error.hpp"
#include "protocol/server_messages.hpp"
#include "store/database.hpp"
#include "store/sqlite_directory.hpp"

namespace renkei::app {

HelloRequest credentials_of(const ApiRequest& request, std::string council) {
  HelloRequest credentials;
  credentials.council = std::move(council);
  credentials.token = request.bearer_token;
  if (!credentials.token) credentials.session_cookie = request.session_cookie;
  return credentials;
}

domain::Error invalid_credentials() {
  return domain::make_error(domain::ErrorCode::unauthorized,
                            "招待トークンが無効か、期限切れか、この協議体のものではありません",
                            "the token is invalid, expired, revoked or of another council");
}

Sessions::Sessions(SessionSettings settings, store::EventWriter& writer, store::ReadWorker& reader,
                   CouncilRegistry& registry, const Clock& clock)
    : settings_(settings),
      writer_(writer),
      reader_(reader),
      registry_(registry),
      clock_(clock),
      last_revocation_(clock.now()) {}

Sessions::~Sessions() { stop(); }

void Sessions::start() {
  std::lock_guard lock(watch_mutex_);
  if (watcher_.joinable() || watch_stopping_) return;
  watcher_ = std::thread([this] { watch_revocations(); });
}

void Sessions::stop() {
  {
    std::lock_guard lock(watch_mutex_);
    watch_stopping_ = true;
  }
  watch_wake_.notify_all();
  if (watcher_.joinable()) watcher_.join();
}

void Sessions::add_routes(ApiRouter& r) {
  // Endpoints of v1: their refusals keep the "error" key.
  r.add("GET", "/api/session",
        [this](ApiRequest request, RouteParams, ApiDone done) {
          if (!request.session_cookie) return done(HttpReply::v1_error(protocol::unauthorized()));
          session_info(std::move(*request.session_cookie),
                       query_parameter(request.query, "council").value_or(""), std::move(done));
        },
        {ApiRouter::OriginCheck::cookie_writes, protocol::HttpErrorShape::with_error_key});
  // Signing out needs no Origin: at worst another page ends the session.
  r.add("POST", "/api/logout",
        [this](ApiRequest request, RouteParams, ApiDone done) {
          HttpReply reply{204, "text/plain; charset=utf-8", ""};
          reply.set_cookie(session_cookie_name, "", std::chrono::seconds(0), false);
          if (!request.session_cookie) return done(std::move(reply));
          logout(std::move(*request.session_cookie),
                 [reply = std::move(reply), done = std::move(done)]() mutable {
                   done(std::move(reply));
                 });
        },
        {ApiRouter::OriginCheck::none, protocol::HttpErrorShape::with_error_key});
}

void Sessions::watch_revocations() {
  std::unique_lock lock(watch_mutex_);
  while (!watch_wake_.wait_for(lock, std::chrono::seconds(1), [this] { return watch_stopping_; })) {
    reader_.post([this](store::Database& db) {
      std::lock_guard guard(revocation_mutex_);  // read workers may be several
      for (const auto& p : db.revoked_since(last_revocation_, clock_.now())) {
        if (p.revoked_at) last_revocation_ = std::max(last_revocation_, *p.revoked_at);
        // `renkei revoke` ends the sessions itself; a revocation written
        // otherwise has them ended here (a no-op when none is open).
        writer_.submit_write([id = p.id, now = clock_.now()](
                                 store::Database& db) { db.end_participant_sessions(id, now); },
                             {});
        registry_.with_room(p.council, [id = p.id](std::shared_ptr<Room> room) {
          if (room) room->disconnect(id, 4401);
        });
      }
      if (on_tick_) on_tick_(db);
    });
  }
}

std::optional<store::ParticipantRow> Sessions::session_participant(store::Database& db,
                                                                   const std::string& cookie) {
  const std::string id_hash = hash_token(cookie);
  auto session = db.find_browser_session(id_hash);
  if (!session || session->ended_at || session->expires_at <= clock_.now() ||
      session->last_seen_at < clock_.before(settings_.idle_timeout)) {
    return std::nullopt;
  }
  auto participant = db.find_participant(session->participant);
  if (!participant || !participant->active_at(clock_.now())) return std::nullopt;
  // Sliding idle timeout, written at most once a minute per session.
  // (Through the writer: a read worker never writes.)
  if (session->last_seen_at < clock_.before(std::chrono::seconds(60))) {
    writer_.submit_write([id_hash, now = clock_.now()](
                             store::Database& db) { db.touch_browser_session(id_hash, now); },
                         {});
  }
  return participant;
}

std::optional<store::ParticipantRow> Sessions::identify(store::Database& db,
                                                        const HelloRequest& request) {
  std::optional<store::ParticipantRow> participant;
  if (request.token) {
    participant = db.find_participant_by_token_hash(hash_token(*request.token));
    // Invite tokens may expire; browser sessions have their own timeouts.
    if (participant && participant->expires_at && *participant->expires_at <= clock_.now())
      participant.reset();
  } else if (request.session_cookie) {
    participant = session_participant(db, *request.session_cookie);
  }
  // A seat counts from active_from until revoked_at (CONTINUITY.md 1).
  if (participant && !participant->active_at(clock_.now())) participant.reset();
  return participant;
}

void Sessions::open_session(std::string token,
                            std::function<void(std::optional<OpenedSession>)> done) {
  reader_.post([this, token = std::move(token), done = std::move(done)](store::Database& db) {
    std::optional<store::ParticipantRow> participant;
    try {
      participant = db.find_participant_by_token_hash(hash_token(token));
    } catch (const std::exception&) {
      participant.reset();
    }
    const bool valid = participant && participant->active_at(clock_.now()) &&
                       !(participant->expires_at && *participant->expires_at <= clock_.now());
    if (!valid) return done(std::nullopt);
    OpenedSession session;
    session.cookie = generate_token();
    session.council = participant->council;
    session.max_age = settings_.absolute_timeout;
    if (demo_ && participant->person) {
      // The demo database: the link signs its person in (ホーム and every
      // council of theirs; PEOPLE.md "Demo").
      writer_.submit_write(
          [id_hash = hash_token(session.cookie), person = *participant->person, now = clock_.now(),
           expires = clock_.after(settings_.absolute_timeout)](store::Database& wdb) {
            store::SqliteDirectory(wdb).create_person_session(id_hash, person, now, expires,
                                                              std::nullopt);
          },
          [session, done](bool ok, const std::string&) {
            done(ok ? std::optional<OpenedSession>(session) : std::nullopt);
          });
      return;
    }
    writer_.submit_write(
        [id_hash = hash_token(session.cookie), participant = participant->id, now = clock_.now(),
         expires = clock_.after(settings_.absolute_timeout)](store::Database& db) {
          db.create_browser_session(id_hash, participant, now, expires);
        },
        [session, done](bool ok, const std::string&) {
          done(ok ? std::optional<OpenedSession>(session) : std::nullopt);
        });
  });
}

void Sessions::session_info(std::string cookie, std::string council_id,
                            std::function<void(HttpReply)> done) {
  reader_.post([this, cookie = std::move(cookie), council_id = std::move(council_id),
                done = std::move(done)](store::Database& db) {
    try {
      auto participant = session_participant(db, cookie);
      const bool signed_in = !participant;
      if (!participant && !council_id.empty()) {
        // v2: a person's session answers for their seat in that council.
        HelloRequest request;
        request.session_cookie = cookie;
        request.council = council_id;
        std::optional<domain::Error> refusal;
        participant = person_seat(db, request, refusal);
        if (refusal) return done(HttpReply::error(protocol::from_domain(*refusal)));
      }
      auto council = participant ? db.find_council(participant->council) : std::nullopt;
      if (!participant || !council) {
        done(HttpReply::v1_error(protocol::unauthorized()));
        return;
      }
      domain::Actor me{participant->id, participant->name, participant->org, participant->role,
                       participant->org_id.value_or("")};
      done(HttpReply{
          200, "application/json; charset=utf-8",
          protocol::encode_session(me, council->id, council->name, council->kind, signed_in)});
    } catch (const std::exception&) {
      done(HttpReply::v1_error(protocol::internal_error()));
    }
  });
}

void Sessions::logout(std::string cookie, std::function<void()> done) {
  reader_.post([this, cookie = std::move(cookie), done = std::move(done)](store::Database& db) {
    const std::string id_hash = hash_token(cookie);
    std::optional<store::ParticipantRow> participant;
    try {
      auto session = db.find_browser_session(id_hash);
      if ((!session || session->ended_at) && people_) {
        // v2: the meeting screen's sign-out ends a person's session too.
        if (auto who = people_->find(db, cookie)) {
          std::vector<std::string> seats;
          for (const auto& seat : who->seats) seats.push_back(seat.id);
          writer_.submit_write(
              [id_hash, now = clock_.now()](store::Database& wdb) {
                store::SqliteDirectory(wdb).end_person_session(id_hash, now);
              },
              [this, who = std::move(*who), done](bool, const std::string&) {
                for (const auto& seat : who.seats) {
                  registry_.with_room(seat.council, [id = seat.id](std::shared_ptr<Room> room) {
                    if (room) room->disconnect(id, 4401);
                  });
                }
                done();
              });
          return;
        }
      }
      if (!session || session->ended_at) return done();
      participant = db.find_participant(session->participant);
    } catch (const std::exception&) {
      // Logging out of a session that cannot be read leaves nothing to end.
      return done();
    }
    writer_.submit_write(
        [id_hash, now = clock_.now()](store::Database& db) {
          db.end_browser_session(id_hash, now);
        },
        [this, participant, done](bool, const std::string&) {
          if (participant) {
            registry_.with_room(participant->council,
                                [id = participant->id](std::shared_ptr<Room> room) {
                                  if (room) room->disconnect(id, 4401);
                                });
          }
          done();
        });
  });
}

std::optional<store::ParticipantRow> Sessions::person_seat(store::Database& db,
                                                           const HelloRequest& request,
                                                           std::optional<domain::Error>& refusal) {
  if (!people_ || !request.session_cookie) return std::nullopt;
  auto who = people_->find(db, *request.session_cookie);
  if (!who) return std::nullopt;
  if (who->enrolment_pending()) {
    refusal = domain::make_error(
        domain::ErrorCode::second_factor_enrolment_required,
        "二要素認証の登録が必要です。セキュリティ設定で認証アプリを登録してください",
        "enrol a second factor first (security settings)");
    return std::nullopt;
  }
  if (const auto* seat = who->seat_in(request.council)) return *seat;
  // A signed-in person without a seat here: another council's credentials.
  refusal = domain::make_error(domain::ErrorCode::forbidden, "この協議体の席がありません",
                               "no seat in this council");
  return std::nullopt;
}

std::variant<domain::Actor, domain::Error> Sessions::authenticate(store::Database& db,
                                                                  const HelloRequest& request) {
  std::optional<store::ParticipantRow> participant = identify(db, request);
  if (!participant && !request.token) {
    // v2: a person's sign-in session reaches every council where they hold
    // a seat.
    std::optional<domain::Error> refusal;
    participant = person_seat(db, request, refusal);
    if (refusal) return *refusal;
  }
  if (!participant) return invalid_credentials();
  if (participant->council != request.council) {
    return domain::make_error(domain::ErrorCode::forbidden, "この協議体の参加者ではありません",
                              "not a participant of this council");
  }
  return domain::Actor{participant->id, participant->name, participant->org, participant->role,
                       participant->org_id.value_or("")};
}

std::optional<domain::Actor> Sessions::prefecture_reader(store::Database& db,
                                                         const HelloRequest& request) {
  if (!people_ || request.token || !request.session_cookie) return std::nullopt;
  auto who = people_->find(db, *request.session_cookie);
  if (!who || who->enrolment_pending() || who->access.prefectures.empty()) return std::nullopt;
  store::SqliteDirectory directory(db);
  if (!may_read_as_prefecture_viewer(who->access, read_directory(directory), request.council))
    return std::nullopt;
  std::string org;
  if (who->person.org)
    if (auto row = directory.find_organisation(*who->person.org)) org = row->name;
  return domain::Actor{who->person.id, who->person.name, org, domain::Role::observer,
                       who->person.org.value_or("")};
}

}  // namespace renkei::app
