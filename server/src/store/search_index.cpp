#include "store/search_index.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>

#include "store/database.hpp"
#include "store/searchable_sql.hpp"
#include "store/statement.hpp"

namespace renkei::store {

namespace {

// The index file's schema. search_text holds one row per searchable text
// (council, seq, meeting and at are the event's), search_index the FTS5
// trigram index over it (external content, no per-row token counts: hits
// are ordered newest first, never by rank), search_progress the highest
// seq of each council whose texts are in. Rows and progress are written in
// the same transaction, so the index holds exactly seq 1..progress.
// search_state is one row: the boot of the machine the file was last opened
// for writing in ('' when written with fsyncs) and whether every write of
// it is on disk (clean: closed, or written with fsyncs).
constexpr char index_schema[] = R"sql(
CREATE TABLE search_text(
  id INTEGER PRIMARY KEY,
  council TEXT NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  ref TEXT NOT NULL,
  meeting TEXT,
  at TEXT NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX search_text_council ON search_text(council, seq);
CREATE VIRTUAL TABLE search_index USING fts5(
  text, content='search_text', content_rowid='id', tokenize='trigram', columnsize=0);
CREATE TABLE search_progress(
  council TEXT PRIMARY KEY,
  seq INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE search_state(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  boot TEXT NOT NULL,
  clean INTEGER NOT NULL
);
PRAGMA user_version = 2;
)sql";
static_assert(search_index_version == 2, "index_schema writes user_version 2");

void remove_index_files(const std::string& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ignored);
}

// fsync of a file that may not exist (a WAL already removed). Throws
// StoreError when the sync fails.
void sync_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw StoreError("search index: fsync " + path, SQLITE_IOERR);
}

}  // namespace

domain::SearchHit search_hit(const Query& query) {
  domain::SearchHit hit;
  hit.text.kind = query.text(0);
  hit.text.ref = query.text(1);
  hit.text.text = query.text(2);
  hit.seq = static_cast<std::uint64_t>(query.int64(3));
  hit.meeting = query.optional_text(4);
  hit.at = query.text(5);
  return hit;
}

namespace {

// Opens the index file for writing and checks its version; creates the
// schema in a new (empty) file. Throws StoreError when the file is not an
// index of this version, cannot be read, or may have lost writes with the
// machine (open for writing without fsyncs when another boot ended). Then
// records this boot, durably, before anything is written without fsync.
void open_index(Connection& connection, const std::optional<std::string>& boot) {
  sqlite3* db = connection.get();
  use_wal(db);
  exec(db, "PRAGMA synchronous = FULL", "search index: synchronous");
  exec(db, "BEGIN IMMEDIATE", "search index: begin");
  try {
    const std::string version = pragma_text(db, "PRAGMA user_version");
    if (version == "0") {
      if (pragma_text(db, "SELECT count(*) FROM sqlite_schema") != "0")
        throw StoreError("search index: unversioned file", SQLITE_CORRUPT);
      exec(db, index_schema, "search index: schema");
    } else if (version != std::to_string(search_index_version)) {
      throw StoreError("search index: version " + version, SQLITE_CORRUPT);
    }
    {
      Statement state(db, "SELECT boot, clean FROM search_state WHERE id = 1");
      Query query(state, "search index: state");
      if (query.step() && query.int64(1) == 0 && query.text(0) != boot.value_or(""))
        throw StoreError("search index: left open when the machine stopped", SQLITE_CORRUPT);
    }
    Statement record(db, "INSERT OR REPLACE INTO search_state(id, boot, clean) VALUES(1, ?1, ?2)");
    Query(record, "search index: record boot")
        .bind_text(1, boot.value_or(""))
        .bind_int(2, boot ? 0 : 1)
        .run();
    exec(db, "COMMIT", "search index: commit");
  } catch (...) {
    rollback_if_open(db);
    throw;
  }
  // Derived data. With a boot id recorded: no fsync at all (the kernel
  // keeps what a crashed process wrote; a machine that stopped makes the
  // next start rebuild). Otherwise a crash may lose the last transactions
  // (indexed again from the log) but never leaves the file inconsistent.
  if (boot)
    exec(db, "PRAGMA synchronous = OFF", "search index: synchronous");
  else
    exec(db, "PRAGMA synchronous = NORMAL", "search index: synchronous");
}

}  // namespace

std::string search_index_path(const std::string& log_path) { return log_path + ".search"; }

std::optional<std::string> kernel_boot_id() {
  std::ifstream file("/proc/sys/kernel/random/boot_id");
  std::string id;
  if (!std::getline(file, id) || id.empty()) return std::nullopt;
  return id;
}

// --- writing ------------------------------------------------------------------

struct SearchIndexWriter::Impl {
  Impl(const std::string& path, const std::string& log_path, const std::optional<std::string>& boot)
      : path(path), unsynced(boot.has_value()), index(path), log(log_path, false) {
    open_index(index, boot);
    sqlite3* lg = log.get();
    const int rc = sqlite3_busy_timeout(lg, busy_timeout_ms);
    if (rc != SQLITE_OK) throw_sqlite(lg, rc, "search index: log busy_timeout");
    exec(lg, "PRAGMA query_only = 1", "search index: log query_only");
    // The council after ?1 in key order and its head: two seeks in the
    // primary key, so listing every council's head does not read the log.
    next_head =
        Statement(lg,
                  "SELECT council, max(seq) FROM events WHERE council = "
                  "(SELECT council FROM events WHERE council > ?1 ORDER BY council LIMIT 1)");
    extract = Statement(lg, "SELECT seq, kind, ref, meeting, at, text FROM " RENKEI_SEARCHABLE_TEXTS
                            " WHERE " RENKEI_SEARCHABLE_WHERE " ORDER BY seq, n");
    sqlite3* ix = index.get();
    begin = Statement(ix, "BEGIN IMMEDIATE");
    commit = Statement(ix, "COMMIT");
    progress = Statement(ix, "SELECT seq FROM search_progress WHERE council = ?1");
    all_progress = Statement(ix, "SELECT council, seq FROM search_progress");
    set_progress = Statement(ix,
                             "INSERT INTO search_progress(council, seq) VALUES(?1, ?2) "
                             "ON CONFLICT(council) DO UPDATE SET seq = excluded.seq");
    insert_text = Statement(ix,
                            "INSERT INTO search_text(council, seq, kind, ref, meeting, at, text) "
                            "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    insert_index = Statement(ix, "INSERT INTO search_index(rowid, text) VALUES(?1, ?2)");
    count_rows = Statement(ix, "SELECT count(*) FROM search_text");
    // Redaction: merges and purges leave zeros, not old texts, in freed space.
    exec(ix, "PRAGMA secure_delete = ON", "search index: secure_delete");
  }

  const std::string path;
  const bool unsynced;  // written with synchronous = OFF
  Connection index;     // before the statements: closed after them
  Connection log;
  Statement next_head, extract;
  Statement begin, commit, progress, all_progress, set_progress, insert_text, insert_index,
      count_rows;
};

SearchIndexWriter::SearchIndexWriter(const std::string& log_path,
                                     std::optional<std::string> boot_id) {
  const std::string path = search_index_path(log_path);
  for (int attempt = 0;; ++attempt) {
    try {
      impl_ = std::make_unique<Impl>(path, log_path, boot_id);
      // An index ahead of the log belongs to another history (a log put
      // back from a backup beside a newer index): start over.
      std::map<std::string, std::uint64_t> heads;
      for (auto& [council, head] : log_heads()) heads[council] = head;
      Query query(impl_->all_progress, "search index: progress");
      while (query.step()) {
        const auto head = heads.find(query.text(0));
        const auto seq = static_cast<std::uint64_t>(query.int64(1));
        if (head == heads.end() ? seq > 0 : seq > head->second)
          throw StoreError("search index: ahead of the log", SQLITE_CORRUPT);
      }
      return;
    } catch (const StoreError& e) {
      impl_.reset();
      // The log itself cannot be read: nothing to rebuild from.
      const int code = e.sqlite_code() & 0xff;
      const bool unusable = code == SQLITE_CORRUPT || code == SQLITE_NOTADB || code == SQLITE_ERROR;
      if (attempt > 0 || !unusable) throw;
      std::cerr << "renkei store: search index " << path << " rebuilt from the log (" << e.what()
                << ")\n";
      remove_index_files(path);
    }
  }
}

// Everything written without fsync goes to disk (the database file, which
// checkpoints wrote, and the WAL), then the state says so, durably.
SearchIndexWriter::~SearchIndexWriter() {
  if (!impl_ || !impl_->unsynced) return;
  sqlite3* db = impl_->index.get();
  try {
    exec(db, "PRAGMA synchronous = FULL", "search index: synchronous");
    sync_file(impl_->path);
    sync_file(impl_->path + "-wal");
    exec(db, "UPDATE search_state SET clean = 1 WHERE id = 1", "search index: mark clean");
  } catch (const StoreError& e) {
    // Left unclean: rebuilt if the machine stops before the next start.
    std::cerr << "renkei store: " << e.what() << "\n";
  }
}

std::vector<std::pair<std::string, std::uint64_t>> SearchIndexWriter::log_heads() {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  std::string after;
  for (;;) {
    Query query(impl_->next_head, "search index: log heads");
    query.bind_text(1, after);
    if (!query.step() || query.is_null(0)) return out;
    out.emplace_back(query.text(0), static_cast<std::uint64_t>(query.int64(1)));
    after = out.back().first;
  }
}

std::uint64_t SearchIndexWriter::indexed(const std::string& council) {
  Query query(impl_->progress, "search index: indexed");
  query.bind_text(1, council);
  return query.step() ? static_cast<std::uint64_t>(query.int64(0)) : 0;
}

std::uint64_t SearchIndexWriter::rows() {
  Query query(impl_->count_rows, "search index: rows");
  return query.step() ? static_cast<std::uint64_t>(query.int64(0)) : 0;
}

PurgeReport SearchIndexWriter::purge(const std::string& council,
                                     const std::vector<std::uint64_t>& seqs) {
  return purge_search_texts(impl_->index.get(), council, seqs);
}

std::vector<std::pair<std::string, std::vector<std::uint64_t>>>
SearchIndexWriter::unpurged_redactions() {
  return unpurged_search_texts(impl_->log.get(), impl_->index.get());
}

std::vector<std::pair<std::string, std::uint64_t>> SearchIndexWriter::index(
    const std::vector<std::pair<std::string, std::uint64_t>>& councils, std::uint64_t max_events) {
  std::vector<std::pair<std::string, std::uint64_t>> behind;
  sqlite3* ix = impl_->index.get();
  { Query(impl_->begin, "search index: begin").run(); }
  try {
    for (const auto& [council, head] : councils) {
      const std::uint64_t from = indexed(council);
      if (head <= from) continue;
      const std::uint64_t upto = std::min(head, from + std::max<std::uint64_t>(max_events, 1));
      Query rows(impl_->extract, "search index: extract");
      rows.bind_text(1, council)
          .bind_int(2, clamp_to_int64(from))
          .bind_int(3, clamp_to_int64(upto));
      while (rows.step()) {
        const std::string text = rows.text(5);
        {
          Query insert(impl_->insert_text, "search index: insert text");
          insert.bind_text(1, council)
              .bind_int(2, rows.int64(0))
              .bind_text(3, rows.text(1))
              .bind_text(4, rows.text(2))
              .bind_optional_text(5, rows.optional_text(3))
              .bind_text(6, rows.text(4))
              .bind_text(7, text)
              .run();
        }
        Query insert(impl_->insert_index, "search index: insert");
        insert.bind_int(1, sqlite3_last_insert_rowid(ix)).bind_text(2, text).run();
      }
      Query set(impl_->set_progress, "search index: set progress");
      set.bind_text(1, council).bind_int(2, clamp_to_int64(upto)).run();
      if (upto < head) behind.emplace_back(council, head);
    }
    Query(impl_->commit, "search index: commit").run();
  } catch (...) {
    rollback_if_open(ix);
    throw;
  }
  return behind;
}

// --- reading ------------------------------------------------------------------

struct SearchIndexReader::Impl {
  explicit Impl(const std::string& path) : index(path, false) {
    sqlite3* ix = index.get();
    const int rc = sqlite3_busy_timeout(ix, busy_timeout_ms);
    if (rc != SQLITE_OK) throw_sqlite(ix, rc, "search index: busy_timeout");
    if (pragma_text(ix, "PRAGMA user_version") != std::to_string(search_index_version))
      throw StoreError("search index: not ready", SQLITE_CANTOPEN);
    progress = Statement(ix, "SELECT seq FROM search_progress WHERE council = ?1");
    match = Statement(ix, RENKEI_SEARCH_MATCH_SQL);
    like = Statement(ix,
                     "SELECT kind, ref, text, seq, meeting, at FROM search_text "
                     "WHERE council = ?1 AND seq <= ?2 AND text LIKE ?3 ESCAPE '\\' "
                     "AND text LIKE ?4 ESCAPE '\\' AND text LIKE ?5 ESCAPE '\\' "
                     "AND text LIKE ?6 ESCAPE '\\' AND text LIKE ?7 ESCAPE '\\' "
                     "ORDER BY seq DESC, id LIMIT ?8");
  }

  Connection index;
  Statement progress, match, like;
  dev_t device = 0;
  ino_t inode = 0;
};

SearchIndexReader::SearchIndexReader(std::string log_path) : path_(search_index_path(log_path)) {}

SearchIndexReader::~SearchIndexReader() = default;

// Opens the file on first use, and again when it was replaced (rebuilt by
// the indexer) since.
bool SearchIndexReader::open() {
  struct stat info {};
  if (::stat(path_.c_str(), &info) != 0) {
    impl_.reset();
    return false;
  }
  if (impl_ && impl_->device == info.st_dev && impl_->inode == info.st_ino) return true;
  impl_.reset();
  try {
    impl_ = std::make_unique<Impl>(path_);
    impl_->device = info.st_dev;
    impl_->inode = info.st_ino;
  } catch (const StoreError&) {
    return false;  // being created: the log answers meanwhile
  }
  return true;
}

std::uint64_t SearchIndexReader::indexed(const std::string& council) {
  if (!open()) return 0;
  Query query(impl_->progress, "search index: indexed");
  query.bind_text(1, council);
  return query.step() ? static_cast<std::uint64_t>(query.int64(0)) : 0;
}

std::vector<domain::SearchHit> SearchIndexReader::search(const std::string& council,
                                                         std::uint64_t upto,
                                                         const std::string& fts_query,
                                                         const LikeSlots& patterns,
                                                         std::size_t limit) {
  std::vector<domain::SearchHit> hits;
  if (upto == 0 || limit == 0 || !impl_) return hits;
  const auto bound_limit = static_cast<std::int64_t>(std::min<std::size_t>(limit, 1000000));
  if (!fts_query.empty()) {
    Query query(impl_->match, "search index: match");
    query.bind_text(1, council).bind_text(2, fts_query).bind_int(3, clamp_to_int64(upto));
    query.bind_int(4, bound_limit);
    query.bind_int(5, static_cast<std::int64_t>(domain::max_searchable_texts_per_event - 1));
    while (query.step()) hits.push_back(search_hit(query));
    return hits;
  }
  Query query(impl_->like, "search index: like");
  query.bind_text(1, council).bind_int(2, clamp_to_int64(upto));
  for (int i = 0; i < 5; ++i) query.bind_text(3 + i, patterns[static_cast<std::size_t>(i)]);
  query.bind_int(8, bound_limit);
  while (query.step()) hits.push_back(search_hit(query));
  return hits;
}

}  // namespace renkei::store
