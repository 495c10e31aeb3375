#include "store/sqlite_directory.hpp"

#include <sqlite3.h>

#include <stdexcept>

#include "store/json_text.hpp"
#include "store/row_reading.hpp"
#include "store/statement.hpp"

namespace renkei::store {

namespace {

[[noreturn]] void bad(const std::string& japanese, const std::string& english) {
  throw std::invalid_argument(japanese + " / " + english);
}

#define RENKEI_ORG_COLUMNS \
  "id, name, kind, area, prefecture, merged_into, deactivated_at, created_at"

OrganisationRow organisation_row(const Query& query) {
  OrganisationRow row;
  row.id = make_id('o', query.int64(0));
  row.name = query.text(1);
  row.kind = query.text(2);
  row.area = query.optional_text(3);
  row.prefecture = query.optional_text(4);
  row.merged_into = optional_id(query, 5, 'o');
  row.deactivated_at = query.optional_text(6);
  row.created_at = query.text(7);
  return row;
}

#define RENKEI_PERSON_COLUMNS                                                          \
  "id, name, org, login, status, password_hash IS NOT NULL, totp_sealed IS NOT NULL, " \
  "created_at, deactivated_at, last_visit_at"

PersonRow person_row(const Query& query) {
  PersonRow row;
  row.id = make_id('u', query.int64(0));
  row.name = query.text(1);
  row.org = optional_id(query, 2, 'o');
  row.login = query.optional_text(3);
  row.active = query.text(4) == "active";
  row.has_password = query.int64(5) != 0;
  row.totp_enrolled = query.int64(6) != 0;
  row.created_at = query.text(7);
  row.deactivated_at = query.optional_text(8);
  row.last_visit_at = query.optional_text(9);
  return row;
}

void check_name(const std::string& name) {
  if (name.empty()) bad("名前が必要です", "a name is required");
}

void check_kind(const std::string& kind) {
  if (!is_organisation_kind(kind))
    bad("関係機関の種別が不明です: " + kind, "unknown kind: " + kind);
}

// Merges are followed at most this far (a merge refuses a merged target,
// so chains stay short; the bound guards against a cycle written by hand).
constexpr int max_merge_hops = 64;

}  // namespace

SqliteDirectory::SqliteDirectory(Database& db) : db_(db), handle_(db.handle()) {}

void SqliteDirectory::in_transaction(const std::function<void()>& body) {
  // Alone (the CLI, a test) a change is its own IMMEDIATE transaction; inside
  // a transaction that is already open (the group-commit writer's, which
  // runs each write in a savepoint of its own) it is a nested savepoint, so
  // several changes of one request commit together with the writer's batch.
  if (store::in_transaction(handle_)) {
    exec(handle_, "SAVEPOINT directory_change", "directory: savepoint");
    try {
      body();
      exec(handle_, "RELEASE directory_change", "directory: release");
    } catch (...) {
      exec(handle_, "ROLLBACK TO directory_change", "directory: rollback to");
      exec(handle_, "RELEASE directory_change", "directory: release");
      throw;
    }
    return;
  }
  exec(handle_, "BEGIN IMMEDIATE", "directory: begin");
  try {
    body();
    exec(handle_, "COMMIT", "directory: commit");
  } catch (...) {
    rollback_if_open(handle_);
    throw;
  }
}

void SqliteDirectory::audit(const Change& change, std::string_view action,
                            const std::string& subject, const std::optional<std::string>& council,
                            const std::optional<std::string>& old_value,
                            const std::optional<std::string>& new_value,
                            const std::optional<std::string>& participant) {
  DirectoryAuditRow row;
  row.at = change.at;
  row.person = change.by;
  row.address = change.address;
  row.action = std::string(action);
  row.subject = subject;
  row.council = council;
  row.old_value = old_value;
  row.new_value = new_value;
  Statement statement(handle_,
                      "INSERT INTO audit_log(at, council, participant, action, op, outcome, "
                      "person, address, subject, old_value, new_value) "
                      "VALUES(?1, ?2, ?3, ?4, NULL, ?5, ?6, ?7, ?8, ?9, ?10)");
  Query query(statement, "directory: audit");
  query.bind_text(1, row.at)
      .bind_optional_text(2, row.council)
      .bind_optional_text(3, participant)
      .bind_text(4, row.action)
      .bind_text(5, row.outcome)
      .bind_optional_text(6, row.person)
      .bind_optional_text(7, row.address)
      .bind_text(8, row.subject)
      .bind_optional_text(9, row.old_value)
      .bind_optional_text(10, row.new_value)
      .run();
}

std::int64_t SqliteDirectory::person_rowid(const std::string& id) {
  const auto rowid = parse_id(id, 'u');
  if (!rowid || !find_person(id)) bad("人が見つかりません: " + id, "no such person: " + id);
  return *rowid;
}

std::int64_t SqliteDirectory::organisation_rowid(const std::string& id) {
  const auto rowid = parse_id(id, 'o');
  if (!rowid || !find_organisation(id))
    bad("関係機関が見つかりません: " + id, "no such organisation: " + id);
  return *rowid;
}

// Organisations.

OrganisationRow SqliteDirectory::insert_organisation(const NewOrganisation& org,
                                                     const Change& change) {
  check_name(org.name);
  check_kind(org.kind);
  if (organisation_by_name(org.name))
    bad("同じ名前の関係機関があります: " + org.name, "an organisation of that name exists");
  {
    Statement statement(handle_,
                        "INSERT INTO organisations(name, kind, area, prefecture, created_at) "
                        "VALUES(?1, ?2, ?3, ?4, ?5)");
    Query query(statement, "add_organisation");
    query.bind_text(1, org.name)
        .bind_text(2, org.kind)
        .bind_optional_text(3, org.area)
        .bind_optional_text(4, org.prefecture)
        .bind_text(5, change.at)
        .run();
  }
  OrganisationRow row;
  row.id = make_id('o', last_insert_id(handle_));
  row.name = org.name;
  row.kind = org.kind;
  row.area = org.area;
  row.prefecture = org.prefecture;
  row.created_at = change.at;
  audit(change, "org.add", row.id, std::nullopt, std::nullopt,
        JsonText()
            .add("name", row.name)
            .add("kind", row.kind)
            .add("area", row.area)
            .add("prefecture", row.prefecture)
            .str());
  return row;
}

OrganisationRow SqliteDirectory::add_organisation(const NewOrganisation& org,
                                                  const Change& change) {
  OrganisationRow row;
  in_transaction([&] { row = insert_organisation(org, change); });
  return row;
}

std::optional<OrganisationRow> SqliteDirectory::find_organisation(const std::string& id) {
  const auto rowid = parse_id(id, 'o');
  if (!rowid) return std::nullopt;
  Statement statement(handle_, "SELECT " RENKEI_ORG_COLUMNS " FROM organisations WHERE id = ?1");
  Query query(statement, "find_organisation");
  query.bind_int(1, *rowid);
  if (!query.step()) return std::nullopt;
  return organisation_row(query);
}

std::optional<OrganisationRow> SqliteDirectory::organisation_by_name(const std::string& name) {
  Statement statement(handle_, "SELECT " RENKEI_ORG_COLUMNS
                               " FROM organisations WHERE name = ?1 AND merged_into IS NULL");
  Query query(statement, "find_organisation_by_name");
  query.bind_text(1, name);
  if (!query.step()) return std::nullopt;
  return organisation_row(query);
}

std::optional<OrganisationRow> SqliteDirectory::find_organisation_by_name(const std::string& name) {
  if (auto found = organisation_by_name(name)) return found;
  // A name no organisation bears now may be one merged away: it answers as
  // the survivor (the most recent such merge decides).
  std::optional<std::string> merged;
  {
    Statement statement(handle_,
                        "SELECT id FROM organisations WHERE name = ?1 AND merged_into IS NOT NULL "
                        "ORDER BY id DESC LIMIT 1");
    Query query(statement, "find_organisation_by_name: merged");
    query.bind_text(1, name);
    if (query.step()) merged = make_id('o', query.int64(0));
  }
  if (!merged) return std::nullopt;
  return resolve_organisation(*merged);
}

std::optional<OrganisationRow> SqliteDirectory::resolve_organisation(const std::string& id) {
  auto row = find_organisation(id);
  for (int hop = 0; row && row->merged_into && hop < max_merge_hops; ++hop)
    row = find_organisation(*row->merged_into);
  if (row && row->merged_into) corrupt("organisation merges form a cycle");
  return row;
}

std::vector<OrganisationRow> SqliteDirectory::list_organisations() {
  std::vector<OrganisationRow> rows;
  Statement statement(handle_, "SELECT " RENKEI_ORG_COLUMNS " FROM organisations ORDER BY id");
  Query query(statement, "list_organisations");
  while (query.step()) rows.push_back(organisation_row(query));
  return rows;
}

void SqliteDirectory::move_open_seats_of_org(std::int64_t from, const OrganisationRow& into) {
  Statement statement(handle_,
                      "UPDATE participants SET org_id = ?2, org = ?3 "
                      "WHERE org_id = ?1 AND revoked_at IS NULL");
  Query query(statement, "move seats");
  query.bind_int(1, from).bind_int(2, *parse_id(into.id, 'o')).bind_text(3, into.name).run();
}

OrganisationRow SqliteDirectory::update_organisation(const std::string& id,
                                                     const OrganisationUpdate& update,
                                                     const Change& change) {
  OrganisationRow row;
  in_transaction([&] {
    const std::int64_t rowid = organisation_rowid(id);
    row = *find_organisation(id);
    if (row.merged_into) bad("統合済みの関係機関です: " + id, "the organisation was merged");
    JsonText before, after;
    if (update.name && *update.name != row.name) {
      check_name(*update.name);
      if (organisation_by_name(*update.name))
        bad("同じ名前の関係機関があります: " + *update.name, "an organisation of that name exists");
      before.add("name", row.name);
      after.add("name", *update.name);
      row.name = *update.name;
    }
    if (update.kind && *update.kind != row.kind) {
      check_kind(*update.kind);
      before.add("kind", row.kind);
      after.add("kind", *update.kind);
      row.kind = *update.kind;
    }
    if (update.area && update.area != row.area) {
      before.add("area", row.area);
      after.add("area", update.area);
      row.area = update.area;
    }
    if (update.prefecture && update.prefecture != row.prefecture) {
      before.add("prefecture", row.prefecture);
      after.add("prefecture", update.prefecture);
      row.prefecture = update.prefecture;
    }
    if (after.empty()) return;
    {
      Statement statement(handle_,
                          "UPDATE organisations SET name = ?2, kind = ?3, area = ?4, "
                          "prefecture = ?5 WHERE id = ?1");
      Query query(statement, "update_organisation");
      query.bind_int(1, rowid)
          .bind_text(2, row.name)
          .bind_text(3, row.kind)
          .bind_optional_text(4, row.area)
          .bind_optional_text(5, row.prefecture)
          .run();
    }
    // Open seats carry the current name into new events.
    move_open_seats_of_org(rowid, row);
    audit(change, "org.update", id, std::nullopt, before.str(), after.str());
  });
  return row;
}

void SqliteDirectory::merge_organisation(const std::string& from, const std::string& into,
                                         const Change& change) {
  in_transaction([&] {
    const std::int64_t from_rowid = organisation_rowid(from);
    const std::int64_t into_rowid = organisation_rowid(into);
    if (from_rowid == into_rowid) bad("同じ関係機関には統合できません", "cannot merge into itself");
    const OrganisationRow source = *find_organisation(from);
    const OrganisationRow target = *find_organisation(into);
    if (source.merged_into || target.merged_into)
      bad("統合済みの関係機関です", "an organisation was already merged");
    {
      Statement statement(handle_, "UPDATE organisations SET merged_into = ?2 WHERE id = ?1");
      Query query(statement, "merge_organisation");
      query.bind_int(1, from_rowid).bind_int(2, into_rowid).run();
    }
    {
      Statement statement(handle_, "UPDATE people SET org = ?2 WHERE org = ?1");
      Query query(statement, "merge_organisation: people");
      query.bind_int(1, from_rowid).bind_int(2, into_rowid).run();
    }
    move_open_seats_of_org(from_rowid, target);
    audit(change, "org.merge", from, std::nullopt,
          JsonText().add("merged_into", std::nullopt).str(),
          JsonText().add("merged_into", into).str());
  });
}

void SqliteDirectory::deactivate_organisation(const std::string& id, const Change& change) {
  in_transaction([&] {
    const std::int64_t rowid = organisation_rowid(id);
    Statement statement(handle_,
                        "UPDATE organisations SET deactivated_at = ?2 "
                        "WHERE id = ?1 AND deactivated_at IS NULL");
    Query query(statement, "deactivate_organisation");
    query.bind_int(1, rowid).bind_text(2, change.at).run();
    if (changes(handle_) == 0) return;
    audit(change, "org.deactivate", id, std::nullopt,
          JsonText().add("deactivated_at", std::nullopt).str(),
          JsonText().add("deactivated_at", change.at).str());
  });
}

// People.

PersonRow SqliteDirectory::insert_person(const NewPerson& person, const Change& change) {
  check_name(person.name);
  const auto org = resolve_organisation(person.org);
  if (!org) bad("関係機関が見つかりません: " + person.org, "no such organisation: " + person.org);
  if (org->deactivated_at)
    bad("関係機関は無効です: " + org->name, "the organisation is deactivated");
  if (person.login) {
    if (person.login->empty()) bad("ログイン名が空です", "the login is empty");
    if (find_person_by_login(*person.login))
      bad("そのログイン名は使われています: " + *person.login, "login already taken");
  }
  {
    Statement statement(handle_,
                        "INSERT INTO people(name, org, login, status, created_at) "
                        "VALUES(?1, ?2, ?3, 'active', ?4)");
    Query query(statement, "add_person");
    query.bind_text(1, person.name)
        .bind_int(2, *parse_id(org->id, 'o'))
        .bind_optional_text(3, person.login)
        .bind_text(4, change.at)
        .run();
  }
  PersonRow row;
  row.id = make_id('u', last_insert_id(handle_));
  row.name = person.name;
  row.org = org->id;
  row.login = person.login;
  row.created_at = change.at;
  audit(change, "person.add", row.id, std::nullopt, std::nullopt,
        JsonText().add("name", row.name).add("org", row.org).add("login", row.login).str());
  return row;
}

PersonRow SqliteDirectory::add_person(const NewPerson& person, const Change& change) {
  PersonRow row;
  in_transaction([&] { row = insert_person(person, change); });
  return row;
}

std::optional<PersonRow> SqliteDirectory::find_person(const std::string& id) {
  const auto rowid = parse_id(id, 'u');
  if (!rowid) return std::nullopt;
  Statement statement(handle_, "SELECT " RENKEI_PERSON_COLUMNS " FROM people WHERE id = ?1");
  Query query(statement, "find_person");
  query.bind_int(1, *rowid);
  if (!query.step()) return std::nullopt;
  return person_row(query);
}

std::optional<PersonRow> SqliteDirectory::find_person_by_login(const std::string& login) {
  Statement statement(handle_, "SELECT " RENKEI_PERSON_COLUMNS " FROM people WHERE login = ?1");
  Query query(statement, "find_person_by_login");
  query.bind_text(1, login);
  if (!query.step()) return std::nullopt;
  return person_row(query);
}

std::vector<PersonRow> SqliteDirectory::list_people() {
  std::vector<PersonRow> rows;
  Statement statement(handle_, "SELECT " RENKEI_PERSON_COLUMNS " FROM people ORDER BY id");
  Query query(statement, "list_people");
  while (query.step()) rows.push_back(person_row(query));
  return rows;
}

void SqliteDirectory::move_open_seats_of_person(std::int64_t person, const OrganisationRow& org) {
  Statement statement(handle_,
                      "UPDATE participants SET org_id = ?2, org = ?3 "
                      "WHERE person = ?1 AND revoked_at IS NULL");
  Query query(statement, "move seats of person");
  query.bind_int(1, person).bind_int(2, *parse_id(org.id, 'o')).bind_text(3, org.name).run();
}

PersonRow SqliteDirectory::update_person(const std::string& id, const PersonUpdate& update,
                                         const Change& change) {
  PersonRow row;
  in_transaction([&] {
    const std::int64_t rowid = person_rowid(id);
    row = *find_person(id);
    JsonText before, after;
    if (update.name && *update.name != row.name) {
      check_name(*update.name);
      before.add("name", row.name);
      after.add("name", *update.name);
      row.name = *update.name;
    }
    std::optional<OrganisationRow> moved_to;
    if (update.org) {
      moved_to = resolve_organisation(*update.org);
      if (!moved_to)
        bad("関係機関が見つかりません: " + *update.org, "no such organisation: " + *update.org);
      if (moved_to->deactivated_at) bad("関係機関は無効です", "the organisation is deactivated");
      if (moved_to->id != row.org) {
        before.add("org", row.org);
        after.add("org", moved_to->id);
        row.org = moved_to->id;
      } else {
        moved_to.reset();
      }
    }
    if (update.login && update.login != row.login) {
      if (update.login->empty()) bad("ログイン名が空です", "the login is empty");
      if (find_person_by_login(*update.login))
        bad("そのログイン名は使われています: " + *update.login, "login already taken");
      before.add("login", row.login);
      after.add("login", update.login);
      row.login = update.login;
    }
    if (after.empty()) return;
    {
      Statement statement(handle_,
                          "UPDATE people SET name = ?2, org = ?3, login = ?4 WHERE id = ?1");
      Query query(statement, "update_person");
      query.bind_int(1, rowid)
          .bind_text(2, row.name)
          .bind_int(3, *parse_id(*row.org, 'o'))
          .bind_optional_text(4, row.login)
          .run();
    }
    if (moved_to) move_open_seats_of_person(rowid, *moved_to);
    audit(change, "person.update", id, std::nullopt, before.str(), after.str());
  });
  return row;
}

bool SqliteDirectory::deactivate_person(const std::string& id, const Change& change) {
  bool changed = false;
  in_transaction([&] {
    const std::int64_t rowid = person_rowid(id);
    {
      Statement statement(handle_,
                          "UPDATE people SET status = 'deactivated', deactivated_at = ?2 "
                          "WHERE id = ?1 AND status = 'active'");
      Query query(statement, "deactivate_person");
      query.bind_int(1, rowid).bind_text(2, change.at).run();
    }
    if (changes(handle_) == 0) return;
    changed = true;
    revoke_unused_setup_links(id, change.at);
    end_person_sessions(id, change.at);
    {
      Statement statement(handle_,
                          "UPDATE browser_sessions SET ended_at = ?2 WHERE ended_at IS NULL "
                          "AND participant IN (SELECT id FROM participants WHERE person = ?1)");
      Query query(statement, "deactivate_person: browser sessions");
      query.bind_int(1, rowid).bind_text(2, change.at).run();
    }
    audit(change, "person.deactivate", id, std::nullopt, JsonText().add("status", "active").str(),
          JsonText().add("status", "deactivated").str());
    // Their open seats become vacancies (空席, schema v10): the secretariat
    // fills or dismisses them.
    std::vector<std::pair<std::string, std::string>> vacated;  // seat, council
    {
      Statement statement(handle_,
                          "SELECT id, council FROM participants WHERE person = ?1 "
                          "AND revoked_at IS NULL AND vacated_at IS NULL ORDER BY id");
      Query query(statement, "deactivate_person: open seats");
      query.bind_int(1, rowid);
      while (query.step())
        vacated.emplace_back(make_id('p', query.int64(0)), make_id('c', query.int64(1)));
    }
    for (const auto& [seat_id, council] : vacated) {
      {
        Statement statement(handle_, "UPDATE participants SET vacated_at = ?2 WHERE id = ?1");
        Query query(statement, "deactivate_person: vacate");
        query.bind_int(1, *parse_id(seat_id, 'p')).bind_text(2, change.at).run();
      }
      audit(change, "seat.vacated", seat_id, council,
            JsonText().add("vacated_at", std::nullopt).str(),
            JsonText().add("vacated_at", change.at).str(), seat_id);
    }
  });
  return changed;
}

// Secrets: audit rows say what changed, never the value.

std::optional<PersonSecrets> SqliteDirectory::find_secrets(const std::string& person) {
  const auto rowid = parse_id(person, 'u');
  if (!rowid) return std::nullopt;
  Statement statement(handle_,
                      "SELECT password_hash, totp_sealed, totp_pending_sealed, totp_last_step "
                      "FROM people WHERE id = ?1");
  Query query(statement, "find_secrets");
  query.bind_int(1, *rowid);
  if (!query.step()) return std::nullopt;
  PersonSecrets secrets;
  secrets.password_hash = query.optional_text(0);
  secrets.totp_sealed = query.optional_blob(1);
  secrets.totp_pending_sealed = query.optional_blob(2);
  secrets.totp_last_step = query.optional_int64(3);
  return secrets;
}

void SqliteDirectory::set_password_hash(const std::string& person, const std::string& hash,
                                        const Change& change) {
  in_transaction([&] {
    const std::int64_t rowid = person_rowid(person);
    Statement statement(handle_, "UPDATE people SET password_hash = ?2 WHERE id = ?1");
    Query query(statement, "set_password_hash");
    query.bind_int(1, rowid).bind_text(2, hash).run();
    audit(change, "person.password_set", person, std::nullopt, std::nullopt, std::nullopt);
  });
}

void SqliteDirectory::set_totp_pending(const std::string& person, const std::string& sealed,
                                       const Change& change) {
  in_transaction([&] {
    const std::int64_t rowid = person_rowid(person);
    Statement statement(handle_, "UPDATE people SET totp_pending_sealed = ?2 WHERE id = ?1");
    Query query(statement, "set_totp_pending");
    query.bind_int(1, rowid).bind_optional_blob(2, sealed).run();
    audit(change, "person.totp_pending", person, std::nullopt, std::nullopt, std::nullopt);
  });
}

bool SqliteDirectory::confirm_totp(const std::string& person, std::int64_t step,
                                   const Change& change) {
  bool confirmed = false;
  in_transaction([&] {
    const std::int64_t rowid = person_rowid(person);
    Statement statement(handle_,
                        "UPDATE people SET totp_sealed = totp_pending_sealed, "
                        "totp_pending_sealed = NULL, totp_last_step = ?2 "
                        "WHERE id = ?1 AND totp_pending_sealed IS NOT NULL");
    Query query(statement, "confirm_totp");
    query.bind_int(1, rowid).bind_int(2, step).run();
    confirmed = changes(handle_) > 0;
    if (confirmed)
      audit(change, "person.totp_enrolled", person, std::nullopt, std::nullopt, std::nullopt);
  });
  return confirmed;
}

bool SqliteDirectory::clear_second_factor(const std::string& person, const Change& change) {
  bool cleared = false;
  in_transaction([&] {
    const std::int64_t rowid = person_rowid(person);
    {
      Statement statement(handle_,
                          "UPDATE people SET totp_sealed = NULL, totp_pending_sealed = NULL "
                          "WHERE id = ?1 AND (totp_sealed IS NOT NULL OR "
                          "totp_pending_sealed IS NOT NULL)");
      Query query(statement, "clear_second_factor");
      query.bind_int(1, rowid).run();
      cleared = changes(handle_) > 0;
    }
    {
      Statement statement(handle_, "DELETE FROM recovery_codes WHERE person = ?1");
      Query query(statement, "clear_second_factor: recovery codes");
      query.bind_int(1, rowid).run();
    }
    if (cleared)
      audit(change, "person.totp_cleared", person, std::nullopt, std::nullopt, std::nullopt);
  });
  return cleared;
}

bool SqliteDirectory::set_totp_last_step(const std::string& person, std::int64_t step) {
  const auto rowid = parse_id(person, 'u');
  if (!rowid) return false;
  Statement statement(handle_,
                      "UPDATE people SET totp_last_step = ?2 "
                      "WHERE id = ?1 AND (totp_last_step IS NULL OR totp_last_step < ?2)");
  Query query(statement, "set_totp_last_step");
  query.bind_int(1, *rowid).bind_int(2, step).run();
  return changes(handle_) > 0;
}

void SqliteDirectory::replace_recovery_codes(const std::string& person,
                                             const std::vector<std::string>& code_hashes,
                                             const Change& change) {
  in_transaction([&] {
    const std::int64_t rowid = person_rowid(person);
    {
      Statement statement(handle_, "DELETE FROM recovery_codes WHERE person = ?1");
      Query query(statement, "replace_recovery_codes: delete");
      query.bind_int(1, rowid).run();
    }
    Statement insert(handle_, "INSERT INTO recovery_codes(person, code_hash) VALUES(?1, ?2)");
    for (const auto& hash : code_hashes) {
      Query query(insert, "replace_recovery_codes: insert");
      query.bind_int(1, rowid).bind_text(2, hash).run();
    }
    audit(change, "person.recovery_codes", person, std::nullopt, std::nullopt,
          JsonText().add_int("count", static_cast<std::int64_t>(code_hashes.size())).str());
  });
}

bool SqliteDirectory::use_recovery_code(const std::string& person, const std::string& code_hash,
                                        const std::string& now) {
  const auto rowid = parse_id(person, 'u');
  if (!rowid) return false;
  Statement statement(handle_,
                      "UPDATE recovery_codes SET used_at = ?3 "
                      "WHERE person = ?1 AND code_hash = ?2 AND used_at IS NULL");
  Query query(statement, "use_recovery_code");
  query.bind_int(1, *rowid).bind_text(2, code_hash).bind_text(3, now).run();
  return changes(handle_) > 0;
}

std::size_t SqliteDirectory::unused_recovery_codes(const std::string& person) {
  const auto rowid = parse_id(person, 'u');
  if (!rowid) return 0;
  Statement statement(handle_,
                      "SELECT count(*) FROM recovery_codes WHERE person = ?1 AND used_at IS NULL");
  Query query(statement, "unused_recovery_codes");
  query.bind_int(1, *rowid);
  if (!query.step()) return 0;
  return static_cast<std::size_t>(query.int64(0));
}

void SqliteDirectory::record_visit(const std::string& person, const std::string& now) {
  const auto rowid = parse_id(person, 'u');
  if (!rowid) return;
  Statement statement(handle_, "UPDATE people SET last_visit_at = ?2 WHERE id = ?1");
  Query query(statement, "record_visit");
  query.bind_int(1, *rowid).bind_text(2, now).run();
}

// Grants.

void SqliteDirectory::add_grant(const GrantRow& grant, const Change& change) {
  const std::string scope = grant.role == GrantRole::admin ? std::string() : grant.scope;
  if (grant.role != GrantRole::admin && scope.empty())
    bad("範囲 (--scope) が必要です", "a scope is required for this role");
  in_transaction([&] {
    const std::int64_t rowid = person_rowid(grant.person);
    Statement statement(handle_,
                        "INSERT OR IGNORE INTO grants(person, role, scope) VALUES(?1, ?2, ?3)");
    Query query(statement, "add_grant");
    query.bind_int(1, rowid).bind_text(2, to_string(grant.role)).bind_text(3, scope).run();
    if (changes(handle_) == 0) return;
    audit(change, "grant.add", grant.person, std::nullopt, std::nullopt,
          JsonText().add("role", to_string(grant.role)).add("scope", scope).str());
  });
}

bool SqliteDirectory::remove_grant(const GrantRow& grant, const Change& change) {
  bool removed = false;
  const std::string scope = grant.role == GrantRole::admin ? std::string() : grant.scope;
  in_transaction([&] {
    const std::int64_t rowid = person_rowid(grant.person);
    Statement statement(handle_,
                        "DELETE FROM grants WHERE person = ?1 AND role = ?2 AND scope = ?3");
    Query query(statement, "remove_grant");
    query.bind_int(1, rowid).bind_text(2, to_string(grant.role)).bind_text(3, scope).run();
    removed = changes(handle_) > 0;
    if (removed)
      audit(change, "grant.remove", grant.person, std::nullopt,
            JsonText().add("role", to_string(grant.role)).add("scope", scope).str(), std::nullopt);
  });
  return removed;
}

std::vector<GrantRow> SqliteDirectory::grants_of(const std::string& person) {
  std::vector<GrantRow> rows;
  const auto rowid = parse_id(person, 'u');
  if (!rowid) return rows;
  Statement statement(handle_,
                      "SELECT role, scope FROM grants WHERE person = ?1 ORDER BY role, scope");
  Query query(statement, "grants_of");
  query.bind_int(1, *rowid);
  while (query.step()) {
    const auto role = grant_role_from_string(query.text(0));
    if (!role) corrupt("unknown grant role");
    rows.push_back(GrantRow{person, *role, query.text(1)});
  }
  return rows;
}

}  // namespace renkei::store
