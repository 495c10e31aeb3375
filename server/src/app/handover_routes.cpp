#include "app/handover_routes.hpp"

#include <memory>
#include <stdexcept>

#include "app/api_errors.hpp"
#include "domain/calendar.hpp"
#include "protocol/handover_codec.hpp"
#include "protocol/http_error.hpp"
#include "store/database.hpp"
#include "store/event_writer.hpp"
#include "store/read_worker.hpp"
#include "store/sqlite_directory.hpp"

namespace renkei::app {

std::string handover_instant(const std::string& date, const Clock& clock) {
  const auto day = domain::parse_iso_date(date);
  if (!day) return {};
  if (date <= today_jst(clock)) return clock.now();
  // Japan is UTC+9 all year: a day starts at 15:00 UTC the day before.
  return domain::iso_date(domain::add_days(*day, -1)) + "T15:00:00.000Z";
}

namespace {

// A refusal decided inside an operation: its reply (a write's savepoint is
// rolled back).
struct Refusal : std::exception {
  explicit Refusal(HttpReply r) : reply(std::move(r)) {}
  HttpReply reply;
  const char* what() const noexcept override { return "refused"; }
};

[[noreturn]] void refuse(int status, std::string code, std::string message) {
  throw Refusal(api_error(status, code, message));
}
[[noreturn]] void not_found() { refuse(404, "not_found", "見つかりません / not found"); }

HttpReply json(std::string body) {
  return HttpReply{200, "application/json; charset=utf-8", std::move(body)};
}

template <typename T>
const T& body_or_refuse(const protocol::Decoded<T>& decoded) {
  if (auto* e = std::get_if<protocol::BodyError>(&decoded)) refuse(400, e->code, e->message);
  return std::get<T>(decoded);
}

// Who may call: any signed-in person, or the console (administrators and
// secretariats).
enum class Gate { person, console };

std::optional<HttpReply> refused(const std::optional<SignedIn>& who, Gate gate) {
  if (!who) return api_error(401, "unauthorized", "サインインしてください / please sign in");
  if (who->enrolment_pending())
    return api_error(403, "second_factor_enrolment_required",
                     "二要素認証の登録が必要です / enrol a second factor first");
  if (gate == Gate::console && !who->access.console())
    return api_error(403, "forbidden", "この操作の権限がありません / not allowed");
  return std::nullopt;
}

std::optional<store::OrganisationRow> org_of(store::Directory& directory,
                                             const store::PersonRow& person) {
  if (!person.org) return std::nullopt;
  return directory.resolve_organisation(*person.org);
}

// The person within the console's scope (their organisation's area), else
// 404 (PEOPLE.md: another area's object is not shown).
store::PersonRow scoped_person(store::Directory& directory, const Access& access,
                               const std::string& id) {
  auto person = directory.find_person(id);
  if (!person) not_found();
  if (!access.admin) {
    auto org = org_of(directory, *person);
    if (!org || !access.covers_area(org->area)) not_found();
  }
  return *person;
}

std::optional<store::CouncilRow> council_of(store::Directory& directory, const std::string& id) {
  for (auto& council : directory.list_councils())
    if (council.id == id) return council;
  return std::nullopt;
}

// The open seats of `person` (not revoked): what a handover moves.
std::vector<store::ParticipantRow> open_seats(store::Directory& directory,
                                              const std::string& person) {
  std::vector<store::ParticipantRow> seats;
  for (auto& seat : directory.seats_of_person(person))
    if (!seat.revoked_at) seats.push_back(std::move(seat));
  return seats;
}

// The refusals of a handover of `leaving`'s seats to `successor`, in the
// order of CONTINUITY.md: 400 for the successor, 409 for the seats.
void check_handover(store::Directory& directory, const store::PersonRow& leaving,
                    const std::optional<std::string>& successor) {
  if (successor) {
    if (*successor == leaving.id)
      refuse(400, "bad_request",
             "後任に本人は指定できません / the successor must be another person");
    auto next = directory.find_person(*successor);
    if (!next) refuse(400, "bad_request", "後任の方が見つかりません / no such successor");
    if (!next->active)
      refuse(400, "bad_request", "後任の方は無効になっています / the successor is deactivated");
    const auto a = org_of(directory, leaving), b = org_of(directory, *next);
    if (!a || !b || a->id != b->id)
      refuse(400, "bad_request",
             "後任は同じ機関の方を指定してください / the successor must belong to the same "
             "organisation");
  }
  const auto seats = open_seats(directory, leaving.id);
  if (seats.empty())
    refuse(409, "conflict", "引き継ぐ席がありません / the person holds no open seat");
  if (successor) {
    for (const auto& held : open_seats(directory, *successor))
      for (const auto& seat : seats)
        if (held.council == seat.council)
          refuse(
              409, "conflict",
              "後任の方はすでにこの協議体の席を持っています / the successor already holds a seat "
              "in " +
                  seat.council);
  }
}

std::vector<protocol::HandedSeatView> seat_views(const store::HandoverResult& result) {
  std::vector<protocol::HandedSeatView> out;
  for (const auto& s : result.seats) out.push_back({s.council, s.from, s.to});
  return out;
}

protocol::HandoverRequestView request_view(store::Directory& directory,
                                           const store::HandoverRequestRow& row) {
  protocol::HandoverRequestView view;
  view.id = row.id;
  view.state = std::string(store::to_string(row.state));
  view.person.id = row.person;
  if (auto person = directory.find_person(row.person)) {
    view.person.name = person->name;
    if (auto org = org_of(directory, *person)) view.org = protocol::NamedRef{org->id, org->name};
  }
  if (row.successor) {
    auto next = directory.find_person(*row.successor);
    view.successor = protocol::NamedRef{*row.successor, next ? next->name : std::string()};
  }
  view.date = row.effective_on;
  view.note = row.note;
  view.created_at = row.created_at;
  view.decided_at = row.decided_at;
  if (row.state == store::HandoverRequestState::pending) {
    for (const auto& seat : open_seats(directory, row.person)) {
      auto council = council_of(directory, seat.council);
      view.councils.push_back({seat.council, council ? council->name : std::string()});
    }
  }
  return view;
}

class HandoverRoutes : public std::enable_shared_from_this<HandoverRoutes> {
 public:
  explicit HandoverRoutes(HandoverServices services) : s_(services) {}

  using ReadFn = std::function<HttpReply(store::Database&, store::Directory&, const SignedIn&)>;
  using WriteFn =
      std::function<HttpReply(store::Directory&, const SignedIn&, const store::Change&)>;

  void read(ApiRequest request, Gate gate, ReadFn fn, ApiDone done) {
    if (!request.session_cookie) return done(*refused(std::nullopt, gate));
    s_.reader.post([self = shared_from_this(), request = std::move(request), gate,
                    fn = std::move(fn), done = std::move(done)](store::Database& db) {
      try {
        auto who = self->s_.people.find(db, *request.session_cookie);
        if (auto r = refused(who, gate)) return done(std::move(*r));
        store::SqliteDirectory directory(db);
        done(fn(db, directory, *who));
      } catch (const Refusal& r) {
        done(r.reply);
      } catch (const std::exception&) {
        done(api_error(500, "internal", "読み込めませんでした / could not read"));
      }
    });
  }

  void write(ApiRequest request, Gate gate, WriteFn fn, ApiDone done) {
    if (!request.session_cookie) return done(*refused(std::nullopt, gate));
    if (!request.origin_allowed)
      return done(
          api_error(403, "forbidden", "このオリジンからは操作できません / origin not allowed"));
    s_.reader.post([self = shared_from_this(), request = std::move(request), gate,
                    fn = std::move(fn), done = std::move(done)](store::Database& db) mutable {
      std::optional<SignedIn> who;
      try {
        who = self->s_.people.find(db, *request.session_cookie);
      } catch (const std::exception&) {
        return done(api_error(500, "internal", "読み込めませんでした / could not read"));
      }
      if (auto r = refused(who, gate)) return done(std::move(*r));
      auto reply = std::make_shared<std::optional<HttpReply>>();
      store::Change change{self->s_.clock.now(), who->person.id, request.client_address};
      self->s_.writer.submit_write(
          [who = std::move(*who), fn = std::move(fn), reply, change](store::Database& wdb) {
            store::SqliteDirectory directory(wdb);
            try {
              *reply = fn(directory, who, change);
            } catch (const Refusal& r) {
              *reply = r.reply;
              throw;  // rolls the savepoint back
            } catch (const std::invalid_argument& e) {
              *reply = api_error(400, "bad_request", e.what());
              throw;
            }
          },
          [reply, done = std::move(done)](bool ok, const std::string&) {
            if (*reply && (ok || (*reply)->status != 200)) return done(std::move(**reply));
            done(api_error(500, "internal", "保存できませんでした / could not save"));
          });
    });
  }

  // --- the console -------------------------------------------------------

  void hand_over(ApiRequest request, std::string person, ApiDone done) {
    auto body = protocol::decode_handover_body(request.body);
    const Clock& clock = s_.clock;
    write(
        std::move(request), Gate::console,
        [body = std::move(body), person, &clock](store::Directory& directory, const SignedIn& who,
                                                 const store::Change& change) {
          const auto leaving = scoped_person(directory, who.access, person);
          const auto& b = body_or_refuse(body);
          check_handover(directory, leaving, b.successor);
          const std::string at = handover_instant(b.date, clock);
          const auto result = directory.hand_over_seats(person, b.successor, at, change);
          return json(protocol::encode_handover_result(result.effective_at, seat_views(result)));
        },
        std::move(done));
  }

  void list_requests(ApiRequest request, ApiDone done) {
    read(
        std::move(request), Gate::console,
        [](store::Database&, store::Directory& directory, const SignedIn& who) {
          std::vector<protocol::HandoverRequestView> out;
          for (const auto& row : directory.list_handover_requests()) {
            auto view = request_view(directory, row);
            if (who.access.admin) {
              out.push_back(std::move(view));
              continue;
            }
            auto person = directory.find_person(row.person);
            auto org = person ? org_of(directory, *person) : std::nullopt;
            if (org && who.access.covers_area(org->area)) out.push_back(std::move(view));
          }
          return json(protocol::encode_handover_requests(out));
        },
        std::move(done));
  }

  // The request within the console's scope (its person's area), else 404.
  static store::HandoverRequestRow scoped_request(store::Directory& directory, const Access& access,
                                                  const std::string& id) {
    auto row = directory.find_handover_request(id);
    if (!row) not_found();
    scoped_person(directory, access, row->person);
    return *row;
  }

  void confirm(ApiRequest request, std::string id, ApiDone done) {
    const Clock& clock = s_.clock;
    write(
        std::move(request), Gate::console,
        [id, &clock](store::Directory& directory, const SignedIn& who,
                     const store::Change& change) {
          const auto row = scoped_request(directory, who.access, id);
          if (row.state != store::HandoverRequestState::pending)
            refuse(409, "conflict", "この申請は処理済みです / the request is no longer pending");
          const auto leaving = *directory.find_person(row.person);
          if (!leaving.active)
            refuse(409, "conflict", "申請した方は無効になっています / the person is deactivated");
          check_handover(directory, leaving, row.successor);
          const std::string at = handover_instant(row.effective_on, clock);
          const auto result = directory.confirm_handover_request(id, at, change);
          return json(
              protocol::encode_handover_result(result.effective_at, seat_views(result), id));
        },
        std::move(done));
  }

  void reject(ApiRequest request, std::string id, ApiDone done) {
    write(
        std::move(request), Gate::console,
        [id](store::Directory& directory, const SignedIn& who, const store::Change& change) {
          scoped_request(directory, who.access, id);
          if (!directory.reject_handover_request(id, change))
            refuse(409, "conflict", "この申請は処理済みです / the request is no longer pending");
          return json("{\"request\":" + protocol::json_string(id) + ",\"state\":\"rejected\"}");
        },
        std::move(done));
  }

  void list_vacancies(ApiRequest request, ApiDone done) {
    read(
        std::move(request), Gate::console,
        [](store::Database&, store::Directory& directory, const SignedIn& who) {
          std::vector<protocol::VacancyView> out;
          const auto councils = directory.list_councils();
          for (const auto& seat : directory.list_vacancies()) {
            const store::CouncilRow* council = nullptr;
            for (const auto& c : councils)
              if (c.id == seat.council) council = &c;
            if (!council || !who.access.covers_area(council->area)) continue;
            protocol::VacancyView view;
            view.participant = seat.id;
            view.council = {council->id, council->name};
            view.org = {seat.org_id.value_or(""), seat.org};
            if (seat.org_id)
              if (auto org = directory.resolve_organisation(*seat.org_id))
                view.org = {org->id, org->name};
            view.role = seat.role;
            view.vacated_at = seat.vacated_at.value_or("");
            view.last_holder = seat.person.value_or("");
            view.last_holder_name = seat.name;
            out.push_back(std::move(view));
          }
          return json(protocol::encode_vacancies(out));
        },
        std::move(done));
  }

  // The seat within the console's scope (its council's area), else 404; a
  // seat that is not a vacancy 409.
  static store::ParticipantRow scoped_vacancy(store::Directory& directory, const Access& access,
                                              const std::string& participant) {
    std::optional<store::ParticipantRow> seat;
    for (auto& council : directory.list_councils()) {
      if (!access.covers_area(council.area)) continue;
      for (auto& s : directory.seats_of_council(council.id))
        if (s.id == participant) seat = std::move(s);
    }
    if (!seat) not_found();
    for (auto& v : directory.list_vacancies())
      if (v.id == participant) return v;
    refuse(409, "conflict", "空席ではありません / the seat is not vacant");
  }

  void fill(ApiRequest request, std::string participant, ApiDone done) {
    auto body = protocol::decode_fill_body(request.body);
    write(
        std::move(request), Gate::console,
        [body = std::move(body), participant](store::Directory& directory, const SignedIn& who,
                                              const store::Change& change) {
          const auto seat = scoped_vacancy(directory, who.access, participant);
          const auto& b = body_or_refuse(body);
          auto person = directory.find_person(b.person);
          if (!person) refuse(400, "bad_request", "職員が見つかりません / no such person");
          if (!person->active)
            refuse(400, "bad_request", "無効な職員です / the person is deactivated");
          const auto org = org_of(directory, *person);
          const auto seat_org =
              seat.org_id ? directory.resolve_organisation(*seat.org_id) : std::nullopt;
          if (!org || !seat_org || org->id != seat_org->id)
            refuse(400, "bad_request",
                   "後任は同じ機関の方を指定してください / the successor must belong to the same "
                   "organisation");
          for (const auto& held : open_seats(directory, person->id))
            if (held.council == seat.council)
              refuse(409, "conflict", "この協議体の席がすでにあります / already seated");
          const auto council = council_of(directory, seat.council);
          if (council && council->archived_at)
            refuse(409, "conflict", "保存済み（アーカイブ）の協議体です / the council is archived");
          const auto made = directory.fill_vacancy(participant, person->id, change);
          return json("{\"participant\":" + protocol::json_string(made.id) + "}");
        },
        std::move(done));
  }

  void dismiss(ApiRequest request, std::string participant, ApiDone done) {
    write(
        std::move(request), Gate::console,
        [participant](store::Directory& directory, const SignedIn& who,
                      const store::Change& change) {
          scoped_vacancy(directory, who.access, participant);
          directory.dismiss_vacancy(participant, change);
          return json("{\"dismissed\":" + protocol::json_string(participant) + "}");
        },
        std::move(done));
  }

  // --- the person --------------------------------------------------------

  void request_handover(ApiRequest request, ApiDone done) {
    auto body = protocol::decode_handover_body(request.body);
    write(
        std::move(request), Gate::person,
        [body = std::move(body)](store::Directory& directory, const SignedIn& who,
                                 const store::Change& change) {
          const auto& b = body_or_refuse(body);
          check_handover(directory, who.person, b.successor);
          for (const auto& row : directory.list_handover_requests())
            if (row.person == who.person.id && row.state == store::HandoverRequestState::pending)
              refuse(409, "conflict",
                     "申請中の引き継ぎがあります / a handover request is already pending");
          const auto row =
              directory.request_handover(who.person.id, b.successor, b.date, b.note, change);
          return json("{\"request\":" + protocol::json_string(row.id) + ",\"state\":\"pending\"}");
        },
        std::move(done));
  }

  void my_request(ApiRequest request, ApiDone done) {
    read(
        std::move(request), Gate::person,
        [](store::Database&, store::Directory& directory, const SignedIn& who) {
          std::optional<protocol::HandoverRequestView> latest;
          for (const auto& row : directory.list_handover_requests()) {
            if (row.person != who.person.id) continue;
            latest = request_view(directory, row);
            break;  // newest first
          }
          return json(protocol::encode_handover_request(latest));
        },
        std::move(done));
  }

  // The active people of the person's organisation (not themself): whom
  // they may name as successor.
  void colleagues(ApiRequest request, ApiDone done) {
    read(
        std::move(request), Gate::person,
        [](store::Database&, store::Directory& directory, const SignedIn& who) {
          const auto mine = org_of(directory, who.person);
          std::string out = "{\"people\":[";
          bool first = true;
          if (mine) {
            for (const auto& p : directory.list_people()) {
              if (!p.active || p.id == who.person.id) continue;
              const auto org = org_of(directory, p);
              if (!org || org->id != mine->id) continue;
              if (!first) out += ",";
              first = false;
              out += "{\"person\":" + protocol::json_string(p.id) +
                     ",\"name\":" + protocol::json_string(p.name) + "}";
            }
          }
          return json(out + "]}");
        },
        std::move(done));
  }

  void seen(ApiRequest request, ApiDone done) {
    write(
        std::move(request), Gate::person,
        [](store::Directory& directory, const SignedIn& who, const store::Change& change) {
          const int n = directory.mark_handover_seen(who.person.id, change.at);
          return json("{\"seen\":" + std::to_string(n) + "}");
        },
        std::move(done));
  }

  // --- the record's seat lines --------------------------------------------

  void holders(ApiRequest request, std::string council, ApiDone done) {
    auto credentials = credentials_of(request, council);
    s_.reader.post([self = shared_from_this(), credentials = std::move(credentials),
                    done = std::move(done)](store::Database& db) {
      const auto& s = self->s_;
      std::optional<std::string> audited_council;
      std::optional<std::string> participant;
      auto answer = [&](HttpReply reply) {
        s.audit.record(audited_council, participant, "read.holders", std::nullopt,
                       reply.status == 200 ? std::string("ok") : std::to_string(reply.status));
        done(std::move(reply));
      };
      try {
        if (db.find_council(credentials.council)) audited_council = credentials.council;
        auto who = s.sessions.authenticate(db, credentials);
        if (const auto* error = std::get_if<domain::Error>(&who)) {
          if (error->code == domain::ErrorCode::second_factor_enrolment_required)
            return answer(HttpReply::v1_error(protocol::from_domain(*error)));
          return answer(HttpReply::v1_error(error->code == domain::ErrorCode::forbidden
                                                ? protocol::forbidden()
                                                : protocol::unauthorized()));
        }
        participant = std::get<domain::Actor>(who).participant;
        store::SqliteDirectory directory(db);
        std::vector<protocol::SeatLineView> lines;
        for (const auto& line : directory.seat_lines(credentials.council)) {
          protocol::SeatLineView view;
          const auto& last = line.back();
          view.org = {last.org_id.value_or(""), last.org};
          if (last.org_id)
            if (auto org = directory.resolve_organisation(*last.org_id))
              view.org = {org->id, org->name};
          view.role = last.role;
          view.vacant = last.vacated_at.has_value();
          for (const auto& seat : line)
            view.holders.push_back({seat.id, seat.person.value_or(""), seat.name,
                                    seat.active_from.value_or(seat.created_at), seat.revoked_at});
          lines.push_back(std::move(view));
        }
        answer(json(protocol::encode_holders(lines)));
      } catch (const std::exception&) {
        answer(HttpReply::v1_error(protocol::internal_error()));
      }
    });
  }

 private:
  HandoverServices s_;
};

}  // namespace

void add_handover_routes(ApiRouter& router, HandoverServices services) {
  auto h = std::make_shared<HandoverRoutes>(services);
  using P = RouteParams;
  router.add("POST", "/api/console/people/{id}/handover", [h](ApiRequest r, P p, ApiDone d) {
    h->hand_over(std::move(r), p["id"], std::move(d));
  });
  router.add("GET", "/api/console/handovers",
             [h](ApiRequest r, P, ApiDone d) { h->list_requests(std::move(r), std::move(d)); });
  router.add("POST", "/api/console/handovers/{id}/confirm", [h](ApiRequest r, P p, ApiDone d) {
    h->confirm(std::move(r), p["id"], std::move(d));
  });
  router.add("POST", "/api/console/handovers/{id}/reject",
             [h](ApiRequest r, P p, ApiDone d) { h->reject(std::move(r), p["id"], std::move(d)); });
  router.add("GET", "/api/console/vacancies",
             [h](ApiRequest r, P, ApiDone d) { h->list_vacancies(std::move(r), std::move(d)); });
  router.add(
      "POST", "/api/console/vacancies/{participant}/fill",
      [h](ApiRequest r, P p, ApiDone d) { h->fill(std::move(r), p["participant"], std::move(d)); });
  router.add("POST", "/api/console/vacancies/{participant}/dismiss",
             [h](ApiRequest r, P p, ApiDone d) {
               h->dismiss(std::move(r), p["participant"], std::move(d));
             });
  router.add("POST", "/api/me/handover",
             [h](ApiRequest r, P, ApiDone d) { h->request_handover(std::move(r), std::move(d)); });
  router.add("GET", "/api/me/handover",
             [h](ApiRequest r, P, ApiDone d) { h->my_request(std::move(r), std::move(d)); });
  router.add("GET", "/api/me/colleagues",
             [h](ApiRequest r, P, ApiDone d) { h->colleagues(std::move(r), std::move(d)); });
  router.add("POST", "/api/me/handover/seen",
             [h](ApiRequest r, P, ApiDone d) { h->seen(std::move(r), std::move(d)); });
  // The record's access rules (a seat of the council); v1-shaped errors as
  // the other council documents.
  router.add(
      "GET", "/api/councils/{council}/holders",
      [h](ApiRequest r, P p, ApiDone d) { h->holders(std::move(r), p["council"], std::move(d)); },
      {ApiRouter::OriginCheck::cookie_writes, protocol::HttpErrorShape::with_error_key});
}

}  // namespace renkei::app
