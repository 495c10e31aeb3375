#include "app/home.hpp"

#include <mutex>

#include "app/api_errors.hpp"
#include "app/directory_views.hpp"
#include "domain/council_summary.hpp"
#include "domain/ownership.hpp"
#include "protocol/directory_codec.hpp"
#include "store/database.hpp"
#include "store/event_writer.hpp"
#include "store/read_worker.hpp"
#include "store/sqlite_directory.hpp"

namespace renkei::app {

Home::Home(store::ReadWorker& reader, store::EventWriter& writer, PersonSessions& sessions,
           const Clock& clock, WithState with_state, const domain::OrgResolver* orgs)
    : reader_(reader),
      writer_(writer),
      sessions_(sessions),
      clock_(clock),
      with_state_(std::move(with_state)),
      orgs_(orgs) {}

namespace {

// Gathers the councils' summaries from their room strands and answers once
// every one has reported.
struct Gather {
  std::mutex mutex;
  std::vector<protocol::HomeCouncilView> councils;
  std::size_t pending = 0;
  std::optional<std::string> last_visit_at;
  std::function<void(HttpReply)> done;
  std::function<void()> finished;

  void report() {
    std::unique_lock lock(mutex);
    if (--pending != 0) return;
    lock.unlock();
    done(HttpReply{200, "application/json; charset=utf-8",
                   protocol::encode_home(councils, last_visit_at)});
    finished();
  }
};

}  // namespace

void Home::home(ApiRequest request, Reply done) {
  if (!request.session_cookie)
    return done(api_error(401, "unauthorized", "サインインしてください / please sign in"));
  reader_.post([this, request = std::move(request),
                done = std::move(done)](store::Database& db) mutable {
    auto who = sessions_.find(db, *request.session_cookie);
    if (!who)
      return done(api_error(401, "unauthorized", "サインインしてください / please sign in"));
    if (who->enrolment_pending())
      return done(api_error(403, "second_factor_enrolment_required",
                            "二要素認証の登録が必要です / enrol a second factor first"));
    store::SqliteDirectory directory(db);
    const auto councils = directory.list_councils();
    auto gather = std::make_shared<Gather>();
    gather->last_visit_at = who->person.last_visit_at;
    gather->done = std::move(done);
    const std::string person = who->person.id;
    gather->finished = [this, person] {
      writer_.submit_write(
          [person, now = clock_.now()](store::Database& wdb) {
            store::SqliteDirectory(wdb).record_visit(person, now);
          },
          [](bool, const std::string&) {});
    };
    const std::string today = today_jst(clock_);
    std::vector<protocol::HomeCouncilView> views;
    // Seats in force, then seats a handover gives from a later date
    // (「4月1日から」: listed with starts_at, not enterable yet).
    auto seats = std::make_shared<std::vector<store::ParticipantRow>>(who->seats);
    seats->insert(seats->end(), who->upcoming.begin(), who->upcoming.end());
    const std::string now = clock_.now();
    for (const auto& seat : *seats) {
      protocol::HomeCouncilView view;
      view.seat = seat_view(directory, seat, councils, now);
      for (const auto& council : councils) {
        if (council.id != seat.council) continue;
        view.area = council.area;
        view.archived = council.archived_at.has_value();
        view.next_meeting = council.next_meeting;
        view.planned_themes = protocol::decode_theme_list(council.themes);
      }
      view.changes_since_last_visit =
          who->person.last_visit_at && !view.seat.starts_at
              ? db.count_events_after(seat.council, *who->person.last_visit_at)
              : 0;
      views.push_back(std::move(view));
    }
    gather->councils = std::move(views);
    gather->pending = gather->councils.size() + 1;
    for (std::size_t i = 0; i < gather->councils.size(); ++i) {
      const auto& seat = (*seats)[i];
      domain::Actor me{seat.id, seat.name, seat.org, seat.role, seat.org_id.value_or("")};
      with_state_(seat.council, [this, gather, i, me, today](const domain::CouncilState* state) {
        if (state) {
          auto summary = domain::summarize_council(
              *state,
              [&](const domain::RoleAgreement& role) {
                return orgs_ && *orgs_ ? domain::speaks_for(me, role, *orgs_)
                                       : domain::speaks_for_as_logged(me, role);
              },
              today);
          std::lock_guard lock(gather->mutex);
          auto& view = gather->councils[i];
          if (summary.live) {
            view.live_meeting = summary.live->id;
            view.live_title = summary.live->title;
            view.live_started_at = summary.live->at;
          }
          if (summary.last) {
            view.last_meeting = summary.last->id;
            view.last_title = summary.last->title;
            view.last_ended_at = summary.last->at;
          }
          // The themes the council works on: those set up in the console
          // (stage 1 until a decision moves them) and those its log uses.
          std::vector<std::pair<std::string, int>> themes;
          for (const auto& name : view.planned_themes) themes.emplace_back(name, 1);
          for (const auto& theme : summary.themes) {
            bool known = false;
            for (auto& [name, stage] : themes) {
              if (name == theme.name) {
                stage = theme.stage;
                known = true;
              }
            }
            if (!known) themes.emplace_back(theme.name, theme.stage);
          }
          view.themes = std::move(themes);
          view.open_roles = summary.open_roles;
          view.overdue_roles = summary.overdue_roles;
        }
        gather->report();
      });
    }
    gather->report();
  });
}

}  // namespace renkei::app
