#include "app/prefecture_overview.hpp"

#include <memory>
#include <mutex>

#include "app/api_errors.hpp"
#include "app/overview_scope.hpp"
#include "domain/search_text.hpp"
#include "protocol/exports.hpp"
#include "protocol/overview_codec.hpp"
#include "store/database.hpp"
#include "store/sqlite_directory.hpp"

namespace renkei::app {
namespace {

// A path segment percent-decoded; none when malformed or not UTF-8.
std::optional<std::string> path_segment(std::string_view raw) {
  auto out = percent_decode(raw, false);
  if (!out) return std::nullopt;
  if (out->empty() || out->size() > 400 || !domain::is_valid_utf8(*out)) return std::nullopt;
  return out;
}

// The councils' states, copied on their strands; the document is composed
// once the last one has reported.
struct Gather {
  std::mutex mutex;
  std::vector<domain::OverviewCouncilMeta> councils;
  std::vector<std::shared_ptr<const domain::CouncilState>> states;
  // The scope's one-on-ones: read only for their 上申, kept apart from the
  // councils above so that nothing else of them reaches the document.
  std::vector<std::string> consultation_ids;
  std::vector<std::shared_ptr<const domain::CouncilState>> consultations;
  std::size_t pending = 0;
  std::function<void()> finish;

  void report() {
    std::unique_lock lock(mutex);
    if (--pending != 0) return;
    lock.unlock();
    finish();
  }
};

}  // namespace

void PrefectureOverview::overview(ApiRequest request, bool scope_is_area, std::string raw_name,
                                  Reply done) {
  const char* op = scope_is_area ? "area" : "prefecture";
  auto answer = [this, op, done = std::move(done)](std::optional<std::string> person,
                                                   HttpReply reply) {
    services_.audit.record(std::nullopt, std::move(person), "read.overview", std::string(op),
                           reply.status == 200 ? std::string("ok") : std::to_string(reply.status));
    done(std::move(reply));
  };
  if (!request.session_cookie)
    return answer(std::nullopt,
                  api_error(401, "unauthorized", "サインインしてください / please sign in"));
  const auto name = path_segment(raw_name);
  if (!name)
    return answer(std::nullopt, api_error(400, "bad_request", "名前が正しくありません / bad name"));
  const auto format = query_parameter(request.query, "format").value_or("json");
  if (format != "json" && format != "csv")
    return answer(std::nullopt, api_error(400, "bad_request", "format: json か csv / json or csv"));
  const bool csv = format == "csv";
  services_.reader.post([this, cookie = *request.session_cookie, scope_is_area, name = *name, csv,
                         answer = std::move(answer)](store::Database& db) mutable {
    std::optional<SignedIn> who;
    DirectorySnapshot snapshot;
    try {
      who = services_.people.find(db, cookie);
      if (who) {
        store::SqliteDirectory directory(db);
        snapshot = read_directory(directory);
      }
    } catch (const std::exception&) {
      return answer(std::nullopt,
                    api_error(500, "internal", "読み込めませんでした / could not read"));
    }
    if (!who)
      return answer(std::nullopt,
                    api_error(401, "unauthorized", "サインインしてください / please sign in"));
    const std::string person = who->person.id;
    if (who->enrolment_pending())
      return answer(person, api_error(403, "second_factor_enrolment_required",
                                      "二要素認証の登録が必要です / enrol a second factor first"));
    if (!may_see_overview(who->access, snapshot, scope_is_area, name))
      return answer(person,
                    api_error(403, "forbidden", "この概観を見る権限がありません / not allowed"));
    std::vector<std::string> seats;
    for (const auto& seat : who->seats) seats.push_back(seat.council);

    auto gather = std::make_shared<Gather>();
    gather->councils = overview_councils(snapshot, scope_is_area, name, seats);
    gather->states.resize(gather->councils.size());
    gather->consultation_ids = overview_consultations(snapshot, scope_is_area, name);
    gather->consultations.resize(gather->consultation_ids.size());
    gather->pending = gather->councils.size() + gather->consultation_ids.size() + 1;
    gather->finish = [gather_ptr = gather.get(), orgs = std::move(snapshot.orgs),
                      today = today_jst(services_.clock), scope_is_area, name, csv, person,
                      answer = std::move(answer)]() mutable {
      Gather& g = *gather_ptr;
      std::vector<domain::OverviewInput> inputs;
      for (std::size_t i = 0; i < g.councils.size(); ++i)
        inputs.push_back(domain::OverviewInput{g.councils[i], g.states[i].get()});
      HttpReply reply;
      try {
        auto overview = domain::compose_overview(inputs, orgs, today);
        std::vector<const domain::CouncilState*> consultations;
        for (const auto& state : g.consultations) consultations.push_back(state.get());
        overview.submissions = domain::overview_submissions(consultations);
        const auto scope =
            scope_is_area ? protocol::OverviewScope::area : protocol::OverviewScope::prefecture;
        if (csv) {
          reply = HttpReply{200, "text/csv; charset=utf-8",
                            protocol::overview_csv(overview, scope, name)};
          const std::string file = std::string(scope_is_area ? "圏域の概観_" : "県の概観_") + name +
                                   "_" + today + ".csv";
          const std::string ascii =
              std::string(scope_is_area ? "area" : "prefecture") + "-overview-" + today + ".csv";
          reply.headers.emplace_back(
              "Content-Disposition",
              protocol::content_disposition(protocol::safe_file_name(file), ascii));
        } else {
          reply = HttpReply{200, "application/json; charset=utf-8",
                            protocol::encode_overview(overview, scope, name)};
        }
      } catch (const std::exception&) {
        reply = api_error(500, "internal", "作成できませんでした / could not compose");
      }
      answer(person, std::move(reply));
    };
    for (std::size_t i = 0; i < gather->councils.size(); ++i) {
      services_.registry.with_room(gather->councils[i].id, [gather, i](std::shared_ptr<Room> room) {
        if (!room) return gather->report();
        room->inspect([gather, i](const domain::CouncilState& state) {
          auto copy = std::make_shared<const domain::CouncilState>(state);
          {
            std::lock_guard lock(gather->mutex);
            gather->states[i] = std::move(copy);
          }
          gather->report();
        });
      });
    }
    for (std::size_t i = 0; i < gather->consultation_ids.size(); ++i) {
      services_.registry.with_room(
          gather->consultation_ids[i], [gather, i](std::shared_ptr<Room> room) {
            if (!room) return gather->report();
            room->inspect([gather, i](const domain::CouncilState& state) {
              auto copy = std::make_shared<const domain::CouncilState>(state);
              {
                std::lock_guard lock(gather->mutex);
                gather->consultations[i] = std::move(copy);
              }
              gather->report();
            });
          });
    }
    gather->report();
  });
}

void add_overview_routes(ApiRouter& router, OverviewServices services) {
  auto overview = std::make_shared<PrefectureOverview>(services);
  router.add("GET", "/api/prefectures/{name}/overview",
             [overview](ApiRequest request, RouteParams params, ApiDone done) {
               overview->overview(std::move(request), false, params["name"], std::move(done));
             });
  router.add("GET", "/api/areas/{name}/overview",
             [overview](ApiRequest request, RouteParams params, ApiDone done) {
               overview->overview(std::move(request), true, params["name"], std::move(done));
             });
}

}  // namespace renkei::app
