// The search index: an SQLite file of its own beside the log
// (`<log>.search`), derived from the log and never the only copy of
// anything. It is written by the search indexer's thread, away from the
// group commit, with no fsync per transaction; if it is missing, behind or
// unusable it is brought up to date (or rebuilt) from the log. Searches
// read the index for every event up to the council's indexed seq and match
// the newer events in the log directly (Database::search_match), so a text
// is found the moment its event is acknowledged. STORAGE.md, "Search index".
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/search_text.hpp"
#include "store/search_purge.hpp"

namespace renkei::store {

// Five LIKE patterns, all of which must match; "%" fills unused ones.
using LikeSlots = std::array<std::string, 5>;

// The index file of the log at `log_path`.
std::string search_index_path(const std::string& log_path);

// The format version of the index file (its user_version). A file of
// another version, or one that cannot be read, is deleted and rebuilt.
inline constexpr int search_index_version = 2;

// This boot of the machine (Linux: /proc/sys/kernel/random/boot_id), or
// nothing where it cannot be read.
std::optional<std::string> kernel_boot_id();

// The writing side: one connection to the index (created when missing) and
// one reading connection to the log. Belongs to one thread.
//
// With a boot id the index is written with synchronous = OFF (no fsync at
// all until it is closed): a crash of the process loses nothing the kernel
// was given, and the file records the boot it is open in. A file that was
// not closed (its state not "clean") in another boot may have lost writes
// with the machine and is rebuilt from the log. Closing syncs the file and
// marks it clean. Without a boot id the index uses synchronous = NORMAL
// (consistent after any crash, the last rounds indexed again).
class SearchIndexWriter {
 public:
  // Throws StoreError if neither the index can be opened nor a new one made.
  explicit SearchIndexWriter(const std::string& log_path,
                             std::optional<std::string> boot_id = kernel_boot_id());
  ~SearchIndexWriter();  // syncs the file and marks it clean
  SearchIndexWriter(const SearchIndexWriter&) = delete;
  SearchIndexWriter& operator=(const SearchIndexWriter&) = delete;

  // Every council of the log with its head (highest seq), councils without
  // events left out.
  std::vector<std::pair<std::string, std::uint64_t>> log_heads();

  // In one transaction: for each (council, head), the searchable texts of
  // the council's events above its indexed seq, up to `head` and at most
  // `max_events` events per council, read from the log, are added to the
  // index and the indexed seq moves on. Returns the councils whose indexed
  // seq is still below their head (more than max_events were waiting).
  // Throws StoreError (the transaction is rolled back).
  std::vector<std::pair<std::string, std::uint64_t>> index(
      const std::vector<std::pair<std::string, std::uint64_t>>& councils, std::uint64_t max_events);

  // The highest seq of the council whose texts are in the index (0: none).
  std::uint64_t indexed(const std::string& council);

  // Text rows in the index (for stats and tests).
  std::uint64_t rows();

  // Removes the texts of `council`'s events `seqs`, which text.redact
  // rewrote in the log, tokens and file bytes included (store/search_purge.hpp).
  PurgeReport purge(const std::string& council, const std::vector<std::uint64_t>& seqs);
  // Events the log marks redacted whose texts the index still holds, by
  // council: what a purge that never ran left (store/search_purge.hpp).
  std::vector<std::pair<std::string, std::vector<std::uint64_t>>> unpurged_redactions();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The reading side, used by Database::search_*: opened on first use; when
// the file does not exist (yet), every event counts as not indexed.
class SearchIndexReader {
 public:
  explicit SearchIndexReader(std::string log_path);
  ~SearchIndexReader();
  SearchIndexReader(const SearchIndexReader&) = delete;
  SearchIndexReader& operator=(const SearchIndexReader&) = delete;

  // Hits of the council's events with seq <= `upto`, newest first, at most
  // `limit`. `fts_query` empty: all five LIKE patterns must match (escaped
  // with '\'; "%" in unused slots); otherwise an FTS5 query over the
  // trigram index. `upto` is what indexed() answered before.
  std::vector<domain::SearchHit> search(const std::string& council, std::uint64_t upto,
                                        const std::string& fts_query, const LikeSlots& patterns,
                                        std::size_t limit);
  // The council's indexed seq; 0 when there is no index file.
  std::uint64_t indexed(const std::string& council);

 private:
  bool open();

  struct Impl;
  std::string path_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace renkei::store
