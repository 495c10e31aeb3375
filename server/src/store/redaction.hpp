// The rewrite of the log that a text.redacted event makes (schema v8,
// server/docs/STORAGE.md "Redaction"). Private to the store: Database runs
// it inside append_events, in the transaction that appends the event, on
// the writer's connection.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/rows.hpp"
#include "store/statement.hpp"

struct sqlite3;

namespace renkei::store {

// Prepared statements of one connection; belongs to that connection's thread.
class Redactor {
 public:
  Redactor() = default;
  explicit Redactor(sqlite3* db);

  // Within the caller's open transaction, after the text.redacted row
  // (`council`, `seq`) was inserted: grants the rewrite, rewrites the rows
  // of `council` below `seq` that `redaction` names, and takes the grant
  // back. Returns the seqs rewritten. Throws StoreError.
  std::vector<std::uint64_t> rewrite(const std::string& council, std::uint64_t seq,
                                     const RedactionRow& redaction);

 private:
  Statement grant_, revoke_;
  Statement issue_, proposal_, stance_reason_, role_, role_notes_;
};

}  // namespace renkei::store
