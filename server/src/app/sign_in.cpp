#include "app/sign_in.hpp"

#include <algorithm>
#include <chrono>
#include <memory>

#include "app/api_errors.hpp"
#include "app/auth/password_rules.hpp"
#include "app/auth/recovery_codes.hpp"
#include "app/auth/totp.hpp"
#include "app/directory_views.hpp"
#include "app/pool_task.hpp"
#include "app/tokens.hpp"
#include "protocol/directory_codec.hpp"
#include "protocol/directory_import.hpp"
#include "store/database.hpp"
#include "store/event_writer.hpp"
#include "store/read_worker.hpp"
#include "store/sqlite_directory.hpp"

namespace renkei::app {
namespace {

HttpReply invalid_token() {
  return api_error(401, "invalid_token",
                   "このリンクは使えません（使用済み・期限切れ・取消済み） / this link is no "
                   "longer valid");
}
HttpReply invalid_credentials() {
  return api_error(401, "invalid_credentials",
                   "ログインIDまたはパスワードが違います / wrong login or password");
}
HttpReply invalid_code() {
  return api_error(401, "invalid_code",
                   "確認コードが違うか、期限切れか、使用済みです / wrong, expired or used code");
}
HttpReply not_signed_in() {
  return api_error(401, "unauthorized", "サインインしてください / please sign in");
}
HttpReply busy() {
  HttpReply reply = api_error(503, "busy",
                              "混み合っています。少し待ってからもう一度お試しください / busy, "
                              "try again shortly");
  reply.headers.emplace_back("Retry-After", "2");
  return reply;
}

template <typename T>
bool decoded(protocol::Decoded<T>& d, const std::function<void(HttpReply)>& done) {
  if (auto* e = std::get_if<protocol::BodyError>(&d)) {
    done(api_error(400, e->code, e->message));
    return false;
  }
  return true;
}

// A TOTP code is six digits; anything else is tried as a recovery code.
bool looks_like_totp(const std::string& code) {
  if (code.size() != 6) return false;
  for (char c : code)
    if (c < '0' || c > '9') return false;
  return true;
}

std::chrono::steady_clock::time_point steady_now() { return std::chrono::steady_clock::now(); }

std::span<const unsigned char> as_bytes(const std::string& s) {
  return {reinterpret_cast<const unsigned char*>(s.data()), s.size()};
}

std::string as_string(const std::vector<unsigned char>& v) {
  return std::string(reinterpret_cast<const char*>(v.data()), v.size());
}

std::int64_t unix_seconds(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::seconds>(clock.time().time_since_epoch()).count();
}

}  // namespace

SignIn::SignIn(store::ReadWorker& reader, store::EventWriter& writer, PersonSessions& sessions,
               auth::HashPool& pool, auth::PasswordHasher& hasher, auth::SecretBox& box,
               auth::SignInThrottle& throttle, const Clock& clock, CloseSeats close_seats)
    : reader_(reader),
      writer_(writer),
      sessions_(sessions),
      pool_(pool),
      hasher_(hasher),
      box_(box),
      throttle_(throttle),
      clock_(clock),
      close_seats_(std::move(close_seats)) {}

std::string SignIn::session_cookie_header(const std::string& cookie, bool tls) const {
  return std::string("renkei_session=") + cookie +
         "; Path=/; Max-Age=" + std::to_string(sessions_.settings().absolute_timeout.count()) +
         "; HttpOnly; SameSite=Strict" + (tls ? "; Secure" : "");
}

void SignIn::audit(const ApiRequest& request, std::optional<std::string> person, std::string action,
                   std::string subject, std::string outcome) {
  store::DirectoryAuditRow row;
  row.at = clock_.now();
  row.person = std::move(person);
  row.address = request.client_address;
  row.action = std::move(action);
  row.subject = std::move(subject);
  row.outcome = std::move(outcome);
  writer_.submit_write(
      [row = std::move(row)](store::Database& db) {
        store::SqliteDirectory(db).append_directory_audit(row);
      },
      [](bool, const std::string&) {});
}

void SignIn::open_session(const ApiRequest& request, const std::string& person, std::string body,
                          std::string audit_action, Reply done) {
  auto cookie = std::make_shared<std::string>(generate_token());
  const std::string now = clock_.now();
  const std::string expires = clock_.after(sessions_.settings().absolute_timeout);
  writer_.submit_write(
      [cookie, person, now, expires, address = request.client_address,
       audit_action = std::move(audit_action)](store::Database& db) {
        store::SqliteDirectory directory(db);
        directory.create_person_session(hash_token(*cookie), person, now, expires, address);
        store::DirectoryAuditRow row;
        row.at = now;
        row.person = person;
        row.address = address;
        row.action = audit_action;
        row.subject = person;
        directory.append_directory_audit(row);
      },
      [this, cookie, body = std::move(body), tls = request.tls, done = std::move(done)](
          bool ok, const std::string&) mutable {
        if (!ok) return done(api_error(500, "internal", "保存できませんでした / could not save"));
        HttpReply reply{200, "application/json; charset=utf-8", std::move(body)};
        reply.headers.emplace_back("Set-Cookie", session_cookie_header(*cookie, tls));
        reply.headers.emplace_back("Cache-Control", "no-store");
        done(std::move(reply));
      });
}

void SignIn::setup_info(ApiRequest, std::string token, Reply done) {
  reader_.post([this, token = std::move(token), done = std::move(done)](store::Database& db) {
    store::SqliteDirectory directory(db);
    auto link = directory.find_setup_link(hash_token(token));
    if (!link || link->state(clock_.now()) != store::SetupLinkState::unused)
      return done(invalid_token());
    auto who = sessions_.load(db, link->person);
    if (!who) return done(invalid_token());
    protocol::SetupView view;
    view.name = who->person.name;
    view.login = who->person.login;
    if (who->person.org) {
      if (auto org = directory.find_organisation(*who->person.org))
        view.org = protocol::OrganisationView{
            org->id,         org->name,        org->kind,           org->area,
            org->prefecture, org->merged_into, !org->deactivated_at};
    }
    view.second_factor_required = who->second_factor_required;
    done(HttpReply{200, "application/json; charset=utf-8", protocol::encode_setup(view)});
  });
}

void SignIn::setup(ApiRequest request, std::string token, Reply done) {
  auto body = protocol::decode_setup_body(request.body);
  if (!decoded(body, done)) return;
  auto password = std::make_shared<std::string>(std::get<protocol::SetupBody>(body).password);
  reader_.post([this, request = std::move(request), token = std::move(token), password,
                done = std::move(done)](store::Database& db) mutable {
    store::SqliteDirectory directory(db);
    const std::string link_hash = hash_token(token);
    auto link = directory.find_setup_link(link_hash);
    if (!link || link->state(clock_.now()) != store::SetupLinkState::unused) {
      audit(request, std::nullopt, "setup", "", "invalid_token");
      return done(invalid_token());
    }
    auto who = sessions_.load(db, link->person);
    if (!who) return done(invalid_token());
    if (auto weak = auth::check_password(*password, who->person.login.value_or(""))) {
      return done(api_error(400, "weak_password", auth::weak_password_message(*weak)));
    }
    const std::string person = who->person.id;
    const bool required = who->second_factor_required;
    const std::string login = who->person.login.value_or("");
    const bool queued = run_on_pool(
        pool_, done, [this, request, link_hash, password, person, required, login, done]() mutable {
          const std::string hash = hasher_.hash(*password);
          auto used = std::make_shared<bool>(false);
          const std::string now = clock_.now();
          writer_.submit_write(
              [link_hash, person, hash, now, used,
               address = request.client_address](store::Database& wdb) {
                store::SqliteDirectory directory(wdb);
                if (!directory.mark_setup_link_used(link_hash, now)) return;
                // A reset (a new link for a forgotten password or a lost
                // phone, issued by the secretariat) ends every session the
                // old password opened and removes the second factor, which
                // the person enrols again (required or offered as before).
                directory.end_person_sessions(person, now);
                directory.clear_second_factor(person, store::Change{now, person, address});
                directory.set_password_hash(person, hash, store::Change{now, person, address});
                *used = true;
              },
              [this, request, person, required, login, used, done](bool ok,
                                                                   const std::string&) mutable {
                if (!ok)
                  return done(api_error(500, "internal", "保存できませんでした / could not save"));
                if (!*used) return done(invalid_token());
                std::string json = std::string("{\"person\":") + protocol::json_string(person) +
                                   ",\"login\":" + protocol::json_string(login) +
                                   ",\"second_factor\":\"" + (required ? "required" : "optional") +
                                   "\"}";
                open_session(request, person, std::move(json), "setup", std::move(done));
              });
        });
    if (!queued) done(busy());
  });
}

void SignIn::remember_failure(const std::string& login, const std::string& address) {
  if (!shared_failures_) return;
  writer_.submit_write([keys = std::vector<std::string>{"login:" + login, "address:" + address},
                        now = clock_.now(), window = throttle_.limits().window](
                           store::Database& db) { db.record_sign_in_failure(keys, now, window); },
                       [](bool, const std::string&) {});
}

void SignIn::forget_failures(const std::string& login) {
  if (!shared_failures_) return;
  writer_.submit_write(
      [key = "login:" + login](store::Database& db) { db.clear_sign_in_failures(key); },
      [](bool, const std::string&) {});
}

void SignIn::sign_in(ApiRequest request, Reply done) {
  auto decoded_body = protocol::decode_sign_in_body(request.body);
  if (!decoded(decoded_body, done)) return;
  auto body = std::make_shared<protocol::SignInBody>(std::get<protocol::SignInBody>(decoded_body));
  body->login = protocol::normalise_login(std::move(body->login));
  if (body->login.size() > 100) return done(invalid_credentials());
  const auto verdict = throttle_.check(body->login, request.client_address, steady_now());
  if (!verdict.allowed) {
    const auto wait = &verdict.retry_after;
    audit(request, std::nullopt, "sign_in", body->login, "throttled");
    HttpReply reply =
        api_error(429, "rate_limited",
                  "失敗が続いたため一時的に受け付けていません。" + std::to_string(wait->count()) +
                      "秒後にお試しください / too many failures, try again later");
    reply.headers.emplace_back("Retry-After", std::to_string(wait->count()));
    return done(std::move(reply));
  }
  reader_.post([this, request = std::move(request), body,
                done = std::move(done)](store::Database& db) mutable {
    if (shared_failures_) {
      // What the other instances counted too.
      const auto& limits = throttle_.limits();
      const auto now = clock_.now();
      const auto by_login = db.sign_in_failures("login:" + body->login, now, limits.window);
      const auto by_address =
          db.sign_in_failures("address:" + request.client_address, now, limits.window);
      std::int64_t wait = 0;
      if (by_login.first >= limits.failures_per_login) wait = std::max(wait, by_login.second);
      if (by_address.first >= limits.failures_per_address) wait = std::max(wait, by_address.second);
      if (by_login.first >= limits.failures_per_login ||
          by_address.first >= limits.failures_per_address) {
        throttle_.abandon(body->login, request.client_address, steady_now());
        audit(request, std::nullopt, "sign_in", body->login, "throttled");
        wait = std::max<std::int64_t>(wait, 1);
        HttpReply reply =
            api_error(429, "rate_limited",
                      "失敗が続いたため一時的に受け付けていません。" + std::to_string(wait) +
                          "秒後にお試しください / too many failures, try again later");
        reply.headers.emplace_back("Retry-After", std::to_string(wait));
        return done(std::move(reply));
      }
    }
    store::SqliteDirectory directory(db);
    auto person = directory.find_person_by_login(body->login);
    std::optional<store::PersonSecrets> secrets;
    if (person && person->active) secrets = directory.find_secrets(person->id);
    const bool queued =
        run_on_pool(pool_, done, [this, request, body, person, secrets, done]() mutable {
          const bool known = person && person->active && secrets && secrets->password_hash;
          const bool password_ok = known ? hasher_.verify(*secrets->password_hash, body->password)
                                         : (hasher_.dummy_verify(body->password), false);
          const auto now = steady_now();
          if (!password_ok) {
            throttle_.record_failure(body->login, request.client_address, now);
            remember_failure(body->login, request.client_address);
            audit(request, std::nullopt, "sign_in", person ? person->id : body->login,
                  "invalid_credentials");
            return done(invalid_credentials());
          }
          const std::string id = person->id;
          if (!secrets->totp_sealed) {
            throttle_.record_success(body->login, request.client_address, now);
            forget_failures(body->login);
            return open_session(request, id, "{\"person\":" + protocol::json_string(id) + "}",
                                "sign_in", std::move(done));
          }
          if (!body->code) {
            throttle_.abandon(body->login, request.client_address, now);
            audit(request, id, "sign_in", id, "second_factor_required");
            return done(api_error(401, "second_factor_required",
                                  "確認コードを入力してください / enter your authentication code"));
          }
          // The second factor: the time step or the recovery code is spent in
          // the writer's transaction, so a code works once even when two
          // sign-ins race.
          std::optional<std::int64_t> step;
          std::string recovery_hash;
          if (looks_like_totp(*body->code)) {
            auto secret = box_.open(as_bytes(*secrets->totp_sealed));
            if (secret)
              step = auth::totp::verify(*secret, *body->code, unix_seconds(clock_),
                                        secrets->totp_last_step);
          } else if (!auth::normalise_recovery_code(*body->code).empty()) {
            recovery_hash = auth::hash_recovery_code(*body->code);
          }
          if (!step && recovery_hash.empty()) {
            throttle_.record_failure(body->login, request.client_address, now);
            remember_failure(body->login, request.client_address);
            audit(request, id, "sign_in", id, "invalid_code");
            return done(invalid_code());
          }
          auto spent = std::make_shared<bool>(false);
          writer_.submit_write(
              [id, step, recovery_hash, spent, at = clock_.now()](store::Database& wdb) {
                store::SqliteDirectory directory(wdb);
                *spent = step ? directory.set_totp_last_step(id, *step)
                              : directory.use_recovery_code(id, recovery_hash, at);
              },
              [this, request, body, id, spent, recovery = !step, done](bool ok,
                                                                       const std::string&) mutable {
                const auto when = steady_now();
                if (!ok || !*spent) {
                  throttle_.record_failure(body->login, request.client_address, when);
                  remember_failure(body->login, request.client_address);
                  audit(request, id, "sign_in", id, "invalid_code");
                  return done(invalid_code());
                }
                throttle_.record_success(body->login, request.client_address, when);
                forget_failures(body->login);
                open_session(request, id, "{\"person\":" + protocol::json_string(id) + "}",
                             recovery ? "sign_in.recovery_code" : "sign_in", std::move(done));
              });
        });
    if (!queued) {
      throttle_.abandon(body->login, request.client_address, steady_now());
      done(busy());
    }
  });
}

void SignIn::totp_begin(ApiRequest request, Reply done) {
  if (!request.session_cookie) return done(not_signed_in());
  reader_.post([this, request = std::move(request), done = std::move(done)](store::Database& db) {
    auto who = sessions_.find(db, *request.session_cookie);
    if (!who) return done(not_signed_in());
    const auto secret = auth::totp::generate_secret();
    const std::string sealed = as_string(box_.seal(secret));
    const std::string person = who->person.id;
    const std::string body =
        "{\"secret\":" + protocol::json_string(auth::totp::base32_encode(secret)) + ",\"uri\":" +
        protocol::json_string(auth::totp::otpauth_uri(who->person.login.value_or(person), secret)) +
        "}";
    writer_.submit_write(
        [person, sealed, change = store::Change{clock_.now(), person, request.client_address}](
            store::Database& wdb) {
          store::SqliteDirectory(wdb).set_totp_pending(person, sealed, change);
        },
        [body, done](bool ok, const std::string&) {
          if (!ok) return done(api_error(500, "internal", "保存できませんでした / could not save"));
          HttpReply reply{200, "application/json; charset=utf-8", body};
          reply.headers.emplace_back("Cache-Control", "no-store");
          done(std::move(reply));
        });
  });
}

void SignIn::totp_confirm(ApiRequest request, Reply done) {
  if (!request.session_cookie) return done(not_signed_in());
  auto decoded_body = protocol::decode_code_body(request.body);
  if (!decoded(decoded_body, done)) return;
  const std::string code = std::get<protocol::CodeBody>(decoded_body).code;
  reader_.post([this, request = std::move(request), code,
                done = std::move(done)](store::Database& db) {
    auto who = sessions_.find(db, *request.session_cookie);
    if (!who) return done(not_signed_in());
    auto secrets = store::SqliteDirectory(db).find_secrets(who->person.id);
    std::optional<std::vector<unsigned char>> secret;
    if (secrets && secrets->totp_pending_sealed)
      secret = box_.open(as_bytes(*secrets->totp_pending_sealed));
    std::optional<std::int64_t> step;
    if (secret && looks_like_totp(code))
      step = auth::totp::verify(*secret, code, unix_seconds(clock_), std::nullopt);
    if (!step) {
      audit(request, who->person.id, "totp.confirm", who->person.id, "invalid_code");
      return done(api_error(400, "invalid_code",
                            "確認コードが違います。認証アプリの最新のコードを入力してください / "
                            "wrong code"));
    }
    auto codes = auth::generate_recovery_codes();
    std::vector<std::string> hashes;
    for (const auto& c : codes) hashes.push_back(auth::hash_recovery_code(c));
    const std::string person = who->person.id;
    auto confirmed = std::make_shared<bool>(false);
    writer_.submit_write(
        [person, step = *step, hashes, confirmed,
         change =
             store::Change{clock_.now(), person, request.client_address}](store::Database& wdb) {
          store::SqliteDirectory directory(wdb);
          if (!directory.confirm_totp(person, step, change)) return;
          directory.replace_recovery_codes(person, hashes, change);
          *confirmed = true;
        },
        [codes, confirmed, done](bool ok, const std::string&) {
          if (!ok || !*confirmed) return done(invalid_code());
          std::string body = "{\"recovery_codes\":[";
          for (std::size_t i = 0; i < codes.size(); ++i)
            body += (i ? "," : "") + protocol::json_string(codes[i]);
          body += "]}";
          HttpReply reply{200, "application/json; charset=utf-8", std::move(body)};
          reply.headers.emplace_back("Cache-Control", "no-store");
          done(std::move(reply));
        });
  });
}

void SignIn::me(ApiRequest request, Reply done) {
  if (!request.session_cookie) return done(not_signed_in());
  reader_.post([this, request = std::move(request), done = std::move(done)](store::Database& db) {
    auto who = sessions_.find(db, *request.session_cookie);
    if (!who) return done(not_signed_in());
    store::SqliteDirectory directory(db);
    done(HttpReply{200, "application/json; charset=utf-8",
                   protocol::encode_me(me_view(directory, *who, sessions_.settings().demo))});
  });
}

void SignIn::sign_out(ApiRequest request, bool everywhere, Reply done) {
  if (!request.session_cookie) return done(not_signed_in());
  reader_.post([this, request = std::move(request), everywhere,
                done = std::move(done)](store::Database& db) {
    auto who = sessions_.find(db, *request.session_cookie);
    if (!who) return done(not_signed_in());
    std::vector<std::string> seats;
    for (const auto& seat : who->seats) seats.push_back(seat.id);
    const std::string person = who->person.id;
    writer_.submit_write(
        [person, everywhere, id_hash = who->id_hash, now = clock_.now(),
         address = request.client_address](store::Database& wdb) {
          store::SqliteDirectory directory(wdb);
          if (everywhere)
            directory.end_person_sessions(person, now);
          else
            directory.end_person_session(id_hash, now);
          store::DirectoryAuditRow row;
          row.at = now;
          row.person = person;
          row.address = address;
          row.action = everywhere ? "sign_out.everywhere" : "sign_out";
          row.subject = person;
          directory.append_directory_audit(row);
        },
        [this, seats, tls = request.tls, done](bool, const std::string&) {
          close_seats_(seats);
          HttpReply reply{200, "application/json; charset=utf-8", "{}"};
          reply.headers.emplace_back("Set-Cookie",
                                     std::string("renkei_session=; Path=/; Max-Age=0; "
                                                 "HttpOnly; SameSite=Strict") +
                                         (tls ? "; Secure" : ""));
          done(std::move(reply));
        });
  });
}

}  // namespace renkei::app
