// Removing redacted texts from the search index file (text.redact, v1.1;
// server/docs/STORAGE.md "Redaction"). Private to the store: the search
// indexer's thread runs it on the index connection, after the commit that
// rewrote the events in the log.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

struct sqlite3;

namespace renkei::store {

// What one purge cost (for the log line and the measurements in STORAGE.md).
struct PurgeReport {
  std::uint64_t rows = 0;      // search_text rows removed
  double seconds = 0;          // the whole purge, checkpoint included
  bool wal_truncated = false;  // false: a reader kept the WAL from being emptied
};

// In one transaction: removes the texts of `council`'s events `seqs` from
// the FTS5 index ('delete' with their old values) and from search_text,
// then merges every segment into one ('optimize'), so no segment keeps
// their tokens; then checkpoints the index file's WAL and truncates it.
// The connection has secure_delete on, so freed pages and cells hold
// zeros. Throws StoreError (the transaction is rolled back).
PurgeReport purge_search_texts(sqlite3* index, const std::string& council,
                               const std::vector<std::uint64_t>& seqs);

// The events that `log` marks "redacted" and whose texts `index` still
// holds, by council, seqs ascending: the purges a process that died after a
// redaction's commit did not run. One scan of the whole log (json_extract
// of every row's data), run once at the indexer's start on its idle thread.
std::vector<std::pair<std::string, std::vector<std::uint64_t>>> unpurged_search_texts(
    sqlite3* log, sqlite3* index);

}  // namespace renkei::store
