// The councils' event logs on PostgreSQL (EventLog; POSTGRES.md). Several
// instances may write one database: each council of a batch is written in
// a savepoint of the batch's transaction, and a council another instance
// wrote meanwhile — its (council, seq) or a command id of its participant
// is already there — is left out and reported stale (take_stale) while the
// other councils commit, so the log never forks. With the COMMIT goes one
// NOTIFY renkei_events '<council>:<last seq>' per council written, which
// the other instances' listeners turn into a read of the log.
//
// Synchronous, on the thread that owns the connection (the writer thread
// for appends, a read worker for reads), never an I/O thread. A lost
// connection fails the batch (StoreError, is_connection_lost) with nothing
// acknowledged; the next call connects again.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "store/event_log.hpp"

namespace renkei::store {

class PgConnection;
class PgRedactor;

// The channel of the log's notifications and the payload of one.
inline constexpr const char* events_channel = "renkei_events";
std::string events_notification(const std::string& council, std::uint64_t last_seq);
// Parses '<council>:<last seq>'; false when it is not one.
bool parse_events_notification(const std::string& payload, std::string& council,
                               std::uint64_t& last_seq);

class PgEventLog final : public EventLog {
 public:
  // `connection` must outlive this and be used by nothing else meanwhile.
  explicit PgEventLog(PgConnection& connection);
  ~PgEventLog() override;

  void append_events(const std::vector<const EventRow*>& rows,
                     const std::vector<const AuditRow*>& audit = {},
                     const std::vector<const AttendanceRow*>& attendance = {},
                     const std::function<void()>& before_commit = {}) override;
  std::vector<std::pair<std::string, std::uint64_t>> take_redacted() override;
  std::vector<std::string> take_stale() override;
  std::uint64_t head(const std::string& council) override;
  std::vector<EventRow> read_events(const std::string& council, std::uint64_t after,
                                    std::size_t limit) override;
  std::vector<std::string> read_frames(const std::string& council, std::uint64_t after,
                                       std::uint64_t upto, std::size_t limit) override;

 private:
  // Connects again when the last statement found the connection lost.
  PgConnection& ready();
  // BEGIN, then every row of the batch and their search texts in one
  // statement. False (rolled back) when a row's (council, seq) or command id
  // is taken: some council is stale. Other failures roll back and throw.
  bool append_all(PgConnection& db, const std::vector<const EventRow*>& rows);
  // Inside the transaction: one council's rows and search texts in a
  // savepoint. False (rolled back to it) when the council is stale.
  bool append_council(PgConnection& db, const std::string& council,
                      const std::vector<const EventRow*>& batch);

  PgConnection& connection_;
  std::vector<std::string> stale_;
  std::vector<std::pair<std::string, std::uint64_t>> redacted_;
  std::unique_ptr<PgRedactor> redactor_;  // made at the first redaction
};

}  // namespace renkei::store
