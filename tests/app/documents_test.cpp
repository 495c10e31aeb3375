// The council documents through the Application, against a real SQLite
// file: authorisation and audit of every new endpoint (changes, comparison,
// search, minutes, exports, confidentiality, check-text), attendance and
// the confidentiality acknowledgement, Japanese search, and the search
// index written with the events matching the one a migration backfills.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <mutex>

#include "app/admin.hpp"
#include "app/application.hpp"
#include "app/council_loader.hpp"
#include "domain/search_text.hpp"
#include "store/database.hpp"
#include "store/search_index.hpp"
#include "test_support.hpp"

namespace renkei::app {
namespace {

using testing::FixedClock;
using testing::ManualExecutors;
using testing::RecordingConnection;
using testing::TempDir;

class DocumentsTest : public ::testing::Test {
 protected:
  DocumentsTest() {
    {
      store::Database db(path_);
      const std::string now = clock_.now();
      yamada_ = create_council(db, "北広島圏域 地域共生ケア会議", domain::CouncilKind::council,
                               "山田", "広島県北部保健所", now);
      sato_ = invite(db, yamada_.council, "佐藤", "北広島町", domain::Role::member, now);
      nakamura_ = invite(db, yamada_.council, "中村", "広島県", domain::Role::observer, now);
      tanaka_ = invite(db, yamada_.council, "田中", "安芸高田市", domain::Role::member, now);
      // A one-on-one consultation: only its two parties.
      health_ = create_council(db, "北部保健所・安芸太田町 一対一協議",
                               domain::CouncilKind::one_on_one, "山田", "広島県北部保健所", now);
      ito_ = invite(db, health_.council, "伊藤", "安芸太田町", domain::Role::member, now);
    }
    ApplicationSettings settings;
    settings.db_path = path_;
    settings.agenda_dir = std::string(RENKEI_SOURCE_DIR) + "/agendas";
    app_ = std::make_unique<Application>(settings, executors_, clock_);
  }

  static HelloRequest token(const Invitation& who, const std::string& council) {
    HelloRequest request;
    request.token = who.token;
    request.council = council;
    return request;
  }
  HelloRequest own(const Invitation& who) { return token(who, who.council); }

  // Runs an Application call and waits for its reply.
  HttpReply call(const std::function<void(std::function<void(HttpReply)>)>& start) {
    auto state = std::make_shared<std::pair<std::mutex, std::optional<HttpReply>>>();
    auto wake = executors_.make_strand();
    start([state, wake](HttpReply reply) {
      {
        std::lock_guard lock(state->first);
        state->second = std::move(reply);
      }
      wake->post([] {});
    });
    EXPECT_TRUE(executors_.run_until([&] {
      std::lock_guard lock(state->first);
      return state->second.has_value();
    }));
    std::lock_guard lock(state->first);
    return state->second.value_or(HttpReply{0, "", ""});
  }

  // Connects `who` to its council's room.
  std::shared_ptr<Room> join(const Invitation& who, std::uint64_t connection_id) {
    auto connection = std::make_shared<RecordingConnection>(connection_id);
    connections_.push_back(connection);
    std::shared_ptr<Room> room;
    app_->hello(connection, own(who), [&](HelloOutcome outcome) {
      if (auto* joined = std::get_if<Joined>(&outcome)) room = joined->room;
    });
    EXPECT_TRUE(executors_.run_until([&] { return room != nullptr; }));
    return room;
  }

  // Submits a command as `who` and waits for its ack.
  void command(const std::shared_ptr<Room>& room, const Invitation& who, domain::Command command) {
    auto connection = std::make_shared<RecordingConnection>(9000 + ++commands_);
    const std::string id = "k" + std::to_string(commands_);
    room->submit(connection, domain::Actor{who.participant, who.name, who.org, who.role}, id,
                 std::move(command));
    EXPECT_TRUE(executors_.run_until([&] {
      return connection->count_containing("\"type\":\"ack\"") +
                 connection->count_containing("\"type\":\"error\"") >
             0;
    }));
    const auto frames = connection->frames();
    EXPECT_NE(frames.back().find("\"type\":\"ack\""), std::string::npos) << frames.back();
  }

  // The record, once `predicate` holds for it (rows written by the writer
  // thread arrive with its next commit).
  std::string record_when(const Invitation& who,
                          const std::function<bool(const std::string&)>& ok) {
    std::string body;
    for (int attempt = 0; attempt < 100; ++attempt) {
      const HttpReply reply = call([&](auto done) { app_->documents().record(own(who), done); });
      body = reply.body;
      if (reply.status != 200) ADD_FAILURE() << reply.status << " " << reply.body;
      if (ok(body)) return body;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return body;
  }

  std::vector<store::AuditRow> audit(const std::string& council) {
    store::Database db(path_);
    return db.read_audit(council, 1000);
  }

  TempDir dir_;
  std::string path_ = dir_.file("renkei.db");
  FixedClock clock_;
  ManualExecutors executors_;
  Invitation yamada_, sato_, nakamura_, tanaka_, health_, ito_;
  std::unique_ptr<Application> app_;
  std::vector<std::shared_ptr<RecordingConnection>> connections_;
  int commands_ = 0;
};

// Every document endpoint, as (name, call for the given credentials).
std::vector<std::pair<
    std::string, std::function<void(Application&, HelloRequest, std::function<void(HttpReply)>)>>>
endpoints() {
  return {
      {"record", [](Application& a, HelloRequest c, auto d) { a.documents().record(c, d); }},
      {"changes",
       [](Application& a, HelloRequest c, auto d) { a.documents().changes(c, std::nullopt, d); }},
      {"comparison",
       [](Application& a, HelloRequest c, auto d) { a.documents().comparison(c, d); }},
      {"search",
       [](Application& a, HelloRequest c, auto d) { a.documents().search(c, "退院", d); }},
      {"roles.csv", [](Application& a, HelloRequest c,
                       auto d) { a.documents().export_file(c, ExportKind::roles_csv, d); }},
      {"issues.csv", [](Application& a, HelloRequest c,
                        auto d) { a.documents().export_file(c, ExportKind::issues_csv, d); }},
      {"roles.ics", [](Application& a, HelloRequest c,
                       auto d) { a.documents().export_file(c, ExportKind::roles_ics, d); }},
      {"minutes.md",
       [](Application& a, HelloRequest c, auto d) {
         a.documents().minutes(c, c.council + "-m1", MinutesFormat::markdown, d);
       }},
      {"minutes.html",
       [](Application& a, HelloRequest c, auto d) {
         a.documents().minutes(c, c.council + "-m1", MinutesFormat::html, d);
       }},
      {"confidentiality",
       [](Application& a, HelloRequest c, auto d) {
         a.documents().acknowledge_confidentiality(c, c.council + "-m1", d);
       }},
  };
}

TEST_F(DocumentsTest, EveryEndpointFollowsTheRecordsRules) {
  // One closed meeting in each council, so that every endpoint can answer 200.
  auto council = join(yamada_, 1);
  command(council, yamada_,
          domain::MeetingStart{"第1回", std::nullopt, {}, domain::SessionType::closed});
  auto consultation = join(health_, 2);
  command(consultation, health_,
          domain::MeetingStart{"一対一", std::nullopt, {}, domain::SessionType::closed});

  for (const auto& endpoint : endpoints()) {
    SCOPED_TRACE(endpoint.first);
    const auto& run = endpoint.second;
    HelloRequest nobody;
    nobody.council = yamada_.council;
    nobody.token = "not-a-token";
    EXPECT_EQ(call([&](auto done) { run(*app_, nobody, done); }).status, 401);
    // A token of the one-on-one for the council, and the other way round.
    EXPECT_EQ(call([&](auto done) { run(*app_, token(ito_, yamada_.council), done); }).status, 403);
    EXPECT_EQ(call([&](auto done) { run(*app_, token(sato_, health_.council), done); }).status,
              403);
    // Its own parties (observers included) read it.
    EXPECT_EQ(call([&](auto done) { run(*app_, own(nakamura_), done); }).status, 200);
    EXPECT_EQ(call([&](auto done) { run(*app_, own(ito_), done); }).status, 200);
  }

  // Every read is audited, refusals too, and never with text or tokens.
  app_->stop();  // commits the queued audit rows
  const auto rows = audit(yamada_.council);
  std::map<std::string, int> ok;
  std::map<std::string, int> refused;
  for (const auto& row : rows) {
    const std::string key = row.action + (row.op ? "/" + *row.op : "");
    (row.outcome == "ok" ? ok : refused)[key]++;
    for (const std::string& field : {row.action, row.op.value_or(""), row.outcome}) {
      EXPECT_EQ(field.find("退院"), std::string::npos);
      EXPECT_EQ(field.find(sato_.token), std::string::npos);
    }
  }
  for (const char* key :
       {"read.changes", "read.comparison", "read.search", "read.export/roles.csv",
        "read.export/issues.csv", "read.export/roles.ics", "read.export/minutes.md",
        "read.export/minutes.html", "confidentiality.ack"}) {
    EXPECT_EQ(ok[key], 1) << key;
    EXPECT_EQ(refused[key], 2) << key << ": 401, and 403 for another council's token";
  }
}

TEST_F(DocumentsTest, ClientTextNamingNoCouncilIsNotAudited) {
  const std::string canary = "内密の相談・北広島町";
  EXPECT_EQ(
      call([&](auto done) { app_->documents().search(token(sato_, canary), "退院", done); }).status,
      403);
  HelloRequest nobody;
  nobody.council = canary;
  nobody.token = "nope";
  EXPECT_EQ(call([&](auto done) { app_->documents().comparison(nobody, done); }).status, 401);
  app_->stop();
  EXPECT_TRUE(audit(canary).empty());
  std::size_t refusals = 0;
  for (const auto& row : audit(yamada_.council)) refusals += row.outcome != "ok";
  EXPECT_EQ(refusals, 0u);
}

TEST_F(DocumentsTest, RequestsWithoutAnyCredentialsAreRefusedAndAudited) {
  HelloRequest bare;
  bare.council = yamada_.council;
  EXPECT_EQ(call([&](auto done) { app_->documents().record(bare, done); }).status, 401);
  EXPECT_EQ(call([&](auto done) {
              app_->documents().minutes(bare, "c1-m1", MinutesFormat::markdown, done);
            }).status,
            401);
  app_->stop();
  std::vector<std::string> seen;
  for (const auto& row : audit(yamada_.council))
    seen.push_back(row.action + "/" + row.op.value_or("-") + "/" + row.participant.value_or("-") +
                   "/" + row.outcome);
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen,
            (std::vector<std::string>{"read.export/minutes.md/-/401", "read.record/-/-/401"}));
}

TEST_F(DocumentsTest, WithoutCredentialsTheCheckTextIsRefused) {
  HelloRequest nobody;
  nobody.token = "nope";
  EXPECT_EQ(call([&](auto done) {
              app_->documents().check_text(nobody, R"({"text":"x"})", done);
            }).status,
            401);
  // Any participant may check a text, whatever the council named.
  const HttpReply reply = call([&](auto done) {
    app_->documents().check_text(token(ito_, "c999"),
                                 R"({"text":"山田太郎さん（82歳）、090-1234-5678"})", done);
  });
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, R"({"findings":[{"kind":"name_with_age","text":"山田太郎さん（82歳）"},)"
                        R"({"kind":"phone","text":"090-1234-5678"}]})");
  EXPECT_EQ(call([&](auto done) {
              app_->documents().check_text(own(ito_), R"({"text":5})", done);
            }).status,
            400);
  bool audited = false;
  app_->stop();  // commits the queued audit rows
  for (const auto& row : audit(health_.council))
    if (row.action == "check.text" && row.outcome == "ok") audited = true;
  EXPECT_TRUE(audited);
}

TEST_F(DocumentsTest, AttendanceAndConfidentialityOfAClosedSession) {
  auto room = join(yamada_, 1);  // connected before the meeting
  const std::string meeting = yamada_.council + "-m1";
  command(room, yamada_,
          domain::MeetingStart{"第1回", std::nullopt, {}, domain::SessionType::closed});
  join(sato_, 2);  // joins while it is live
  const std::string record = record_when(yamada_, [](const std::string& body) {
    return body.find(
               "\"participant\":\"p2\",\"name\":\"佐藤\",\"org\":\"北広島町\",\"role\":"
               "\"member\",\"first_seen_at\"") != std::string::npos;
  });
  EXPECT_NE(record.find("\"session\":\"closed\",\"attendance\":[{\"participant\":\"p1\""),
            std::string::npos)
      << record;
  EXPECT_EQ(record.find("\"participant\":\"p3\",\"name\":\"中村\",\"org\":\"広島県\",\"role\":"
                        "\"observer\",\"first_seen_at\""),
            std::string::npos)
      << "the observer has not connected";

  // The acknowledgement is recorded once; repeating it answers the same time.
  const HttpReply first = call(
      [&](auto done) { app_->documents().acknowledge_confidentiality(own(sato_), meeting, done); });
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, R"({"meeting":"c1-m1","participant":"p2","confidentiality_ack_at":")" +
                            clock_.now() + "\"}");
  clock_.advance(std::chrono::seconds(30));
  EXPECT_EQ(call([&](auto done) {
              app_->documents().acknowledge_confidentiality(own(sato_), meeting, done);
            }).body,
            first.body);
  EXPECT_EQ(call([&](auto done) {
              app_->documents().acknowledge_confidentiality(own(sato_), "c1-m9", done);
            }).status,
            404);
  const std::string ack =
      "\"confidentiality_ack_at\":\"" + clock_.before(std::chrono::seconds(30)) + "\"";
  const std::string acked = record_when(
      yamada_, [&](const std::string& body) { return body.find(ack) != std::string::npos; });
  EXPECT_NE(acked.find(ack), std::string::npos) << acked;

  command(room, yamada_, domain::MeetingEnd{});
  // Too late for someone who never acknowledged.
  EXPECT_EQ(call([&](auto done) {
              app_->documents().acknowledge_confidentiality(own(tanaka_), meeting, done);
            }).status,
            409);
  // An open session asks for no acknowledgement.
  command(room, yamada_, domain::MeetingStart{"第2回", std::nullopt, {}});
  EXPECT_EQ(call([&](auto done) {
              app_->documents().acknowledge_confidentiality(own(sato_), "c1-m2", done);
            }).status,
            409);
}

TEST_F(DocumentsTest, SearchInJapanese) {
  auto room = join(yamada_, 1);
  command(room, sato_,
          domain::IssuePost{"退院調整ルールの運用に差がある", std::string("退院調整")});
  command(room, tanaka_, domain::IssuePost{"夜間の訪問看護が足りない", std::nullopt});
  command(room, sato_, domain::IssuePost{"達成率100%_目標", std::nullopt});
  command(room, yamada_,
          domain::ProposalOpen{domain::ProposalKind::vision, "住み慣れた地域で暮らし続ける"});
  command(room, sato_,
          domain::ProposalStance{"c1-pr1", domain::Stance::block, std::string("町の予算が未定")});
  command(room, yamada_, domain::ThemeSetStage{"退院調整", 3, "カンファレンスで役割に合意した"});

  const auto search = [&](std::optional<std::string> q) {
    return call([&](auto done) { app_->documents().search(own(sato_), q, done); });
  };
  const auto ids = [&](std::optional<std::string> q) {
    const HttpReply reply = search(q);
    EXPECT_EQ(reply.status, 200) << reply.body;
    std::vector<std::string> found;
    for (std::size_t at = 0; (at = reply.body.find("\"kind\":\"", at)) != std::string::npos;) {
      const std::size_t id = reply.body.find("\"id\":\"", at) + 6;
      found.push_back(reply.body.substr(at + 8, reply.body.find('"', at + 8) - at - 8) + ":" +
                      reply.body.substr(id, reply.body.find('"', id) - id));
      at = id;
    }
    return found;
  };
  using Ids = std::vector<std::string>;
  EXPECT_EQ(ids("夜"), Ids{"issue:c1-i2"});          // one character
  EXPECT_EQ(ids("予算"), Ids{"stance:c1-pr1"});      // two characters
  EXPECT_EQ(ids("訪問看護"), Ids{"issue:c1-i2"});    // trigram index
  EXPECT_EQ(ids("暮らし"), Ids{"proposal:c1-pr1"});  // kana and kanji
  EXPECT_EQ(ids("ルールの"), Ids{"issue:c1-i1"});
  EXPECT_EQ(ids("カンファレンス"), Ids{"stage:退院調整"});
  EXPECT_EQ(ids("退院 運用"), Ids{"issue:c1-i1"});  // every term, short ones by LIKE
  EXPECT_EQ(ids("存在しない言葉"), Ids{});
  EXPECT_EQ(ids("%"), Ids{"issue:c1-i3"}) << "% is a character, not a wildcard";
  EXPECT_EQ(ids("_"), Ids{"issue:c1-i3"});
  EXPECT_EQ(ids("%_"), Ids{"issue:c1-i3"});
  EXPECT_EQ(ids("0%_目"), Ids{"issue:c1-i3"});
  EXPECT_EQ(ids("\"退院"), Ids{}) << "quotes cannot change the FTS5 query";
  EXPECT_EQ(ids("退院 OR 夜間"), Ids{}) << "OR is a term, not an operator";

  // Newest first, with where it happened.
  EXPECT_EQ(ids("る"), (Ids{"proposal:c1-pr1", "issue:c1-i1"}));
  const HttpReply hits = search("る");
  EXPECT_NE(hits.body.find("\"seq\":1,\"meeting\":null"), std::string::npos) << hits.body;

  EXPECT_EQ(search(std::nullopt).status, 400);
  EXPECT_EQ(search("").status, 400);
  EXPECT_EQ(search("　 ").status, 400);
  EXPECT_EQ(search(std::string("\xff")).status, 400);
  std::string hundred;
  for (int i = 0; i < 100; ++i) hundred += "退";
  EXPECT_EQ(search(hundred).status, 200);
  EXPECT_EQ(search(hundred + "退").status, 400);
}

TEST_F(DocumentsTest, MinutesAndExportsAreDownloads) {
  auto room = join(yamada_, 1);
  command(room, yamada_,
          domain::MeetingStart{"第1回 会議", std::string("community-care-council"), {}});
  command(room, sato_,
          domain::RolePropose{"周知", "北広島町", std::string("2026-12-01"), std::nullopt,
                              std::nullopt});
  command(room, yamada_, domain::MeetingEnd{});
  const HttpReply md = call([&](auto done) {
    app_->documents().minutes(own(sato_), "c1-m1", MinutesFormat::markdown, done);
  });
  EXPECT_EQ(md.status, 200);
  EXPECT_EQ(md.content_type, "text/markdown; charset=utf-8");
  ASSERT_EQ(md.headers.size(), 1u);
  EXPECT_EQ(md.headers[0].first, "Content-Disposition");
  EXPECT_EQ(md.headers[0].second.rfind("attachment; filename=\"minutes-c1-m1.md\"; ", 0), 0u);
  EXPECT_NE(md.body.find("# 第1回 会議 議事録"), std::string::npos);
  EXPECT_NE(md.body.find("- 役割の提案: 「周知」（担当: 北広島町、期限: 2026-12-01）"),
            std::string::npos);
  const HttpReply html = call([&](auto done) {
    app_->documents().minutes(own(sato_), "c1-m1", MinutesFormat::html, done);
  });
  EXPECT_EQ(html.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(html.headers[0].second.substr(0, 7), "inline;");
  EXPECT_EQ(call([&](auto done) {
              app_->documents().minutes(own(sato_), "c1-m2", MinutesFormat::html, done);
            }).status,
            404);
  const HttpReply csv = call(
      [&](auto done) { app_->documents().export_file(own(sato_), ExportKind::roles_csv, done); });
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body.substr(0, 3), "\xEF\xBB\xBF");
  const HttpReply ics = call(
      [&](auto done) { app_->documents().export_file(own(sato_), ExportKind::roles_ics, done); });
  EXPECT_EQ(ics.content_type, "text/calendar; charset=utf-8");
  EXPECT_NE(ics.body.find("UID:c1-ro1@renkei"), std::string::npos);
  const HttpReply changes =
      call([&](auto done) { app_->documents().changes(own(sato_), "c1-m1", done); });
  EXPECT_NE(changes.body.find("\"since\":{\"meeting\":\"c1-m1\""), std::string::npos);
  EXPECT_EQ(call([&](auto done) { app_->documents().changes(own(sato_), "c1-m7", done); }).status,
            404);
}

// The search index is built from the log by an extraction in SQL
// (store/searchable_sql.hpp), which also matches the newest events: its
// rows must be the texts domain::searchable_texts names for the same events,
// for every op that has texts.
TEST_F(DocumentsTest, SearchIndexHoldsTheDomainsSearchableTextsOfEveryEvent) {
  auto room = join(yamada_, 1);
  command(room, yamada_,
          domain::MeetingStart{"第1回", std::nullopt, {}, domain::SessionType::closed});
  command(room, sato_, domain::IssuePost{"退院調整", std::string("退院")});
  command(room, yamada_, domain::ProposalOpen{domain::ProposalKind::direction, "方針"});
  command(room, sato_,
          domain::ProposalStance{"c1-pr1", domain::Stance::agree, std::string("賛成")});
  command(room, tanaka_, domain::ProposalStance{"c1-pr1", domain::Stance::abstain, std::nullopt});
  command(room, sato_,
          domain::RolePropose{"周知", "北広島町", std::nullopt, std::string("詳細\n二行目"),
                              std::nullopt, std::string("c1-i1")});
  command(room, sato_, domain::RoleConsent{"c1-ro1", true, std::string("了承")});
  command(room, sato_,
          domain::RoleStatusUpdate{"c1-ro1", domain::RoleStatus::done, std::string("済")});
  command(room, yamada_,
          domain::IndicatorDefine{"引継ぎ率", domain::IndicatorKind::process, "%", std::nullopt,
                                  std::nullopt});
  command(room, yamada_, domain::ThemeSetStage{"退院", 2, "共有"});
  command(room, yamada_, domain::MeetingEnd{});
  app_->stop();

  const auto rows_of = [](const std::string& path) {
    sqlite3* raw = nullptr;
    EXPECT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(raw,
                       "SELECT council || '|' || seq || '|' || kind || '|' || ref || '|' || "
                       "coalesce(meeting, '-') || '|' || at || '|' || text FROM search_text "
                       "ORDER BY council, seq, id",
                       -1, &stmt, nullptr);
    std::vector<std::string> rows;
    while (sqlite3_step(stmt) == SQLITE_ROW)
      rows.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);
    sqlite3_close(raw);
    return rows;
  };
  {
    store::SearchIndexWriter index(path_);
    EXPECT_TRUE(index.index(index.log_heads(), 1000).empty());
  }
  const auto indexed = rows_of(store::search_index_path(path_));
  EXPECT_EQ(indexed.size(), 9u);

  std::vector<std::string> expected;
  store::Database db(path_);
  for (const store::EventRow& row : db.read_events("c1", 0, 1000)) {
    for (const domain::SearchText& text : domain::searchable_texts(to_event(row).data)) {
      expected.push_back(row.council + "|" + std::to_string(row.seq) + "|" + text.kind + "|" +
                         text.ref + "|" + row.meeting.value_or("-") + "|" + row.at + "|" +
                         text.text);
    }
  }
  EXPECT_EQ(indexed, expected);
}

}  // namespace
}  // namespace renkei::app
