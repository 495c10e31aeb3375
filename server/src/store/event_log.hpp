// The councils' event logs as an engine must keep them (STORAGE.md
// "events"): batches appended all or nothing, read back from a seq, and
// the head. Database is the SQLite engine; a second engine implements this
// interface. Synchronous, on the thread that owns the connection (the
// writer thread for appends).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "store/rows.hpp"

namespace renkei::store {

class EventLog {
 public:
  virtual ~EventLog() = default;

  // Writes every row in one transaction, with the audit rows and the
  // attendance upserts of the batch, or nothing (then throws). Rows with a
  // redaction rewrite the earlier events they erase in that transaction.
  // `before_commit` runs inside the transaction just before COMMIT (the
  // writer's other writes of the same group, each in a savepoint).
  virtual void append_events(const std::vector<const EventRow*>& rows,
                             const std::vector<const AuditRow*>& audit = {},
                             const std::vector<const AttendanceRow*>& attendance = {},
                             const std::function<void()>& before_commit = {}) = 0;
  // (council, seq) of the events the last append rewrote for a redaction.
  virtual std::vector<std::pair<std::string, std::uint64_t>> take_redacted() = 0;
  // The councils the last append left out because another writer (another
  // instance on the same PostgreSQL database) had written them meanwhile:
  // their rows are not in the log, the rest of the batch is. The room of
  // such a council reads what it missed and decides its commands again
  // (POSTGRES.md "ordering per council"). Never any on SQLite, whose file
  // has a single writer.
  virtual std::vector<std::string> take_stale() { return {}; }
  // Highest seq of the council's log, 0 when it has none.
  virtual std::uint64_t head(const std::string& council) = 0;
  // Events with seq > after, ascending, at most `limit`.
  virtual std::vector<EventRow> read_events(const std::string& council, std::uint64_t after,
                                            std::size_t limit) = 0;
  // Frames with after < seq <= upto, ascending, at most `limit`.
  virtual std::vector<std::string> read_frames(const std::string& council, std::uint64_t after,
                                               std::uint64_t upto, std::size_t limit) = 0;
};

}  // namespace renkei::store
