// The time to open an organisation's handover packet (CONTINUITY.md §2,
// tests/bench/RESULTS.md "Handover packet"): one organisation with a seat in
// ten councils, each with years of monthly meetings (issues, a ranking, a
// proposal with its stances, role agreements with consents and status
// changes, indicator reports, stage changes). The directory is made with the
// real CLI; the councils' logs are decided and folded in this process by
// the domain core (so every event is one the server would have accepted)
// and written with store::Database. Then `renkei serve` runs on that
// database, the organisation's person signs in through their set-up link,
// and GET /api/orgs/<o>/handover is timed over HTTP: cold (the server just
// started, no council loaded: the first request replays every log) and
// warm (the councils in memory).
//
// Usage: renkei_handover_bench --renkei PATH [--councils 10] [--years 3]
//        [--cold-runs 3] [--warm-runs 20]
#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "../signin/renkei_process.hpp"
#include "domain/decide.hpp"
#include "domain/fold.hpp"
#include "protocol/event_codec.hpp"
#include "store/database.hpp"

namespace {

using namespace renkei;
namespace beast = boost::beast;
namespace http = beast::http;
using boost::asio::ip::tcp;

struct Options {
  std::string renkei;
  int councils = 10;
  int years = 3;
  int cold_runs = 3;
  int warm_runs = 20;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    const std::string value = argv[i + 1];
    if (key == "--renkei")
      o.renkei = value;
    else if (key == "--councils")
      o.councils = std::stoi(value);
    else if (key == "--years")
      o.years = std::stoi(value);
    else if (key == "--cold-runs")
      o.cold_runs = std::stoi(value);
    else if (key == "--warm-runs")
      o.warm_runs = std::stoi(value);
    else
      throw std::runtime_error("unknown option " + key);
  }
  if (o.renkei.empty()) throw std::runtime_error("--renkei PATH is required");
  return o;
}

struct Response {
  int status = 0;
  std::string body;
};

Response get(std::uint16_t port, const std::string& target, const std::string& cookie,
             const std::string& method = "GET", const std::string& body = "") {
  boost::asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  http::request<http::string_body> request(http::string_to_verb(method), target, 11);
  request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  request.set(http::field::origin, "http://127.0.0.1:" + std::to_string(port));
  if (!cookie.empty()) request.set(http::field::cookie, "renkei_session=" + cookie);
  if (!body.empty()) {
    request.set(http::field::content_type, "application/json");
    request.body() = body;
    request.prepare_payload();
  }
  http::write(socket, request);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  http::read(socket, buffer, parser);
  const auto& response = parser.get();
  Response out{static_cast<int>(response.result_int()), response.body()};
  if (method == "POST") {
    const std::string set_cookie(response[http::field::set_cookie]);
    const std::string prefix = "renkei_session=";
    if (set_cookie.rfind(prefix, 0) == 0)
      out.body = set_cookie.substr(prefix.size(), set_cookie.find(';') - prefix.size());
  }
  beast::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  return out;
}

// One council's log, decided and folded here.
class Log {
 public:
  Log(std::string council, std::string name) {
    state_.council = council;
    state_.name = std::move(name);
  }

  // Decides `command` as `actor` at `at`; returns the event's data.
  const domain::EventData& run(const domain::Actor& actor, const domain::Command& command,
                               const std::string& at) {
    auto decision = domain::decide(state_, actor, command);
    if (const auto* error = std::get_if<domain::Error>(&decision))
      throw std::runtime_error(std::string(domain::op_name(command)) +
                               " refused: " + error->message);
    domain::Event event;
    event.seq = state_.head + 1;
    event.at = at;
    event.by = actor;
    event.data = std::move(std::get<domain::EventData>(decision));
    if (const auto* started = std::get_if<domain::MeetingStarted>(&event.data))
      event.meeting = started->meeting;
    else
      event.meeting = state_.live_meeting;
    domain::apply(state_, event);
    store::EventRow row;
    row.council = state_.council;
    row.seq = event.seq;
    row.op = std::string(domain::op_name(event.data));
    row.at = event.at;
    row.participant = actor.participant;
    row.by_name = actor.name;
    row.by_org = actor.org;
    row.by_role = actor.role;
    row.meeting = event.meeting;
    row.data = protocol::encode_event_data(event.data);
    row.frame = protocol::encode_event_frame(event);
    rows_.push_back(std::move(row));
    events_.push_back(std::move(event));
    return events_.back().data;
  }

  template <typename T>
  const T& run_as(const domain::Actor& actor, const domain::Command& command,
                  const std::string& at) {
    return std::get<T>(run(actor, command, at));
  }

  const domain::CouncilState& state() const { return state_; }
  std::vector<store::EventRow>& rows() { return rows_; }

 private:
  domain::CouncilState state_;
  std::vector<store::EventRow> rows_;
  std::vector<domain::Event> events_;
};

std::string two(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

// "YYYY-MM-DDTHH:MM:SS.000Z" of a meeting day and a second within it.
std::string instant(int year, int month, int day, int second) {
  return std::to_string(year) + "-" + two(month) + "-" + two(day) + "T" + two(1 + second / 3600) +
         ":" + two(second / 60 % 60) + ":" + two(second % 60) + ".000Z";
}

const char* const themes[] = {"在宅医療", "認知症", "退院支援", "看取り"};
const char* const other_orgs[] = {"A病院", "B訪問看護ステーション", "地域包括支援センター"};

// Years of monthly meetings; `nurse` speaks for `org_name`.
std::size_t build_council(Log& log, const domain::Actor& chair, const domain::Actor& nurse,
                          const std::string& org_name, int years, int first_year) {
  std::vector<domain::Actor> members{chair, nurse};
  for (int i = 0; i < 3; ++i)
    members.push_back(domain::Actor{"px" + std::to_string(i) + log.state().council,
                                    "委員 " + std::to_string(i), other_orgs[i],
                                    domain::Role::member, ""});
  for (int i = 0; i < 10; ++i)
    members.push_back(domain::Actor{"py" + std::to_string(i) + log.state().council,
                                    "委員 " + std::to_string(i + 3), other_orgs[i % 3],
                                    domain::Role::member, ""});
  std::vector<std::string> open_roles;
  std::string indicator;
  int meeting_no = 0;
  for (int year = first_year; year < first_year + years; ++year) {
    for (int month = 1; month <= 12; ++month) {
      ++meeting_no;
      int s = 0;
      const auto at = [&] { return instant(year, month, 15, s++ * 7); };
      log.run(chair, domain::MeetingStart{"第" + std::to_string(meeting_no) + "回", {}, {}}, at());
      if (indicator.empty())
        indicator = log.run_as<domain::IndicatorDefined>(
                           chair,
                           domain::IndicatorDefine{"退院前カンファレンス実施件数",
                                                   domain::IndicatorKind::process, "件", 20.0, 5.0},
                           at())
                        .indicator;
      std::vector<std::string> issues;
      for (int i = 0; i < 25; ++i) {
        const auto& who = members[static_cast<std::size_t>(i) % members.size()];
        issues.push_back(
            log.run_as<domain::IssuePosted>(
                   who,
                   domain::IssuePost{"第" + std::to_string(meeting_no) + "回の課題" +
                                         std::to_string(i) + "：退院時の情報共有が遅れることがある",
                                     std::string(themes[i % 4])},
                   at())
                .issue);
      }
      const std::vector<std::string> candidates(issues.begin(), issues.begin() + 5);
      const std::string ranking =
          log.run_as<domain::RankingOpened>(
                 chair, domain::RankingOpen{candidates, domain::RankingMethod::borda, 3}, at())
              .ranking;
      for (std::size_t m = 0; m < members.size(); ++m) {
        std::vector<std::string> order = candidates;
        std::rotate(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(m % 5), order.end());
        log.run(members[m], domain::RankingBallot{ranking, order, {}}, at());
      }
      log.run(chair, domain::RankingClose{ranking}, at());
      const auto kind =
          meeting_no % 6 == 1 ? domain::ProposalKind::vision : domain::ProposalKind::direction;
      const std::string proposal =
          log.run_as<domain::ProposalOpened>(
                 chair,
                 domain::ProposalOpen{kind, "第" + std::to_string(meeting_no) +
                                                "回の方針：退院前に多職種で情報を共有する"},
                 at())
              .proposal;
      for (const auto& member : members)
        log.run(member, domain::ProposalStance{proposal, domain::Stance::agree, std::nullopt},
                at());
      log.run(chair, domain::ProposalClose{proposal}, at());
      // Four roles: two the organisation's, two of others; the organisation
      // takes its own on, the others consent to theirs.
      for (int r = 0; r < 4; ++r) {
        const bool ours = r < 2;
        const std::string owner = ours ? org_name : other_orgs[r % 3];
        const int due_month = (month + 2) % 12 + 1;
        const int due_year = year + (month + 2 >= 12 ? 1 : 0);
        const std::string role =
            log.run_as<domain::RoleProposed>(
                   chair,
                   domain::RolePropose{"第" + std::to_string(meeting_no) + "回の役割" +
                                           std::to_string(r) + "：連絡票の様式を見直す",
                                       owner,
                                       std::to_string(due_year) + "-" + two(due_month) + "-28",
                                       std::string("関係機関と相談して案を作る"),
                                       std::string(themes[r]),
                                       {}},
                   at())
                .role;
        const domain::Actor& owner_actor =
            ours ? nurse : members[2 + static_cast<std::size_t>(r % 3)];
        // The last meeting's second role of the organisation stays awaiting.
        if (!(ours && r == 1 && year == first_year + years - 1 && month == 12)) {
          log.run(owner_actor, domain::RoleConsent{role, true, std::string("担当します")}, at());
          open_roles.push_back(role);
        }
      }
      // Progress on older roles: most get done, some stay in progress.
      for (int k = 0; k < 4 && open_roles.size() > 8; ++k) {
        const std::string role = open_roles.front();
        open_roles.erase(open_roles.begin());
        const domain::RoleAgreement* agreed = log.state().find_role(role);
        const domain::Actor& owner_actor = agreed->owner_org == org_name ? nurse : members[2];
        if (agreed->owner_org != org_name && agreed->owner_org != other_orgs[0]) continue;
        log.run(owner_actor, domain::RoleStatusUpdate{role, domain::RoleStatus::in_progress, {}},
                at());
        if (k != 3)
          log.run(owner_actor, domain::RoleStatusUpdate{role, domain::RoleStatus::done, {}}, at());
      }
      for (int k = 0; k < 3; ++k)
        log.run(members[static_cast<std::size_t>(k + 1)],
                domain::IndicatorReport{indicator, 3.0 + k + month,
                                        std::to_string(year) + "-" + two(month)},
                at());
      if (meeting_no % 9 == 0)
        log.run(chair,
                domain::ThemeSetStage{themes[(meeting_no / 9 - 1) % 4], 2 + (meeting_no / 36),
                                      "課題と役割が出そろった"},
                at());
      log.run(chair, domain::MeetingEnd{}, at());
    }
  }
  return log.rows().size();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values.empty() ? 0 : values[values.size() / 2];
}

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

std::string field(const std::string& json, const std::string& key) {
  return bench::json_string_field(json, key);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options options = parse(argc, argv);
    bench::RenkeiProcess renkei(options.renkei);
    const std::string org_name = "北広島町";
    const std::string org = field(renkei.command({"org", "add", "--name", org_name, "--kind",
                                                  "municipality", "--area", "北広島保健所管内"}),
                                  "org");
    const std::string person_json = renkei.command(
        {"person", "add", "--name", "新任 看護師", "--org", org, "--login", "nurse"});
    const std::string person = field(person_json, "person");
    const std::string setup = field(person_json, "setup");

    struct Made {
      std::string council, chair, seat;
    };
    std::vector<Made> made;
    for (int c = 0; c < options.councils; ++c) {
      const std::string out =
          renkei.command({"council", "create", "--name", "協議会" + std::to_string(c + 1),
                          "--facilitator-name", "保健師 " + std::to_string(c + 1),
                          "--facilitator-org", "保健所", "--area", "北広島保健所管内"});
      Made m{field(out, "council"), field(out, "participant"), ""};
      m.seat = field(renkei.command({"seat", "add", "--council", m.council, "--person", person,
                                     "--role", "member"}),
                     "participant");
      made.push_back(m);
    }

    const auto built = std::chrono::steady_clock::now();
    std::size_t total = 0;
    {
      store::Database db(renkei.db());
      for (const Made& m : made) {
        Log log(m.council, "協議会");
        const domain::Actor chair{m.chair, "保健師", "保健所", domain::Role::facilitator, ""};
        const domain::Actor nurse{m.seat, "新任 看護師", org_name, domain::Role::member, org};
        const std::size_t n = build_council(log, chair, nurse, org_name, options.years, 2024);
        total += n;
        constexpr std::size_t batch = 2000;
        auto& rows = log.rows();
        for (std::size_t from = 0; from < rows.size(); from += batch) {
          std::vector<const store::EventRow*> pointers;
          for (std::size_t i = from; i < std::min(rows.size(), from + batch); ++i)
            pointers.push_back(&rows[i]);
          db.append_events(pointers);
        }
      }
    }
    std::printf(
        "handover bench: %d councils x %d years x 12 meetings, %zu events (%.0f per "
        "council), written in %.1f s\n",
        options.councils, options.years, total, static_cast<double>(total) / options.councils,
        ms_since(built) / 1000);

    std::vector<double> cold;
    std::vector<double> warm;
    std::string cookie;
    std::size_t bytes = 0;
    const std::string target = "/api/orgs/" + org + "/handover";
    for (int run = 0; run < options.cold_runs; ++run) {
      const std::uint16_t port = renkei.serve({});
      if (cookie.empty()) {
        const Response signed_in =
            get(port, "/api" + setup, "", "POST", R"({"password":"hikitsugi-bench-2027"})");
        if (signed_in.status != 200 || signed_in.body.empty())
          throw std::runtime_error("set-up failed: " + std::to_string(signed_in.status));
        cookie = signed_in.body;
      }
      auto start = std::chrono::steady_clock::now();
      const Response first = get(port, target, cookie);
      cold.push_back(ms_since(start));
      if (first.status != 200)
        throw std::runtime_error("packet: " + std::to_string(first.status) + " " + first.body);
      bytes = first.body.size();
      if (run == 0) {
        for (int i = 0; i < options.warm_runs; ++i) {
          start = std::chrono::steady_clock::now();
          const Response again = get(port, target, cookie);
          warm.push_back(ms_since(start));
          if (again.status != 200) throw std::runtime_error("packet (warm) failed");
        }
        // The whole history (no since): the largest answer.
        start = std::chrono::steady_clock::now();
        const Response all = get(port, target + "?since=2000-01-01", cookie);
        std::printf("  whole history (since 2000-01-01): %.1f ms, %zu bytes\n", ms_since(start),
                    all.body.size());
        start = std::chrono::steady_clock::now();
        const Response html = get(port, "/api/orgs/" + org + "/handover.html", cookie);
        std::printf("  handover.html (warm): %.1f ms, %zu bytes\n", ms_since(start),
                    html.body.size());
      }
      renkei.stop_server();
    }
    std::printf(
        "  cold (server just started, no council loaded): median %.1f ms, max %.1f ms "
        "of %zu runs\n",
        median(cold), *std::max_element(cold.begin(), cold.end()), cold.size());
    if (!warm.empty())
      std::printf("  warm (councils in memory): median %.1f ms, max %.1f ms of %zu runs\n",
                  median(warm), *std::max_element(warm.begin(), warm.end()), warm.size());
    std::printf("  answer: %zu bytes of JSON\n", bytes);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "renkei_handover_bench: %s\n", e.what());
    return 1;
  }
}
