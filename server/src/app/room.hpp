// A live council: its folded state, the connections that follow it, and the
// command path decide -> append -> (commit) -> apply -> broadcast -> ack.
//
// Threading: every member is touched only on the room's strand; the public
// methods are thread-safe and post to it. The store's writer thread reports
// commits by posting back to the strand.
//
// Two states are kept. `working_` has every decided event applied at once,
// so the next command is decided against everything accepted before it, even
// while earlier events wait for their commit. `committed_` has only durable
// events; it is what joins, records and broadcasts see. If a commit fails, the
// undecided tail is rejected (`internal`, no ack), `working_` goes back to
// `committed_`, and the generation moves on so the writer drops the rest.
//
// Attendance: a participant attends a meeting when one of their connections
// joins while it is live (by the committed state), or is connected when it
// starts; leaving and the meeting's end move last_seen_at. The rows go to the
// writer like audit rows (never failing a command) and are not events, so
// seq numbering is untouched.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/agenda_catalog.hpp"
#include "app/clock.hpp"
#include "app/connection.hpp"
#include "app/executor.hpp"
#include "app/metrics.hpp"
#include "domain/actor.hpp"
#include "domain/command.hpp"
#include "domain/council_state.hpp"
#include "domain/org_ref.hpp"
#include "domain/proxy.hpp"
#include "store/event_writer.hpp"

namespace renkei::app {

// Promotion from a one-on-one (CONTINUITY.md section 5), the part rooms
// cannot do alone. Both are set by the application before any room exists
// and are called on a room's strand; they must not block.
struct PromotionHooks {
  // Looks the council `target` up (kind, area, archived; nullopt when there
  // is none) and calls `done` with it, on any thread.
  std::function<void(const std::string& target,
                     std::function<void(std::optional<domain::PromotionTarget>)> done)>
      resolve;
  // The promotion `promotion` of `one_on_one` (its committed state) is
  // agreed: append its items to the target council.
  std::function<void(const domain::CouncilState& one_on_one, const std::string& promotion)> deliver;
};

struct RoomServices {
  store::EventWriter& writer;
  const Clock& clock;
  const AgendaCatalog& agendas;
  Metrics& metrics;
  // The directory of organisations every decision consults (v2); null or an
  // empty function: none (v1). Not owned; it outlives the rooms and is called
  // on their strands (domain/org_ref.hpp says what it must guarantee).
  const domain::OrgResolver* orgs = nullptr;
  // Every council's seats, for proxy input (CONTINUITY.md section 4); null
  // or empty: every on_behalf_of names no seat. Not owned; called on the
  // rooms' strands, answers from memory.
  const domain::SeatLookup* seats = nullptr;
  // Promotion from a one-on-one; null: promotions to a council are refused
  // as not_found and nothing is delivered.
  const PromotionHooks* promotions = nullptr;
  // Several instances on one PostgreSQL database (POSTGRES.md): reads the
  // council's events after `after` from the log and hands them to
  // `room->receive`, on any thread. Null or empty on SQLite, where this
  // process is the only writer. Called after a commit failed (another
  // instance may have written the council first).
  std::function<void(std::shared_ptr<class Room> room, std::uint64_t after)> fetch;
  // Several instances: publishes who is connected to the council through
  // this instance (called on the room's strand when that list changes).
  // Null or empty on SQLite.
  std::function<void(const std::string& council, std::vector<domain::Actor> connected)>
      presence_out;
};

class Room : public std::enable_shared_from_this<Room> {
 public:
  Room(domain::CouncilState state, std::unordered_map<std::string, std::uint64_t> commands,
       std::shared_ptr<Executor> strand, RoomServices services);

  const std::string& council() const { return council_; }
  const std::string& name() const { return name_; }
  domain::CouncilKind kind() const { return kind_; }

  // Adds `connection` (speaking for `actor`) to the followers. `joined(head)`
  // runs on the strand with the committed head at the moment of joining:
  // every event with a higher seq will be sent to the connection live, every
  // event up to it is in the database.
  void join(std::shared_ptr<Connection> connection, domain::Actor actor,
            std::function<void(std::uint64_t head)> joined);
  // The connection has caught up: it receives the presence list now and
  // whenever it changes (extension message "presence").
  void announce(std::uint64_t connection_id);
  void leave(std::uint64_t connection_id);
  // Closes every connection of `participant` (logout, revocation).
  void disconnect(std::string participant, std::uint16_t code);

  // Runs one command for `actor`. The reply (ack or error) goes to
  // `connection` with `command_id`. With `on_behalf_of` (proxy input,
  // CONTINUITY.md section 4) the command is decided as that attendee's
  // (domain/proxy.hpp) and its event names `actor` as entered_by; the
  // command id stays the sender's.
  void submit(std::shared_ptr<Connection> connection, domain::Actor actor, std::string command_id,
              domain::Command command, std::optional<std::string> on_behalf_of = std::nullopt);

  // A command the protocol layer could not decode (`error` is unknown_op or
  // bad_request). If this participant already used `command_id` for a
  // command that produced an event, the original ack is sent again —
  // idempotency holds whatever the args; otherwise `error` is sent. `op` is
  // set only when it names a known op (it goes to the audit trail).
  void submit_undecodable(std::shared_ptr<Connection> connection, domain::Actor actor,
                          std::string command_id, std::optional<std::string> op,
                          domain::Error error,
                          std::optional<std::string> on_behalf_of = std::nullopt);

  // Appends one item an agreed promotion hands to this council (CONTINUITY.md
  // section 5): its event (promoted_event) by `by`, the proposing party, under
  // `command_id`. Idempotent: nothing happens when this participant's
  // command id already produced an event (a retry, or completion at
  // start-up). Goes through the writer like any command; audited.
  void append_promoted(domain::Actor by, std::string command_id, domain::PromotedItem item,
                       std::string date);

  // Events another instance committed for this council (PostgreSQL), read
  // from the log in seq order. Those that follow the committed head are
  // applied, sent to the followers as they are stored (the wire frames),
  // and their command ids remembered; older ones are ignored (a late or
  // repeated notification), and a gap stops the batch (the rest is read
  // again). Thread-safe.
  void receive(std::vector<store::EventRow> rows);
  // Who other instances list as connected to this council (PostgreSQL):
  // merged into the presence list this room sends. Thread-safe.
  void set_remote_presence(std::vector<domain::Actor> connected);
  // The committed head, on the strand, to `done`.
  void head(std::function<void(std::uint64_t)> done);
  // A notification that the council's log reached `seq` (PostgreSQL): the
  // room reads what it has not got (RoomServices::fetch) unless it decided
  // `seq` itself — its own commit then answers, and a conflict with
  // another instance's events fails that commit, which fetches. So an
  // instance's own notifications cost no read. Thread-safe.
  void written(std::uint64_t seq);

  // Runs `fn` on the strand with the committed state.
  void inspect(std::function<void(const domain::CouncilState&)> fn);

  // Number of followers (approximate when read off the strand).
  std::size_t followers() const { return follower_count_.load(); }

 private:
  // A client's command as it came, kept while its event waits for the
  // commit: when another instance wrote the council first (PostgreSQL), it
  // is decided again on the state that includes what that one wrote.
  struct Redo {
    std::weak_ptr<Connection> connection;
    domain::Actor actor;
    std::string command_id;
    domain::Command command;
    std::optional<std::string> on_behalf_of;
    int attempts = 0;
  };
  struct Pending {
    std::chrono::steady_clock::time_point decided;
    domain::Event event;
    Frame frame;
    std::string key;
    std::string command_id;
    std::vector<std::weak_ptr<Connection>> waiters;
    std::shared_ptr<Redo> redo;  // null for events no client sent
  };

  void do_submit(const std::shared_ptr<Connection>& connection, const domain::Actor& actor,
                 const std::string& command_id, domain::Command& command,
                 const std::optional<std::string>& on_behalf_of, int attempts = 0);
  // Decides nothing: stamps `data` as the next event by `author` (entered
  // by `entered_by` for proxy input), applies it to the working state and
  // queues it to the writer. `waiter` (may be null) gets the ack.
  void append(const domain::Actor& author, const std::optional<domain::Actor>& entered_by,
              const std::string& command_id, std::string key, domain::EventData data,
              const std::shared_ptr<Connection>& waiter);
  void on_commit(std::uint64_t seq, std::uint64_t generation, bool ok, bool stale);
  void flush();
  // `stale`: the commit failed because another instance wrote the council
  // first; client commands are then decided again once its events are in.
  void reject_pending(bool stale = false);
  void do_receive(std::vector<store::EventRow>& rows);
  // Sends `batch` to every follower; drops those gone (true if any was).
  bool send_to_followers(std::shared_ptr<const FrameBatch> batch);
  // Counts, audits and answers a refused command.
  void refuse(const std::shared_ptr<Connection>& connection, const domain::Actor& actor,
              const std::string& command_id, const std::optional<std::string>& op,
              const domain::Error& error,
              const std::optional<std::string>& on_behalf_of = std::nullopt);
  // Sends the ack of an already used command id (or queues the connection
  // for it while it commits); false if the id is new.
  bool answer_duplicate(const std::shared_ptr<Connection>& connection, const std::string& key,
                        const std::string& command_id);
  // Presence changes are coalesced: a burst of joins and leaves (a meeting
  // starting, a network blip) sends one list per `presence_delay`, and a
  // list is sent again only when the set of participants changed.
  void schedule_presence();
  void broadcast_presence();
  // Attendance (not an event): queued to the writer with the next commit.
  void record_attendance(const std::string& meeting, const std::string& participant,
                         const std::string& at);
  void record_attendance_of_followers(const std::string& meeting, const std::string& at);
  Pending* find_pending(std::uint64_t seq);

  const std::string council_;
  const std::string name_;
  const domain::CouncilKind kind_;
  std::shared_ptr<Executor> strand_;
  RoomServices services_;

  domain::CouncilState committed_;
  domain::CouncilState working_;
  // Every command id that produced an event (key: command_key) and its seq,
  // durable or still pending: seq > committed_.head means it is in pending_.
  // One map rather than one per state: a command costs one lookup and one
  // insertion.
  std::unordered_map<std::string, std::uint64_t> commands_;
  std::deque<Pending> pending_;    // decided, in seq order
  std::uint64_t durable_seq_ = 0;  // highest seq known committed
  // Rows from the log were set aside while own events waited for their
  // commit (do_receive): read the log again once they are settled.
  bool fetch_after_commit_ = false;
  // Commands to decide again after the next read of the log (reject_pending
  // with stale), in their order.
  std::vector<std::shared_ptr<Redo>> redo_;
  // The current command's Redo while do_submit decides it (append keeps it).
  std::shared_ptr<Redo> deciding_;
  std::uint64_t generation_ = 0;

  // Commit reports from the writer thread. A group commit reports each of
  // its events; they are collected here and the strand is woken once per
  // burst, not once per event (a post per event from the writer thread was
  // an allocation, two mutexes and often a wake-up each).
  struct CommitReport {
    std::uint64_t seq;
    std::uint64_t generation;
    bool ok;
    bool stale;
  };
  void report_commit(CommitReport report);
  void take_commit_reports();
  std::mutex reports_mutex_;
  std::vector<CommitReport> reports_;        // guarded by reports_mutex_
  bool reports_posted_ = false;              // guarded by reports_mutex_
  std::vector<CommitReport> reports_taken_;  // strand only: reused storage

  struct Follower {
    std::weak_ptr<Connection> connection;
    domain::Actor actor;
    bool announced = false;     // caught up; receives presence
    bool has_presence = false;  // was sent the current list
  };
  std::map<std::uint64_t, Follower> followers_;  // by connection id, in join order
  std::atomic<std::size_t> follower_count_{0};
  bool presence_scheduled_ = false;
  std::vector<std::string> presence_participants_;   // as last sent
  std::vector<domain::Actor> remote_presence_;       // other instances' (set_remote_presence)
  std::vector<std::string> published_participants_;  // as last given to presence_out
  bool published_ = false;
  Frame presence_frame_;  // the list last sent
};

}  // namespace renkei::app
