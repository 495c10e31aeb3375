// Sign-in of people (PROTOCOL.md "People, organisations and sign-in (v2)",
// server/docs/PEOPLE.md "Sign-in"): set-up links, password sign-in with a
// second factor, TOTP enrolment, recovery codes, sign-out.
//
// Threading: every method may be called from any thread and answers through
// `done` on a store or hash-pool thread. Reads run on the read workers,
// password hashing on the bounded hash pool (never an I/O thread, a read
// worker or the writer), and every write through the group-commit writer.
#pragma once

#include <functional>
#include <string>

#include "app/api_request.hpp"
#include "app/auth/hash_pool.hpp"
#include "app/auth/password_hasher.hpp"
#include "app/auth/secret_box.hpp"
#include "app/auth/sign_in_throttle.hpp"
#include "app/clock.hpp"
#include "app/http_reply.hpp"
#include "app/person_sessions.hpp"

namespace renkei::store {
class ReadWorker;
class EventWriter;
}  // namespace renkei::store

namespace renkei::app {

// Closes the sockets of seats when a session ends (the network layer's
// connections, reached through the application).
using CloseSeats = std::function<void(const std::vector<std::string>& participants)>;

class SignIn {
 public:
  using Reply = std::function<void(HttpReply)>;

  SignIn(store::ReadWorker& reader, store::EventWriter& writer, PersonSessions& sessions,
         auth::HashPool& pool, auth::PasswordHasher& hasher, auth::SecretBox& box,
         auth::SignInThrottle& throttle, const Clock& clock, CloseSeats close_seats);

  // GET /api/setup/<token>, POST /api/setup/<token>.
  void setup_info(ApiRequest request, std::string token, Reply done);
  void setup(ApiRequest request, std::string token, Reply done);
  // POST /api/sign-in.
  void sign_in(ApiRequest request, Reply done);
  // POST /api/me/totp, POST /api/me/totp/confirm.
  void totp_begin(ApiRequest request, Reply done);
  void totp_confirm(ApiRequest request, Reply done);
  // GET /api/me.
  void me(ApiRequest request, Reply done);
  // POST /api/sign-out, POST /api/sign-out-everywhere.
  void sign_out(ApiRequest request, bool everywhere, Reply done);

  // The cookie header of a new session (a new random value at every
  // sign-in), and the reply that carries it.
  std::string session_cookie_header(const std::string& cookie, bool tls) const;

 public:
  // Several instances on one PostgreSQL database: failures are also kept in
  // the database, so that the limits hold whichever instance is asked.
  void share_failures(bool shared) { shared_failures_ = shared; }

 private:
  // The shared side of the throttle (no-ops unless share_failures).
  void remember_failure(const std::string& login, const std::string& address);
  void forget_failures(const std::string& login);
  // Opens a new session for `person` through the writer and answers `body`
  // with its cookie; `audit_action` names the trail's row.
  void open_session(const ApiRequest& request, const std::string& person, std::string body,
                    std::string audit_action, Reply done);
  void audit(const ApiRequest& request, std::optional<std::string> person, std::string action,
             std::string subject, std::string outcome);

  store::ReadWorker& reader_;
  store::EventWriter& writer_;
  PersonSessions& sessions_;
  auth::HashPool& pool_;
  auth::PasswordHasher& hasher_;
  auth::SecretBox& box_;
  auth::SignInThrottle& throttle_;
  bool shared_failures_ = false;
  const Clock& clock_;
  CloseSeats close_seats_;
};

}  // namespace renkei::app
