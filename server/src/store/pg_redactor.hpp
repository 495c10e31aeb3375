// Redaction (伏せ字) on PostgreSQL: what Redactor does on SQLite, with the
// same rewrite of each row. The rows to rewrite are selected in
// PostgreSQL; their new data and frame are computed by SQLite's own JSON
// functions (json_set, json_remove, json_replace) on an in-memory
// connection, exactly the expressions SQLite's Redactor runs, so that a
// redacted event is the same bytes on both engines (STORAGE.md
// "Redaction"). Used inside PgEventLog's append transaction only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "store/rows.hpp"

namespace renkei::store {

class PgConnection;

class PgRedactor {
 public:
  PgRedactor();
  ~PgRedactor();
  PgRedactor(const PgRedactor&) = delete;
  PgRedactor& operator=(const PgRedactor&) = delete;

  // Inside the open transaction: rewrites the events of `council` before
  // `seq` that `redaction` erases, under a redaction grant for (council,
  // seq) that is removed again before returning. Returns their seqs.
  std::vector<std::uint64_t> rewrite(PgConnection& connection, const std::string& council,
                                     std::uint64_t seq, const RedactionRow& redaction);

 private:
  struct Json;
  std::unique_ptr<Json> json_;
};

}  // namespace renkei::store
