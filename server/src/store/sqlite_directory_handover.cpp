// SqliteDirectory: handover (引き継ぎ) and 空席, schema v10
// (server/docs/CONTINUITY.md section 1; see sqlite_directory.hpp).
#include <sqlite3.h>

#include <algorithm>
#include <map>
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

#define RENKEI_HANDOVER_REQUEST_COLUMNS \
  "id, person, successor, effective_on, note, state, created_at, decided_at, decided_by"

HandoverRequestRow handover_request_row(const Query& query) {
  HandoverRequestRow row;
  row.id = make_id('h', query.int64(0));
  row.person = make_id('u', query.int64(1));
  row.successor = optional_id(query, 2, 'u');
  row.effective_on = query.text(3);
  row.note = query.optional_text(4);
  const std::string state = query.text(5);
  if (state == "pending")
    row.state = HandoverRequestState::pending;
  else if (state == "confirmed")
    row.state = HandoverRequestState::confirmed;
  else if (state == "rejected")
    row.state = HandoverRequestState::rejected;
  else
    corrupt("unknown handover request state");
  row.created_at = query.text(6);
  row.decided_at = query.optional_text(7);
  row.decided_by = optional_id(query, 8, 'u');
  return row;
}

// A seat that has ended without a successor and is not dismissed.
#define RENKEI_VACANCY_CONDITION                        \
  " p.vacated_at IS NOT NULL AND p.person IS NOT NULL " \
  "AND NOT EXISTS (SELECT 1 FROM participants s WHERE s.succeeds = p.id) "

}  // namespace

ParticipantRow SqliteDirectory::insert_successor_seat(const ParticipantRow& from,
                                                      const PersonRow& person,
                                                      const std::optional<std::string>& active_from,
                                                      const std::string& now) {
  {
    // The invite token is the hash of a random value nobody receives (as
    // add_seat's): seats are reached by signing in.
    Statement statement(handle_,
                        "INSERT INTO participants(council, name, org, role, token_hash, "
                        "created_at, person, org_id, succeeds, active_from) "
                        "VALUES(?1, ?2, ?3, ?4, lower(hex(randomblob(32))), ?5, ?6, ?7, ?8, ?9)");
    Query query(statement, "insert_successor_seat");
    query.bind_int(1, *parse_id(from.council, 'c'))
        .bind_text(2, person.name)
        .bind_text(3, from.org)
        .bind_text(4, domain::to_string(from.role))
        .bind_text(5, now)
        .bind_int(6, *parse_id(person.id, 'u'))
        .bind_optional_int(7, from.org_id ? parse_id(*from.org_id, 'o') : std::nullopt)
        .bind_int(8, *parse_id(from.id, 'p'))
        .bind_optional_text(9, active_from)
        .run();
  }
  return *seat(make_id('p', last_insert_id(handle_)));
}

HandoverResult SqliteDirectory::hand_over(const std::string& person,
                                          const std::optional<std::string>& successor,
                                          const std::string& effective_at, const Change& change) {
  person_rowid(person);
  const PersonRow leaving = *find_person(person);
  if (!leaving.active) bad("この人は無効です: " + person, "person deactivated");
  std::vector<ParticipantRow> open;
  for (auto& s : seats_of_person(person))
    if (!s.revoked_at) open.push_back(std::move(s));
  std::optional<PersonRow> next;
  if (successor) {
    if (*successor == person)
      bad("後任に本人は指定できません", "the successor must be another person");
    person_rowid(*successor);
    next = find_person(*successor);
    if (!next->active) bad("後任の方は無効です: " + *successor, "the successor is deactivated");
    const auto org_of = [this](const PersonRow& p) -> std::optional<std::string> {
      if (!p.org) return std::nullopt;
      auto org = resolve_organisation(*p.org);
      return org ? std::optional<std::string>(org->id) : std::nullopt;
    };
    if (!org_of(leaving) || org_of(leaving) != org_of(*next))
      bad("後任は同じ機関の方を指定してください",
          "the successor must belong to the same organisation");
  }
  if (open.empty()) bad("引き継ぐ席がありません", "the person holds no open seat");
  if (next) {
    for (const auto& s : seats_of_person(next->id))
      for (const auto& o : open)
        if (s.council == o.council && !s.revoked_at)
          bad("後任の方はこの協議体の席をすでに持っています: " + o.council,
              "the successor already holds a seat in " + o.council);
  }
  HandoverResult result;
  result.effective_at = effective_at;
  for (const auto& old : open) {
    // A seat that starts later (itself a successor's) is handed over when
    // it starts.
    const std::string at =
        old.active_from && *old.active_from > effective_at ? *old.active_from : effective_at;
    {
      Statement statement(handle_,
                          "UPDATE participants SET revoked_at = ?2, "
                          "vacated_at = CASE WHEN ?3 THEN ?2 ELSE vacated_at END WHERE id = ?1");
      Query query(statement, "hand_over: revoke");
      query.bind_int(1, *parse_id(old.id, 'p')).bind_text(2, at).bind_int(3, next ? 0 : 1).run();
    }
    if (at <= change.at) db_.end_participant_sessions(old.id, change.at);
    SeatHandover seat_result{old.council, old.id, std::nullopt};
    if (next) {
      const auto made = insert_successor_seat(old, *next, at, change.at);
      seat_result.to = made.id;
      audit(change, "seat.handover", old.id, old.council,
            JsonText().add("person", person).add("revoked_at", std::nullopt).str(),
            JsonText()
                .add("person", next->id)
                .add("participant", made.id)
                .add("role", domain::to_string(made.role))
                .add("revoked_at", at)
                .add("active_from", at)
                .str(),
            old.id);
    } else {
      audit(change, "seat.vacated", old.id, old.council,
            JsonText().add("revoked_at", std::nullopt).add("vacated_at", std::nullopt).str(),
            JsonText().add("revoked_at", at).add("vacated_at", at).str(), old.id);
    }
    result.seats.push_back(std::move(seat_result));
  }
  return result;
}

HandoverResult SqliteDirectory::hand_over_seats(const std::string& person,
                                                const std::optional<std::string>& successor,
                                                const std::string& effective_at,
                                                const Change& change) {
  HandoverResult result;
  in_transaction([&] { result = hand_over(person, successor, effective_at, change); });
  return result;
}

HandoverRequestRow SqliteDirectory::request_handover(const std::string& person,
                                                     const std::optional<std::string>& successor,
                                                     const std::string& effective_on,
                                                     const std::optional<std::string>& note,
                                                     const Change& change) {
  HandoverRequestRow row;
  in_transaction([&] {
    const std::int64_t rowid = person_rowid(person);
    std::optional<std::int64_t> next;
    if (successor) next = person_rowid(*successor);
    if (effective_on.size() != 10) bad("日付が正しくありません", "bad date");
    {
      Statement statement(handle_,
                          "INSERT INTO handover_requests(person, successor, effective_on, note, "
                          "created_at) VALUES(?1, ?2, ?3, ?4, ?5)");
      Query query(statement, "request_handover");
      query.bind_int(1, rowid)
          .bind_optional_int(2, next)
          .bind_text(3, effective_on)
          .bind_optional_text(4, note)
          .bind_text(5, change.at)
          .run();
    }
    row = *find_handover_request(make_id('h', last_insert_id(handle_)));
    // The note is the person's own text: the trail says only that there is one.
    audit(change, "handover.requested", row.id, std::nullopt, std::nullopt,
          JsonText()
              .add("person", person)
              .add("successor", successor)
              .add("effective_on", effective_on)
              .add_bool("note", note.has_value())
              .add("state", "pending")
              .str());
  });
  return row;
}

std::optional<HandoverRequestRow> SqliteDirectory::find_handover_request(const std::string& id) {
  const auto rowid = parse_id(id, 'h');
  if (!rowid) return std::nullopt;
  Statement statement(
      handle_, "SELECT " RENKEI_HANDOVER_REQUEST_COLUMNS " FROM handover_requests WHERE id = ?1");
  Query query(statement, "find_handover_request");
  query.bind_int(1, *rowid);
  if (!query.step()) return std::nullopt;
  return handover_request_row(query);
}

std::vector<HandoverRequestRow> SqliteDirectory::list_handover_requests() {
  std::vector<HandoverRequestRow> rows;
  Statement statement(handle_, "SELECT " RENKEI_HANDOVER_REQUEST_COLUMNS
                               " FROM handover_requests ORDER BY id DESC");
  Query query(statement, "list_handover_requests");
  while (query.step()) rows.push_back(handover_request_row(query));
  return rows;
}

namespace {

HandoverRequestRow pending_request(SqliteDirectory& directory, const std::string& id) {
  auto row = directory.find_handover_request(id);
  if (!row) bad("申請が見つかりません: " + id, "no such request: " + id);
  if (row->state != HandoverRequestState::pending)
    bad("この申請は処理済みです", "the request is no longer pending");
  return *row;
}

}  // namespace

HandoverResult SqliteDirectory::confirm_handover_request(const std::string& id,
                                                         const std::string& effective_at,
                                                         const Change& change) {
  HandoverResult result;
  in_transaction([&] {
    const auto request = pending_request(*this, id);
    {
      Statement statement(handle_,
                          "UPDATE handover_requests SET state = 'confirmed', decided_at = ?2, "
                          "decided_by = ?3 WHERE id = ?1");
      Query query(statement, "confirm_handover_request");
      query.bind_int(1, *parse_id(id, 'h'))
          .bind_text(2, change.at)
          .bind_optional_int(3, change.by ? parse_id(*change.by, 'u') : std::nullopt)
          .run();
    }
    audit(change, "handover.confirmed", id, std::nullopt, JsonText().add("state", "pending").str(),
          JsonText().add("state", "confirmed").add("effective_at", effective_at).str());
    result = hand_over(request.person, request.successor, effective_at, change);
  });
  return result;
}

bool SqliteDirectory::reject_handover_request(const std::string& id, const Change& change) {
  bool rejected = false;
  in_transaction([&] {
    auto request = find_handover_request(id);
    if (!request) bad("申請が見つかりません: " + id, "no such request: " + id);
    if (request->state != HandoverRequestState::pending) return;
    {
      Statement statement(handle_,
                          "UPDATE handover_requests SET state = 'rejected', decided_at = ?2, "
                          "decided_by = ?3 WHERE id = ?1");
      Query query(statement, "reject_handover_request");
      query.bind_int(1, *parse_id(id, 'h'))
          .bind_text(2, change.at)
          .bind_optional_int(3, change.by ? parse_id(*change.by, 'u') : std::nullopt)
          .run();
    }
    audit(change, "handover.rejected", id, std::nullopt, JsonText().add("state", "pending").str(),
          JsonText().add("state", "rejected").str());
    rejected = true;
  });
  return rejected;
}

std::vector<ParticipantRow> SqliteDirectory::list_vacancies() {
  std::vector<ParticipantRow> rows;
  Statement statement(handle_, "SELECT " RENKEI_PARTICIPANT_COLUMNS RENKEI_PARTICIPANT_FROM
                               "WHERE" RENKEI_VACANCY_CONDITION "ORDER BY p.id");
  Query query(statement, "list_vacancies");
  while (query.step()) rows.push_back(participant_row(query));
  return rows;
}

namespace {

ParticipantRow vacancy(SqliteDirectory& directory, Database& db, const std::string& participant) {
  auto row = db.find_participant(participant);
  if (!row || !row->person)
    bad("席が見つかりません: " + participant, "no such seat: " + participant);
  for (auto& v : directory.list_vacancies())
    if (v.id == participant) return v;
  bad("空席ではありません: " + participant, "not a vacancy: " + participant);
}

}  // namespace

ParticipantRow SqliteDirectory::fill_vacancy(const std::string& participant,
                                             const std::string& person, const Change& change) {
  ParticipantRow row;
  in_transaction([&] {
    const auto vacant = vacancy(*this, db_, participant);
    const auto council = db_.find_council(vacant.council);
    if (council && council->archived_at)
      bad("協議体はアーカイブ済みです", "the council is archived");
    person_rowid(person);
    const PersonRow who = *find_person(person);
    if (!who.active) bad("この人は無効です: " + person, "person deactivated");
    const auto seat_org = vacant.org_id ? resolve_organisation(*vacant.org_id) : std::nullopt;
    const auto person_org = who.org ? resolve_organisation(*who.org) : std::nullopt;
    if (!seat_org || !person_org || seat_org->id != person_org->id)
      bad("後任は同じ機関の方を指定してください",
          "the successor must belong to the same organisation");
    for (const auto& s : seats_of_person(person))
      if (s.council == vacant.council && !s.revoked_at)
        bad("この協議体に既に席があります", "the person already has a seat in this council");
    const std::optional<std::string> from =
        vacant.vacated_at && *vacant.vacated_at > change.at ? vacant.vacated_at : std::nullopt;
    row = insert_successor_seat(vacant, who, from, change.at);
    audit(change, "seat.filled", participant, vacant.council,
          JsonText().add("vacated_at", vacant.vacated_at).str(),
          JsonText()
              .add("person", person)
              .add("participant", row.id)
              .add("role", domain::to_string(row.role))
              .add("active_from", from)
              .str(),
          participant);
  });
  return row;
}

void SqliteDirectory::dismiss_vacancy(const std::string& participant, const Change& change) {
  in_transaction([&] {
    const auto vacant = vacancy(*this, db_, participant);
    {
      Statement statement(handle_, "UPDATE participants SET vacated_at = NULL WHERE id = ?1");
      Query query(statement, "dismiss_vacancy");
      query.bind_int(1, *parse_id(participant, 'p')).run();
    }
    audit(change, "vacancy.dismissed", participant, vacant.council,
          JsonText().add("vacated_at", vacant.vacated_at).str(),
          JsonText().add("vacated_at", std::nullopt).str(), participant);
  });
}

std::vector<std::vector<ParticipantRow>> SqliteDirectory::seat_lines(const std::string& council) {
  const auto seats = seats_of_council(council);
  std::map<std::string, const ParticipantRow*> by_id;
  std::map<std::string, const ParticipantRow*> successor_of;
  for (const auto& s : seats) by_id[s.id] = &s;
  for (const auto& s : seats)
    if (s.succeeds) successor_of[*s.succeeds] = &s;
  std::vector<std::vector<ParticipantRow>> lines;
  for (const auto& s : seats) {
    if (s.succeeds && by_id.count(*s.succeeds)) continue;  // not a first seat
    std::vector<ParticipantRow> line;
    const ParticipantRow* at = &s;
    while (at && line.size() <= seats.size()) {
      line.push_back(*at);
      auto next = successor_of.find(at->id);
      at = next == successor_of.end() ? nullptr : next->second;
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

int SqliteDirectory::mark_handover_seen(const std::string& person, const std::string& now) {
  const auto rowid = parse_id(person, 'u');
  if (!rowid) return 0;
  Statement statement(handle_,
                      "UPDATE participants SET handover_seen_at = ?2 WHERE person = ?1 "
                      "AND succeeds IS NOT NULL AND handover_seen_at IS NULL");
  Query query(statement, "mark_handover_seen");
  query.bind_int(1, *rowid).bind_text(2, now).run();
  return changes(handle_);
}

std::vector<UnseenHandover> SqliteDirectory::unseen_handovers(const std::string& person) {
  return handovers_received(person, true);
}

std::vector<UnseenHandover> SqliteDirectory::received_handovers(const std::string& person) {
  return handovers_received(person, false);
}

std::vector<UnseenHandover> SqliteDirectory::handovers_received(const std::string& person,
                                                                bool unseen_only) {
  std::vector<UnseenHandover> rows;
  const auto rowid = parse_id(person, 'u');
  if (!rowid) return rows;
  Statement statement(handle_,
                      "SELECT p.id, p.council, q.id, coalesce(p.org_id, 0), "
                      "coalesce(o.name, p.org), q.person, w.name, w.last_visit_at, q.revoked_at "
                      "FROM participants p JOIN participants q ON q.id = p.succeeds "
                      "JOIN people w ON w.id = q.person "
                      "LEFT JOIN organisations o ON o.id = p.org_id "
                      "WHERE p.person = ?1 AND (?2 = 0 OR p.handover_seen_at IS NULL) "
                      "AND p.revoked_at IS NULL ORDER BY p.id");
  Query query(statement, "handovers_received");
  query.bind_int(1, *rowid).bind_int(2, unseen_only ? 1 : 0);
  while (query.step()) {
    UnseenHandover row;
    row.participant = make_id('p', query.int64(0));
    row.council = make_id('c', query.int64(1));
    row.predecessor_participant = make_id('p', query.int64(2));
    row.org = query.int64(3) ? make_id('o', query.int64(3)) : std::string();
    row.org_name = query.text(4);
    row.predecessor = make_id('u', query.int64(5));
    row.predecessor_name = query.text(6);
    row.predecessor_last_visit_at = query.optional_text(7);
    row.predecessor_left_at = query.optional_text(8);
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace renkei::store
