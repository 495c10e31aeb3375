// The group-commit writer: one thread that owns the writer connection and
// commits every append that is waiting when it wakes up in one transaction.
// I/O threads only enqueue; they never touch the disk.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "store/rows.hpp"
#include "store/search_indexer.hpp"

namespace renkei::store {

class Database;

struct AppendRequest {
  EventRow row;
  // The room's generation when the event was decided. After a failed commit
  // of a council's events at generation g, later requests of that council
  // with generation <= g fail without being written: they were decided on
  // state that never became durable.
  std::uint64_t generation = 0;
  // Called on the writer thread after COMMIT (ok = true) or after the
  // batch failed (ok = false, error = SQLite's message). Must not block.
  std::function<void(bool ok, const std::string& error)> done;
};

// A write of other tables than the log (sessions, acknowledgements, the
// directory of people), made by the writer: see EventWriter::submit_write.
struct WriteRequest {
  std::function<void(Database&)> work;
  std::function<void(bool ok, const std::string& error)> done;
};

struct WriterStats {
  std::uint64_t batches = 0;              // transactions committed
  std::uint64_t events = 0;               // events committed
  std::uint64_t failures = 0;             // requests answered ok = false
  std::uint64_t audit_rows = 0;           // audit rows committed
  std::uint64_t audit_failures = 0;       // audit rows that could not be written
  std::uint64_t attendance_rows = 0;      // attendance upserts committed
  std::uint64_t attendance_failures = 0;  // attendance upserts that could not be written
  std::uint64_t writes = 0;               // submit_write works committed
  std::uint64_t write_failures = 0;       // ... answered ok = false
  std::uint64_t checkpoints = 0;          // WAL checkpoints run by the checkpoint thread
  std::uint64_t writer_checkpoints = 0;   // ... run by the writer itself (the WAL passed the limit)
  double writer_checkpoint_seconds = 0;   // time the writer spent in those (no commit meanwhile)
  std::uint64_t wal_pages = 0;            // pages the writer wrote to the WAL (a frame each)
  std::uint64_t redactions = 0;           // commits that rewrote events for text.redacted
  std::uint64_t redaction_checkpoints = 0;  // TRUNCATE checkpoints after them that emptied the WAL
  double redaction_checkpoint_seconds = 0;  // time the writer spent in those (no commit meanwhile)
  std::uint64_t redaction_vacuums = 0;  // PostgreSQL: VACUUMs run after them (maintenance thread)
  double redaction_vacuum_seconds = 0;  // time those took (beside the commits, not holding them)
};

// When the WAL is copied back into the database file. SQLite would do it
// inside the commit that passes its threshold, holding up every command
// waiting for the next commit (a copy of thousands of pages and an fsync of
// the database file: 5-25 ms stalls, several times a second at 10k events/s).
// The writer instead asks a thread of its own, with its own connection, for
// a PASSIVE checkpoint every `background_frames` of WAL growth; that one
// runs beside the commits and then syncs the database file (SQLite syncs it
// only at a checkpoint that copies the whole WAL, which would then flush
// every page copied since the last one). A WAL restarts from its beginning
// only after a checkpoint that copied all of it, which a background
// checkpoint seldom does while commits keep coming: past `writer_frames`
// the writer finishes the job itself between two commits (what the last
// background checkpoint left, under `background_frames`, and an fsync of
// the database file: ~1 ms at 10k events/s, 2.8 ms when the background
// checkpoints did not sync their pages). Smaller background steps spread
// their syncs, which delay the commits' WAL syncs running at the same time
// (server/docs/STORAGE.md, "Checkpoints"). When a reader still uses the
// WAL's end (a search, the search indexer reading new events) that
// checkpoint cannot finish; the writer tries again only after another
// quarter of `background_frames` (trying at every commit cost up to 14 ms
// at a time at the highest rate).
struct CheckpointPolicy {
  int background_frames = 512;  // 2 MiB of 4 KiB pages
  int writer_frames = 16384;    // 64 MiB
};

// What the writer reports of one transaction it committed or tried.
struct CommitObservation {
  std::size_t events = 0;               // event rows in the transaction
  std::size_t audit_rows = 0;           // audit rows in the transaction
  std::chrono::nanoseconds latency{0};  // BEGIN to the end of COMMIT (or the failure)
  bool ok = true;
};

class EventWriter {
 public:
  // Opens its own connection to `path` on the writer thread; if that fails,
  // every request is answered ok = false. `max_batch` bounds the events per
  // transaction (0 counts as 1).
  //
  // A batch holding several councils is committed in one transaction; if that
  // fails, each council's share is retried in its own transaction so that
  // one council's bad row does not fail (or poison) the others.
  explicit EventWriter(std::string path, std::size_t max_batch = 4096,
                       CheckpointPolicy checkpoints = {});
  ~EventWriter();  // stops and joins; pending requests are committed first
  EventWriter(const EventWriter&) = delete;
  EventWriter& operator=(const EventWriter&) = delete;

  // Thread-safe. The request's `done` is always called exactly once.
  void submit(AppendRequest request);

  // Thread-safe. The row is written with the next group commit (or alone
  // when no event is waiting). Audit rows have no completion: a failure to
  // write them is counted (stats().audit_failures) and logged.
  void submit_audit(AuditRow row);

  // Thread-safe. Like submit_audit: an attendance upsert (schema v4),
  // written with the next group commit and never failing a command.
  void submit_attendance(AttendanceRow row);

  // Thread-safe. Every write to the database other than the log's own rows
  // goes through here, so that the writer stays the one connection that
  // writes (a read worker that wrote would wait for the writer's lock and
  // hold up reads). `work` runs on the writer thread inside the next group
  // transaction, under a SAVEPOINT of its own: when it throws, its changes
  // alone are rolled back and it is answered ok = false with the message;
  // the batch's events and other writes are unaffected. `done` runs on the
  // writer thread after COMMIT (ok = true), or once the write is known to
  // have failed; it must not block. When the group transaction fails for
  // another reason (an event's row, the disk), the writes are tried again
  // in a transaction of their own, so `work` may run twice: it must act only
  // through `db`, and keep what it returns (captured state) from its last
  // run. After stop(), `done` is called at once with ok = false.
  void submit_write(std::function<void(Database&)> work,
                    std::function<void(bool ok, const std::string& error)> done);

  // Thread-safe snapshot of counters.
  WriterStats stats() const;

  // Called on the writer thread after every transaction (metrics). Set it
  // before submitting; it must not block and must outlive the writer.
  void set_observer(std::function<void(const CommitObservation&)> observer);

  // Stops accepting, commits what is queued, joins. Idempotent. Call from
  // the owner's thread, never from a `done` callback.
  void stop();

  // The search indexer that follows this writer's commits (the search
  // index file beside the log, store/search_index.hpp).
  SearchIndexer& search_indexer() { return search_indexer_; }

 private:
  void run();
  // The maintenance thread, on its own connection. SQLite: a PASSIVE
  // checkpoint each time the writer asks. PostgreSQL: a VACUUM of the
  // events after each commit that rewrote some for a redaction.
  void run_checkpoints();
  // Writer thread, after a transaction: checkpoint by the policy.
  void after_commit(Database& db);
  // Writer thread, after a commit that rewrote events for text.redacted:
  // the WAL still holds the pages as they were before, so it is copied into
  // the database file and truncated (TRUNCATE checkpoint), retried after
  // later commits while readers or the checkpoint thread keep it busy.
  void truncate_wal_after_redaction(Database& db);
  // Writer thread: commits `batch` (requests already screened for poisoned
  // generations) and answers every request. `db` is null when the
  // connection could not be opened; `open_error` then says why.
  void write(Database* db, const std::string& open_error, std::vector<AppendRequest>& batch,
             std::vector<AuditRow>& audit, std::vector<AttendanceRow>& attendance,
             std::vector<WriteRequest>& writes);

  std::string path_;
  std::size_t max_batch_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<AppendRequest> queue_;
  std::vector<AuditRow> audit_queue_;
  std::vector<AttendanceRow> attendance_queue_;
  std::vector<WriteRequest> write_queue_;
  bool stopping_ = false;
  WriterStats stats_;
  std::function<void(const CommitObservation&)> observer_;  // guarded by mutex_
  // The writer thread's copy of observer_, taken once it is set.
  std::function<void(const CommitObservation&)> observer_copy_;
  bool observer_copy_taken_ = false;
  std::unordered_map<std::string, std::uint64_t> failed_generation_;
  CheckpointPolicy checkpoint_policy_;
  int wal_frames_ = 0;                 // writer thread: the WAL's size after the last commit
  int checkpoint_asked_at_ = 0;        // writer thread: wal_frames_ at the last request
  int writer_retry_at_ = 0;            // writer thread: no checkpoint of its own below this
  bool truncate_pending_ = false;      // writer thread: a redaction's WAL is not truncated yet
  bool checkpoint_requested_ = false;  // guarded by mutex_
  bool vacuum_requested_ = false;      // guarded by mutex_ (PostgreSQL)
  bool checkpoint_stopping_ = false;   // guarded by mutex_
  std::condition_variable checkpoint_wake_;
  std::thread checkpoint_thread_;
  SearchIndexer search_indexer_;  // told each council's head after its commits
  std::thread thread_;
};

}  // namespace renkei::store
