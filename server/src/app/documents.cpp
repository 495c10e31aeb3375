#include "app/documents.hpp"

#include <algorithm>
#include <memory>

#include "app/council_loader.hpp"
#include "domain/changes.hpp"
#include "domain/comparison.hpp"
#include "domain/fold.hpp"
#include "domain/minutes.hpp"
#include "domain/personal_info.hpp"
#include "domain/search_text.hpp"
#include "protocol/exports.hpp"
#include "protocol/http_error.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/minutes_render.hpp"
#include "protocol/record_codec.hpp"
#include "protocol/report_codec.hpp"
#include "store/database.hpp"

namespace renkei::app {
namespace {

// The seats in force at `now` (a handover's seats start and end at its
// instant).
std::vector<domain::Actor> roster(store::Database& db, const std::string& council,
                                  const std::string& now) {
  std::vector<domain::Actor> actors;
  for (const auto& p : db.list_participants(council)) {
    if (!p.active_at(now)) continue;
    actors.push_back(domain::Actor{p.id, p.name, p.org, p.role, p.org_id.value_or("")});
  }
  return actors;
}

// Every participant ever invited, revoked ones inactive (minutes, attendance).
std::vector<domain::RosterEntry> full_roster(store::Database& db, const std::string& council) {
  std::vector<domain::RosterEntry> entries;
  for (const auto& p : db.list_participants(council))
    entries.push_back(domain::RosterEntry{
        domain::Actor{p.id, p.name, p.org, p.role, p.org_id.value_or("")}, !p.revoked_at});
  return entries;
}

constexpr const char* json_type = json_content_type;

// The documents are endpoints of v1: their errors keep the "error" key.
HttpReply error_reply(const protocol::HttpError& error) { return HttpReply::v1_error(error); }

HttpReply internal_error() { return error_reply(protocol::internal_error()); }

constexpr std::size_t max_query_code_points = 100;
constexpr std::size_t max_search_hits = 50;
// The trigram index finds substrings of at least this many characters.
constexpr std::size_t trigram = 3;

}  // namespace

void Documents::add_routes(ApiRouter& r) {
  const ApiRouter::Options v1{ApiRouter::OriginCheck::cookie_writes,
                              protocol::HttpErrorShape::with_error_key};
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
      "GET", council + "promotion-targets",
      [this](ApiRequest request, RouteParams params, ApiDone done) {
        promotion_targets(credentials_of(request, params["council"]), std::move(done));
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

void Documents::record(HelloRequest credentials, Reply done) {
  const std::string council = credentials.council;
  authorised(
      std::move(credentials), "read.record", std::nullopt,
      [this, council](store::Database& db, const domain::Actor&, Reply reply) {
        auto participants = roster(db, council, services_.clock.now());
        protocol::RecordContext context;
        context.today = today_jst(services_.clock);
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

void Documents::authorised(HelloRequest credentials, std::string action,
                           std::optional<std::string> op,
                           std::function<void(store::Database&, const domain::Actor&, Reply)> then,
                           Reply done) {
  services_.reader.post([this, credentials = std::move(credentials), action = std::move(action),
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
            services_.audit.record(
                council, participant, action, op,
                reply.status == 200 ? std::string("ok") : std::to_string(reply.status));
            done(std::move(reply));
          };
    };
    std::variant<domain::Actor, domain::Error> who;
    try {
      who = services_.sessions.authenticate(db, credentials);
    } catch (const std::exception&) {
      audited(std::nullopt)(internal_error());
      return;
    }
    // A prefecture viewer reads the councils of its prefecture without a
    // seat (GET documents only: their actions are read.*).
    if (const auto* error = std::get_if<domain::Error>(&who);
        error != nullptr && error->code == domain::ErrorCode::forbidden &&
        action.rfind("read.", 0) == 0) {
      try {
        if (auto viewer = services_.sessions.prefecture_reader(db, credentials)) who = *viewer;
      } catch (const std::exception&) {
        audited(std::nullopt)(internal_error());
        return;
      }
    }
    if (const auto* error = std::get_if<domain::Error>(&who)) {
      const bool forbidden = error->code == domain::ErrorCode::forbidden;
      // A person who must enrol a second factor first is told so
      // (AUTHORIZATION.md: 403 second_factor_enrolment_required).
      if (error->code == domain::ErrorCode::second_factor_enrolment_required)
        audited(std::nullopt)(error_reply(protocol::from_domain(*error)));
      else
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

void Documents::with_state(const std::string& council, Reply reply,
                           std::function<void(const domain::CouncilState&, Reply)> fn) {
  services_.registry.with_room(
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

void Documents::changes(HelloRequest credentials, std::optional<std::string> since, Reply done) {
  const std::string council = credentials.council;
  authorised(
      std::move(credentials), "read.changes", std::nullopt,
      [this, council, since = std::move(since)](store::Database&, const domain::Actor&,
                                                Reply reply) {
        with_state(
            council, std::move(reply),
            [today = today_jst(services_.clock), since](const domain::CouncilState& state,
                                                        Reply reply) {
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

void Documents::comparison(HelloRequest credentials, Reply done) {
  const std::string council = credentials.council;
  authorised(
      std::move(credentials), "read.comparison", std::nullopt,
      [this, council](store::Database& db, const domain::Actor&, Reply reply) {
        std::vector<std::string> orgs;
        for (const domain::Actor& actor : roster(db, council, services_.clock.now()))
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

void Documents::promotion_targets(HelloRequest credentials, Reply done) {
  const std::string council = credentials.council;
  authorised(
      std::move(credentials), "read.promotion_targets", std::nullopt,
      [council](store::Database& db, const domain::Actor&, Reply reply) {
        std::string out;
        protocol::JsonWriter w(out);
        w.begin_object();
        w.key("targets");
        w.begin_array();
        const auto self = db.find_council(council);
        if (self && self->kind == domain::CouncilKind::one_on_one) {
          for (const store::CouncilRow& row : db.list_councils()) {
            if (row.kind != domain::CouncilKind::council || row.archived_at ||
                row.area != self->area)
              continue;
            w.begin_object();
            w.field("id", row.id);
            w.field("name", row.name);
            w.end_object();
          }
        }
        w.end_array();
        w.end_object();
        reply(HttpReply{200, json_type, std::move(out)});
      },
      std::move(done));
}

void Documents::search(HelloRequest credentials, std::optional<std::string> query, Reply done) {
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

void Documents::minutes(HelloRequest credentials, std::string meeting, MinutesFormat format,
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

void Documents::export_file(HelloRequest credentials, ExportKind kind, Reply done) {
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

void Documents::acknowledge_confidentiality(HelloRequest credentials, std::string meeting,
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
                     services_.reader.post([this, council, meeting, participant, ended,
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
                       services_.writer.submit_write(
                           [council, meeting, participant, now = services_.clock.now(),
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

void Documents::check_text(HelloRequest credentials, std::string body, Reply done) {
  services_.reader.post([this, credentials = std::move(credentials), body = std::move(body),
                         done = std::move(done)](store::Database& db) {
    std::optional<store::ParticipantRow> participant;
    try {
      participant = services_.sessions.identify(db, credentials);
    } catch (const std::exception&) {
      done(internal_error());
      return;
    }
    if (!participant) {
      services_.audit.record(std::nullopt, std::nullopt, "check.text", std::nullopt, "401");
      done(error_reply(protocol::unauthorized()));
      return;
    }
    const auto text = protocol::parse_check_text(body);
    if (const auto* error = std::get_if<domain::Error>(&text)) {
      const protocol::HttpError refusal = protocol::from_domain(*error);
      services_.audit.record(participant->council, participant->id, "check.text", std::nullopt,
                             std::to_string(refusal.status));
      done(error_reply(refusal));
      return;
    }
    const std::string& checked = std::get<std::string>(text);
    services_.audit.record(participant->council, participant->id, "check.text", std::nullopt, "ok");
    done(HttpReply{200, json_type,
                   protocol::encode_findings(checked, domain::find_personal_info(checked))});
  });
}

}  // namespace renkei::app
