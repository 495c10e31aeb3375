// Golden files: a fixed event log (tests/golden/fixture: a 地域共生ケア会議
// with its issues, ranking, vision, roles, indicators and a stage change; a
// one-on-one; then a review meeting) folded into the record and the
// documents, compared byte for byte with tests/golden/<council>/. The
// expected files were read and checked by hand; when a change of format is
// intended, run the suite with RENKEI_UPDATE_GOLDEN=1 to rewrite them and
// read the diff before committing it.
//
// Each document is made three ways: from the fixture's events as they are,
// and from the same events written to the log and read back, on SQLite and
// on PostgreSQL (a private cluster): the documents must be the same bytes
// whichever engine kept the log.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "domain/changes.hpp"
#include "domain/comparison.hpp"
#include "domain/fold.hpp"
#include "domain/glossary_terms.hpp"
#include "domain/minutes.hpp"
#include "pg_cluster.hpp"
#include "protocol/event_codec.hpp"
#include "protocol/exports.hpp"
#include "protocol/minutes_render.hpp"
#include "protocol/record_codec.hpp"
#include "protocol/report_codec.hpp"
#include "store/database.hpp"

namespace renkei::protocol {
namespace {

namespace json = boost::json;
using namespace renkei::domain;

const std::filesystem::path golden_dir = std::filesystem::path(RENKEI_SOURCE_DIR) / "tests/golden";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string text(const json::value& v) { return std::string(v.as_string()); }

std::optional<std::string> optional_text(const json::value& v) {
  if (v.is_null()) return std::nullopt;
  return text(v);
}

// One council of the fixture: identity, participants, attendance, its log.
struct Fixture {
  CouncilState empty;
  std::string today;
  std::vector<RosterEntry> roster;
  std::vector<Attendance> attendance;
  std::vector<Event> events;

  std::vector<Actor> active() const {
    std::vector<Actor> actors;
    for (const RosterEntry& e : roster)
      if (e.active) actors.push_back(e.actor);
    return actors;
  }
  std::vector<Actor> everyone() const {
    std::vector<Actor> actors;
    for (const RosterEntry& e : roster) actors.push_back(e.actor);
    return actors;
  }
  // The state after every event with seq <= upto.
  CouncilState fold(std::uint64_t upto = UINT64_MAX) const {
    CouncilState state = empty;
    for (const Event& e : events)
      if (e.seq <= upto) apply(state, e);
    return state;
  }
};

// Where the fixture's events come from.
enum class Source { fixture, sqlite, postgresql };

std::string source_name(const ::testing::TestParamInfo<Source>& info) {
  switch (info.param) {
    case Source::fixture: return "Fixture";
    case Source::sqlite: return "SqliteLog";
    case Source::postgresql: return "PostgresqlLog";
  }
  return "Unknown";
}

// The events written to a log of `source` and read back from it, decoded
// as the server decodes its log.
std::vector<Event> through_log(Source source, const std::string& council,
                               const std::vector<Event>& events,
                               const std::vector<std::string>& data) {
  std::string where;
  std::filesystem::path dir;
  if (source == Source::postgresql) {
    where = renkei::testing::PgCluster::shared().fresh_database();
  } else {
    dir = std::filesystem::temp_directory_path() /
          ("renkei-golden-" + std::to_string(::getpid()) + "-" + council);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    where = (dir / "log.db").string();
  }
  std::vector<Event> out;
  {
    store::Database log(where);
    std::vector<store::EventRow> rows;
    for (std::size_t i = 0; i < events.size(); ++i) {
      const Event& e = events[i];
      store::EventRow row;
      row.council = council;
      row.seq = e.seq;
      row.op = std::string(op_name(e.data));
      row.at = e.at;
      row.participant = e.by.participant;
      row.by_name = e.by.name;
      row.by_org = e.by.org;
      row.by_role = e.by.role;
      row.meeting = e.meeting;
      row.data = data[i];
      row.frame = "{}";
      rows.push_back(std::move(row));
    }
    std::vector<const store::EventRow*> pointers;
    for (const auto& row : rows) pointers.push_back(&row);
    log.append_events(pointers);
    for (const store::EventRow& row : log.read_events(council, 0, 100000)) {
      Event e;
      e.seq = row.seq;
      e.at = row.at;
      e.by = Actor{row.participant, row.by_name, row.by_org, row.by_role};
      e.meeting = row.meeting;
      auto decoded = decode_event_data(row.op, row.data);
      EXPECT_TRUE(std::holds_alternative<EventData>(decoded)) << row.data;
      if (auto* d = std::get_if<EventData>(&decoded)) e.data = *d;
      out.push_back(std::move(e));
    }
  }
  if (!dir.empty()) std::filesystem::remove_all(dir);
  return out;
}

Fixture load(const std::string& council, Source source = Source::fixture) {
  Fixture f;
  const json::value info =
      json::parse(read_file(golden_dir / "fixture" / (council + ".council.json")));
  f.empty.council = text(info.at("council"));
  f.empty.name = text(info.at("name"));
  f.empty.kind = *council_kind_from_string(text(info.at("kind")));
  f.today = text(info.at("today"));
  for (const json::value& p : info.at("participants").as_array())
    f.roster.push_back(RosterEntry{Actor{text(p.at("participant")), text(p.at("name")),
                                         text(p.at("org")), *role_from_string(text(p.at("role")))},
                                   p.at("active").as_bool()});
  for (const json::value& a : info.at("attendance").as_array())
    f.attendance.push_back(Attendance{text(a.at("meeting")), text(a.at("participant")),
                                      text(a.at("first_seen_at")), text(a.at("last_seen_at")),
                                      optional_text(a.at("confidentiality_ack_at"))});

  std::istringstream lines(read_file(golden_dir / "fixture" / (council + ".events.jsonl")));
  std::string line;
  std::vector<std::string> data_texts;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    const json::value row = json::parse(line);
    Event e;
    e.seq = row.at("seq").to_number<std::uint64_t>();
    e.at = text(row.at("at"));
    const json::value& by = row.at("by");
    e.by = Actor{text(by.at("participant")), text(by.at("name")), text(by.at("org")),
                 *role_from_string(text(by.at("role")))};
    e.meeting = optional_text(row.at("meeting"));
    // The data member comes last; it is decoded from its own text, as the
    // log's data column is.
    const std::size_t at = line.find("\"data\":");
    const std::string data_text = line.substr(at + 7, line.size() - at - 8);
    data_texts.push_back(data_text);
    auto data = decode_event_data(text(row.at("op")), data_text);
    EXPECT_TRUE(std::holds_alternative<EventData>(data)) << line;
    if (auto* d = std::get_if<EventData>(&data)) e.data = *d;
    f.events.push_back(std::move(e));
  }
  if (source != Source::fixture) {
    auto read_back = through_log(source, council, f.events, data_texts);
    EXPECT_EQ(read_back.size(), f.events.size());
    f.events = std::move(read_back);
  }
  return f;
}

// JSON laid out one member per line, two spaces per level, every value
// spelled exactly as the encoder wrote it (the text is re-indented, not
// parsed and printed again).
std::string pretty_json(std::string_view compact) {
  std::string out;
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  const auto newline = [&] {
    out.push_back('\n');
    out.append(static_cast<std::size_t>(depth) * 2, ' ');
  };
  for (std::size_t i = 0; i < compact.size(); ++i) {
    const char c = compact[i];
    if (in_string) {
      out.push_back(c);
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        out.push_back(c);
        break;
      case '{':
      case '[':
        if (i + 1 < compact.size() && compact[i + 1] == (c == '{' ? '}' : ']')) {
          out.push_back(c);
          out.push_back(compact[++i]);
          break;
        }
        out.push_back(c);
        ++depth;
        newline();
        break;
      case '}':
      case ']':
        --depth;
        newline();
        out.push_back(c);
        break;
      case ',':
        out.push_back(c);
        newline();
        break;
      case ':': out += ": "; break;
      default: out.push_back(c);
    }
  }
  out.push_back('\n');
  return out;
}

// Compares `actual` with the golden file, or rewrites the file when
// RENKEI_UPDATE_GOLDEN is set.
void expect_golden(const std::string& name, const std::string& actual) {
  const std::filesystem::path path = golden_dir / name;
  if (std::getenv("RENKEI_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(path)) << path << " is missing";
  const std::string expected = read_file(path);
  EXPECT_EQ(actual, expected) << name << " differs from the golden file";
}

class Golden : public ::testing::TestWithParam<Source> {};

INSTANTIATE_TEST_SUITE_P(Engines, Golden,
                         ::testing::Values(Source::fixture, Source::sqlite, Source::postgresql),
                         source_name);

// The minutes of `meeting` built as the server does: the state folded up to
// the meeting's end and the meeting's events.
Minutes minutes_of(const Fixture& f, const std::string& meeting) {
  CouncilState state = f.empty;
  std::vector<Event> events;
  for (const Event& e : f.events) {
    apply(state, e);
    if (e.meeting != meeting) continue;
    events.push_back(e);
    if (std::holds_alternative<MeetingEnded>(e.data)) break;
  }
  auto minutes = build_minutes(state, meeting, events, f.attendance, f.roster);
  EXPECT_TRUE(minutes.has_value());
  return minutes.value_or(Minutes{});
}

TEST_P(Golden, CouncilRecord) {
  const Fixture f = load("c1", GetParam());
  RecordContext context{f.today, f.attendance, f.everyone()};
  expect_golden("c1/record.json", pretty_json(encode_record(f.fold(), f.active(), context)));
}

TEST_P(Golden, OneOnOneRecord) {
  const Fixture f = load("c2", GetParam());
  RecordContext context{f.today, f.attendance, f.everyone()};
  expect_golden("c2/record.json", pretty_json(encode_record(f.fold(), f.active(), context)));
}

TEST_P(Golden, Minutes) {
  const Fixture c1 = load("c1", GetParam());
  const Fixture c2 = load("c2", GetParam());
  for (const auto& [f, meeting] : {std::pair{&c1, "c1-m1"}, {&c1, "c1-m2"}, {&c2, "c2-m1"}}) {
    SCOPED_TRACE(meeting);
    const Minutes m = minutes_of(*f, meeting);
    const std::string base = f->empty.council + "/minutes-" + meeting;
    expect_golden(base + ".md", render_minutes_markdown(m));
    expect_golden(base + ".html", render_minutes_html(m));
  }
}

// The minutes people read use one word per concept (glossary.json) and show
// no internal id: every variant the glossary lists under "avoid", "null",
// "undefined", an entity id (c1-i3) and a "c1 seq" reference fail.
TEST(GoldenWords, MinutesUseTheGlossaryAndShowNoInternalIds) {
  const Fixture c1 = load("c1");
  const Fixture c2 = load("c2");
  ASSERT_FALSE(glossary::avoid.empty());
  const std::regex entity_id(R"(\bc\d+-[a-z]+\d+\b)");
  const std::regex seq_reference(R"(\bc\d+ seq\b)");
  for (const auto& [f, meeting] : {std::pair{&c1, "c1-m1"}, {&c1, "c1-m2"}, {&c2, "c2-m1"}}) {
    const Minutes m = minutes_of(*f, meeting);
    for (const std::string& document : {render_minutes_markdown(m), render_minutes_html(m)}) {
      SCOPED_TRACE(meeting);
      for (const std::string_view variant : glossary::avoid)
        EXPECT_EQ(document.find(variant), std::string::npos) << "avoid: " << variant;
      for (const char* word : {"null", "undefined"})
        EXPECT_EQ(document.find(word), std::string::npos) << word;
      std::smatch match;
      EXPECT_FALSE(std::regex_search(document, match, entity_id)) << match.str();
      EXPECT_FALSE(std::regex_search(document, match, seq_reference)) << match.str();
    }
  }
}

TEST_P(Golden, Exports) {
  const Fixture f = load("c1", GetParam());
  const CouncilState state = f.fold();
  expect_golden("c1/roles.csv", roles_csv(state));
  expect_golden("c1/issues.csv", issues_csv(state));
  expect_golden("c1/roles.ics", roles_ics(state));
}

TEST_P(Golden, ChangesBeforeTheReviewMeeting) {
  const Fixture f = load("c1", GetParam());
  // A week before the review meeting, which starts at seq 60.
  const CouncilState state = f.fold(59);
  const std::string today = "2027-02-09";
  Changes changes = changes_since(state, seq_after(*last_ended_meeting(state)), today);
  changes.since = last_ended_meeting(state);
  expect_golden("c1/changes-before-review.json",
                pretty_json(encode_changes(state, changes, today)));
}

TEST_P(Golden, Comparison) {
  const Fixture f = load("c1", GetParam());
  const CouncilState state = f.fold();
  std::vector<std::string> orgs;
  for (const Actor& a : f.active())
    if (std::find(orgs.begin(), orgs.end(), a.org) == orgs.end()) orgs.push_back(a.org);
  expect_golden("c1/comparison.json",
                pretty_json(encode_comparison(state, compare_organisations(state, orgs))));
}

TEST(GoldenFixture, FixtureLogsReadBackExactly) {
  // The fixture is the log format itself: every line's data re-encodes to
  // the same bytes, so the golden files test the real event format.
  for (const char* council : {"c1", "c2"}) {
    std::istringstream lines(
        read_file(golden_dir / "fixture" / (std::string(council) + ".events.jsonl")));
    const Fixture f = load(council);
    std::string line;
    std::size_t i = 0;
    while (std::getline(lines, line)) {
      const std::string data = encode_event_data(f.events.at(i++).data);
      EXPECT_NE(line.find("\"data\":" + data + "}"), std::string::npos) << line;
    }
  }
}

}  // namespace
}  // namespace renkei::protocol
