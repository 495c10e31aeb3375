#include "app/admin.hpp"

#include <boost/json.hpp>
#include <stdexcept>

#include "app/tokens.hpp"
#include "store/sqlite_directory.hpp"

namespace renkei::app {

namespace {

// Changes made by the CLI name no person and no address.
store::Change cli_change(const std::string& now) { return store::Change{now, {}, {}}; }

}  // namespace

Invitation invite(store::Database& db, const std::string& council, const std::string& name,
                  const std::string& org, domain::Role role, const std::string& now,
                  const std::optional<std::string>& expires_at) {
  if (!db.find_council(council)) {
    throw std::invalid_argument("協議体が見つかりません / council not found: " + council);
  }
  Invitation invitation;
  invitation.token = generate_token();
  store::SqliteDirectory directory(db);
  auto row = directory.invite_participant(council, name, org, role, hash_token(invitation.token),
                                          expires_at, cli_change(now));
  invitation.council = council;
  invitation.participant = row.id;
  invitation.name = name;
  invitation.org = org;
  invitation.role = role;
  return invitation;
}

Invitation create_council(store::Database& db, const std::string& name, domain::CouncilKind kind,
                          const std::string& facilitator_name, const std::string& facilitator_org,
                          const std::string& now, const std::optional<std::string>& area) {
  store::SqliteDirectory directory(db);
  store::NewCouncil made;
  made.name = name;
  made.kind = kind;
  made.area = area;
  auto council = directory.create_council(made, cli_change(now));
  return invite(db, council.id, facilitator_name, facilitator_org, domain::Role::facilitator, now);
}

std::string add_organisation(store::Database& db, const std::string& name, const std::string& kind,
                             const std::optional<std::string>& area,
                             const std::optional<std::string>& prefecture, const std::string& now) {
  store::SqliteDirectory directory(db);
  return directory
      .add_organisation(store::NewOrganisation{name, kind, area, prefecture}, cli_change(now))
      .id;
}

PersonAdded add_person(store::Database& db, const std::string& name, const std::string& org,
                       const std::string& login, bool admin, const Clock& clock) {
  store::SqliteDirectory directory(db);
  auto found = directory.resolve_organisation(org);
  if (!found) found = directory.find_organisation_by_name(org);
  if (!found)
    throw std::invalid_argument("関係機関が見つかりません / no such organisation: " + org);
  if (login.empty()) throw std::invalid_argument("ログイン名が必要です / a login is required");
  const std::string now = clock.now();
  const auto person =
      directory.add_person(store::NewPerson{name, found->id, login}, cli_change(now));
  if (admin)
    directory.add_grant(store::GrantRow{person.id, store::GrantRole::admin, ""}, cli_change(now));
  PersonAdded added;
  added.person = person.id;
  added.setup_token = generate_token();
  directory.create_setup_link(hash_token(added.setup_token), person.id,
                              clock.after(setup_link_validity), cli_change(now));
  return added;
}

std::string add_seat(store::Database& db, const std::string& council, const std::string& person,
                     domain::Role role, const std::string& now) {
  store::SqliteDirectory directory(db);
  return directory.add_seat(council, person, role, cli_change(now)).id;
}

bool deactivate_person(store::Database& db, const std::string& person, const std::string& now) {
  store::SqliteDirectory directory(db);
  return directory.deactivate_person(person, cli_change(now));
}

namespace {

store::GrantRole parse_grant_role(const std::string& role) {
  const auto parsed = store::grant_role_from_string(role);
  if (!parsed)
    throw std::invalid_argument(
        "--role: admin, secretariat, prefecture_viewer のいずれか / one of admin, secretariat, "
        "prefecture_viewer");
  return *parsed;
}

}  // namespace

void grant(store::Database& db, const std::string& person, const std::string& role,
           const std::string& scope, const std::string& now) {
  const auto parsed = parse_grant_role(role);
  store::SqliteDirectory directory(db);
  directory.add_grant(store::GrantRow{person, parsed, scope}, cli_change(now));
}

bool remove_grant(store::Database& db, const std::string& person, const std::string& role,
                  const std::string& scope, const std::string& now) {
  const auto parsed = parse_grant_role(role);
  if (parsed != store::GrantRole::admin && scope.empty())
    throw std::invalid_argument("範囲 (--scope) が必要です / a scope is required for this role");
  store::SqliteDirectory directory(db);
  if (!directory.find_person(person))
    throw std::invalid_argument("人が見つかりません: " + person + " / no such person: " + person);
  return directory.remove_grant(store::GrantRow{person, parsed, scope}, cli_change(now));
}

std::vector<std::string> directory_audit_lines(store::Database& db, std::size_t limit) {
  store::SqliteDirectory directory(db);
  const auto json_or_null = [](const std::optional<std::string>& text) -> boost::json::value {
    if (!text) return nullptr;
    boost::system::error_code ec;
    boost::json::value value = boost::json::parse(*text, ec);
    return ec ? boost::json::value(nullptr) : value;
  };
  const auto text_or_null = [](const std::optional<std::string>& text) -> boost::json::value {
    return text ? boost::json::value(*text) : boost::json::value(nullptr);
  };
  std::vector<std::string> lines;
  for (const auto& row : directory.read_directory_audit(limit)) {
    boost::json::object out;
    out["at"] = row.at;
    out["person"] = text_or_null(row.person);
    out["address"] = text_or_null(row.address);
    out["action"] = row.action;
    out["subject"] = row.subject;
    out["council"] = text_or_null(row.council);
    out["outcome"] = row.outcome;
    out["old"] = json_or_null(row.old_value);
    out["new"] = json_or_null(row.new_value);
    lines.push_back(boost::json::serialize(out));
  }
  return lines;
}

std::string json_line(const std::string& key, const std::string& value) {
  boost::json::object out;
  out[key] = value;
  return boost::json::serialize(out);
}

std::string json_string(const std::string& value) {
  return boost::json::serialize(boost::json::value(value));
}

std::string council_created_json(const Invitation& facilitator) {
  boost::json::object out;
  out["council"] = facilitator.council;
  out["participant"] = facilitator.participant;
  out["token"] = facilitator.token;
  return boost::json::serialize(out);
}

std::string invitation_json(const Invitation& invitation) {
  boost::json::object out;
  out["participant"] = invitation.participant;
  out["token"] = invitation.token;
  out["link"] = invitation.link();
  return boost::json::serialize(out);
}

std::vector<std::string> audit_lines(store::Database& db, const std::string& council,
                                     std::size_t limit) {
  std::vector<std::string> lines;
  for (const auto& row : db.read_audit(council, limit)) {
    boost::json::object out;
    out["at"] = row.at;
    out["participant"] = row.participant ? boost::json::value(*row.participant) : nullptr;
    out["action"] = row.action;
    out["op"] = row.op ? boost::json::value(*row.op) : nullptr;
    out["outcome"] = row.outcome;
    out["seq"] = row.seq ? boost::json::value(*row.seq) : nullptr;
    if (row.on_behalf_of) out["on_behalf_of"] = *row.on_behalf_of;
    // text.redacted: what was erased and why (target, participant, reason).
    if (row.redaction) {
      boost::system::error_code ec;
      boost::json::value redaction = boost::json::parse(*row.redaction, ec);
      if (!ec) out["redaction"] = std::move(redaction);
    }
    lines.push_back(boost::json::serialize(out));
  }
  return lines;
}

bool revoke(store::Database& db, const std::string& participant, const std::string& now) {
  const bool revoked = db.revoke_participant(participant, now);
  db.end_participant_sessions(participant, now);
  return revoked;
}

std::vector<Invitation> seed_demo(store::Database& db, const std::string& now) {
  std::vector<Invitation> made;
  if (!db.list_councils().empty()) return made;

  // A health-centre area council as in the source report's Hiroshima case:
  // the 保健所 convenes municipalities and partner organisations.
  const std::string area = "西部保健所広島支所管内";
  const std::string north = "北部保健所管内";
  auto facilitator = create_council(db, "西部圏域 地域共生ケア会議", domain::CouncilKind::council,
                                    "山本 真理", "西部保健所広島支所", now, area);
  made.push_back(facilitator);
  const std::string council = facilitator.council;
  struct Member {
    const char* name;
    const char* org;
    domain::Role role;
  };
  const Member members[] = {
      {"佐藤 恵子", "北広島町", domain::Role::member},
      {"田中 浩二", "坂町地域包括支援センター", domain::Role::member},
      {"高橋 由美", "安芸太田町", domain::Role::member},
      {"伊藤 聡", "広島西医療センター 地域連携室", domain::Role::member},
      {"渡辺 幸子", "訪問看護ステーションあさひ", domain::Role::member},
      {"中村 健一", "安芸地区医師会", domain::Role::member},
      {"小林 直美", "広島県 健康福祉局", domain::Role::observer},
  };
  for (const auto& m : members) made.push_back(invite(db, council, m.name, m.org, m.role, now));

  // The one-on-one consultation of the health centre with one municipality.
  auto one_on_one =
      create_council(db, "西部保健所 × 北広島町 一対一協議", domain::CouncilKind::one_on_one,
                     "山本 真理", "西部保健所広島支所", now, area);
  made.push_back(one_on_one);
  made.push_back(
      invite(db, one_on_one.council, "佐藤 恵子", "北広島町", domain::Role::member, now));

  // A second health-centre area of the prefecture, so that the
  // prefecture's view (県本庁: 小林 直美) compares two areas.
  auto north_council =
      create_council(db, "北部圏域 在宅医療・介護連携推進会議", domain::CouncilKind::council,
                     "松本 美香", "北部保健所", now, north);
  made.push_back(north_council);
  made.push_back(invite(db, north_council.council, "井上 恵", "三次市", domain::Role::member, now));

  // The organisations with their kinds and area, logins for the people,
  // and the health-centre nurse as the area's secretariat and the demo's
  // administrator. The database is marked as the demo: its invite links
  // sign their person in, and nobody must enrol a second factor.
  store::SqliteDirectory directory(db);
  const store::Change change{now, std::nullopt, std::nullopt};
  const std::pair<const char*, const char*> kinds[] = {
      {"西部保健所広島支所", "health_centre"},
      {"北広島町", "municipality"},
      {"坂町地域包括支援センター", "community_support_centre"},
      {"安芸太田町", "municipality"},
      {"広島西医療センター 地域連携室", "hospital"},
      {"訪問看護ステーションあさひ", "visiting_nurse"},
      {"安芸地区医師会", "association"},
      {"広島県 健康福祉局", "prefecture"},
      {"北部保健所", "health_centre"},
      {"三次市", "municipality"},
  };
  for (const auto& [name, kind] : kinds) {
    if (auto org = directory.find_organisation_by_name(name)) {
      store::OrganisationUpdate update;
      update.kind = kind;
      const bool in_north = std::string(name) == "北部保健所" || std::string(name) == "三次市";
      update.area = std::string(kind) == "prefecture"
                        ? std::nullopt
                        : std::optional<std::string>(in_north ? north : area);
      update.prefecture = "広島県";
      directory.update_organisation(org->id, update, change);
    }
  }
  int n = 0;
  for (auto& person : directory.list_people()) {
    store::PersonUpdate update;
    update.login = "demo" + std::to_string(++n);
    directory.update_person(person.id, update, change);
    if (person.name == "山本 真理") {
      directory.add_grant({person.id, store::GrantRole::admin, ""}, change);
      directory.add_grant({person.id, store::GrantRole::secretariat, area}, change);
    }
    if (person.name == "小林 直美")
      directory.add_grant({person.id, store::GrantRole::prefecture_viewer, "広島県"}, change);
  }
  // The themes each area council works on (事務局コンソール sets them too).
  store::CouncilUpdate themes;
  themes.themes = R"(["入退院支援","在宅医療・介護連携","認知症施策"])";
  directory.update_council(facilitator.council, themes, change);
  directory.update_council(north_council.council, themes, change);
  db.mark_demo();
  return made;
}

}  // namespace renkei::app
