#include "app/room.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <set>
#include <string_view>
#include <unordered_set>

#include "app/council_loader.hpp"
#include "domain/decide.hpp"
#include "domain/fold.hpp"
#include "domain/promotion.hpp"
#include "protocol/event_codec.hpp"
#include "protocol/server_messages.hpp"

namespace renkei::app {
namespace {

constexpr std::chrono::milliseconds presence_delay{50};

// How often a command refused as stale is decided again before the client
// is told to send it again (internal).
constexpr int max_redo_attempts = 5;

Frame make_frame(std::string text) { return std::make_shared<const std::string>(std::move(text)); }

void reply(const std::shared_ptr<Connection>& connection, const domain::Error& error,
           const std::string& command_id) {
  connection->send_frame(make_frame(protocol::encode_error(error, command_id)));
}

// What the store rewrites for a text.redacted event (the kind of its target
// as the state knows it); nothing for other events.
std::optional<store::RedactionRow> redaction_of(const domain::CouncilState& state,
                                                const domain::EventData& data) {
  const auto* redacted = std::get_if<domain::TextRedacted>(&data);
  if (redacted == nullptr) return std::nullopt;
  using store::RedactionScope;
  const bool of_participant = redacted->participant.has_value();
  RedactionScope scope = RedactionScope::issue;
  if (state.find_proposal(redacted->target) != nullptr)
    scope = of_participant ? RedactionScope::stance_reason : RedactionScope::proposal;
  else if (state.find_role(redacted->target) != nullptr)
    scope = of_participant ? RedactionScope::role_notes : RedactionScope::role;
  return store::RedactionRow{scope, redacted->target, redacted->participant.value_or("")};
}

// The meeting an event belongs to: the one it starts, or the live one.
std::optional<std::string> meeting_of(const domain::CouncilState& state,
                                      const domain::EventData& data) {
  if (auto* started = std::get_if<domain::MeetingStarted>(&data)) return started->meeting;
  return state.live_meeting;
}

}  // namespace

Room::Room(domain::CouncilState state, std::unordered_map<std::string, std::uint64_t> commands,
           std::shared_ptr<Executor> strand, RoomServices services)
    : council_(state.council),
      name_(state.name),
      kind_(state.kind),
      strand_(std::move(strand)),
      services_(services),
      committed_(state),
      working_(std::move(state)),
      commands_(std::move(commands)),
      durable_seq_(committed_.head) {}

void Room::join(std::shared_ptr<Connection> connection, domain::Actor actor,
                std::function<void(std::uint64_t)> joined) {
  strand_->post([self = shared_from_this(), connection = std::move(connection),
                 actor = std::move(actor), joined = std::move(joined)]() mutable {
    // Joining while a meeting is live is attending it.
    if (self->committed_.live_meeting)
      self->record_attendance(*self->committed_.live_meeting, actor.participant,
                              self->services_.clock.now());
    self->followers_[connection->id()] = Follower{connection, std::move(actor), false, false};
    self->follower_count_.store(self->followers_.size());
    joined(self->committed_.head);
    self->schedule_presence();
  });
}

void Room::announce(std::uint64_t connection_id) {
  strand_->post([self = shared_from_this(), connection_id] {
    auto it = self->followers_.find(connection_id);
    if (it == self->followers_.end()) return;
    Follower& follower = it->second;
    follower.announced = true;
    // With no change under way the list last sent is the current one.
    if (!self->presence_scheduled_ && self->presence_frame_) {
      if (auto connection = follower.connection.lock())
        connection->send_frame(self->presence_frame_);
      follower.has_presence = true;
      return;
    }
    self->schedule_presence();
  });
}

void Room::leave(std::uint64_t connection_id) {
  strand_->post([self = shared_from_this(), connection_id] {
    const auto it = self->followers_.find(connection_id);
    if (it == self->followers_.end()) return;
    // Leaving a live meeting is the last time the participant was seen in it.
    if (self->committed_.live_meeting)
      self->record_attendance(*self->committed_.live_meeting, it->second.actor.participant,
                              self->services_.clock.now());
    self->followers_.erase(it);
    self->follower_count_.store(self->followers_.size());
    self->schedule_presence();
  });
}

void Room::disconnect(std::string participant, std::uint16_t code) {
  strand_->post([self = shared_from_this(), participant = std::move(participant), code] {
    for (auto& [id, follower] : self->followers_) {
      if (follower.actor.participant != participant) continue;
      if (auto connection = follower.connection.lock()) connection->close(code);
    }
  });
}

void Room::record_attendance(const std::string& meeting, const std::string& participant,
                             const std::string& at) {
  services_.writer.submit_attendance(store::AttendanceRow{council_, meeting, participant, at});
}

void Room::record_attendance_of_followers(const std::string& meeting, const std::string& at) {
  std::set<std::string> seen;
  for (const auto& entry : followers_) {
    const std::string& participant = entry.second.actor.participant;
    if (seen.insert(participant).second) record_attendance(meeting, participant, at);
  }
}

void Room::schedule_presence() {
  if (presence_scheduled_) return;
  presence_scheduled_ = true;
  strand_->post_after(presence_delay, [self = shared_from_this()] {
    self->presence_scheduled_ = false;
    self->broadcast_presence();
  });
}

void Room::broadcast_presence() {
  std::vector<domain::Actor> connected;
  std::vector<std::string> participants;
  std::unordered_set<std::string_view> listed;
  for (const auto& entry : followers_) {
    const domain::Actor& actor = entry.second.actor;
    if (!listed.insert(actor.participant).second) continue;
    connected.push_back(actor);
    participants.push_back(actor.participant);
  }
  // Several instances: this instance's list goes to the others, and theirs
  // is merged in (a participant connected to both is listed once).
  if (services_.presence_out && (!published_ || participants != published_participants_)) {
    published_ = true;
    published_participants_ = participants;
    services_.presence_out(council_, connected);
  }
  for (const auto& actor : remote_presence_) {
    if (!listed.insert(actor.participant).second) continue;
    connected.push_back(actor);
    participants.push_back(actor.participant);
  }
  const bool changed = !presence_frame_ || participants != presence_participants_;
  if (changed) {
    presence_frame_ = make_frame(protocol::encode_presence(connected));
    presence_participants_ = std::move(participants);
  }
  for (auto& [id, follower] : followers_) {
    if (!follower.announced || (follower.has_presence && !changed)) continue;
    if (auto connection = follower.connection.lock()) connection->send_frame(presence_frame_);
    follower.has_presence = true;
  }
}

void Room::set_remote_presence(std::vector<domain::Actor> connected) {
  strand_->post([self = shared_from_this(), connected = std::move(connected)]() mutable {
    if (connected == self->remote_presence_) return;
    self->remote_presence_ = std::move(connected);
    self->broadcast_presence();
  });
}

void Room::inspect(std::function<void(const domain::CouncilState&)> fn) {
  strand_->post([self = shared_from_this(), fn = std::move(fn)] { fn(self->committed_); });
}

void Room::submit(std::shared_ptr<Connection> connection, domain::Actor actor,
                  std::string command_id, domain::Command command,
                  std::optional<std::string> on_behalf_of) {
  // promotion.propose to a council: the target is looked up first (off the
  // strand), then decided like any command.
  if (auto* propose = std::get_if<domain::PromotionPropose>(&command);
      propose && propose->target != "prefecture" && services_.promotions &&
      services_.promotions->resolve) {
    const std::string target = propose->target;
    services_.promotions->resolve(
        target, [self = shared_from_this(), connection = std::move(connection),
                 actor = std::move(actor), command_id = std::move(command_id),
                 command = std::move(command), on_behalf_of = std::move(on_behalf_of)](
                    std::optional<domain::PromotionTarget> resolved) mutable {
          std::get<domain::PromotionPropose>(command).resolved = std::move(resolved);
          self->strand_->post([self, connection = std::move(connection), actor = std::move(actor),
                               command_id = std::move(command_id), command = std::move(command),
                               on_behalf_of = std::move(on_behalf_of)]() mutable {
            self->do_submit(connection, actor, command_id, command, on_behalf_of);
          });
        });
    return;
  }
  strand_->post([self = shared_from_this(), connection = std::move(connection),
                 actor = std::move(actor), command_id = std::move(command_id),
                 command = std::move(command), on_behalf_of = std::move(on_behalf_of)]() mutable {
    self->do_submit(connection, actor, command_id, command, on_behalf_of);
  });
}

void Room::submit_undecodable(std::shared_ptr<Connection> connection, domain::Actor actor,
                              std::string command_id, std::optional<std::string> op,
                              domain::Error error, std::optional<std::string> on_behalf_of) {
  strand_->post([self = shared_from_this(), connection = std::move(connection),
                 actor = std::move(actor), command_id = std::move(command_id), op = std::move(op),
                 error = std::move(error), on_behalf_of = std::move(on_behalf_of)] {
    if (self->answer_duplicate(connection, command_key(actor.participant, command_id),
                               command_id)) {
      return;
    }
    self->refuse(connection, actor, command_id, op, error, on_behalf_of);
  });
}

void Room::append_promoted(domain::Actor by, std::string command_id, domain::PromotedItem item,
                           std::string date) {
  strand_->post([self = shared_from_this(), by = std::move(by), command_id = std::move(command_id),
                 item = std::move(item), date = std::move(date)] {
    std::string key = command_key(by.participant, command_id);
    if (self->commands_.contains(key)) return;  // already in this council
    domain::EventData data = domain::promoted_event(self->working_, item, date);
    store::AuditRow audit;
    audit.at = self->services_.clock.now();
    audit.council = self->council_;
    audit.participant = by.participant;
    audit.action = "promotion.deliver";
    audit.op = std::string(domain::op_name(data));
    audit.outcome = "ok";
    self->services_.writer.submit_audit(std::move(audit));
    self->append(by, std::nullopt, command_id, std::move(key), std::move(data), nullptr);
  });
}

bool Room::answer_duplicate(const std::shared_ptr<Connection>& connection, const std::string& key,
                            const std::string& command_id) {
  const auto it = commands_.find(key);
  if (it == commands_.end()) return false;
  services_.metrics.count_duplicate();
  if (it->second <= committed_.head) {
    connection->send_frame(make_frame(protocol::encode_ack(command_id, it->second)));
  } else if (Pending* pending = find_pending(it->second)) {
    pending->waiters.push_back(connection);  // acked when it commits
  }
  return true;
}

Room::Pending* Room::find_pending(std::uint64_t seq) {
  if (pending_.empty()) return nullptr;
  const std::uint64_t first = pending_.front().event.seq;
  if (seq < first || seq - first >= pending_.size()) return nullptr;
  return &pending_[seq - first];
}

void Room::do_submit(const std::shared_ptr<Connection>& connection, const domain::Actor& actor,
                     const std::string& command_id, domain::Command& command,
                     const std::optional<std::string>& on_behalf_of, int attempts) {
  // The command id is the sender's, proxied or not.
  std::string key = command_key(actor.participant, command_id);

  // Idempotency: a command id that already produced an event gets that
  // event's ack again, whatever its arguments.
  if (answer_duplicate(connection, key, command_id)) return;

  // Proxy input: decided as the attendee's; the sender is entered_by.
  domain::Actor author = actor;
  std::optional<domain::Actor> entered_by;
  if (on_behalf_of) {
    std::optional<domain::Seat> seat;
    if (services_.seats != nullptr && *services_.seats) seat = (*services_.seats)(*on_behalf_of);
    auto as = domain::proxy_actor(actor, council_, domain::op_name(command), seat);
    if (auto* error = std::get_if<domain::Error>(&as)) {
      refuse(connection, actor, command_id, std::string(domain::op_name(command)), *error,
             on_behalf_of);
      return;
    }
    author = std::move(std::get<domain::Actor>(as));
    entered_by = actor;
  }

  if (auto* start = std::get_if<domain::MeetingStart>(&command); start && start->agenda) {
    const domain::AgendaTemplate* agenda = services_.agendas.find(*start->agenda);
    if (!agenda) {
      refuse(connection, actor, command_id, std::string(domain::op_name(command)),
             domain::make_error(domain::ErrorCode::not_found, "議題テンプレートが見つかりません",
                                "agenda template not found"));
      return;
    }
    start->items = agenda->items;
  }

  // Kept only where another instance may write the council too.
  if (services_.fetch)
    deciding_ = std::make_shared<Redo>(
        Redo{connection, actor, command_id, command, on_behalf_of, attempts});
  static const domain::OrgResolver no_directory;
  domain::Decision decision =
      domain::decide(working_, author, command, services_.orgs ? *services_.orgs : no_directory);
  if (auto* error = std::get_if<domain::Error>(&decision)) {
    refuse(connection, actor, command_id, std::string(domain::op_name(command)), *error,
           on_behalf_of);
    return;
  }

  append(author, entered_by, command_id, std::move(key),
         std::move(std::get<domain::EventData>(decision)), connection);
  deciding_.reset();
}

void Room::append(const domain::Actor& author, const std::optional<domain::Actor>& entered_by,
                  const std::string& command_id, std::string key, domain::EventData data,
                  const std::shared_ptr<Connection>& waiter) {
  domain::Event event;
  event.seq = working_.head + 1;
  event.at = services_.clock.now();
  event.by = author;
  event.entered_by = entered_by;
  event.data = std::move(data);
  event.meeting = meeting_of(working_, event.data);
  domain::apply(working_, event);

  store::EventRow row;
  row.council = council_;
  row.seq = event.seq;
  row.op = std::string(domain::op_name(event.data));
  row.at = event.at;
  row.participant = author.participant;
  row.by_name = author.name;
  row.by_org = author.org;
  row.by_role = author.role;
  row.meeting = event.meeting;
  // The log's command id is unique per author (events_command): a proxied
  // one is stored as its sender's key, which no client id can equal (ids
  // have no control characters), and read back as such (council_loader).
  row.command_id = entered_by ? key : command_id;
  row.data = protocol::encode_event_data(event.data);
  row.frame = protocol::encode_event_frame(event);
  row.redaction = redaction_of(working_, event.data);

  Pending pending;
  pending.decided = std::chrono::steady_clock::now();
  pending.frame = std::make_shared<const std::string>(row.frame);
  pending.key = key;
  pending.command_id = command_id;
  if (waiter) pending.waiters.push_back(waiter);
  pending.redo = std::move(deciding_);
  pending.event = std::move(event);
  const std::uint64_t seq = pending.event.seq;
  commands_.emplace(std::move(key), seq);
  pending_.push_back(std::move(pending));

  store::AppendRequest request;
  request.row = std::move(row);
  request.generation = generation_;
  request.done = [self = shared_from_this(), seq, generation = generation_](
                     bool ok, const std::string& error) {
    self->report_commit(CommitReport{seq, generation, ok, !ok && error.starts_with("stale:")});
  };
  services_.writer.submit(std::move(request));
}

// On the writer thread.
void Room::report_commit(CommitReport report) {
  {
    std::lock_guard lock(reports_mutex_);
    reports_.push_back(report);
    if (reports_posted_) return;
    reports_posted_ = true;
  }
  strand_->post([self = shared_from_this()] { self->take_commit_reports(); });
}

void Room::take_commit_reports() {
  {
    std::lock_guard lock(reports_mutex_);
    reports_taken_.swap(reports_);
    reports_posted_ = false;
  }
  for (const CommitReport& report : reports_taken_)
    on_commit(report.seq, report.generation, report.ok, report.stale);
  reports_taken_.clear();
  flush();
}

void Room::on_commit(std::uint64_t seq, std::uint64_t generation, bool ok, bool stale) {
  if (generation != generation_) return;  // already rejected with its generation
  if (!ok) {
    reject_pending(stale);
    return;
  }
  if (seq > durable_seq_) durable_seq_ = seq;
}

void Room::flush() {
  if (pending_.empty() || pending_.front().event.seq > durable_seq_) return;

  auto batch = std::make_shared<FrameBatch>();
  batch->first_seq = pending_.front().event.seq;
  std::vector<std::pair<Frame, std::vector<std::weak_ptr<Connection>>>> acks;
  const auto now = std::chrono::steady_clock::now();
  while (!pending_.empty() && pending_.front().event.seq <= durable_seq_) {
    Pending& done = pending_.front();
    services_.metrics.observe_ack(now - done.decided);
    domain::apply(committed_, done.event);
    // Whoever is connected when a meeting starts or ends was there.
    if (done.event.meeting && (std::holds_alternative<domain::MeetingStarted>(done.event.data) ||
                               std::holds_alternative<domain::MeetingEnded>(done.event.data)))
      record_attendance_of_followers(*done.event.meeting, done.event.at);
    // An agreed promotion hands its items to the target once durable.
    if (const auto* consented = std::get_if<domain::PromotionConsented>(&done.event.data);
        consented && consented->state == domain::PromotionState::agreed && services_.promotions &&
        services_.promotions->deliver)
      services_.promotions->deliver(committed_, consented->promotion);
    batch->last_seq = done.event.seq;
    batch->frames.push_back(done.frame);
    acks.emplace_back(make_frame(protocol::encode_ack(done.command_id, done.event.seq)),
                      std::move(done.waiters));
    pending_.pop_front();
  }
  services_.metrics.count_events(batch->frames.size());

  const bool gone = send_to_followers(std::move(batch));
  for (auto& [frame, waiters] : acks) {
    for (auto& waiter : waiters)
      if (auto connection = waiter.lock()) connection->send_frame(frame);
  }
  if (gone) schedule_presence();
  if (fetch_after_commit_ && pending_.empty() && services_.fetch) {
    fetch_after_commit_ = false;
    services_.fetch(shared_from_this(), committed_.head);
  }
}

void Room::refuse(const std::shared_ptr<Connection>& connection, const domain::Actor& actor,
                  const std::string& command_id, const std::optional<std::string>& op,
                  const domain::Error& error, const std::optional<std::string>& on_behalf_of) {
  services_.metrics.count_error(error.code);
  store::AuditRow audit;
  audit.at = services_.clock.now();
  audit.council = council_;
  audit.participant = actor.participant;
  audit.action = "command";
  audit.op = op;
  audit.outcome = std::string(domain::to_string(error.code));
  // A proxy attempt: the attendee's id when it names a seat, else "" (the
  // value is client text then, which the audit never keeps).
  if (on_behalf_of) {
    const bool known =
        services_.seats != nullptr && *services_.seats && (*services_.seats)(*on_behalf_of);
    audit.on_behalf_of = known ? *on_behalf_of : std::string();
  }
  services_.writer.submit_audit(std::move(audit));
  reply(connection, error, command_id);
}

bool Room::send_to_followers(std::shared_ptr<const FrameBatch> shared) {
  bool gone = false;
  for (auto it = followers_.begin(); it != followers_.end();) {
    if (auto connection = it->second.connection.lock()) {
      connection->send_events(shared);
      ++it;
    } else {
      it = followers_.erase(it);
      gone = true;
    }
  }
  follower_count_.store(followers_.size());
  return gone;
}

void Room::receive(std::vector<store::EventRow> rows) {
  strand_->post(
      [self = shared_from_this(), rows = std::move(rows)]() mutable { self->do_receive(rows); });
}

void Room::head(std::function<void(std::uint64_t)> done) {
  strand_->post(
      [self = shared_from_this(), done = std::move(done)] { done(self->committed_.head); });
}

void Room::written(std::uint64_t seq) {
  strand_->post([self = shared_from_this(), seq] {
    if (seq <= self->working_.head || !self->services_.fetch) return;
    self->services_.fetch(self, self->committed_.head);
  });
}

void Room::do_receive(std::vector<store::EventRow>& rows) {
  // While this room's own events wait for their commit, the rows read are
  // either those very events (their notification came first) or another
  // instance's for the same seqs, which make ours stale. Either way the
  // commit's outcome decides; read again after it.
  if (!pending_.empty()) {
    fetch_after_commit_ = true;
    return;
  }
  auto batch = std::make_shared<FrameBatch>();
  for (const auto& row : rows) {
    if (row.seq <= committed_.head) continue;
    if (row.seq != committed_.head + 1) break;
    domain::Event event;
    try {
      event = to_event(row);
    } catch (const std::exception& e) {
      std::cerr << "renkei: " << council_ << ": event from another instance: " << e.what() << "\n";
      break;
    }
    if (batch->frames.empty()) batch->first_seq = row.seq;
    batch->last_seq = row.seq;
    batch->frames.push_back(make_frame(row.frame));
    domain::apply(committed_, event);
    if (row.command_id)
      commands_[row.command_id->find('\x1f') != std::string::npos
                    ? *row.command_id
                    : command_key(row.participant, *row.command_id)] = row.seq;
  }
  if (!batch->frames.empty()) {
    working_ = committed_;
    durable_seq_ = std::max(durable_seq_, committed_.head);
    services_.metrics.count_events(batch->frames.size());
    if (send_to_followers(std::move(batch))) schedule_presence();
  }
  // Commands refused as stale, decided again on what is now known.
  auto redo = std::exchange(redo_, {});
  for (auto& command : redo) {
    auto connection = command->connection.lock();
    if (!connection) continue;
    do_submit(connection, command->actor, command->command_id, command->command,
              command->on_behalf_of, command->attempts);
  }
}

void Room::reject_pending(bool stale) {
  flush();  // what is durable is still delivered and acknowledged
  ++generation_;
  const auto error = domain::make_error(domain::ErrorCode::internal,
                                        "保存できませんでした。もう一度送信してください",
                                        "the command could not be stored; please retry");
  for (auto& pending : pending_) {
    // Decided on a state another instance had moved past: decided again
    // (a few times at most) once its events are read, unless the sender
    // has gone.
    if (stale && pending.redo && pending.redo->attempts < max_redo_attempts &&
        !pending.redo->connection.expired()) {
      ++pending.redo->attempts;
      redo_.push_back(pending.redo);
      // A duplicate of it that waits for the ack is told to send again.
      const auto sender = pending.redo->connection.lock();
      const auto frame = make_frame(protocol::encode_error(error, pending.command_id));
      for (auto& waiter : pending.waiters)
        if (auto connection = waiter.lock(); connection && connection != sender)
          connection->send_frame(frame);
      continue;
    }
    const auto frame = make_frame(protocol::encode_error(error, pending.command_id));
    services_.metrics.count_error(error.code);
    store::AuditRow audit;
    audit.at = services_.clock.now();
    audit.council = council_;
    const auto& entered_by = pending.event.entered_by;
    audit.participant = entered_by ? entered_by->participant : pending.event.by.participant;
    if (entered_by) audit.on_behalf_of = pending.event.by.participant;
    audit.action = "command";
    audit.op = std::string(domain::op_name(pending.event.data));
    audit.outcome = "internal";
    services_.writer.submit_audit(std::move(audit));
    for (auto& waiter : pending.waiters)
      if (auto connection = waiter.lock()) connection->send_frame(frame);
  }
  for (const auto& pending : pending_) commands_.erase(pending.key);
  pending_.clear();
  working_ = committed_;
  // Another instance may have written the council first (PostgreSQL):
  // read what it wrote.
  if (services_.fetch) {
    fetch_after_commit_ = false;
    services_.fetch(shared_from_this(), committed_.head);
  }
}

}  // namespace renkei::app
