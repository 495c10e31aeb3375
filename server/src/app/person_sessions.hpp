// Sign-in sessions of people (PEOPLE.md "Sign-in"): the cookie
// `renkei_session` of a person who signed in with a password (or, on a demo
// database, opened a demo link). One session reaches every council where
// the person holds a seat. Only the SHA-256 of the cookie is stored.
//
// Threading: find() runs on a read worker with that worker's connection;
// the writes it needs (the sliding idle timeout) are handed to the
// group-commit writer. Thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "app/access.hpp"
#include "app/clock.hpp"
#include "store/directory_rows.hpp"
#include "store/rows.hpp"

namespace renkei::store {
class Database;
class EventWriter;
}  // namespace renkei::store

namespace renkei::app {

// A valid session and who it speaks for, read in one go.
struct SignedIn {
  std::string id_hash;
  store::PersonRow person;
  std::vector<store::GrantRow> grants;
  // Seats in force now: started (active_from) and not revoked (a revocation
  // may be dated later: a handover effective on a future date).
  std::vector<store::ParticipantRow> seats;
  // Seats made by a handover that start later (ホーム: 「4月1日から」).
  std::vector<store::ParticipantRow> upcoming;
  Access access;
  // Administrators and facilitators must enrol a second factor (not on a
  // demo database).
  bool second_factor_required = false;
  bool enrolment_pending() const { return second_factor_required && !person.totp_enrolled; }
  // The seat in `council`, if any.
  const store::ParticipantRow* seat_in(const std::string& council) const;
};

struct PersonSessionSettings {
  std::chrono::seconds idle_timeout{12 * 3600};
  std::chrono::seconds absolute_timeout{7 * 24 * 3600};
  bool demo = false;  // the demo database: no second factor is required
};

class PersonSessions {
 public:
  PersonSessions(PersonSessionSettings settings, const Clock& clock, store::EventWriter& writer);

  // The person the cookie speaks for, when the session is open, not past
  // its timeouts and the person is active. Read worker thread.
  std::optional<SignedIn> find(store::Database& db, const std::string& cookie);
  // The same for a person id (after a sign-in), without a session.
  std::optional<SignedIn> load(store::Database& db, const std::string& person);

  const PersonSessionSettings& settings() const { return settings_; }

 private:
  PersonSessionSettings settings_;
  const Clock& clock_;
  store::EventWriter& writer_;
};

}  // namespace renkei::app
