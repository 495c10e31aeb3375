#include "store/event_writer.hpp"

#include <algorithm>
#include <exception>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string_view>
#include <utility>

#include "store/database.hpp"

namespace renkei::store {

namespace {

constexpr const char* poisoned_message = "not written: an earlier write of this council failed";

// Answers one request. A callback that throws must not take the writer
// thread down; the message names no data.
void answer(AppendRequest& request, bool ok, const std::string& error) {
  if (!request.done) return;
  try {
    request.done(ok, error);
  } catch (...) {
    std::cerr << "renkei store: an append completion threw; ignored\n";
  }
}

// Events rewritten for text.redacted rows by the transactions that committed.
using Redacted = std::vector<std::pair<std::string, std::uint64_t>>;

// Answers one write; like answer().
void answer(WriteRequest& request, bool ok, const std::string& error) {
  if (!request.done) return;
  try {
    request.done(ok, error);
  } catch (...) {
    std::cerr << "renkei store: a write completion threw; ignored\n";
  }
}

// The isolated writes of one transaction and what became of each ("" =
// written), filled in by every attempt.
struct Writes {
  std::vector<WriteRequest>* requests = nullptr;
  std::vector<std::string> errors;
};

// Tries to commit `requests` (their events), `audit`, `attendance` and
// `writes` (each under its own savepoint) in one transaction. Returns "" on
// success or the failure's message; tells `observer` (if any) how it went;
// adds the events it rewrote for text.redacted rows to `redacted`.
std::string try_commit(Database& db, const std::vector<AppendRequest*>& requests,
                       const std::vector<const AuditRow*>& audit,
                       const std::vector<const AttendanceRow*>& attendance, Writes* writes,
                       const std::function<void(const CommitObservation&)>& observer,
                       Redacted& redacted, std::set<std::string>& stale) {
  std::vector<const EventRow*> rows;
  rows.reserve(requests.size());
  for (const AppendRequest* request : requests) rows.push_back(&request->row);
  const bool has_writes = writes != nullptr && !writes->requests->empty();
  std::function<void()> isolated;
  if (has_writes) {
    isolated = [&db, writes] {
      writes->errors.assign(writes->requests->size(), std::string());
      for (std::size_t i = 0; i < writes->requests->size(); ++i)
        writes->errors[i] = db.run_isolated((*writes->requests)[i].work);
    };
  }
  const auto started = std::chrono::steady_clock::now();
  std::string error;
  try {
    db.append_events(rows, audit, attendance, isolated);
    for (auto& event : db.take_redacted()) redacted.push_back(std::move(event));
    for (auto& council : db.take_stale()) stale.insert(std::move(council));
  } catch (const StoreError& e) {
    error = e.what();
  } catch (const std::exception& e) {
    error = std::string("append failed: ") + e.what();
  }
  if (observer && (!rows.empty() || !audit.empty() || !attendance.empty() || has_writes)) {
    CommitObservation observation;
    observation.events = rows.size();
    observation.audit_rows = audit.size();
    observation.latency = std::chrono::steady_clock::now() - started;
    observation.ok = error.empty();
    try {
      observer(observation);
    } catch (...) {
      // Metrics never fail a commit.
    }
  }
  return error;
}

}  // namespace

EventWriter::EventWriter(std::string path, std::size_t max_batch, CheckpointPolicy checkpoints)
    : path_(std::move(path)),
      max_batch_(std::max<std::size_t>(max_batch, 1)),
      checkpoint_policy_(checkpoints),
      search_indexer_(path_) {
  thread_ = std::thread([this] { run(); });
}

EventWriter::~EventWriter() { stop(); }

void EventWriter::submit(AppendRequest request) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back(std::move(request));
      wake_.notify_one();
      return;
    }
    ++stats_.failures;
  }
  answer(request, false, "stopped");
}

void EventWriter::submit_audit(AuditRow row) {
  std::lock_guard lock(mutex_);
  if (stopping_) {
    ++stats_.audit_failures;
    return;
  }
  audit_queue_.push_back(std::move(row));
  wake_.notify_one();
}

void EventWriter::submit_attendance(AttendanceRow row) {
  std::lock_guard lock(mutex_);
  if (stopping_) {
    ++stats_.attendance_failures;
    return;
  }
  attendance_queue_.push_back(std::move(row));
  wake_.notify_one();
}

void EventWriter::submit_write(std::function<void(Database&)> work,
                               std::function<void(bool ok, const std::string& error)> done) {
  WriteRequest request{std::move(work), std::move(done)};
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      write_queue_.push_back(std::move(request));
      wake_.notify_one();
      return;
    }
    ++stats_.write_failures;
  }
  answer(request, false, "stopped");
}

void EventWriter::set_observer(std::function<void(const CommitObservation&)> observer) {
  std::lock_guard lock(mutex_);
  observer_ = std::move(observer);
}

WriterStats EventWriter::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void EventWriter::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  {
    std::lock_guard lock(mutex_);
    checkpoint_stopping_ = true;
  }
  checkpoint_wake_.notify_all();
  if (checkpoint_thread_.joinable()) checkpoint_thread_.join();
  search_indexer_.stop();
}

void EventWriter::run_checkpoints() {
  std::unique_ptr<Database> db;
  try {
    db = std::make_unique<Database>(path_);
  } catch (const std::exception& e) {
    std::cerr << "renkei store: checkpoint connection: " << e.what() << "\n";
    return;  // the writer's own checkpoints still bound the WAL
  }
  std::unique_lock lock(mutex_);
  if (db->is_postgresql()) {
    for (;;) {
      checkpoint_wake_.wait(lock, [this] { return checkpoint_stopping_ || vacuum_requested_; });
      // A VACUUM asked for is run even when stopping: the last redaction's
      // old row versions must not wait for the next start.
      if (!vacuum_requested_) return;
      vacuum_requested_ = false;  // redactions committed meanwhile are in this VACUUM too
      lock.unlock();
      const auto started = std::chrono::steady_clock::now();
      bool done = false;
      try {
        db->vacuum_redacted();
        done = true;
      } catch (const std::exception& e) {
        std::cerr << "renkei store: VACUUM after a redaction: " << e.what() << "\n";
      }
      const std::chrono::duration<double> spent = std::chrono::steady_clock::now() - started;
      lock.lock();
      stats_.redaction_vacuum_seconds += spent.count();
      if (done) {
        ++stats_.redaction_vacuums;
      } else if (!checkpoint_stopping_) {
        // Tried again after a pause (the connection comes back by itself).
        vacuum_requested_ = true;
        checkpoint_wake_.wait_for(lock, std::chrono::seconds(1),
                                  [this] { return checkpoint_stopping_; });
      }
    }
  }
  for (;;) {
    checkpoint_wake_.wait(lock, [this] { return checkpoint_stopping_ || checkpoint_requested_; });
    if (checkpoint_stopping_) return;
    checkpoint_requested_ = false;
    lock.unlock();
    try {
      // A partial checkpoint leaves the pages it copied unsynced in the
      // database file, and the writer's complete checkpoint would have to
      // flush them all at once (2.8 ms, at most 4.6, at 10k events/s);
      // synced here, beside the commits, that leaves ~1 ms.
      if (!db->checkpoint()) db->sync_database_file();
    } catch (const std::exception& e) {
      std::cerr << "renkei store: checkpoint: " << e.what() << "\n";
    }
    lock.lock();
    ++stats_.checkpoints;
  }
}

void EventWriter::after_commit(Database& db) {
  // The WAL's size only falls when it restarts from its beginning.
  if (wal_frames_ < checkpoint_asked_at_) checkpoint_asked_at_ = 0;
  if (wal_frames_ < checkpoint_policy_.writer_frames) writer_retry_at_ = 0;
  if (wal_frames_ >= checkpoint_policy_.writer_frames && wal_frames_ >= writer_retry_at_) {
    bool complete = false;
    const auto started = std::chrono::steady_clock::now();
    try {
      complete = db.checkpoint();
    } catch (const std::exception& e) {
      std::cerr << "renkei store: checkpoint: " << e.what() << "\n";
    }
    if (complete) {
      wal_frames_ = 0;
      writer_retry_at_ = 0;
    } else {
      writer_retry_at_ = wal_frames_ + std::max(checkpoint_policy_.background_frames / 4, 1);
    }
    checkpoint_asked_at_ = 0;
    const std::chrono::duration<double> spent = std::chrono::steady_clock::now() - started;
    std::lock_guard lock(mutex_);
    ++stats_.writer_checkpoints;
    stats_.writer_checkpoint_seconds += spent.count();
  } else if (wal_frames_ - checkpoint_asked_at_ >= checkpoint_policy_.background_frames) {
    // Once per background_frames of growth: a checkpoint with little to
    // copy still costs two fsyncs.
    checkpoint_asked_at_ = wal_frames_;
    {
      std::lock_guard lock(mutex_);
      checkpoint_requested_ = true;
    }
    checkpoint_wake_.notify_one();
  }
}

void EventWriter::truncate_wal_after_redaction(Database& db) {
  const auto started = std::chrono::steady_clock::now();
  bool truncated = false;
  try {
    // Each try waits for readers up to Database::truncate_wait_ms; the
    // checkpoint thread's PASSIVE checkpoint makes it answer busy at once,
    // so try again a few times, for about that long in all.
    const auto give_up = started + std::chrono::milliseconds(Database::truncate_wait_ms + 50);
    while (!truncated && std::chrono::steady_clock::now() < give_up) {
      truncated = db.checkpoint_truncate();
      if (!truncated) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  } catch (const std::exception& e) {
    std::cerr << "renkei store: checkpoint after a redaction: " << e.what() << "\n";
  }
  const std::chrono::duration<double> spent = std::chrono::steady_clock::now() - started;
  if (truncated) {
    truncate_pending_ = false;
    wal_frames_ = 0;
    checkpoint_asked_at_ = 0;
    writer_retry_at_ = 0;
  } else {
    std::cerr << "renkei store: the WAL could not be truncated after a redaction; "
                 "trying again after the next commit\n";
  }
  std::lock_guard lock(mutex_);
  if (truncated) ++stats_.redaction_checkpoints;
  stats_.redaction_checkpoint_seconds += spent.count();
}

void EventWriter::run() {
  std::unique_ptr<Database> db;
  std::string open_error;
  try {
    db = std::make_unique<Database>(path_);
    // PostgreSQL checkpoints by itself and searches search_text, written
    // with the events: no index file, and the maintenance thread only
    // vacuums after redactions.
    if (!db->is_postgresql()) {
      db->checkpoint_elsewhere([this](int frames) { wal_frames_ = frames; });
      search_indexer_.start();
    }
    checkpoint_thread_ = std::thread([this] { run_checkpoints(); });
  } catch (const std::exception& e) {
    open_error = e.what();
  }

  for (;;) {
    std::vector<AppendRequest> batch;
    std::vector<AppendRequest> poisoned;
    std::vector<AuditRow> audit;
    std::vector<AttendanceRow> attendance;
    std::vector<WriteRequest> writes;
    {
      std::unique_lock lock(mutex_);
      if (!observer_copy_taken_) {
        observer_copy_ = observer_;
        observer_copy_taken_ = static_cast<bool>(observer_);
      }
      wake_.wait(lock, [this] {
        return stopping_ || !queue_.empty() || !audit_queue_.empty() ||
               !attendance_queue_.empty() || !write_queue_.empty();
      });
      if (queue_.empty() && audit_queue_.empty() && attendance_queue_.empty() &&
          write_queue_.empty())
        return;  // stopping, all answered
      audit.swap(audit_queue_);
      attendance.swap(attendance_queue_);
      writes.swap(write_queue_);
      while (!queue_.empty() && batch.size() < max_batch_) {
        AppendRequest request = std::move(queue_.front());
        queue_.pop_front();
        const auto failed = failed_generation_.find(request.row.council);
        if (failed != failed_generation_.end() && failed->second >= request.generation) {
          poisoned.push_back(std::move(request));
        } else {
          batch.push_back(std::move(request));
        }
      }
      stats_.failures += poisoned.size();
    }
    for (AppendRequest& request : poisoned) {
      answer(request, false, poisoned_message);
    }
    if (!batch.empty() || !audit.empty() || !attendance.empty() || !writes.empty()) {
      write(db.get(), open_error, batch, audit, attendance, writes);
      if (db && truncate_pending_) truncate_wal_after_redaction(*db);
      if (db) after_commit(*db);
    }
  }
}

void EventWriter::write(Database* db, const std::string& open_error,
                        std::vector<AppendRequest>& batch, std::vector<AuditRow>& audit,
                        std::vector<AttendanceRow>& attendance, std::vector<WriteRequest>& writes) {
  std::vector<const AuditRow*> audit_rows;
  audit_rows.reserve(audit.size());
  for (const AuditRow& row : audit) audit_rows.push_back(&row);
  std::vector<const AttendanceRow*> attendance_rows;
  attendance_rows.reserve(attendance.size());
  for (const AttendanceRow& row : attendance) attendance_rows.push_back(&row);
  // Audit and attendance rows and the isolated writes ride along with the
  // events; they never fail a command.
  const bool has_side_rows = !audit_rows.empty() || !attendance_rows.empty() || !writes.empty();
  bool audit_written = false;
  Writes isolated{&writes, {}};
  std::string side_error;  // why the side rows could not be written
  // Each council's requests, in submission order.
  std::map<std::string, std::vector<AppendRequest*>> by_council;
  std::vector<AppendRequest*> all;
  all.reserve(batch.size());
  for (AppendRequest& request : batch) {
    all.push_back(&request);
    by_council[request.row.council].push_back(&request);
  }

  Redacted redacted;
  // PostgreSQL: councils another instance wrote first (EventLog::take_stale).
  std::set<std::string> stale;
  // One entry per transaction that was tried: its requests and its error
  // ("" = committed).
  std::vector<std::pair<std::vector<AppendRequest*>, std::string>> outcomes;
  if (db == nullptr) {
    side_error = "database not open: " + open_error;
    outcomes.emplace_back(std::move(all), side_error);
  } else {
    std::string error = try_commit(*db, all, audit_rows, attendance_rows, &isolated, observer_copy_,
                                   redacted, stale);
    side_error = error;
    audit_written = error.empty();
    if (!all.empty() && (error.empty() || by_council.size() == 1)) {
      outcomes.emplace_back(std::move(all), std::move(error));
    } else {
      // The group failed as a whole; isolate the council(s) at fault.
      for (auto& [council, requests] : by_council) {
        std::string council_error =
            try_commit(*db, requests, {}, {}, nullptr, observer_copy_, redacted, stale);
        outcomes.emplace_back(std::move(requests), std::move(council_error));
      }
    }
    // Audit and attendance rows and the isolated writes never fail a
    // command: if the shared transaction failed they get one of their own.
    if (!audit_written && has_side_rows) {
      side_error = try_commit(*db, {}, audit_rows, attendance_rows, &isolated, observer_copy_,
                              redacted, stale);
      audit_written = side_error.empty();
    }
  }
  // A stale council's rows were left out of a transaction that committed:
  // its requests fail (the room goes back to what is durable and reads
  // what the other instance wrote), the others stand.
  if (!stale.empty()) {
    std::vector<AppendRequest*> refused;
    for (auto& [requests, error] : outcomes) {
      if (!error.empty()) continue;
      std::erase_if(requests, [&](AppendRequest* request) {
        if (!stale.contains(request->row.council)) return false;
        refused.push_back(request);
        return true;
      });
    }
    if (!refused.empty())
      outcomes.emplace_back(std::move(refused), "stale: another instance wrote this council first");
  }
  std::size_t writes_ok = 0;
  if (audit_written)
    for (const std::string& error : isolated.errors) writes_ok += error.empty() ? 1 : 0;
  if (has_side_rows) {
    std::lock_guard lock(mutex_);
    if (audit_written) {
      stats_.audit_rows += audit_rows.size();
      stats_.attendance_rows += attendance_rows.size();
    } else {
      stats_.audit_failures += audit_rows.size();
      stats_.attendance_failures += attendance_rows.size();
    }
    stats_.writes += writes_ok;
    stats_.write_failures += writes.size() - writes_ok;
  }
  if (!audit_written && has_side_rows) {
    std::cerr << "renkei store: " << audit_rows.size() << " audit rows, " << attendance_rows.size()
              << " attendance rows and " << writes.size() << " writes could not be written\n";
  }

  // The search index follows each council's committed head (SQLite: the
  // index file; PostgreSQL wrote search_text with the events).
  const bool index_file = db == nullptr || !db->is_postgresql();
  std::map<std::string_view, std::uint64_t> heads;
  for (const auto& [requests, error] : outcomes) {
    if (!error.empty()) continue;
    for (const AppendRequest* request : requests) {
      std::uint64_t& head = heads[request->row.council];
      head = std::max(head, request->row.seq);
    }
  }
  if (index_file)
    for (const auto& [council, head] : heads) search_indexer_.notify(std::string(council), head);
  if (!redacted.empty()) {
    std::map<std::string, std::vector<std::uint64_t>> by_council_seqs;
    for (const auto& [council, seq] : redacted) by_council_seqs[council].push_back(seq);
    if (index_file) {
      for (const auto& [council, seqs] : by_council_seqs) search_indexer_.purge(council, seqs);
      truncate_pending_ = true;
    }
    {
      std::lock_guard lock(mutex_);
      ++stats_.redactions;
      if (!index_file) vacuum_requested_ = true;
    }
    if (!index_file) checkpoint_wake_.notify_one();
  }

  std::uint64_t pages = 0;
  if (db != nullptr) {
    try {
      pages = db->take_pages_written();
    } catch (const std::exception& e) {
      std::cerr << "renkei store: page count: " << e.what() << "\n";
    }
  }
  {
    std::lock_guard lock(mutex_);
    stats_.wal_pages += pages;
    for (const auto& [requests, error] : outcomes) {
      if (error.empty()) {
        ++stats_.batches;
        stats_.events += requests.size();
        continue;
      }
      stats_.failures += requests.size();
      for (const AppendRequest* request : requests) {
        auto [it, inserted] =
            failed_generation_.try_emplace(request->row.council, request->generation);
        if (!inserted) it->second = std::max(it->second, request->generation);
      }
    }
  }

  for (auto& [requests, error] : outcomes) {
    for (AppendRequest* request : requests) {
      answer(*request, error.empty(), error);
    }
  }
  for (std::size_t i = 0; i < writes.size(); ++i) {
    if (!audit_written) {
      answer(writes[i], false, side_error);
    } else {
      const std::string& error = isolated.errors[i];
      answer(writes[i], error.empty(), error);
    }
  }
}

}  // namespace renkei::store
