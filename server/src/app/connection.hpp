// The app layer's view of one client connection (a WebSocket session in the
// network layer). Rooms and the application hold it through weak or shared
// pointers and only post work to it; they never block on it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace renkei::app {

using Frame = std::shared_ptr<const std::string>;

// Consecutive event frames of one council, first_seq..last_seq, shared by
// every connection that receives them (one immutable buffer per broadcast).
struct FrameBatch {
  std::uint64_t first_seq = 0;
  std::uint64_t last_seq = 0;
  std::vector<Frame> frames;
};

class Connection {
 public:
  virtual ~Connection() = default;
  // Process-unique id, stable for the connection's life.
  virtual std::uint64_t id() const = 0;
  // All of the following are thread-safe and return at once; the connection
  // does the work on its own executor, in call order.
  virtual void send_events(std::shared_ptr<const FrameBatch> batch) = 0;
  virtual void send_frame(Frame frame) = 0;
  virtual void run(std::function<void()> fn) = 0;
  // Sends what is queued, then closes with the WebSocket close `code`.
  virtual void close(std::uint16_t code) = 0;
};

}  // namespace renkei::app
