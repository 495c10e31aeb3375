// The secretariat's console (事務局コンソール, server/docs/PEOPLE.md
// "Console"): organisations, people, councils, seats, set-up links, the CSV
// import and the audit trail, for administrators (everything) and
// secretariats (their own area; AUTHORIZATION.md).
//
// Threading: any thread may call; `done` runs on a store thread. Every
// request is authenticated on a read worker; reads answer from there and
// every change runs through the group-commit writer in one savepoint with
// its audit row (old and new values), so a refused change writes nothing.
#pragma once

#include <functional>
#include <string>

#include "app/agenda_catalog.hpp"
#include "app/api_request.hpp"
#include "app/clock.hpp"
#include "app/http_reply.hpp"
#include "app/person_sessions.hpp"

namespace renkei::store {
class Database;
class Directory;
class ReadWorker;
class EventWriter;
}  // namespace renkei::store

namespace renkei::app {

class Console {
 public:
  using Reply = std::function<void(HttpReply)>;

  Console(store::ReadWorker& reader, store::EventWriter& writer, PersonSessions& sessions,
          const Clock& clock, const AgendaCatalog& agendas);

  void list_orgs(ApiRequest request, Reply done);
  void add_org(ApiRequest request, Reply done);
  void update_org(ApiRequest request, std::string id, Reply done);
  void merge_org(ApiRequest request, std::string id, Reply done);
  void deactivate_org(ApiRequest request, std::string id, Reply done);

  void list_people(ApiRequest request, Reply done);
  void add_person(ApiRequest request, Reply done);
  void update_person(ApiRequest request, std::string id, Reply done);
  void deactivate_person(ApiRequest request, std::string id, Reply done);
  void reissue_setup_link(ApiRequest request, std::string id, Reply done);
  // POST /api/console/people/<u>/grants and …/grants/remove
  // (administrators): gives or removes an admin, secretariat or
  // prefecture_viewer grant; audited with old and new values.
  void change_grant(ApiRequest request, std::string id, bool add, Reply done);

  void list_councils(ApiRequest request, Reply done);
  void add_council(ApiRequest request, Reply done);
  void update_council(ApiRequest request, std::string id, Reply done);
  void archive_council(ApiRequest request, std::string id, Reply done);

  void list_seats(ApiRequest request, std::string council, Reply done);
  void add_seat(ApiRequest request, std::string council, Reply done);
  void update_seat(ApiRequest request, std::string participant, Reply done);
  void remove_seat(ApiRequest request, std::string participant, Reply done);

  void list_invitations(ApiRequest request, Reply done);
  // POST /api/console/import/{orgs|people}[?dry_run=1].
  void import(ApiRequest request, bool people, Reply done);
  // GET /api/console/audit[?format=csv] (administrators).
  void audit(ApiRequest request, Reply done);

  // Called after every change that committed (the application reloads the
  // organisations its rooms resolve role owners against). Set before use.
  std::function<void()> on_change;

  // Days a set-up link stays valid.
  static constexpr int setup_link_days = 14;

 private:
  using ReadFn = std::function<HttpReply(store::Database&, store::Directory&, const SignedIn&)>;
  using WriteFn = std::function<HttpReply(store::Database&, store::Directory&, const SignedIn&,
                                          const store::Change&)>;
  // Authenticates (401 signed out, 403 no console grant or a pending second
  // factor, 403 for a non-administrator when `admin_only`), then runs `fn`.
  void read(ApiRequest request, bool admin_only, ReadFn fn, Reply done);
  void write(ApiRequest request, bool admin_only, WriteFn fn, Reply done);

  store::ReadWorker& reader_;
  store::EventWriter& writer_;
  PersonSessions& sessions_;
  const Clock& clock_;
  const AgendaCatalog& agendas_;
};

}  // namespace renkei::app
