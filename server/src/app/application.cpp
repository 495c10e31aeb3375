#include "app/application.hpp"

#include <iostream>

#include "app/council_loader.hpp"
#include "app/tokens.hpp"
#include "domain/changes.hpp"
#include "domain/comparison.hpp"
#include "domain/fold.hpp"
#include "domain/minutes.hpp"
#include "domain/personal_info.hpp"
#include "domain/search_text.hpp"
#include "protocol/agenda_codec.hpp"
#include "protocol/exports.hpp"
#include "protocol/http_error.hpp"
#include "protocol/minutes_render.hpp"
#include "protocol/record_codec.hpp"
#include "protocol/report_codec.hpp"
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

// Every participant ever invited, revoked ones inactive (minutes, attendance).
std::vector<domain::RosterEntry> full_roster(store::Database& db, const std::string& council) {
  std::vector<domain::RosterEntry> entries;
  for (const auto& p : db.list_participants(council))
    entries.push_back(
        domain::RosterEntry{domain::Actor{p.id, p.name, p.org, p.role}, !p.revoked_at});
  return entries;
}

constexpr const char* json_type = json_content_type;

// The errors of the v1 endpoints keep their "error" key
// (protocol/http_error.hpp).
HttpReply error_reply(const protocol::HttpError& error) {
  return HttpReply::error(error, protocol::HttpErrorShape::with_error_key);
}

HttpReply internal_error() { return error_reply(protocol::internal_error()); }

// The credentials of an API request for `council`: the bearer token, else
// the session cookie. A request with neither still reaches the endpoint,
// which answers 401 and audits the refusal.
HelloRequest credentials_of(const ApiRequest& request, std::string council) {
  HelloRequest credentials;
  credentials.council = std::move(council);
  credentials.token = request.bearer_token;
  if (!credentials.token) credentials.session_cookie = request.session_cookie;
  return credentials;
}

constexpr std::size_t max_query_code_points = 100;
constexpr std::size_t max_search_hits = 50;
// The trigram index finds substrings of at least this many characters.
constexpr std::size_t trigram = 3;

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
  last_revocation_ = clock_.now();
  add_routes();
  watcher_ = std::thread([this] { watch_revocations(); });
}

void Application::handle_api(ApiRequest request, ApiDone done) const {
  router_.dispatch(std::move(request), std::move(done));
}

void Application::add_routes() {
  // The endpoints of v1: their refusals keep the "error" key.
  const ApiRouter::Options v1{ApiRouter::OriginCheck::cookie_writes,
                              protocol::HttpErrorShape::with_error_key};
  ApiRouter& r = router_;
  r.add(
      "GET", "/api/session",
      [this](ApiRequest request, RouteParams, ApiDone done) {
        if (!request.session_cookie) return done(error_reply(protocol::unauthorized()));
        session_info(std::move(*request.session_cookie), std::move(done));
      },
      v1);
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
  r.add(
      "GET", "/api/agendas",
      [this](ApiRequest, RouteParams, ApiDone done) { done(agendas_json()); }, v1);
  r.add(
      "POST", "/api/check-text",
      [this](ApiRequest request, RouteParams, ApiDone done) {
        auto body = std::move(request.body);
        check_text(credentials_of(request, {}), std::move(body), std::move(done));
      },
      v1);

  const std::string council = "/api/councils/{council}/";
  r.add(
      "GET", council + "record",
      [this](ApiRequest request, RouteParams params, ApiDone done) {
        record(credentials_of(request, params["council"]), std::move(done));
      },
      v1);
  r.add(
      "GET", council + "changes",
      [this](ApiRequest request, RouteParams params, ApiDone done) {
        changes(credentials_of(request, params["council"]), query_parameter(request.query, "since"),
                std::move(done));
      },
      v1);
  r.add(
      "GET", council + "comparison",
      [this](ApiRequest request, RouteParams params, ApiDone done) {
        comparison(credentials_of(request, params["council"]), std::move(done));
      },
      v1);
  r.add(
      "GET", council + "search",
      [this](ApiRequest request, RouteParams params, ApiDone done) {
        search(credentials_of(request, params["council"]), query_parameter(request.query, "q"),
               std::move(done));
      },
      v1);
  const std::pair<const char*, ExportKind> exports[] = {{"roles.csv", ExportKind::roles_csv},
                                                        {"issues.csv", ExportKind::issues_csv},
                                                        {"roles.ics", ExportKind::roles_ics}};
  for (const auto& [leaf, kind] : exports) {
    r.add(
        "GET", council + leaf,
        [this, kind = kind](ApiRequest request, RouteParams params, ApiDone done) {
          export_file(credentials_of(request, params["council"]), kind, std::move(done));
        },
        v1);
  }
  const std::pair<const char*, MinutesFormat> minutes_formats[] = {
      {"minutes.md", MinutesFormat::markdown}, {"minutes.html", MinutesFormat::html}};
  for (const auto& [leaf, format] : minutes_formats) {
    r.add(
        "GET", council + "meetings/{meeting}/" + leaf,
        [this, format = format](ApiRequest request, RouteParams params, ApiDone done) {
          minutes(credentials_of(request, params["council"]), params["meeting"], format,
                  std::move(done));
        },
        v1);
  }
  r.add(
      "POST", council + "meetings/{meeting}/confidentiality",
      [this](ApiRequest request, RouteParams params, ApiDone done) {
        acknowledge_confidentiality(credentials_of(request, params["council"]), params["meeting"],
                                    std::move(done));
      },
      v1);
}

void Application::watch_revocations() {
  std::unique_lock lock(watch_mutex_);
  while (!watch_wake_.wait_for(lock, std::chrono::seconds(1), [this] { return watch_stopping_; })) {
    reader_.post([this](store::Database& db) {
      std::lock_guard guard(revocation_mutex_);  // read workers may be several
      for (const auto& p : db.revoked_since(last_revocation_)) {
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
    });
  }
}

Application::~Application() { stop(); }

void Application::stop() {
  {
    std::lock_guard lock(watch_mutex_);
    watch_stopping_ = true;
  }
  watch_wake_.notify_all();
  if (watcher_.joinable()) watcher_.join();
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
  // (Through the writer: a read worker never writes.)
  if (session->last_seen_at < clock_.before(std::chrono::seconds(60))) {
    writer_.submit_write([id_hash, now = clock_.now()](
                             store::Database& db) { db.touch_browser_session(id_hash, now); },
                         {});
  }
  return participant;
}

std::optional<store::ParticipantRow> Application::identify(store::Database& db,
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
  if (participant && participant->revoked_at) participant.reset();
  return participant;
}

void Application::authenticate(store::Database& db, const HelloRequest& request,
                               std::variant<domain::Actor, domain::Error>& out) {
  const std::optional<store::ParticipantRow> participant = identify(db, request);
  if (!participant) {
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
  const std::string council = credentials.council;
  authorised(
      std::move(credentials), "read.record", std::nullopt,
      [this, council](store::Database& db, const domain::Actor&, Reply reply) {
        auto participants = roster(db, council);
        protocol::RecordContext context;
        context.today = today_jst(clock_);
        context.attendance = db.list_attendance(council);
        for (const auto& entry : full_roster(db, council)) context.everyone.push_back(entry.actor);
        with_state(council, std::move(reply),
                   [participants = std::move(participants), context = std::move(context)](
                       const domain::CouncilState& state, Reply reply) {
                     reply(HttpReply{200, json_type,
                                     protocol::encode_record(state, participants, context)});
                   });
      },
      std::move(done));
}

void Application::authorised(
    HelloRequest credentials, std::string action, std::optional<std::string> op,
    std::function<void(store::Database&, const domain::Actor&, Reply)> then, Reply done) {
  reader_.post([this, credentials = std::move(credentials), action = std::move(action),
                op = std::move(op), then = std::move(then),
                done = std::move(done)](store::Database& db) mutable {
    // The council id comes from the request: it is audited only when it
    // names a council, so that no client text reaches the trail.
    std::optional<std::string> council;
    try {
      if (db.find_council(credentials.council)) council = credentials.council;
    } catch (const std::exception&) {
      council.reset();
    }
    const auto audited = [this, council, action, op,
                          done = std::move(done)](std::optional<std::string> participant) {
      return
          [this, council, action, op, participant = std::move(participant), done](HttpReply reply) {
            audit(council, participant, action, op,
                  reply.status == 200 ? std::string("ok") : std::to_string(reply.status));
            done(std::move(reply));
          };
    };
    std::variant<domain::Actor, domain::Error> who;
    try {
      authenticate(db, credentials, who);
    } catch (const std::exception&) {
      audited(std::nullopt)(internal_error());
      return;
    }
    if (const auto* error = std::get_if<domain::Error>(&who)) {
      const bool forbidden = error->code == domain::ErrorCode::forbidden;
      audited(std::nullopt)(forbidden ? error_reply(protocol::forbidden())
                                      : error_reply(protocol::unauthorized()));
      return;
    }
    const domain::Actor& actor = std::get<domain::Actor>(who);
    Reply reply = audited(actor.participant);
    try {
      then(db, actor, reply);
    } catch (const std::exception&) {
      reply(internal_error());
    }
  });
}

void Application::with_state(const std::string& council, Reply reply,
                             std::function<void(const domain::CouncilState&, Reply)> fn) {
  registry_.with_room(
      council, [reply = std::move(reply), fn = std::move(fn)](std::shared_ptr<Room> room) mutable {
        if (!room) {
          reply(error_reply(protocol::not_found()));
          return;
        }
        room->inspect(
            [reply = std::move(reply), fn = std::move(fn)](const domain::CouncilState& state) {
              try {
                fn(state, reply);
              } catch (const std::exception&) {
                reply(internal_error());
              }
            });
      });
}

void Application::changes(HelloRequest credentials, std::optional<std::string> since, Reply done) {
  const std::string council = credentials.council;
  authorised(
      std::move(credentials), "read.changes", std::nullopt,
      [this, council, since = std::move(since)](store::Database&, const domain::Actor&,
                                                Reply reply) {
        with_state(
            council, std::move(reply),
            [today = today_jst(clock_), since](const domain::CouncilState& state, Reply reply) {
              const domain::Meeting* from = nullptr;
              if (since) {
                from = state.find_meeting(*since);
                if (from == nullptr) {
                  reply(error_reply(protocol::not_found()));
                  return;
                }
              } else {
                from = domain::last_ended_meeting(state);
              }
              domain::Changes changes =
                  domain::changes_since(state, from ? domain::seq_after(*from) : 0, today);
              changes.since = from;
              reply(HttpReply{200, json_type, protocol::encode_changes(state, changes, today)});
            });
      },
      std::move(done));
}

void Application::comparison(HelloRequest credentials, Reply done) {
  const std::string council = credentials.council;
  authorised(
      std::move(credentials), "read.comparison", std::nullopt,
      [this, council](store::Database& db, const domain::Actor&, Reply reply) {
        std::vector<std::string> orgs;
        for (const domain::Actor& actor : roster(db, council))
          if (std::find(orgs.begin(), orgs.end(), actor.org) == orgs.end())
            orgs.push_back(actor.org);
        with_state(council, std::move(reply),
                   [orgs = std::move(orgs)](const domain::CouncilState& state, Reply reply) {
                     reply(HttpReply{200, json_type,
                                     protocol::encode_comparison(
                                         state, domain::compare_organisations(state, orgs))});
                   });
      },
      std::move(done));
}

void Application::search(HelloRequest credentials, std::optional<std::string> query, Reply done) {
  const std::string council = credentials.council;
  authorised(
      std::move(credentials), "read.search", std::nullopt,
      [council, query = std::move(query)](store::Database& db, const domain::Actor&, Reply reply) {
        const std::size_t length =
            query && domain::is_valid_utf8(*query) ? domain::code_points(*query) : 0;
        const auto terms = query ? domain::search_terms(*query) : std::vector<std::string>();
        if (length == 0 || length > max_query_code_points || terms.empty()) {
          reply(error_reply(protocol::bad_request("q: 1から100文字の検索語が必要です",
                                                  "q: 1 to 100 characters required")));
          return;
        }
        const bool short_term = std::any_of(terms.begin(), terms.end(), [](const auto& term) {
          return domain::code_points(term) < trigram;
        });
        std::vector<std::string> patterns;
        for (const std::string& term : terms) patterns.push_back(domain::search_like_pattern(term));
        const auto hits = short_term ? db.search_like(council, patterns, max_search_hits)
                                     : db.search_match(council, domain::search_fts_query(terms),
                                                       patterns, max_search_hits);
        reply(HttpReply{200, json_type, protocol::encode_search(*query, terms, hits)});
      },
      std::move(done));
}

void Application::minutes(HelloRequest credentials, std::string meeting, MinutesFormat format,
                          Reply done) {
  const std::string council = credentials.council;
  const char* op = format == MinutesFormat::markdown ? "minutes.md" : "minutes.html";
  authorised(
      std::move(credentials), "read.export", std::string(op),
      [council, meeting = std::move(meeting), format](store::Database& db, const domain::Actor&,
                                                      Reply reply) {
        const auto row = db.find_council(council);
        if (!row) {
          reply(error_reply(protocol::not_found()));
          return;
        }
        // The council folded up to the end of the meeting, and its events.
        domain::CouncilState state = initial_state(*row);
        // Redactions made after it apply too: their texts are gone.
        std::vector<domain::Event> events;
        bool ended = false;
        std::uint64_t after = 0;
        constexpr std::size_t chunk = 10000;
        for (;;) {
          const auto rows = db.read_events(council, after, chunk);
          for (const auto& event_row : rows) {
            domain::Event event = to_event(event_row);
            after = event.seq;
            if (ended) {
              domain::apply_redaction(state, event);
              continue;
            }
            domain::apply(state, event);
            const bool ours = event.meeting == meeting;
            if (ours && std::holds_alternative<domain::MeetingEnded>(event.data)) ended = true;
            if (ours) events.push_back(std::move(event));
          }
          if (rows.size() < chunk) break;
        }
        const auto minutes = domain::build_minutes(
            state, meeting, events, db.list_attendance(council), full_roster(db, council));
        if (!minutes) {
          reply(error_reply(protocol::not_found()));
          return;
        }
        const bool markdown = format == MinutesFormat::markdown;
        const char* extension = markdown ? "md" : "html";
        HttpReply answer{200,
                         markdown ? "text/markdown; charset=utf-8" : "text/html; charset=utf-8",
                         markdown ? protocol::render_minutes_markdown(*minutes)
                                  : protocol::render_minutes_html(*minutes)};
        answer.headers.emplace_back(
            "Content-Disposition",
            protocol::content_disposition(protocol::minutes_file_name(*minutes, extension),
                                          protocol::minutes_ascii_file_name(*minutes, extension),
                                          !markdown));
        reply(std::move(answer));
      },
      std::move(done));
}

void Application::export_file(HelloRequest credentials, ExportKind kind, Reply done) {
  const std::string council = credentials.council;
  const char* op = kind == ExportKind::roles_csv    ? "roles.csv"
                   : kind == ExportKind::issues_csv ? "issues.csv"
                                                    : "roles.ics";
  authorised(
      std::move(credentials), "read.export", std::string(op),
      [this, council, kind](store::Database&, const domain::Actor&, Reply reply) {
        with_state(
            council, std::move(reply), [kind](const domain::CouncilState& state, Reply reply) {
              HttpReply answer;
              std::string name;
              std::string ascii;
              switch (kind) {
                case ExportKind::roles_csv:
                  answer = HttpReply{200, "text/csv; charset=utf-8", protocol::roles_csv(state)};
                  name = "役割分担表_" + state.name + ".csv";
                  ascii = "roles-" + state.council + ".csv";
                  break;
                case ExportKind::issues_csv:
                  answer = HttpReply{200, "text/csv; charset=utf-8", protocol::issues_csv(state)};
                  name = "課題一覧_" + state.name + ".csv";
                  ascii = "issues-" + state.council + ".csv";
                  break;
                case ExportKind::roles_ics:
                  answer =
                      HttpReply{200, "text/calendar; charset=utf-8", protocol::roles_ics(state)};
                  name = "役割の期限_" + state.name + ".ics";
                  ascii = "roles-" + state.council + ".ics";
                  break;
              }
              answer.headers.emplace_back(
                  "Content-Disposition",
                  protocol::content_disposition(protocol::safe_file_name(name), ascii));
              reply(std::move(answer));
            });
      },
      std::move(done));
}

void Application::acknowledge_confidentiality(HelloRequest credentials, std::string meeting,
                                              Reply done) {
  const std::string council = credentials.council;
  authorised(
      std::move(credentials), "confidentiality.ack", std::nullopt,
      [this, council, meeting = std::move(meeting)](store::Database&, const domain::Actor& actor,
                                                    Reply reply) {
        with_state(council, std::move(reply),
                   [this, council, meeting, participant = actor.participant](
                       const domain::CouncilState& state, Reply reply) {
                     const domain::Meeting* found = state.find_meeting(meeting);
                     if (found == nullptr) {
                       reply(error_reply(protocol::not_found()));
                       return;
                     }
                     if (found->session != domain::SessionType::closed) {
                       reply(error_reply(protocol::conflict(
                           "非公開の会議ではありません", "the meeting is not a closed session")));
                       return;
                     }
                     const bool ended = found->ended.has_value();
                     // Read on a store thread, written by the writer.
                     reader_.post([this, council, meeting, participant, ended,
                                   reply = std::move(reply)](store::Database& db) {
                       auto answer = [meeting, participant](const domain::Attendance& row) {
                         std::string body = "{\"meeting\":\"" + meeting + "\",\"participant\":\"" +
                                            participant + "\",\"confidentiality_ack_at\":\"" +
                                            *row.confidentiality_ack_at + "\"}";
                         return HttpReply{200, json_type, std::move(body)};
                       };
                       try {
                         auto row = db.find_attendance(council, meeting, participant);
                         if (row && row->confidentiality_ack_at) return reply(answer(*row));
                       } catch (const std::exception&) {
                         return reply(internal_error());
                       }
                       if (ended) {
                         return reply(error_reply(
                             protocol::conflict("会議は終了しています", "the meeting has ended")));
                       }
                       auto stored = std::make_shared<std::optional<domain::Attendance>>();
                       writer_.submit_write(
                           [council, meeting, participant, now = clock_.now(),
                            stored](store::Database& db) {
                             *stored =
                                 db.acknowledge_confidentiality(council, meeting, participant, now);
                           },
                           [stored, answer, reply](bool ok, const std::string&) {
                             if (!ok || !*stored || !(*stored)->confidentiality_ack_at)
                               return reply(internal_error());
                             reply(answer(**stored));
                           });
                     });
                   });
      },
      std::move(done));
}

void Application::check_text(HelloRequest credentials, std::string body, Reply done) {
  reader_.post([this, credentials = std::move(credentials), body = std::move(body),
                done = std::move(done)](store::Database& db) {
    std::optional<store::ParticipantRow> participant;
    try {
      participant = identify(db, credentials);
    } catch (const std::exception&) {
      done(internal_error());
      return;
    }
    if (!participant) {
      audit(std::nullopt, std::nullopt, "check.text", std::nullopt, "401");
      done(error_reply(protocol::unauthorized()));
      return;
    }
    const auto text = protocol::parse_check_text(body);
    if (const auto* error = std::get_if<domain::Error>(&text)) {
      const protocol::HttpError refusal = protocol::from_domain(*error);
      audit(participant->council, participant->id, "check.text", std::nullopt,
            std::to_string(refusal.status));
      done(error_reply(refusal));
      return;
    }
    const std::string& checked = std::get<std::string>(text);
    audit(participant->council, participant->id, "check.text", std::nullopt, "ok");
    done(HttpReply{200, json_type,
                   protocol::encode_findings(checked, domain::find_personal_info(checked))});
  });
}

void Application::open_session(std::string token,
                               std::function<void(std::optional<OpenedSession>)> done) {
  reader_.post([this, token = std::move(token), done = std::move(done)](store::Database& db) {
    std::optional<store::ParticipantRow> participant;
    try {
      participant = db.find_participant_by_token_hash(hash_token(token));
    } catch (const std::exception&) {
      participant.reset();
    }
    const bool valid = participant && !participant->revoked_at &&
                       !(participant->expires_at && *participant->expires_at <= clock_.now());
    if (!valid) return done(std::nullopt);
    OpenedSession session;
    session.cookie = generate_token();
    session.council = participant->council;
    session.max_age = settings_.session_absolute_timeout;
    writer_.submit_write(
        [id_hash = hash_token(session.cookie), participant = participant->id, now = clock_.now(),
         expires = clock_.after(settings_.session_absolute_timeout)](store::Database& db) {
          db.create_browser_session(id_hash, participant, now, expires);
        },
        [session, done](bool ok, const std::string&) {
          done(ok ? std::optional<OpenedSession>(session) : std::nullopt);
        });
  });
}

void Application::session_info(std::string cookie, std::function<void(HttpReply)> done) {
  reader_.post([this, cookie = std::move(cookie), done = std::move(done)](store::Database& db) {
    try {
      auto participant = session_participant(db, cookie);
      auto council = participant ? db.find_council(participant->council) : std::nullopt;
      if (!participant || !council) {
        done(error_reply(protocol::unauthorized()));
        return;
      }
      domain::Actor me{participant->id, participant->name, participant->org, participant->role};
      done(HttpReply{200, "application/json; charset=utf-8",
                     protocol::encode_session(me, council->id, council->name, council->kind)});
    } catch (const std::exception&) {
      done(internal_error());
    }
  });
}

void Application::logout(std::string cookie, std::function<void()> done) {
  reader_.post([this, cookie = std::move(cookie), done = std::move(done)](store::Database& db) {
    const std::string id_hash = hash_token(cookie);
    std::optional<store::ParticipantRow> participant;
    try {
      auto session = db.find_browser_session(id_hash);
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
  return metrics_.render(MetricsSnapshotInputs{
      registry_.size(), stats.batches, stats.events, stats.failures, stats.checkpoints,
      stats.writer_checkpoints, stats.writer_checkpoint_seconds, stats.wal_pages});
}

}  // namespace renkei::app
