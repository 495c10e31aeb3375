// The home page of a signed-in person (GET /api/home, PEOPLE.md): their
// councils with kind and area, a live meeting, the last and next meeting,
// each theme's stage, their organisation's open and overdue role
// agreements, and how many events came since their last visit (which this
// request then moves to now).
//
// Threading: any thread may call; `done` runs on a store or room thread.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "app/api_request.hpp"
#include "app/clock.hpp"
#include "app/http_reply.hpp"
#include "app/person_sessions.hpp"
#include "domain/council_state.hpp"
#include "domain/org_ref.hpp"

namespace renkei::store {
class ReadWorker;
class EventWriter;
}  // namespace renkei::store

namespace renkei::app {

// Runs `fn` on the council's room strand with its committed state (null
// when the council cannot be loaded).
using WithState = std::function<void(const std::string& council,
                                     std::function<void(const domain::CouncilState*)> fn)>;

class Home {
 public:
  using Reply = std::function<void(HttpReply)>;

  Home(store::ReadWorker& reader, store::EventWriter& writer, PersonSessions& sessions,
       const Clock& clock, WithState with_state, const domain::OrgResolver* orgs);

  void home(ApiRequest request, Reply done);

 private:
  store::ReadWorker& reader_;
  store::EventWriter& writer_;
  PersonSessions& sessions_;
  const Clock& clock_;
  WithState with_state_;
  const domain::OrgResolver* orgs_;
};

}  // namespace renkei::app
