// What the server reads besides the log to answer for a council: councils,
// participants (by id, token hash, council, recent revocations), attendance,
// search and the council's audit trail. Database is the SQLite engine; a
// second engine implements this interface. Synchronous, on the thread that
// owns the connection (a read worker, the CLI, a test).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "domain/attendance.hpp"
#include "domain/search_text.hpp"
#include "store/rows.hpp"

namespace renkei::store {

class RecordQueries {
 public:
  virtual ~RecordQueries() = default;

  virtual std::optional<CouncilRow> find_council(const std::string& id) = 0;
  virtual std::vector<CouncilRow> list_councils() = 0;

  virtual std::optional<ParticipantRow> find_participant_by_token_hash(
      const std::string& token_hash) = 0;
  virtual std::optional<ParticipantRow> find_participant(const std::string& id) = 0;
  virtual std::vector<ParticipantRow> list_participants(const std::string& council) = 0;
  // Participants whose revoked_at (their own, or their person's
  // deactivation) is after `since` and not after `until`, oldest first. A
  // revocation dated later (a handover effective on a future date) is due
  // only once `until` (now) reaches it.
  virtual std::vector<ParticipantRow> revoked_since(const std::string& since,
                                                    const std::string& until) = 0;

  virtual std::vector<domain::Attendance> list_attendance(const std::string& council) = 0;
  virtual std::optional<domain::Attendance> find_attendance(const std::string& council,
                                                            const std::string& meeting,
                                                            const std::string& participant) = 0;

  // Newest first, at most `limit` hits (see Database for the two forms).
  virtual std::vector<domain::SearchHit> search_match(const std::string& council,
                                                      const std::string& fts_query,
                                                      const std::vector<std::string>& patterns,
                                                      std::size_t limit) = 0;
  virtual std::vector<domain::SearchHit> search_like(const std::string& council,
                                                     const std::vector<std::string>& patterns,
                                                     std::size_t limit) = 0;

  // The council's trail, oldest first, at most `limit` rows.
  virtual std::vector<AuditRow> read_audit(const std::string& council, std::size_t limit) = 0;
};

}  // namespace renkei::store
