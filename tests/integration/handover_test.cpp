// Handover (引き継ぎ) and 空席 over HTTP and WebSocket with the real server
// (CONTINUITY.md section 1): a handover effective now closes the
// predecessor's sockets and lets the successor in, who speaks for the same
// organisation (consents to the role that awaited it and updates its
// status); a future-dated one is upcoming until its instant (made due here
// by moving the instant a few seconds ahead); requests are confirmed or
// rejected once; vacancies are filled or dismissed; the seat lines list
// the holders over time.
#include <sqlite3.h>

#include <chrono>
#include <thread>

#include "domain/calendar.hpp"
#include "handover_support.hpp"

namespace renkei::it {
namespace {

using namespace std::chrono_literals;

const std::string area_a = "北広島保健所管内";

// The date in Japan `days` days from today, "YYYY-MM-DD".
std::string jst_date(int days = 0) {
  const auto now = std::chrono::system_clock::now() + std::chrono::hours(9);
  const auto day = std::chrono::floor<std::chrono::days>(now);
  const std::chrono::year_month_day ymd{day + std::chrono::days(days)};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

// The instant a date starts in Japan.
std::string start_of(const std::string& date) {
  return domain::iso_date(domain::add_days(*domain::parse_iso_date(date), -1)) + "T15:00:00.000Z";
}

std::string utc_after(std::chrono::seconds later) {
  const auto t =
      std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now() + later);
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{t - day};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                static_cast<int>(hms.subseconds().count()));
  return text;
}

class HandoverTest : public ::testing::Test, public HandoverWorld {
 protected:
  void SetUp() override {
    server.start();
    town = add_org(area_a, "北広島町");
    other_town = add_org(area_a, "安芸太田町");
    c1 = add_council(area_a, "北広島町在宅医療・介護連携推進協議会");
    c2 = add_council(area_a, "退院支援部会");
    const auto sec = signed_in(town, "事務局 保健師");
    grant(sec.first, "secretariat", area_a);
    secretariat = sec.second;
    std::tie(leaving, leaving_cookie) = signed_in(town, "佐藤 花子");
    std::tie(successor, successor_cookie) = signed_in(town, "鈴木 一郎");
    seat1 = add_seat(c1.council, leaving);
    seat2 = add_seat(c2.council, leaving);
  }
  void TearDown() override {
    if (server.running()) {
      EXPECT_EQ(server.stop(), 0) << server.log();
    }
  }
  json::object body_of(const HttpResponse& response) {
    return json::parse(response.body()).as_object();
  }
  HttpResponse hand_over(const std::string& person, json::value next, const std::string& date) {
    return post("/api/console/people/" + person + "/handover", secretariat,
                {{"successor", next}, {"date", date}});
  }

  std::string town, other_town;
  Credentials c1, c2;
  std::string secretariat;
  std::string leaving, leaving_cookie, successor, successor_cookie;
  std::string seat1, seat2;
};

TEST_F(HandoverTest, AHandoverNowEndsThePredecessorsSocketsAndLetsTheSuccessorIn) {
  // A role awaiting the organisation's consent, proposed by the facilitator.
  auto facilitator = std::make_unique<WsClient>(server.port());
  facilitator->hello(c1.token, c1.council);
  const auto proposed = facilitator->command(
      "r1", "role.propose",
      {{"title", "退院調整ルールの運用"}, {"owner_org", "北広島町"}, {"due", "2027-03-31"}});
  ASSERT_EQ(proposed.type(), "ack") << proposed.text;
  const std::string role =
      std::string(facilitator->wait_event(proposed.seq()).data().at("role").as_string());

  auto [old_socket, welcome] = hello(leaving_cookie, c1.council);
  ASSERT_EQ(welcome.type(), "welcome") << welcome.text;
  {
    auto [socket, reply] = hello(successor_cookie, c1.council);
    EXPECT_EQ(reply.str("code"), "unauthorized") << reply.text;
  }

  const auto response = hand_over(leaving, json::string(successor), jst_date(0));
  ASSERT_EQ(response.result_int(), 200u) << response.body();
  const auto result = body_of(response);
  const auto& seats = result.at("seats").as_array();
  ASSERT_EQ(seats.size(), 2u);
  EXPECT_EQ(seats[0].at("council").as_string(), c1.council);
  EXPECT_EQ(seats[0].at("from").as_string(), seat1);
  const std::string new_seat = std::string(seats[0].at("to").as_string());

  // The sessions watcher closes the predecessor's socket within seconds.
  EXPECT_EQ(old_socket->wait_closed(6000ms), std::optional<std::uint16_t>(4401));
  {
    auto [socket, reply] = hello(leaving_cookie, c1.council);
    EXPECT_EQ(reply.str("code"), "unauthorized") << reply.text;
  }

  // The successor speaks for the same organisation.
  auto [socket, reply] = hello(successor_cookie, c1.council);
  ASSERT_EQ(reply.type(), "welcome") << reply.text;
  EXPECT_EQ(reply.json.at("me").at("participant").as_string(), new_seat) << reply.text;
  const auto consent = socket->command("s1", "role.consent", {{"role", role}, {"consent", true}});
  ASSERT_EQ(consent.type(), "ack") << consent.text;
  const auto consented = socket->wait_event(consent.seq());
  EXPECT_EQ(consented.data().at("state").as_string(), "agreed") << consented.text;
  const auto status =
      socket->command("s2", "role.status", {{"role", role}, {"status", "in_progress"}});
  EXPECT_EQ(status.type(), "ack") << status.text;

  // /api/me names the handover until the packet is opened.
  auto me = body_of(get("/api/me", successor_cookie));
  ASSERT_TRUE(me.at("handover").is_object()) << json::serialize(me);
  EXPECT_EQ(me.at("handover").at("org").at("id").as_string(), town);
  EXPECT_EQ(me.at("handover").at("org").at("name").as_string(), "北広島町");
  EXPECT_EQ(me.at("handover").at("predecessor").at("person").as_string(), leaving);
  EXPECT_EQ(me.at("handover").at("predecessor").at("name").as_string(), "佐藤 花子");
  EXPECT_TRUE(body_of(get("/api/me", leaving_cookie)).at("handover").is_null());
  const auto seen = post("/api/me/handover/seen", successor_cookie);
  ASSERT_EQ(seen.result_int(), 200u) << seen.body();
  EXPECT_EQ(body_of(seen).at("seen").as_int64(), 2);
  EXPECT_TRUE(body_of(get("/api/me", successor_cookie)).at("handover").is_null());

  // The seat line: 佐藤 then 鈴木.
  const auto holders = get("/api/councils/" + c1.council + "/holders", successor_cookie);
  ASSERT_EQ(holders.result_int(), 200u) << holders.body();
  bool found = false;
  const auto lines = body_of(holders);
  for (const auto& line : lines.at("seats").as_array()) {
    const auto& h = line.at("holders").as_array();
    if (h.size() != 2) continue;
    found = true;
    EXPECT_EQ(h[0].at("person").as_string(), leaving);
    EXPECT_EQ(h[0].at("to").as_string(), result.at("effective_at").as_string());
    EXPECT_EQ(h[1].at("person").as_string(), successor);
    EXPECT_TRUE(h[1].at("to").is_null());
    EXPECT_EQ(line.at("org").at("name").as_string(), "北広島町");
    EXPECT_FALSE(line.at("vacant").as_bool());
  }
  EXPECT_TRUE(found) << holders.body();
  // The predecessor no longer reads the record.
  EXPECT_EQ(get("/api/councils/" + c1.council + "/holders", leaving_cookie).result_int(), 403u);
}

TEST_F(HandoverTest, AFutureHandoverIsUpcomingUntilItsInstant) {
  auto [old_socket, welcome] = hello(leaving_cookie, c1.council);
  ASSERT_EQ(welcome.type(), "welcome") << welcome.text;
  const std::string date = jst_date(3);
  const auto response = hand_over(leaving, json::string(successor), date);
  ASSERT_EQ(response.result_int(), 200u) << response.body();
  const auto result = body_of(response);
  EXPECT_EQ(result.at("effective_at").as_string(), start_of(date));
  const std::string new_seat = std::string(result.at("seats").as_array()[0].at("to").as_string());

  // Not yet: the predecessor stays, the successor waits (ホーム: starts_at).
  EXPECT_EQ(old_socket->wait_closed(2500ms), std::nullopt);
  {
    auto [socket, reply] = hello(successor_cookie, c1.council);
    EXPECT_EQ(reply.str("code"), "unauthorized") << reply.text;
  }
  const auto home = body_of(get("/api/home", successor_cookie));
  const auto& councils = home.at("councils").as_array();
  ASSERT_EQ(councils.size(), 2u) << json::serialize(home);
  EXPECT_EQ(councils[0].at("starts_at").as_string(), start_of(date));
  EXPECT_EQ(body_of(get("/api/home", leaving_cookie)).at("councils").as_array().size(), 2u);
  // The packet opens at the first sign-in once the seats are in force.
  EXPECT_TRUE(body_of(get("/api/me", successor_cookie)).at("handover").is_null());
  // The console's seat list: the predecessor is not removed yet.
  const auto listed = get("/api/console/councils/" + c1.council + "/seats", secretariat);
  ASSERT_EQ(listed.result_int(), 200u);
  const auto listed_seats = body_of(listed);
  for (const auto& s : listed_seats.at("seats").as_array()) {
    if (s.at("participant").as_string() == seat1) {
      EXPECT_FALSE(s.at("removed").as_bool());
      EXPECT_EQ(s.at("ends_at").as_string(), start_of(date));
    }
    if (s.at("participant").as_string() == new_seat) {
      EXPECT_EQ(s.at("starts_at").as_string(), start_of(date));
    }
  }

  // The instant comes: moved to a few seconds from now in the database.
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(server.db().c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    const std::string due = utc_after(2s);
    const std::string sql = "UPDATE participants SET revoked_at = '" + due +
                            "' WHERE id = " + seat1.substr(1) +
                            "; UPDATE participants SET active_from = '" + due +
                            "' WHERE id = " + new_seat.substr(1) + ";";
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  EXPECT_EQ(old_socket->wait_closed(8000ms), std::optional<std::uint16_t>(4401));
  auto [socket, reply] = hello(successor_cookie, c1.council);
  EXPECT_EQ(reply.type(), "welcome") << reply.text;
  EXPECT_TRUE(body_of(get("/api/me", successor_cookie)).at("handover").is_object());
  {
    auto [again, refused] = hello(leaving_cookie, c1.council);
    EXPECT_EQ(refused.str("code"), "unauthorized") << refused.text;
  }
}

TEST_F(HandoverTest, RequestsAreConfirmedOrRejectedOnce) {
  const std::string date = jst_date(120);
  const auto asked = post("/api/me/handover", leaving_cookie,
                          {{"successor", successor}, {"date", date}, {"note", "4月から本庁へ"}});
  ASSERT_EQ(asked.result_int(), 200u) << asked.body();
  const std::string id = std::string(body_of(asked).at("request").as_string());
  EXPECT_EQ(body_of(asked).at("state").as_string(), "pending");
  const auto twice =
      post("/api/me/handover", leaving_cookie, {{"successor", nullptr}, {"date", date}});
  EXPECT_EQ(twice.result_int(), 409u) << twice.body();

  const auto mine = body_of(get("/api/me/handover", leaving_cookie));
  EXPECT_EQ(mine.at("request").as_string(), id);
  EXPECT_EQ(mine.at("successor").at("name").as_string(), "鈴木 一郎");
  EXPECT_EQ(mine.at("councils").as_array().size(), 2u);
  EXPECT_TRUE(json::parse(get("/api/me/handover", successor_cookie).body()).is_null());

  const auto listed = body_of(get("/api/console/handovers", secretariat));
  ASSERT_EQ(listed.at("requests").as_array().size(), 1u);
  EXPECT_EQ(listed.at("requests").as_array()[0].at("note").as_string(), "4月から本庁へ");

  const auto confirmed = post("/api/console/handovers/" + id + "/confirm", secretariat);
  ASSERT_EQ(confirmed.result_int(), 200u) << confirmed.body();
  EXPECT_EQ(body_of(confirmed).at("effective_at").as_string(), start_of(date));
  EXPECT_EQ(body_of(confirmed).at("seats").as_array().size(), 2u);
  EXPECT_EQ(post("/api/console/handovers/" + id + "/confirm", secretariat).result_int(), 409u);
  EXPECT_EQ(post("/api/console/handovers/" + id + "/reject", secretariat).result_int(), 409u);
  EXPECT_EQ(body_of(get("/api/me/handover", leaving_cookie)).at("state").as_string(), "confirmed");

  // The successor asks to leave without a successor; rejected.
  const auto again =
      post("/api/me/handover", successor_cookie, {{"successor", nullptr}, {"date", jst_date(0)}});
  ASSERT_EQ(again.result_int(), 200u) << again.body();
  const std::string second = std::string(body_of(again).at("request").as_string());
  const auto rejected = post("/api/console/handovers/" + second + "/reject", secretariat);
  ASSERT_EQ(rejected.result_int(), 200u) << rejected.body();
  EXPECT_EQ(body_of(get("/api/me/handover", successor_cookie)).at("state").as_string(), "rejected");
  EXPECT_EQ(post("/api/console/handovers/h99/confirm", secretariat).result_int(), 404u);

  // Refusals of a request.
  const auto [stranger, stranger_cookie] = signed_in(other_town);
  auto refused =
      post("/api/me/handover", successor_cookie, {{"successor", stranger}, {"date", jst_date(0)}});
  EXPECT_EQ(refused.result_int(), 400u);
  EXPECT_NE(refused.body().find("後任は同じ機関の方を指定してください"), std::string::npos)
      << refused.body();
  refused = post("/api/me/handover", successor_cookie, {{"successor", nullptr}, {"date", "4/1"}});
  EXPECT_EQ(refused.result_int(), 400u);
  EXPECT_EQ(code_of(refused), "bad_request");
  refused =
      post("/api/me/handover", stranger_cookie, {{"successor", nullptr}, {"date", jst_date(0)}});
  EXPECT_EQ(refused.result_int(), 409u) << "no seat to hand over: " << refused.body();
}

TEST_F(HandoverTest, VacanciesAreFilledOrDismissed) {
  const auto response = hand_over(leaving, nullptr, jst_date(0));
  ASSERT_EQ(response.result_int(), 200u) << response.body();
  EXPECT_TRUE(body_of(response).at("seats").as_array()[0].at("to").is_null());
  auto vacancies = json::parse(get("/api/console/vacancies", secretariat).body()).as_array();
  ASSERT_EQ(vacancies.size(), 2u);
  EXPECT_EQ(vacancies[0].at("participant").as_string(), seat1);
  EXPECT_EQ(vacancies[0].at("council").at("id").as_string(), c1.council);
  EXPECT_EQ(vacancies[0].at("org").at("name").as_string(), "北広島町");
  EXPECT_EQ(vacancies[0].at("role").as_string(), "member");
  EXPECT_EQ(vacancies[0].at("last_holder").at("name").as_string(), "佐藤 花子");

  const auto [stranger, stranger_cookie] = signed_in(other_town);
  auto refused =
      post("/api/console/vacancies/" + seat1 + "/fill", secretariat, {{"person", stranger}});
  EXPECT_EQ(refused.result_int(), 400u) << refused.body();
  EXPECT_NE(refused.body().find("後任は同じ機関の方を指定してください"), std::string::npos);
  refused = post("/api/console/vacancies/" + seat1 + "/fill", secretariat, {{"person", "u999"}});
  EXPECT_EQ(refused.result_int(), 400u) << refused.body();
  const auto filled =
      post("/api/console/vacancies/" + seat1 + "/fill", secretariat, {{"person", successor}});
  ASSERT_EQ(filled.result_int(), 200u) << filled.body();
  EXPECT_EQ(post("/api/console/vacancies/" + seat1 + "/fill", secretariat, {{"person", successor}})
                .result_int(),
            409u);
  {
    auto [socket, reply] = hello(successor_cookie, c1.council);
    EXPECT_EQ(reply.type(), "welcome") << reply.text;
  }
  const auto holders = body_of(get("/api/councils/" + c1.council + "/holders", successor_cookie));
  bool vacant_line = false;
  for (const auto& line : holders.at("seats").as_array())
    if (line.at("holders").as_array().size() == 2) vacant_line = line.at("vacant").as_bool();
  EXPECT_FALSE(vacant_line);

  const auto dismissed = post("/api/console/vacancies/" + seat2 + "/dismiss", secretariat);
  ASSERT_EQ(dismissed.result_int(), 200u) << dismissed.body();
  EXPECT_EQ(post("/api/console/vacancies/" + seat2 + "/dismiss", secretariat).result_int(), 409u);
  EXPECT_TRUE(json::parse(get("/api/console/vacancies", secretariat).body()).as_array().empty());

  // Deactivating a person leaves their seats vacant.
  const auto deactivated = post("/api/console/people/" + successor + "/deactivate", secretariat);
  ASSERT_EQ(deactivated.result_int(), 200u) << deactivated.body();
  vacancies = json::parse(get("/api/console/vacancies", secretariat).body()).as_array();
  ASSERT_EQ(vacancies.size(), 1u);
  EXPECT_EQ(vacancies[0].at("last_holder").at("person").as_string(), successor);
}

TEST_F(HandoverTest, TheConsoleRefusesBadHandovers) {
  const auto [stranger, stranger_cookie] = signed_in(other_town);
  auto r = hand_over(leaving, json::string(stranger), jst_date(0));
  EXPECT_EQ(r.result_int(), 400u);
  EXPECT_NE(r.body().find("後任は同じ機関の方を指定してください"), std::string::npos);
  r = hand_over(leaving, json::string(leaving), jst_date(0));
  EXPECT_EQ(r.result_int(), 400u) << r.body();
  r = hand_over(leaving, json::string(successor), "2027-02-30");
  EXPECT_EQ(r.result_int(), 400u) << r.body();
  r = post("/api/console/people/" + leaving + "/handover", secretariat, {{"date", jst_date(0)}});
  EXPECT_EQ(r.result_int(), 400u) << "successor is required (null for none): " << r.body();
  r = hand_over("u999", nullptr, jst_date(0));
  EXPECT_EQ(r.result_int(), 404u) << r.body();
  r = hand_over(successor, nullptr, jst_date(0));
  EXPECT_EQ(r.result_int(), 409u) << "no open seat: " << r.body();
  add_seat(c2.council, successor);
  r = hand_over(leaving, json::string(successor), jst_date(0));
  EXPECT_EQ(r.result_int(), 409u) << "already seated: " << r.body();
  EXPECT_EQ(code_of(r), "conflict");
  const auto [gone, gone_cookie] = signed_in(town);
  post("/api/console/people/" + gone + "/deactivate", secretariat);
  r = hand_over(leaving, json::string(gone), jst_date(0));
  EXPECT_EQ(r.result_int(), 400u) << r.body();
  // Nothing changed: the seats are still the person's.
  auto [socket, reply] = hello(leaving_cookie, c1.council);
  EXPECT_EQ(reply.type(), "welcome") << reply.text;
}

}  // namespace
}  // namespace renkei::it
