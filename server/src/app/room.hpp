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
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
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
#include "store/event_writer.hpp"

namespace renkei::app {

struct RoomServices {
  store::EventWriter& writer;
  const Clock& clock;
  const AgendaCatalog& agendas;
  Metrics& metrics;
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
  // `connection` with `command_id`.
  void submit(std::shared_ptr<Connection> connection, domain::Actor actor, std::string command_id,
              domain::Command command);

  // Runs `fn` on the strand with the committed state.
  void inspect(std::function<void(const domain::CouncilState&)> fn);

  // Number of followers (approximate when read off the strand).
  std::size_t followers() const { return follower_count_.load(); }

 private:
  struct Pending {
    domain::Event event;
    Frame frame;
    std::string key;
    std::string command_id;
    std::vector<std::weak_ptr<Connection>> waiters;
  };

  void do_submit(const std::shared_ptr<Connection>& connection, const domain::Actor& actor,
                 const std::string& command_id, domain::Command& command);
  void on_commit(std::uint64_t seq, std::uint64_t generation, bool ok);
  void flush();
  void reject_pending();
  // Counts, audits and answers a refused command.
  void refuse(const std::shared_ptr<Connection>& connection, const domain::Actor& actor,
              const std::string& command_id, const domain::Command& command,
              const domain::Error& error);
  void broadcast_presence();
  Pending* find_pending(std::uint64_t seq);

  const std::string council_;
  const std::string name_;
  const domain::CouncilKind kind_;
  std::shared_ptr<Executor> strand_;
  RoomServices services_;

  domain::CouncilState committed_;
  domain::CouncilState working_;
  std::unordered_map<std::string, std::uint64_t> commands_;  // durable
  std::unordered_map<std::string, std::uint64_t> pending_commands_;
  std::deque<Pending> pending_;    // decided, in seq order
  std::uint64_t durable_seq_ = 0;  // highest seq known committed
  std::uint64_t generation_ = 0;
  bool flush_posted_ = false;

  struct Follower {
    std::weak_ptr<Connection> connection;
    domain::Actor actor;
    bool announced = false;  // caught up; receives presence
  };
  std::map<std::uint64_t, Follower> followers_;  // by connection id, in join order
  std::atomic<std::size_t> follower_count_{0};
};

}  // namespace renkei::app
