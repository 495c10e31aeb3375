#include "app/console.hpp"

#include <chrono>
#include <memory>
#include <stdexcept>
#include <unordered_map>

#include "app/api_errors.hpp"
#include "app/api_router.hpp"
#include "app/directory_views.hpp"
#include "app/tokens.hpp"
#include "protocol/directory_codec.hpp"
#include "protocol/directory_import.hpp"
#include "store/database.hpp"
#include "store/event_writer.hpp"
#include "store/read_worker.hpp"
#include "store/sqlite_directory.hpp"

namespace renkei::app {
namespace {

// A refusal decided inside a console operation: its reply, and (in a
// write) the savepoint is rolled back.
struct Refusal : std::exception {
  explicit Refusal(HttpReply r) : reply(std::move(r)) {}
  HttpReply reply;
  const char* what() const noexcept override { return "refused"; }
};

[[noreturn]] void refuse(int status, std::string code, std::string message) {
  throw Refusal(api_error(status, code, message));
}

[[noreturn]] void not_found() { refuse(404, "not_found", "見つかりません / not found"); }

[[noreturn]] void outside_area() {
  refuse(403, "forbidden", "担当の管内の外です / outside your area");
}

template <typename T>
const T& body_or_refuse(const protocol::Decoded<T>& decoded) {
  if (auto* e = std::get_if<protocol::BodyError>(&decoded)) refuse(400, e->code, e->message);
  return std::get<T>(decoded);
}

HttpReply json(std::string body) {
  return HttpReply{200, "application/json; charset=utf-8", std::move(body)};
}

// The organisation `id` within the person's scope, else 404.
store::OrganisationRow scoped_org(store::Directory& directory, const Access& access,
                                  const std::string& id) {
  auto org = directory.find_organisation(id);
  if (!org || !access.covers_area(org->area)) not_found();
  return *org;
}

// The organisation a person is added to or moved into: unknown 404; one
// of another area 403 (AUTHORIZATION.md: adding or moving into another
// area is refused, not hidden).
store::OrganisationRow destination_org(store::Directory& directory, const Access& access,
                                       const std::string& id) {
  auto org = directory.find_organisation(id);
  if (!org) not_found();
  if (!access.covers_area(org->area)) outside_area();
  return *org;
}

store::PersonRow scoped_person(store::Directory& directory, const Access& access,
                               const std::string& id) {
  auto person = directory.find_person(id);
  if (!person) not_found();
  if (!access.admin) {
    if (!person->org) not_found();
    auto org = directory.find_organisation(*person->org);
    if (!org || !access.covers_area(org->area)) not_found();
  }
  return *person;
}

// Administrators only may act on an administrator (a secretariat manages
// the people of its area, not the deployment's administrators).
void refuse_unless_admin_for(store::Directory& directory, const Access& access,
                             const std::string& person) {
  if (access.admin) return;
  for (const auto& grant : directory.grants_of(person))
    if (grant.role == store::GrantRole::admin)
      refuse(403, "forbidden", "管理者の変更は管理者だけができます / administrators only");
}

store::CouncilRow scoped_council(store::Directory& directory, const Access& access,
                                 const std::string& id) {
  for (auto& council : directory.list_councils())
    if (council.id == id && access.covers_area(council.area)) return council;
  not_found();
}

// A flag of the query string: present (bare or with a value) and not "0"
// or "false".
bool query_flag(const std::string& query, std::string_view name) {
  const auto value = query_parameter(query, name);
  return value && *value != "0" && *value != "false";
}

// A new set-up link for `person`: the token goes into the reply once and
// only its hash into the database.
std::string issue_setup_link(store::Directory& directory, const std::string& person,
                             const Clock& clock, const store::Change& change) {
  const std::string token = generate_token();
  directory.create_setup_link(hash_token(token), person,
                              clock.after(std::chrono::hours(24 * Console::setup_link_days)),
                              change);
  return "/setup/" + token;
}

}  // namespace

Console::Console(store::ReadWorker& reader, store::EventWriter& writer, PersonSessions& sessions,
                 const Clock& clock, const AgendaCatalog& agendas)
    : reader_(reader), writer_(writer), sessions_(sessions), clock_(clock), agendas_(agendas) {}

namespace {

std::optional<HttpReply> gate(const std::optional<SignedIn>& who, bool admin_only) {
  if (!who) return api_error(401, "unauthorized", "サインインしてください / please sign in");
  if (who->enrolment_pending())
    return api_error(403, "second_factor_enrolment_required",
                     "二要素認証の登録が必要です / enrol a second factor first");
  if (!who->access.console() || (admin_only && !who->access.admin))
    return api_error(403, "forbidden", "この操作の権限がありません / not allowed");
  return std::nullopt;
}

}  // namespace

void Console::read(ApiRequest request, bool admin_only, ReadFn fn, Reply done) {
  if (!request.session_cookie) return done(gate(std::nullopt, admin_only).value());
  reader_.post([this, request = std::move(request), admin_only, fn = std::move(fn),
                done = std::move(done)](store::Database& db) {
    auto who = sessions_.find(db, *request.session_cookie);
    if (auto refused = gate(who, admin_only)) return done(std::move(*refused));
    store::SqliteDirectory directory(db);
    try {
      done(fn(db, directory, *who));
    } catch (const Refusal& r) {
      done(r.reply);
    }
  });
}

void Console::write(ApiRequest request, bool admin_only, WriteFn fn, Reply done) {
  if (!request.session_cookie) return done(gate(std::nullopt, admin_only).value());
  if (!request.origin_allowed)
    return done(
        api_error(403, "forbidden", "このオリジンからは操作できません / origin not allowed"));
  reader_.post([this, request = std::move(request), admin_only, fn = std::move(fn),
                done = std::move(done)](store::Database& db) mutable {
    auto who = sessions_.find(db, *request.session_cookie);
    if (auto refused = gate(who, admin_only)) return done(std::move(*refused));
    auto reply = std::make_shared<std::optional<HttpReply>>();
    store::Change change{clock_.now(), who->person.id, request.client_address};
    writer_.submit_write(
        [who = std::move(*who), fn = std::move(fn), reply, change](store::Database& wdb) {
          store::SqliteDirectory directory(wdb);
          try {
            *reply = fn(wdb, directory, who, change);
          } catch (const Refusal& r) {
            *reply = r.reply;
            throw;  // rolls the savepoint back
          } catch (const std::invalid_argument& e) {
            *reply = api_error(400, "bad_request", e.what());
            throw;
          }
        },
        [this, reply, done = std::move(done)](bool ok, const std::string&) {
          if (ok && on_change) on_change();
          if (*reply && (ok || (*reply)->status != 200)) return done(std::move(**reply));
          done(api_error(500, "internal", "保存できませんでした / could not save"));
        });
  });
}

// --- organisations -------------------------------------------------------------

void Console::list_orgs(ApiRequest request, Reply done) {
  read(
      std::move(request), false,
      [](store::Database&, store::Directory& directory, const SignedIn& who) {
        std::vector<protocol::OrganisationView> out;
        for (const auto& org : directory.list_organisations())
          if (who.access.covers_area(org.area)) out.push_back(organisation_view(org));
        return json(protocol::encode_organisations(out));
      },
      std::move(done));
}

void Console::add_org(ApiRequest request, Reply done) {
  auto body = protocol::decode_organisation_body(request.body, true);
  write(
      std::move(request), false,
      [body = std::move(body)](store::Database&, store::Directory& directory, const SignedIn& who,
                               const store::Change& change) {
        const auto& b = body_or_refuse(body);
        store::NewOrganisation org{*b.name, *b.kind, b.area, b.prefecture};
        if (!org.area) org.area = who.access.home_area();
        if (!who.access.covers_area(org.area)) outside_area();
        return json(protocol::encode_organisation(
            organisation_view(directory.add_organisation(org, change))));
      },
      std::move(done));
}

void Console::update_org(ApiRequest request, std::string id, Reply done) {
  auto body = protocol::decode_organisation_body(request.body, false);
  write(
      std::move(request), false,
      [body = std::move(body), id](store::Database&, store::Directory& directory,
                                   const SignedIn& who, const store::Change& change) {
        const auto& b = body_or_refuse(body);
        scoped_org(directory, who.access, id);
        store::OrganisationUpdate update{b.name, b.kind, b.area, b.prefecture};
        if (update.area && !who.access.covers_area(*update.area)) outside_area();
        return json(protocol::encode_organisation(
            organisation_view(directory.update_organisation(id, update, change))));
      },
      std::move(done));
}

void Console::merge_org(ApiRequest request, std::string id, Reply done) {
  auto body = protocol::decode_merge_body(request.body);
  write(
      std::move(request), false,
      [body = std::move(body), id](store::Database&, store::Directory& directory,
                                   const SignedIn& who, const store::Change& change) {
        const auto& b = body_or_refuse(body);
        scoped_org(directory, who.access, id);
        scoped_org(directory, who.access, b.into);
        if (id == b.into)
          refuse(400, "bad_request", "同じ機関どうしは統合できません / cannot merge into itself");
        directory.merge_organisation(id, b.into, change);
        return json(
            protocol::encode_organisation(organisation_view(*directory.find_organisation(b.into))));
      },
      std::move(done));
}

void Console::deactivate_org(ApiRequest request, std::string id, Reply done) {
  write(
      std::move(request), false,
      [id](store::Database&, store::Directory& directory, const SignedIn& who,
           const store::Change& change) {
        scoped_org(directory, who.access, id);
        directory.deactivate_organisation(id, change);
        return json(
            protocol::encode_organisation(organisation_view(*directory.find_organisation(id))));
      },
      std::move(done));
}

// --- people ----------------------------------------------------------------------

void Console::list_people(ApiRequest request, Reply done) {
  read(
      std::move(request), false,
      [](store::Database&, store::Directory& directory, const SignedIn& who) {
        std::vector<protocol::PersonView> out;
        for (const auto& person : directory.list_people()) {
          auto view = person_view(directory, person);
          if (who.access.admin || (view.org && who.access.covers_area(view.org->area)))
            out.push_back(std::move(view));
        }
        return json(protocol::encode_people(out));
      },
      std::move(done));
}

void Console::add_person(ApiRequest request, Reply done) {
  auto body = protocol::decode_person_body(request.body, true);
  write(
      std::move(request), false,
      [this, body = std::move(body)](store::Database&, store::Directory& directory,
                                     const SignedIn& who, const store::Change& change) {
        const auto& b = body_or_refuse(body);
        const auto org = destination_org(directory, who.access, *b.org);
        if (org.deactivated_at || org.merged_into)
          refuse(400, "bad_request",
                 "この機関には追加できません（統合済み・無効） / inactive organisation");
        if ((b.admin || b.secretariat) && !who.access.admin)
          refuse(403, "forbidden",
                 "管理者・事務局の権限は管理者だけが与えられます / administrators only");
        if (directory.find_person_by_login(*b.login))
          refuse(409, "conflict", "このログインIDは使われています / login already in use");
        auto person = directory.add_person(store::NewPerson{*b.name, org.id, b.login}, change);
        if (b.admin) directory.add_grant({person.id, store::GrantRole::admin, ""}, change);
        if (b.secretariat)
          directory.add_grant({person.id, store::GrantRole::secretariat, *b.secretariat}, change);
        const std::string link = issue_setup_link(directory, person.id, clock_, change);
        return json("{\"person\":" + protocol::json_string(person.id) +
                    ",\"setup\":" + protocol::json_string(link) + "}");
      },
      std::move(done));
}

void Console::update_person(ApiRequest request, std::string id, Reply done) {
  auto body = protocol::decode_person_body(request.body, false);
  write(
      std::move(request), false,
      [body = std::move(body), id](store::Database&, store::Directory& directory,
                                   const SignedIn& who, const store::Change& change) {
        const auto& b = body_or_refuse(body);
        scoped_person(directory, who.access, id);
        refuse_unless_admin_for(directory, who.access, id);
        if (b.org) {
          const auto org = destination_org(directory, who.access, *b.org);
          if (org.deactivated_at || org.merged_into)
            refuse(400, "bad_request",
                   "この機関には移せません（統合済み・無効） / inactive organisation");
        }
        if (b.login) {
          auto other = directory.find_person_by_login(*b.login);
          if (other && other->id != id)
            refuse(409, "conflict", "このログインIDは使われています / login already in use");
        }
        auto person =
            directory.update_person(id, store::PersonUpdate{b.name, b.org, b.login}, change);
        return json(protocol::encode_people({person_view(directory, person)}));
      },
      std::move(done));
}

void Console::deactivate_person(ApiRequest request, std::string id, Reply done) {
  write(
      std::move(request), false,
      [id](store::Database&, store::Directory& directory, const SignedIn& who,
           const store::Change& change) {
        scoped_person(directory, who.access, id);
        refuse_unless_admin_for(directory, who.access, id);
        if (id == who.person.id)
          refuse(400, "bad_request", "自分自身は無効にできません / cannot deactivate yourself");
        directory.deactivate_person(id, change);
        return json(protocol::encode_people({person_view(directory, *directory.find_person(id))}));
      },
      std::move(done));
}

void Console::change_grant(ApiRequest request, std::string id, bool add, Reply done) {
  auto body = protocol::decode_grant_body(request.body);
  write(
      std::move(request), true,
      [body = std::move(body), id, add](store::Database&, store::Directory& directory,
                                        const SignedIn& who, const store::Change& change) {
        const auto& b = body_or_refuse(body);
        const auto person = scoped_person(directory, who.access, id);
        const store::GrantRow grant{person.id, *store::grant_role_from_string(b.role), b.scope};
        if (add) {
          if (!person.active)
            refuse(400, "bad_request",
                   "無効にされた人には付与できません / the person is deactivated");
          directory.add_grant(grant, change);
        } else {
          if (grant.role == store::GrantRole::admin && person.id == who.person.id)
            refuse(400, "bad_request",
                   "自分の管理者権限は外せません / cannot remove your own administrator grant");
          if (!directory.remove_grant(grant, change))
            refuse(404, "not_found", "その権限はありません / no such grant");
        }
        return json(protocol::encode_people({person_view(directory, *directory.find_person(id))}));
      },
      std::move(done));
}

void Console::reissue_setup_link(ApiRequest request, std::string id, Reply done) {
  write(
      std::move(request), false,
      [this, id](store::Database&, store::Directory& directory, const SignedIn& who,
                 const store::Change& change) {
        const auto person = scoped_person(directory, who.access, id);
        refuse_unless_admin_for(directory, who.access, id);
        if (!person.active)
          refuse(400, "bad_request", "無効な職員です / the person is deactivated");
        if (!person.login)
          refuse(400, "bad_request", "先にログインIDを設定してください / set a login first");
        const std::string link = issue_setup_link(directory, id, clock_, change);
        return json("{\"person\":" + protocol::json_string(id) +
                    ",\"setup\":" + protocol::json_string(link) + "}");
      },
      std::move(done));
}

// --- councils and seats --------------------------------------------------------

void Console::list_councils(ApiRequest request, Reply done) {
  read(
      std::move(request), false,
      [this](store::Database&, store::Directory& directory, const SignedIn& who) {
        const std::string now = clock_.now();
        std::vector<protocol::CouncilView> out;
        for (const auto& council : directory.list_councils())
          if (who.access.covers_area(council.area)) {
            auto view = council_view(council);
            std::uint64_t seated = 0;
            for (const auto& seat : directory.seats_of_council(council.id))
              if (seat.active_at(now)) ++seated;
            view.seats = seated;
            out.push_back(std::move(view));
          }
        return json(protocol::encode_councils(out));
      },
      std::move(done));
}

void Console::add_council(ApiRequest request, Reply done) {
  auto body = protocol::decode_council_body(request.body);
  write(
      std::move(request), false,
      [this, body = std::move(body)](store::Database&, store::Directory& directory,
                                     const SignedIn& who, const store::Change& change) {
        const auto& b = body_or_refuse(body);
        store::NewCouncil council{b.name, b.kind, b.area, b.prefecture, b.themes, b.default_agenda};
        if (!council.area) council.area = who.access.home_area();
        if (!who.access.covers_area(council.area)) outside_area();
        if (council.default_agenda && !agendas_.find(*council.default_agenda))
          refuse(400, "bad_request", "議事テンプレートが見つかりません / unknown agenda template");
        return json(
            protocol::encode_councils({council_view(directory.create_council(council, change))}));
      },
      std::move(done));
}

void Console::update_council(ApiRequest request, std::string id, Reply done) {
  auto body = protocol::decode_council_update_body(request.body);
  write(
      std::move(request), false,
      [this, body = std::move(body), id](store::Database&, store::Directory& directory,
                                         const SignedIn& who, const store::Change& change) {
        const auto& b = body_or_refuse(body);
        scoped_council(directory, who.access, id);
        if (b.default_agenda && !b.default_agenda->empty() && !agendas_.find(*b.default_agenda))
          refuse(400, "bad_request", "議事テンプレートが見つかりません / unknown agenda template");
        store::CouncilUpdate update;
        update.name = b.name;
        if (b.themes) update.themes = protocol::encode_theme_list(*b.themes);
        update.next_meeting = b.next_meeting;
        update.default_agenda = b.default_agenda;
        return json(protocol::encode_councils(
            {council_view(directory.update_council(id, update, change))}));
      },
      std::move(done));
}

void Console::archive_council(ApiRequest request, std::string id, Reply done) {
  write(
      std::move(request), false,
      [id](store::Database&, store::Directory& directory, const SignedIn& who,
           const store::Change& change) {
        scoped_council(directory, who.access, id);
        directory.archive_council(id, change);
        return json(
            protocol::encode_councils({council_view(scoped_council(directory, who.access, id))}));
      },
      std::move(done));
}

void Console::list_seats(ApiRequest request, std::string council, Reply done) {
  read(
      std::move(request), false,
      [this, council](store::Database&, store::Directory& directory, const SignedIn& who) {
        scoped_council(directory, who.access, council);
        const auto councils = directory.list_councils();
        std::vector<protocol::SeatView> out;
        for (const auto& seat : directory.seats_of_council(council))
          out.push_back(seat_view(directory, seat, councils, clock_.now()));
        return json(protocol::encode_seats(out));
      },
      std::move(done));
}

void Console::add_seat(ApiRequest request, std::string council, Reply done) {
  auto body = protocol::decode_seat_body(request.body, true);
  write(
      std::move(request), false,
      [body = std::move(body), council](store::Database&, store::Directory& directory,
                                        const SignedIn& who, const store::Change& change) {
        const auto& b = body_or_refuse(body);
        const auto row = scoped_council(directory, who.access, council);
        if (row.archived_at)
          refuse(409, "conflict", "保存済み（アーカイブ）の協議体です / the council is archived");
        const auto person = scoped_person(directory, who.access, *b.person);
        if (!person.active)
          refuse(400, "bad_request", "無効な職員です / the person is deactivated");
        for (const auto& seat : directory.seats_of_council(council))
          if (seat.person == person.id && !seat.revoked_at)
            refuse(409, "conflict", "この協議体の席がすでにあります / already seated");
        auto seat = directory.add_seat(council, person.id, b.role, change);
        return json("{\"participant\":" + protocol::json_string(seat.id) + "}");
      },
      std::move(done));
}

namespace {

store::ParticipantRow scoped_seat(store::Database& db, store::Directory& directory,
                                  const Access& access, const std::string& participant) {
  auto seat = db.find_participant(participant);
  if (!seat || !seat->person) not_found();
  scoped_council(directory, access, seat->council);
  return *seat;
}

}  // namespace

void Console::update_seat(ApiRequest request, std::string participant, Reply done) {
  auto body = protocol::decode_seat_body(request.body, false);
  write(
      std::move(request), false,
      [body = std::move(body), participant](store::Database& db, store::Directory& directory,
                                            const SignedIn& who, const store::Change& change) {
        const auto& b = body_or_refuse(body);
        const auto seat = scoped_seat(db, directory, who.access, participant);
        if (seat.revoked_at) refuse(409, "conflict", "外された席です / the seat was removed");
        auto updated = directory.set_seat_role(participant, b.role, change);
        return json(
            protocol::encode_seats({seat_view(directory, updated, directory.list_councils())}));
      },
      std::move(done));
}

void Console::remove_seat(ApiRequest request, std::string participant, Reply done) {
  write(
      std::move(request), false,
      [participant](store::Database& db, store::Directory& directory, const SignedIn& who,
                    const store::Change& change) {
        scoped_seat(db, directory, who.access, participant);
        directory.remove_seat(participant, change);
        return json("{\"removed\":" + protocol::json_string(participant) + "}");
      },
      std::move(done));
}

// --- invitations, import, audit ----------------------------------------------------

void Console::list_invitations(ApiRequest request, Reply done) {
  read(
      std::move(request), false,
      [this](store::Database&, store::Directory& directory, const SignedIn& who) {
        const std::string now = clock_.now();
        std::vector<protocol::InvitationView> out;
        for (const auto& listing : directory.list_setup_links()) {
          if (!who.access.admin) {
            auto person = directory.find_person(listing.link.person);
            if (!person || !person->org) continue;
            auto org = directory.find_organisation(*person->org);
            if (!org || !who.access.covers_area(org->area)) continue;
          }
          out.push_back(protocol::InvitationView{
              listing.link.person, listing.name, listing.org_name, listing.login,
              std::string(store::to_string(listing.link.state(now))), listing.link.created_at,
              listing.link.expires_at, listing.link.used_at});
        }
        return json(protocol::encode_invitations(out));
      },
      std::move(done));
}

void Console::import(ApiRequest request, bool people, Reply done) {
  const bool dry_run = query_flag(request.query, "dry_run");
  auto bytes = std::make_shared<std::string>(std::move(request.body));
  request.body.clear();
  auto check = [people, bytes](store::Directory& directory, const Access& access) {
    if (!people) {
      protocol::OrganisationImportRules rules;
      rules.name_taken = [&directory](std::string_view name) {
        auto org = directory.find_organisation_by_name(std::string(name));
        return org.has_value();
      };
      rules.area = access.home_area();
      return protocol::preview_organisations(*bytes, rules);
    }
    protocol::PersonImportRules rules;
    rules.find_org = [&directory](std::string_view text) -> std::optional<std::string> {
      auto org = directory.find_organisation(std::string(text));
      if (!org) org = directory.find_organisation_by_name(std::string(text));
      if (!org || org->deactivated_at) return std::nullopt;
      return org->id;
    };
    rules.org_in_scope = [&directory, &access](std::string_view id) {
      auto org = directory.find_organisation(std::string(id));
      return org && access.covers_area(org->area);
    };
    rules.login_taken = [&directory](std::string_view login) {
      return directory.find_person_by_login(std::string(login)).has_value();
    };
    return protocol::preview_people(*bytes, rules);
  };
  auto reply_for = [](const protocol::ImportPreview& preview) {
    HttpReply reply = json(protocol::encode_import_preview(preview));
    if (!preview.ok()) reply.status = 400;
    return reply;
  };
  if (dry_run) {
    read(
        std::move(request), false,
        [check, reply_for](store::Database&, store::Directory& directory, const SignedIn& who) {
          auto preview = check(directory, who.access);
          HttpReply reply = reply_for(preview);
          if (!preview.file_error) reply.status = 200;  // a preview with row errors is an answer
          return reply;
        },
        std::move(done));
    return;
  }
  write(
      std::move(request), false,
      [this, check, reply_for, people](store::Database&, store::Directory& directory,
                                       const SignedIn& who, const store::Change& change) {
        auto preview = check(directory, who.access);
        if (!preview.ok()) throw Refusal(reply_for(preview));
        std::string links = "[";
        for (const auto& row : preview.rows) {
          const auto& v = row.values;
          if (!people) {
            store::NewOrganisation org{v.at("name"), v.at("kind"), std::nullopt, std::nullopt};
            if (!v.at("area").empty()) org.area = v.at("area");
            if (!v.at("prefecture").empty()) org.prefecture = v.at("prefecture");
            directory.add_organisation(org, change);
          } else {
            auto person = directory.add_person(
                store::NewPerson{v.at("name"), v.at("org_id"), v.at("login")}, change);
            const std::string link = issue_setup_link(directory, person.id, clock_, change);
            if (links.size() > 1) links += ",";
            links += "{\"person\":" + protocol::json_string(person.id) +
                     ",\"name\":" + protocol::json_string(person.name) +
                     ",\"setup\":" + protocol::json_string(link) + "}";
          }
        }
        links += "]";
        return json("{\"imported\":" + std::to_string(preview.rows.size()) + ",\"setup\":" + links +
                    "}");
      },
      std::move(done));
}

void Console::audit(ApiRequest request, Reply done) {
  const bool csv = query_parameter(request.query, "format").value_or("") == "csv";
  read(
      std::move(request), true,
      [csv](store::Database&, store::Directory& directory, const SignedIn&) {
        // Ids shown with today's names (the trail itself keeps ids).
        std::unordered_map<std::string, std::string> names;
        for (const auto& p : directory.list_people()) names[p.id] = p.name;
        for (const auto& o : directory.list_organisations()) names[o.id] = o.name;
        for (const auto& c : directory.list_councils()) names[c.id] = c.name;
        auto name_of = [&](const std::optional<std::string>& id) -> std::optional<std::string> {
          if (!id) return std::nullopt;
          auto it = names.find(*id);
          if (it == names.end()) return std::nullopt;
          return it->second;
        };
        std::vector<protocol::AuditView> rows;
        for (const auto& r : directory.read_directory_audit(100000))
          rows.push_back(protocol::AuditView{r.at, r.person, name_of(r.person), name_of(r.subject),
                                             r.address, r.action, r.subject, r.council, r.outcome,
                                             r.old_value, r.new_value});
        if (!csv) return json(protocol::encode_audit(rows));
        HttpReply reply{200, "text/csv; charset=utf-8", protocol::encode_audit_csv(rows)};
        reply.headers.emplace_back("Content-Disposition",
                                   "attachment; filename=\"renkei-audit.csv\"");
        return reply;
      },
      std::move(done));
}

}  // namespace renkei::app
