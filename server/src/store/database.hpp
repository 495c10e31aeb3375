// One SQLite connection with the project's schema, pragmas and prepared
// statements. Synchronous: a Database belongs to one thread at a time (the
// store writer thread, a read worker, the CLI, or a test).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "domain/actor.hpp"
#include "domain/attendance.hpp"
#include "domain/search_text.hpp"
#include "store/event_log.hpp"
#include "store/record_queries.hpp"
#include "store/rows.hpp"
#include "store/sql_handle.hpp"
#include "store/store_error.hpp"

struct sqlite3;

namespace renkei::store {

// The schema version this build writes. Opening an older database migrates
// it; a newer one is refused.
inline constexpr int schema_version = 10;

// The effective settings of one connection, read back from SQLite (for
// tests and diagnostics).
struct ConnectionSettings {
  std::string journal_mode;  // "wal"
  int synchronous = 0;       // 2 = FULL
  int busy_timeout_ms = 0;
  bool foreign_keys = false;
};

// Implements EventLog and RecordQueries (the interfaces a second engine
// would implement); store::SqliteDirectory adds the directory on the same
// connection.
class Database final : public EventLog, public RecordQueries {
 public:
  // Opens or creates `path`; applies WAL, synchronous=FULL, busy_timeout and
  // foreign keys; runs migrations. A postgresql:// URI opens that database
  // instead (POSTGRES.md): the same methods, on PostgreSQL's schema, with
  // SQLite's file maintenance (checkpoints, page counts) doing nothing
  // there. Throws StoreError.
  explicit Database(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // True when this connection is to PostgreSQL (a postgresql:// URI).
  bool is_postgresql() const;
  int user_version();
  ConnectionSettings settings();

  // WAL checkpoints. By default SQLite checkpoints inside the commit that
  // grows the WAL past wal_autocheckpoint pages, so that commit waits for
  // the copy and an fsync of the database file. checkpoint_elsewhere stops
  // that for this connection and calls `grew(frames)` after each of its
  // commits with the WAL's size in frames; the owner checkpoints with
  // checkpoint(), here or on another connection.
  void checkpoint_elsewhere(std::function<void(int frames)> grew);
  // A PASSIVE checkpoint: copies what it can without waiting for readers or
  // writers. True when the whole WAL is now in the database file; false when
  // some remains or another checkpoint was running.
  bool checkpoint();
  // Syncs the database file (through SQLite's VFS). SQLite syncs it only
  // at a checkpoint that copies the whole WAL, which then flushes every page
  // that the partial checkpoints before it copied; syncing after each of
  // those keeps that last sync short.
  void sync_database_file();
  // Pages this connection has written to the WAL (one frame each) since the
  // last call: what a commit costs in disk writes, and later in checkpoint
  // copies.
  std::uint64_t take_pages_written();

  // Councils and participants (used by the CLI and the server).
  CouncilRow create_council(const std::string& name, domain::CouncilKind kind,
                            const std::string& now);
  std::optional<CouncilRow> find_council(const std::string& id) override;
  std::vector<CouncilRow> list_councils() override;

  // `token_hash` is the hex SHA-256 of the invite token; the token itself is
  // never stored.
  ParticipantRow add_participant(const std::string& council, const std::string& name,
                                 const std::string& org, domain::Role role,
                                 const std::string& token_hash, const std::string& now,
                                 const std::optional<std::string>& expires_at);
  std::optional<ParticipantRow> find_participant_by_token_hash(
      const std::string& token_hash) override;
  std::optional<ParticipantRow> find_participant(const std::string& id) override;
  std::vector<ParticipantRow> list_participants(const std::string& council) override;
  // Sets revoked_at. Returns false when there is no such participant or it
  // was already revoked (the first revocation time is kept).
  bool revoke_participant(const std::string& id, const std::string& now);
  // Participants revoked after `since` and not after `until` (UTC, as
  // stored), oldest first. A
  // seat whose person was deactivated reads as revoked then (schema v9;
  // ParticipantRow::revoked_at), so the server's watcher closes its sockets.
  std::vector<ParticipantRow> revoked_since(const std::string& since,
                                            const std::string& until) override;

  // Browser sessions (schema v2). `id_hash` is the hex SHA-256 of the cookie
  // value; the value itself is never stored.
  void create_browser_session(const std::string& id_hash, const std::string& participant,
                              const std::string& now, const std::string& expires_at);
  std::optional<BrowserSessionRow> find_browser_session(const std::string& id_hash);
  void touch_browser_session(const std::string& id_hash, const std::string& now);
  void end_browser_session(const std::string& id_hash, const std::string& now);
  // Ends every open session of a participant (revocation); returns how many.
  int end_participant_sessions(const std::string& participant, const std::string& now);

  // Audit trail (schema v3). append_audit writes in one transaction.
  void append_audit(const std::vector<const AuditRow*>& rows);
  // The council's trail (accepted commands from the event log, everything
  // else from audit_log), oldest first, at most `limit` rows.
  std::vector<AuditRow> read_audit(const std::string& council, std::size_t limit) override;

  // A consistent copy of the whole database into a new file `out`
  // (VACUUM INTO), taken while writers go on. Throws if `out` exists.
  void backup_to(const std::string& out);

  // Event log. append_events writes all rows in one transaction (BEGIN
  // IMMEDIATE ... COMMIT) and throws on any failure after rolling back, so a
  // batch is all or nothing. (council, seq) is the primary key; command ids
  // are kept unique per participant by the room, which knows every one of
  // its council (schema v7 dropped the index that checked it again in
  // every commit). `attendance` upserts (schema v4) are written in the same
  // transaction. The pointers must not be null. `before_commit`, when set,
  // runs inside the transaction after the rows, just before COMMIT (the
  // writer's isolated writes, see run_isolated); what it throws fails the
  // whole transaction.
  void append_events(const std::vector<const EventRow*>& rows,
                     const std::vector<const AuditRow*>& audit = {},
                     const std::vector<const AttendanceRow*>& attendance = {},
                     const std::function<void()>& before_commit = {}) override;

  // Inside the open transaction: runs `work` under a SAVEPOINT. When `work`
  // throws, its changes alone are rolled back and its message returned;
  // "" when it succeeded (its changes are then part of the transaction).
  // `work` must not begin, commit or roll back transactions itself. Throws
  // StoreError when no transaction is open, or when the failure ended the
  // transaction (SQLite rolls it all back on some errors: a full disk, I/O).
  std::string run_isolated(const std::function<void(Database&)>& work);

  // The events whose data and frame the last append_events rewrote for a
  // text.redacted row (schema v8), as (council, seq); empty after a failed
  // append. The writer hands them to the search indexer to purge.
  std::vector<std::pair<std::string, std::uint64_t>> take_redacted() override;
  // PostgreSQL: the councils the last append left out (EventLog::take_stale).
  std::vector<std::string> take_stale() override;
  // A TRUNCATE checkpoint: copies the whole WAL into the database file
  // (waiting for readers up to `truncate_wait_ms`) and truncates the WAL
  // to zero bytes, so the page images written before a redaction leave it.
  // True when it did; false when a reader or another checkpoint kept it
  // from finishing.
  bool checkpoint_truncate();
  static constexpr int truncate_wait_ms = 250;
  // PostgreSQL: VACUUM of `events` (with its TOAST table) and `search_text`,
  // so the row versions a redaction replaced and the search rows it deleted
  // are removed from the tables (POSTGRES.md "Redaction"). Runs outside any
  // transaction, beside the commits (it takes no lock that blocks them).
  // Their bytes may stay in the pages' free space until reused; `full`
  // (VACUUM FULL) rewrites both tables into new files, leaving none, but
  // holds every read and write of them meanwhile (the CLI's
  // purge-redacted, for a quiet hour). Nothing to do on SQLite
  // (secure_delete and checkpoint_truncate).
  void vacuum_redacted(bool full = false);

  // Attendance (schema v4). Every row of the council, by meeting then
  // first_seen_at.
  std::vector<domain::Attendance> list_attendance(const std::string& council) override;
  std::optional<domain::Attendance> find_attendance(const std::string& council,
                                                    const std::string& meeting,
                                                    const std::string& participant) override;
  // Records that `participant` acknowledged confidentiality of `meeting` at
  // `now`, once: an earlier acknowledgement is kept. Creates the attendance
  // row (first seen `now`) when there is none. Returns the row as stored.
  domain::Attendance acknowledge_confidentiality(const std::string& council,
                                                 const std::string& meeting,
                                                 const std::string& participant,
                                                 const std::string& now);

  // Search, newest first (by seq), at most `limit` hits: the index file
  // beside the log (store/search_index.hpp) for the council's events up to
  // its indexed seq, the log itself for the newer ones, so an event is
  // found as soon as it is committed. search_match takes an FTS5 query for
  // the trigram index (every term at least 3 characters; see
  // domain::search_terms) and the same terms as LIKE patterns for the
  // newer events; search_like takes up to five LIKE patterns (escaped with
  // '\'), all of which must match; empty patterns are ignored.
  std::vector<domain::SearchHit> search_match(const std::string& council,
                                              const std::string& fts_query,
                                              const std::vector<std::string>& patterns,
                                              std::size_t limit) override;
  std::vector<domain::SearchHit> search_like(const std::string& council,
                                             const std::vector<std::string>& patterns,
                                             std::size_t limit) override;
  // Highest seq of the council's log, 0 when it has none.
  std::uint64_t head(const std::string& council) override;
  // Events of the council recorded after `at` (UTC text as stored): the
  // home page's "changes since my last visit".
  std::uint64_t count_events_after(const std::string& council, const std::string& at);

  // The demo database (schema v9, table deployment): seeded by `serve
  // --demo`, where no second factor is required and invite links of seated
  // people sign the person in. A real database is never marked.
  bool is_demo();
  void mark_demo();
  // Events with seq > after, ascending, at most `limit`.
  std::vector<EventRow> read_events(const std::string& council, std::uint64_t after,
                                    std::size_t limit) override;
  // Frames with after < seq <= upto, ascending, at most `limit`.
  std::vector<std::string> read_frames(const std::string& council, std::uint64_t after,
                                       std::uint64_t upto, std::size_t limit) override;
  // Presence across instances (PostgreSQL only; POSTGRES.md "Presence").
  // Replaces this instance's rows of `council` with `connected` and sends
  // NOTIFY renkei_presence '<council>' (delivered with the COMMIT).
  void replace_presence(const std::string& instance, const std::string& council,
                        const std::vector<domain::Actor>& connected, const std::string& expires_at);
  // Moves the expiry of every row of `instance` forward; drops rows that
  // have lapsed (any instance's).
  void refresh_presence(const std::string& instance, const std::string& expires_at,
                        const std::string& now);
  // Who other instances list for `council` and still keep alive.
  std::vector<domain::Actor> read_presence(const std::string& council,
                                           const std::string& except_instance,
                                           const std::string& now);
  // Failed sign-ins shared by the instances (PostgreSQL only; on SQLite one
  // process counts them in memory). `key` is "login:<login>" or
  // "address:<address>". The failures of `key` within `window` before
  // `now`, and the seconds until the oldest of them leaves the window.
  std::pair<std::size_t, std::int64_t> sign_in_failures(const std::string& key,
                                                        const std::string& now,
                                                        std::chrono::seconds window);
  // Records a failure for each key at `now`; drops their rows older than
  // `window`.
  void record_sign_in_failure(const std::vector<std::string>& keys, const std::string& now,
                              std::chrono::seconds window);
  // Forgets the failures of `key` (a successful sign-in of that login).
  void clear_sign_in_failures(const std::string& key);
  // PRAGMA integrity_check == "ok".
  bool integrity_ok();

 private:
  // SqliteDirectory works on this connection (same thread, same
  // transactions); nothing else outside the store sees SQLite.
  friend class SqliteDirectory;
  SqlHandle handle();

  std::vector<domain::SearchHit> search(const std::string& council, const std::string& fts_query,
                                        const std::vector<std::string>& patterns,
                                        std::size_t limit);

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace renkei::store
