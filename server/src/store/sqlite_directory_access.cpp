// SqliteDirectory: set-up links, seats, person sessions, councils and the
// directory's trail (see sqlite_directory.hpp).
#include <sqlite3.h>

#include <stdexcept>

#include "store/json_text.hpp"
#include "store/row_reading.hpp"
#include "store/sqlite_directory.hpp"
#include "store/statement.hpp"

namespace renkei::store {

namespace {

[[noreturn]] void bad(const std::string& japanese, const std::string& english) {
  throw std::invalid_argument(japanese + " / " + english);
}

#define RENKEI_SETUP_LINK_COLUMNS \
  "l.person, l.created_at, l.expires_at, l.used_at, l.revoked_at, l.created_by"

SetupLinkRow setup_link_row(const Query& query) {
  SetupLinkRow row;
  row.person = make_id('u', query.int64(0));
  row.created_at = query.text(1);
  row.expires_at = query.text(2);
  row.used_at = query.optional_text(3);
  row.revoked_at = query.optional_text(4);
  row.created_by = optional_id(query, 5, 'u');
  return row;
}

}  // namespace

// Set-up links.

SetupLinkRow SqliteDirectory::create_setup_link(const std::string& token_hash,
                                                const std::string& person,
                                                const std::string& expires_at,
                                                const Change& change) {
  SetupLinkRow row;
  in_transaction([&] {
    const std::int64_t rowid = person_rowid(person);
    if (!find_person(person)->active) bad("この人は無効です: " + person, "person deactivated");
    revoke_unused_setup_links(person, change.at);
    const auto by = change.by ? parse_id(*change.by, 'u') : std::nullopt;
    {
      Statement statement(handle_,
                          "INSERT INTO setup_links(token_hash, person, created_at, expires_at, "
                          "created_by) VALUES(?1, ?2, ?3, ?4, ?5)");
      Query query(statement, "create_setup_link");
      query.bind_text(1, token_hash)
          .bind_int(2, rowid)
          .bind_text(3, change.at)
          .bind_text(4, expires_at)
          .bind_optional_int(5, by)
          .run();
    }
    row.person = person;
    row.created_at = change.at;
    row.expires_at = expires_at;
    row.created_by = change.by;
    audit(change, "setup_link.create", person, std::nullopt, std::nullopt,
          JsonText().add("expires_at", expires_at).str());
  });
  return row;
}

std::optional<SetupLinkRow> SqliteDirectory::find_setup_link(const std::string& token_hash) {
  Statement statement(
      handle_, "SELECT " RENKEI_SETUP_LINK_COLUMNS " FROM setup_links l WHERE token_hash = ?1");
  Query query(statement, "find_setup_link");
  query.bind_text(1, token_hash);
  if (!query.step()) return std::nullopt;
  return setup_link_row(query);
}

bool SqliteDirectory::mark_setup_link_used(const std::string& token_hash, const std::string& now) {
  Statement statement(handle_,
                      "UPDATE setup_links SET used_at = ?2 WHERE token_hash = ?1 "
                      "AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?2");
  Query query(statement, "mark_setup_link_used");
  query.bind_text(1, token_hash).bind_text(2, now).run();
  return changes(handle_) > 0;
}

int SqliteDirectory::revoke_unused_setup_links(const std::string& person, const std::string& now) {
  const auto rowid = parse_id(person, 'u');
  if (!rowid) return 0;
  Statement statement(handle_,
                      "UPDATE setup_links SET revoked_at = ?2 WHERE person = ?1 "
                      "AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?2");
  Query query(statement, "revoke_unused_setup_links");
  query.bind_int(1, *rowid).bind_text(2, now).run();
  return changes(handle_);
}

std::vector<SetupLinkListing> SqliteDirectory::list_setup_links() {
  std::vector<SetupLinkListing> rows;
  Statement statement(handle_, "SELECT " RENKEI_SETUP_LINK_COLUMNS
                               ", u.name, coalesce(o.name, ''), u.login FROM setup_links l "
                               "JOIN people u ON u.id = l.person "
                               "LEFT JOIN organisations o ON o.id = u.org "
                               "ORDER BY l.created_at DESC, l.rowid DESC");
  Query query(statement, "list_setup_links");
  while (query.step()) {
    SetupLinkListing listing;
    listing.link = setup_link_row(query);
    listing.name = query.text(6);
    listing.org_name = query.text(7);
    listing.login = query.optional_text(8);
    rows.push_back(std::move(listing));
  }
  return rows;
}

// Seats.

std::optional<ParticipantRow> SqliteDirectory::seat(const std::string& participant) {
  return db_.find_participant(participant);
}

ParticipantRow SqliteDirectory::add_seat(const std::string& council, const std::string& person,
                                         domain::Role role, const Change& change) {
  ParticipantRow row;
  in_transaction([&] {
    const auto found = db_.find_council(council);
    if (!found) bad("協議体が見つかりません: " + council, "council not found: " + council);
    if (found->archived_at) bad("協議体はアーカイブ済みです", "the council is archived");
    const std::int64_t person_id = person_rowid(person);
    const PersonRow who = *find_person(person);
    if (!who.active) bad("この人は無効です: " + person, "person deactivated");
    for (const auto& s : seats_of_person(person))
      if (s.council == council && !s.revoked_at)
        bad("この協議体に既に席があります", "the person already has a seat in this council");
    const auto org = who.org ? resolve_organisation(*who.org) : std::nullopt;
    // The invite token of a seat is the hash of a random value nobody
    // receives: seats are reached by signing in, not by a token.
    {
      Statement statement(handle_,
                          "INSERT INTO participants(council, name, org, role, token_hash, "
                          "created_at, person, org_id) "
                          "VALUES(?1, ?2, ?3, ?4, lower(hex(randomblob(32))), ?5, ?6, ?7)");
      Query query(statement, "add_seat");
      query.bind_int(1, *parse_id(council, 'c'))
          .bind_text(2, who.name)
          .bind_text(3, org ? org->name : std::string())
          .bind_text(4, domain::to_string(role))
          .bind_text(5, change.at)
          .bind_int(6, person_id)
          .bind_optional_int(7, org ? parse_id(org->id, 'o') : std::nullopt)
          .run();
    }
    row = *seat(make_id('p', last_insert_id(handle_)));
    audit(change, "seat.add", row.id, council, std::nullopt,
          JsonText().add("person", person).add("role", domain::to_string(role)).str(), row.id);
  });
  return row;
}

ParticipantRow SqliteDirectory::set_seat_role(const std::string& participant, domain::Role role,
                                              const Change& change) {
  ParticipantRow row;
  in_transaction([&] {
    auto found = seat(participant);
    if (!found || found->revoked_at)
      bad("席が見つかりません: " + participant, "no such seat: " + participant);
    row = *found;
    if (row.role == role) return;
    {
      Statement statement(handle_, "UPDATE participants SET role = ?2 WHERE id = ?1");
      Query query(statement, "set_seat_role");
      query.bind_int(1, *parse_id(participant, 'p')).bind_text(2, domain::to_string(role)).run();
    }
    audit(change, "seat.role", participant, row.council,
          JsonText().add("role", domain::to_string(row.role)).str(),
          JsonText().add("role", domain::to_string(role)).str(), participant);
    row.role = role;
  });
  return row;
}

bool SqliteDirectory::remove_seat(const std::string& participant, const Change& change) {
  bool removed = false;
  in_transaction([&] {
    auto found = seat(participant);
    if (!found) bad("席が見つかりません: " + participant, "no such seat: " + participant);
    removed = db_.revoke_participant(participant, change.at);
    db_.end_participant_sessions(participant, change.at);
    if (removed)
      audit(change, "seat.remove", participant, found->council,
            JsonText().add("revoked_at", std::nullopt).str(),
            JsonText().add("revoked_at", change.at).str(), participant);
  });
  return removed;
}

ParticipantRow SqliteDirectory::invite_participant(const std::string& council,
                                                   const std::string& name,
                                                   const std::string& org_name, domain::Role role,
                                                   const std::string& token_hash,
                                                   const std::optional<std::string>& expires_at,
                                                   const Change& change) {
  ParticipantRow row;
  in_transaction([&] {
    if (!db_.find_council(council))
      bad("協議体が見つかりません: " + council, "council not found: " + council);
    auto org = find_organisation_by_name(org_name);
    if (!org) org = insert_organisation(NewOrganisation{org_name, "other", {}, {}}, change);
    const std::int64_t org_id = *parse_id(org->id, 'o');
    // The same name in the same organisation, without login, is the same
    // person (as the v9 migration decided for earlier participants).
    std::optional<std::int64_t> person;
    {
      Statement statement(handle_,
                          "SELECT id FROM people WHERE name = ?1 AND org = ?2 AND login IS NULL "
                          "AND status = 'active' ORDER BY id LIMIT 1");
      Query query(statement, "invite_participant: person");
      query.bind_text(1, name).bind_int(2, org_id);
      if (query.step()) person = query.int64(0);
    }
    if (!person)
      person = *parse_id(insert_person(NewPerson{name, org->id, std::nullopt}, change).id, 'u');
    {
      Statement statement(handle_,
                          "INSERT INTO participants(council, name, org, role, token_hash, "
                          "created_at, expires_at, person, org_id) "
                          "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
      Query query(statement, "invite_participant");
      query.bind_int(1, *parse_id(council, 'c'))
          .bind_text(2, name)
          .bind_text(3, org_name)
          .bind_text(4, domain::to_string(role))
          .bind_text(5, token_hash)
          .bind_text(6, change.at)
          .bind_optional_text(7, expires_at)
          .bind_int(8, *person)
          .bind_int(9, org_id)
          .run();
    }
    row = *seat(make_id('p', last_insert_id(handle_)));
    audit(change, "seat.add", row.id, council, std::nullopt,
          JsonText()
              .add("person", make_id('u', *person))
              .add("role", domain::to_string(role))
              .add("name", name)
              .add("org", org->id)
              .str(),
          row.id);
  });
  return row;
}

std::vector<ParticipantRow> SqliteDirectory::seats_of_council(const std::string& council) {
  std::vector<ParticipantRow> rows;
  for (auto& p : db_.list_participants(council))
    if (p.person) rows.push_back(std::move(p));
  return rows;
}

std::vector<ParticipantRow> SqliteDirectory::all_seats() {
  std::vector<ParticipantRow> rows;
  Statement statement(handle_,
                      "SELECT " RENKEI_PARTICIPANT_COLUMNS RENKEI_PARTICIPANT_FROM "ORDER BY p.id");
  Query query(statement, "all_seats");
  while (query.step()) rows.push_back(participant_row(query));
  return rows;
}

std::vector<ParticipantRow> SqliteDirectory::seats_of_person(const std::string& person) {
  std::vector<ParticipantRow> rows;
  const auto rowid = parse_id(person, 'u');
  if (!rowid) return rows;
  Statement statement(handle_, "SELECT " RENKEI_PARTICIPANT_COLUMNS RENKEI_PARTICIPANT_FROM
                               "WHERE p.person = ?1 ORDER BY p.id");
  Query query(statement, "seats_of_person");
  query.bind_int(1, *rowid);
  while (query.step()) rows.push_back(participant_row(query));
  return rows;
}

// Person sessions.

void SqliteDirectory::create_person_session(const std::string& id_hash, const std::string& person,
                                            const std::string& now, const std::string& expires_at,
                                            const std::optional<std::string>& address) {
  const auto rowid = parse_id(person, 'u');
  if (!rowid) throw StoreError("create_person_session: bad person id", SQLITE_MISUSE);
  Statement statement(handle_,
                      "INSERT INTO person_sessions(id_hash, person, created_at, last_seen_at, "
                      "expires_at, address) VALUES(?1, ?2, ?3, ?3, ?4, ?5)");
  Query query(statement, "create_person_session");
  query.bind_text(1, id_hash)
      .bind_int(2, *rowid)
      .bind_text(3, now)
      .bind_text(4, expires_at)
      .bind_optional_text(5, address)
      .run();
}

std::optional<PersonSessionRow> SqliteDirectory::find_person_session(const std::string& id_hash) {
  Statement statement(handle_,
                      "SELECT person, created_at, last_seen_at, expires_at, ended_at, address "
                      "FROM person_sessions WHERE id_hash = ?1");
  Query query(statement, "find_person_session");
  query.bind_text(1, id_hash);
  if (!query.step()) return std::nullopt;
  PersonSessionRow row;
  row.person = make_id('u', query.int64(0));
  row.created_at = query.text(1);
  row.last_seen_at = query.text(2);
  row.expires_at = query.text(3);
  row.ended_at = query.optional_text(4);
  row.address = query.optional_text(5);
  return row;
}

void SqliteDirectory::touch_person_session(const std::string& id_hash, const std::string& now) {
  Statement statement(handle_, "UPDATE person_sessions SET last_seen_at = ?2 WHERE id_hash = ?1");
  Query query(statement, "touch_person_session");
  query.bind_text(1, id_hash).bind_text(2, now).run();
}

void SqliteDirectory::end_person_session(const std::string& id_hash, const std::string& now) {
  Statement statement(handle_,
                      "UPDATE person_sessions SET ended_at = ?2 "
                      "WHERE id_hash = ?1 AND ended_at IS NULL");
  Query query(statement, "end_person_session");
  query.bind_text(1, id_hash).bind_text(2, now).run();
}

int SqliteDirectory::end_person_sessions(const std::string& person, const std::string& now) {
  const auto rowid = parse_id(person, 'u');
  if (!rowid) return 0;
  Statement statement(handle_,
                      "UPDATE person_sessions SET ended_at = ?2 "
                      "WHERE person = ?1 AND ended_at IS NULL");
  Query query(statement, "end_person_sessions");
  query.bind_int(1, *rowid).bind_text(2, now).run();
  return changes(handle_);
}

// Councils.

CouncilRow SqliteDirectory::create_council(const NewCouncil& council, const Change& change) {
  if (council.name.empty()) bad("名前が必要です", "a name is required");
  const std::string themes = JsonText().add_list("t", council.themes).str();
  CouncilRow row;
  in_transaction([&] {
    {
      Statement statement(
          handle_,
          "INSERT INTO councils(name, kind, created_at, area, prefecture, themes, "
          "default_agenda) VALUES(?1, ?2, ?3, ?4, ?5, json_extract(?6, '$.t'), ?7)");
      Query query(statement, "create_council");
      query.bind_text(1, council.name)
          .bind_text(2, domain::to_string(council.kind))
          .bind_text(3, change.at)
          .bind_optional_text(4, council.area)
          .bind_optional_text(5, council.prefecture)
          .bind_text(6, themes)
          .bind_optional_text(7, council.default_agenda)
          .run();
    }
    row = *db_.find_council(make_id('c', last_insert_id(handle_)));
    audit(change, "council.create", row.id, row.id, std::nullopt,
          JsonText()
              .add("name", row.name)
              .add("kind", domain::to_string(row.kind))
              .add("area", row.area)
              .add("prefecture", row.prefecture)
              .add_list("themes", council.themes)
              .add("default_agenda", row.default_agenda)
              .str());
  });
  return row;
}

CouncilRow SqliteDirectory::update_council(const std::string& council, const CouncilUpdate& update,
                                           const Change& change) {
  CouncilRow row;
  in_transaction([&] {
    auto before = db_.find_council(council);
    if (!before) bad("協議体が見つかりません: " + council, "council not found: " + council);
    auto cleared = [](const std::optional<std::string>& v) -> std::optional<std::string> {
      if (v && v->empty()) return std::nullopt;
      return v;
    };
    {
      Statement statement(handle_,
                          "UPDATE councils SET name = ?2, themes = ?3, next_meeting = ?4, "
                          "default_agenda = ?5 WHERE id = ?1");
      Query query(statement, "update_council");
      query.bind_int(1, *parse_id(council, 'c'))
          .bind_text(2, update.name.value_or(before->name))
          .bind_text(3, update.themes.value_or(before->themes))
          .bind_optional_text(
              4, update.next_meeting ? cleared(update.next_meeting) : before->next_meeting)
          .bind_optional_text(
              5, update.default_agenda ? cleared(update.default_agenda) : before->default_agenda)
          .run();
    }
    row = *db_.find_council(council);
    JsonText old_value, new_value;
    if (row.name != before->name) {
      old_value.add("name", before->name);
      new_value.add("name", row.name);
    }
    if (row.themes != before->themes) {
      old_value.add("themes", before->themes);
      new_value.add("themes", row.themes);
    }
    if (row.next_meeting != before->next_meeting) {
      old_value.add("next_meeting", before->next_meeting);
      new_value.add("next_meeting", row.next_meeting);
    }
    if (row.default_agenda != before->default_agenda) {
      old_value.add("default_agenda", before->default_agenda);
      new_value.add("default_agenda", row.default_agenda);
    }
    audit(change, "council.update", council, council, old_value.str(), new_value.str());
  });
  return row;
}

bool SqliteDirectory::archive_council(const std::string& council, const Change& change) {
  bool archived = false;
  in_transaction([&] {
    if (!db_.find_council(council))
      bad("協議体が見つかりません: " + council, "council not found: " + council);
    {
      Statement statement(handle_,
                          "UPDATE councils SET archived_at = ?2 "
                          "WHERE id = ?1 AND archived_at IS NULL");
      Query query(statement, "archive_council");
      query.bind_int(1, *parse_id(council, 'c')).bind_text(2, change.at).run();
    }
    archived = changes(handle_) > 0;
    if (archived)
      audit(change, "council.archive", council, council,
            JsonText().add("archived_at", std::nullopt).str(),
            JsonText().add("archived_at", change.at).str());
  });
  return archived;
}

std::vector<CouncilRow> SqliteDirectory::list_councils() { return db_.list_councils(); }

// The trail.

void SqliteDirectory::append_directory_audit(const DirectoryAuditRow& row) {
  Statement statement(handle_,
                      "INSERT INTO audit_log(at, council, participant, action, op, outcome, "
                      "person, address, subject, old_value, new_value) "
                      "VALUES(?1, ?2, NULL, ?3, NULL, ?4, ?5, ?6, ?7, ?8, ?9)");
  Query query(statement, "append_directory_audit");
  query.bind_text(1, row.at)
      .bind_optional_text(2, row.council)
      .bind_text(3, row.action)
      .bind_text(4, row.outcome)
      .bind_optional_text(5, row.person)
      .bind_optional_text(6, row.address)
      .bind_text(7, row.subject)
      .bind_optional_text(8, row.old_value)
      .bind_optional_text(9, row.new_value)
      .run();
}

std::vector<DirectoryAuditRow> SqliteDirectory::read_directory_audit(std::size_t limit) {
  std::vector<DirectoryAuditRow> rows;
  Statement statement(handle_,
                      "SELECT at, person, address, action, subject, council, outcome, old_value, "
                      "new_value FROM audit_log WHERE subject IS NOT NULL ORDER BY id LIMIT ?1");
  Query query(statement, "read_directory_audit");
  query.bind_int(1, clamp_to_int64(limit));
  while (query.step()) {
    DirectoryAuditRow row;
    row.at = query.text(0);
    row.person = query.optional_text(1);
    row.address = query.optional_text(2);
    row.action = query.text(3);
    row.subject = query.text(4);
    row.council = query.optional_text(5);
    row.outcome = query.text(6);
    row.old_value = query.optional_text(7);
    row.new_value = query.optional_text(8);
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace renkei::store
