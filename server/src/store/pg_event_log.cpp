#include "store/pg_event_log.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <map>

#include "store/pg_connection.hpp"
#include "store/pg_redactor.hpp"
#include "store/pg_search_sql.hpp"
#include "store/store_error.hpp"

namespace renkei::store {

namespace {

// A PostgreSQL array literal of text elements ({"a","b",NULL}): the rows of
// one council travel as one array per column, so a council's batch is one
// INSERT ... SELECT FROM unnest(...), one round trip whatever its size.
class TextArray {
 public:
  void add(std::string_view value) {
    out_ += out_.empty() ? '{' : ',';
    out_ += '"';
    for (char c : value) {
      if (c == '"' || c == '\\') out_ += '\\';
      out_ += c;
    }
    out_ += '"';
  }
  void add_optional(const std::optional<std::string>& value) {
    if (value) return add(std::string_view(*value));
    out_ += out_.empty() ? '{' : ',';
    out_ += "NULL";
  }
  std::string take() {
    if (out_.empty()) return "{}";
    out_ += '}';
    return std::move(out_);
  }

 private:
  std::string out_;
};

// One council's rows of a batch, in the batch's order.
struct CouncilBatch {
  std::vector<const EventRow*> rows;
};

EventRow event_row(const PgResult& result, int i) {
  EventRow row;
  row.council = result.text(i, 0);
  row.seq = static_cast<std::uint64_t>(result.int64(i, 1));
  row.op = result.text(i, 2);
  row.at = result.text(i, 3);
  row.participant = result.text(i, 4);
  row.by_name = result.text(i, 5);
  row.by_org = result.text(i, 6);
  const auto role = domain::role_from_string(result.text(i, 7));
  if (!role) throw StoreError("read_events: unknown role", SQLITE_CORRUPT);
  row.by_role = *role;
  row.meeting = result.optional_text(i, 8);
  row.command_id = result.optional_text(i, 9);
  row.data = result.text(i, 10);
  row.frame = result.text(i, 11);
  return row;
}

std::int64_t bounded(std::uint64_t value) {
  return static_cast<std::int64_t>(
      std::min<std::uint64_t>(value, std::numeric_limits<std::int64_t>::max()));
}

}  // namespace

std::string events_notification(const std::string& council, std::uint64_t last_seq) {
  return council + ":" + std::to_string(last_seq);
}

bool parse_events_notification(const std::string& payload, std::string& council,
                               std::uint64_t& last_seq) {
  const auto colon = payload.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == payload.size()) return false;
  const char* begin = payload.data() + colon + 1;
  const char* end = payload.data() + payload.size();
  std::uint64_t seq = 0;
  const auto [at, error] = std::from_chars(begin, end, seq);
  if (error != std::errc() || at != end) return false;
  council = payload.substr(0, colon);
  last_seq = seq;
  return true;
}

PgEventLog::PgEventLog(PgConnection& connection) : connection_(connection) {}

PgEventLog::~PgEventLog() = default;

PgConnection& PgEventLog::ready() {
  if (!connection_.connected()) connection_.reconnect();
  return connection_;
}

namespace {

// The columns of `rows` as array literals, in the events table's order.
struct EventColumns {
  TextArray council, seq, op, at, participant, by_name, by_org, by_role, meeting, command_id, data,
      frame;

  explicit EventColumns(const std::vector<const EventRow*>& rows) {
    for (const EventRow* row : rows) {
      if (row->seq > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        throw StoreError("append_events: seq out of range", SQLITE_RANGE);
      council.add(row->council);
      seq.add(std::to_string(row->seq));
      op.add(row->op);
      at.add(row->at);
      participant.add(row->participant);
      by_name.add(row->by_name);
      by_org.add(row->by_org);
      by_role.add(domain::to_string(row->by_role));
      meeting.add_optional(row->meeting);
      command_id.add_optional(row->command_id);
      data.add(row->data);
      frame.add(row->frame);
    }
  }

  // Every column but the council, in order, to `params`.
  void add_to(PgParams& params) {
    params.text(seq.take())
        .text(op.take())
        .text(at.take())
        .text(participant.take())
        .text(by_name.take())
        .text(by_org.take())
        .text(by_role.take())
        .text(meeting.take())
        .text(command_id.take())
        .text(data.take())
        .text(frame.take());
  }
};

// The rows of the batch (every council) and their search texts, in one
// statement.
constexpr char insert_all_sql[] =
    "WITH e AS (INSERT INTO events(council, seq, op, at, participant, by_name, by_org, by_role, "
    "meeting, command_id, data, frame) SELECT * FROM unnest($1::text[], $2::bigint[], "
    "$3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], "
    "$10::text[], $11::text[], $12::text[]) RETURNING council, seq, op, meeting, at, "
    "data) " RENKEI_PG_SEARCH_TEXT_INSERT_FROM("e");

}  // namespace

bool PgEventLog::append_all(PgConnection& db, const std::vector<const EventRow*>& rows) {
  db.exec("BEGIN", "append_events: begin");
  if (rows.empty()) return true;
  try {
    EventColumns columns(rows);
    PgParams params;
    params.text(columns.council.take());
    columns.add_to(params);
    db.query(insert_all_sql, params, "append_events");
    return true;
  } catch (const StoreError& e) {
    db.rollback_if_open();
    if (e.sqlstate() != "23505") throw;
    return false;
  } catch (...) {
    db.rollback_if_open();
    throw;
  }
}

bool PgEventLog::append_council(PgConnection& db, const std::string& council,
                                const std::vector<const EventRow*>& batch) {
  EventColumns columns(batch);
  PgParams params;
  params.text(council);
  columns.add_to(params);
  db.exec("SAVEPOINT council_batch", "append_events: savepoint");
  try {
    db.query(
        "INSERT INTO events(council, seq, op, at, participant, by_name, by_org, by_role, "
        "meeting, command_id, data, frame) SELECT $1, * FROM unnest($2::bigint[], "
        "$3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], "
        "$9::text[], $10::text[], $11::text[], $12::text[])",
        params, "append_events");
  } catch (const StoreError& e) {
    // Another writer got there first: (council, seq) or a command id
    // of this council is taken. Leave the council out; the rest goes on.
    if (e.sqlstate() != "23505") throw;
    db.exec("ROLLBACK TO SAVEPOINT council_batch", "append_events: rollback to savepoint");
    db.exec("RELEASE SAVEPOINT council_batch", "append_events: release");
    return false;
  }
  db.exec("RELEASE SAVEPOINT council_batch", "append_events: release");
  // The searchable texts of the council's new events (search reads them
  // with pg_trgm; STORAGE.md "PostgreSQL").
  db.query(RENKEI_PG_SEARCH_TEXT_INSERT "AND e.council = $1 AND e.seq >= $2 AND e.seq <= $3",
           PgParams()
               .text(council)
               .integer(static_cast<std::int64_t>(batch.front()->seq))
               .integer(static_cast<std::int64_t>(batch.back()->seq)),
           "append_events: search text");
  return true;
}

void PgEventLog::append_events(const std::vector<const EventRow*>& rows,
                               const std::vector<const AuditRow*>& audit,
                               const std::vector<const AttendanceRow*>& attendance,
                               const std::function<void()>& before_commit) {
  stale_.clear();
  redacted_.clear();
  if (rows.empty() && audit.empty() && attendance.empty() && !before_commit) return;
  // Councils in the order they first appear; each council's rows in order.
  std::vector<std::string> order;
  std::map<std::string, CouncilBatch> councils;
  for (const EventRow* row : rows) {
    auto [it, added] = councils.try_emplace(row->council);
    if (added) order.push_back(row->council);
    it->second.rows.push_back(row);
  }
  PgConnection& db = ready();
  // The common case, one statement for every council's rows and their
  // search texts; when another writer took a (council, seq) or a command
  // id meanwhile, the transaction starts again council by council, each in
  // a savepoint, to find which councils are stale.
  const bool all_at_once = append_all(db, rows);
  if (!all_at_once) db.exec("BEGIN", "append_events: begin");
  try {
    TextArray notify;
    for (const auto& council : order) {
      const auto& batch = councils[council].rows;
      if (!all_at_once && !append_council(db, council, batch)) {
        stale_.push_back(council);
        continue;
      }
      for (const EventRow* row : batch)
        if (row->redaction) {
          if (!redactor_) redactor_ = std::make_unique<PgRedactor>();
          for (std::uint64_t seq : redactor_->rewrite(db, council, row->seq, *row->redaction))
            redacted_.emplace_back(council, seq);
        }
      notify.add(events_notification(council, batch.back()->seq));
    }
    if (!audit.empty()) {
      TextArray at, council, participant, action, op, outcome, on_behalf_of;
      for (const AuditRow* row : audit) {
        at.add(row->at);
        council.add_optional(row->council);
        participant.add_optional(row->participant);
        action.add(row->action);
        op.add_optional(row->op);
        outcome.add(row->outcome);
        on_behalf_of.add_optional(row->on_behalf_of);
      }
      db.query(
          "INSERT INTO audit_log(at, council, participant, action, op, outcome, new_value) "
          "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], "
          "$6::text[], $7::text[])",
          PgParams()
              .text(at.take())
              .text(council.take())
              .text(participant.take())
              .text(action.take())
              .text(op.take())
              .text(outcome.take())
              .text(on_behalf_of.take()),
          "append_events: audit");
    }
    for (const AttendanceRow* row : attendance)
      db.query(
          "INSERT INTO attendance(council, meeting, participant, first_seen_at, last_seen_at) "
          "VALUES($1, $2, $3, $4, $4) ON CONFLICT(council, meeting, participant) DO UPDATE SET "
          "last_seen_at = greatest(attendance.last_seen_at, excluded.last_seen_at)",
          PgParams()
              .text(row->council)
              .text(row->meeting)
              .text(row->participant)
              .text(row->seen_at),
          "append_events: attendance");
    if (before_commit) before_commit();
    // NOTIFY is delivered on COMMIT only, and not at all on ROLLBACK.
    db.query("SELECT pg_notify('renkei_events', n) FROM unnest($1::text[]) AS n",
             PgParams().text(notify.take()), "append_events: notify");
    db.exec("COMMIT", "append_events: commit");
  } catch (...) {
    db.rollback_if_open();
    stale_.clear();
    redacted_.clear();
    throw;
  }
}

std::vector<std::pair<std::string, std::uint64_t>> PgEventLog::take_redacted() {
  return std::exchange(redacted_, {});
}

std::vector<std::string> PgEventLog::take_stale() { return std::exchange(stale_, {}); }

std::uint64_t PgEventLog::head(const std::string& council) {
  auto result = ready().query("SELECT max(seq) FROM events WHERE council = $1",
                              PgParams().text(council), "head");
  if (result.rows() == 0 || result.is_null(0, 0)) return 0;
  return static_cast<std::uint64_t>(result.int64(0, 0));
}

std::vector<EventRow> PgEventLog::read_events(const std::string& council, std::uint64_t after,
                                              std::size_t limit) {
  auto result = ready().query(
      "SELECT council, seq, op, at, participant, by_name, by_org, by_role, meeting, command_id, "
      "data, frame FROM events WHERE council = $1 AND seq > $2 ORDER BY seq LIMIT $3",
      PgParams().text(council).integer(bounded(after)).integer(bounded(limit)), "read_events");
  std::vector<EventRow> rows;
  rows.reserve(static_cast<std::size_t>(result.rows()));
  for (int i = 0; i < result.rows(); ++i) rows.push_back(event_row(result, i));
  return rows;
}

std::vector<std::string> PgEventLog::read_frames(const std::string& council, std::uint64_t after,
                                                 std::uint64_t upto, std::size_t limit) {
  auto result = ready().query(
      "SELECT frame FROM events WHERE council = $1 AND seq > $2 AND seq <= $3 ORDER BY seq "
      "LIMIT $4",
      PgParams()
          .text(council)
          .integer(bounded(after))
          .integer(bounded(upto))
          .integer(bounded(limit)),
      "read_frames");
  std::vector<std::string> frames;
  frames.reserve(static_cast<std::size_t>(result.rows()));
  for (int i = 0; i < result.rows(); ++i) frames.push_back(result.text(i, 0));
  return frames;
}

}  // namespace renkei::store
