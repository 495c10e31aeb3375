#include "app/person_sessions.hpp"

#include "app/tokens.hpp"
#include "store/database.hpp"
#include "store/event_writer.hpp"
#include "store/sqlite_directory.hpp"

namespace renkei::app {

const store::ParticipantRow* SignedIn::seat_in(const std::string& council) const {
  for (const auto& seat : seats)
    if (seat.council == council) return &seat;
  return nullptr;
}

PersonSessions::PersonSessions(PersonSessionSettings settings, const Clock& clock,
                               store::EventWriter& writer)
    : settings_(settings), clock_(clock), writer_(writer) {}

std::optional<SignedIn> PersonSessions::load(store::Database& db, const std::string& person_id) {
  store::SqliteDirectory directory(db);
  auto person = directory.find_person(person_id);
  if (!person || !person->active) return std::nullopt;
  SignedIn out;
  out.person = std::move(*person);
  out.grants = directory.grants_of(out.person.id);
  const std::string now = clock_.now();
  for (auto& seat : directory.seats_of_person(out.person.id)) {
    if (seat.active_at(now))
      out.seats.push_back(std::move(seat));
    else if (seat.upcoming_at(now))
      out.upcoming.push_back(std::move(seat));
  }
  out.access = access_of(out.person.id, out.grants);
  bool facilitator = false;
  for (const auto& seat : out.seats)
    facilitator = facilitator || seat.role == domain::Role::facilitator;
  out.second_factor_required = !settings_.demo && (out.access.admin || facilitator);
  return out;
}

std::optional<SignedIn> PersonSessions::find(store::Database& db, const std::string& cookie) {
  const std::string id_hash = hash_token(cookie);
  store::SqliteDirectory directory(db);
  auto session = directory.find_person_session(id_hash);
  if (!session || session->ended_at || session->expires_at <= clock_.now() ||
      session->last_seen_at < clock_.before(settings_.idle_timeout)) {
    return std::nullopt;
  }
  auto signed_in = load(db, session->person);
  if (!signed_in) return std::nullopt;
  signed_in->id_hash = id_hash;
  // Sliding idle timeout, written at most once a minute per session.
  if (session->last_seen_at < clock_.before(std::chrono::seconds(60))) {
    writer_.submit_write(
        [id_hash, now = clock_.now()](store::Database& write_db) {
          store::SqliteDirectory(write_db).touch_person_session(id_hash, now);
        },
        [](bool, const std::string&) {});
  }
  return signed_in;
}

}  // namespace renkei::app
