#include "store/search_purge.hpp"

#include <sqlite3.h>

#include <chrono>

#include "store/statement.hpp"

namespace renkei::store {

PurgeReport purge_search_texts(sqlite3* index, const std::string& council,
                               const std::vector<std::uint64_t>& seqs) {
  PurgeReport report;
  const auto started = std::chrono::steady_clock::now();
  Statement forget(index,
                   "INSERT INTO search_index(search_index, rowid, text) "
                   "SELECT 'delete', id, text FROM search_text WHERE council = ?1 AND seq = ?2");
  Statement remove(index, "DELETE FROM search_text WHERE council = ?1 AND seq = ?2");
  exec(index, "BEGIN IMMEDIATE", "search purge: begin");
  try {
    for (std::uint64_t seq : seqs) {
      Query(forget, "search purge: fts delete")
          .bind_text(1, council)
          .bind_int(2, clamp_to_int64(seq))
          .run();
      Query(remove, "search purge: rows")
          .bind_text(1, council)
          .bind_int(2, clamp_to_int64(seq))
          .run();
      report.rows += static_cast<std::uint64_t>(sqlite3_changes(index));
    }
    exec(index, "INSERT INTO search_index(search_index) VALUES('optimize')",
         "search purge: optimize");
    exec(index, "COMMIT", "search purge: commit");
  } catch (...) {
    rollback_if_open(index);
    throw;
  }
  const int rc =
      sqlite3_wal_checkpoint_v2(index, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
  report.wal_truncated = rc == SQLITE_OK;
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

std::vector<std::pair<std::string, std::vector<std::uint64_t>>> unpurged_search_texts(
    sqlite3* log, sqlite3* index) {
  std::vector<std::pair<std::string, std::vector<std::uint64_t>>> out;
  Statement redacted(log,
                     "SELECT council, seq FROM events "
                     "WHERE json_extract(data, '$.redacted') IS 1 ORDER BY council, seq");
  Statement held(index,
                 "SELECT 1 FROM search_text WHERE council = ?1 AND seq = ?2 AND text <> '' "
                 "LIMIT 1");
  Query events(redacted, "search purge: redacted events");
  while (events.step()) {
    const std::string council = events.text(0);
    const std::int64_t seq = events.int64(1);
    Query text(held, "search purge: held");
    if (!text.bind_text(1, council).bind_int(2, seq).step()) continue;
    if (out.empty() || out.back().first != council)
      out.emplace_back(council, std::vector<std::uint64_t>{});
    out.back().second.push_back(static_cast<std::uint64_t>(seq));
  }
  return out;
}

}  // namespace renkei::store
