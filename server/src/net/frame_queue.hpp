// An ordered queue of frames (a WebSocket session's catch-up backlog).
//
// A std::deque allocates a 512-byte block and its map as soon as it is
// constructed, which every idle connection would carry; FrameQueue holds
// nothing until the first frame and gives its storage back once it drains
// after a burst, so an idle connection costs two pointers and two counts.
//
// Threading: none of its own; the session's strand owns it.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "app/connection.hpp"

namespace renkei::net {

class FrameQueue {
 public:
  bool empty() const { return head_ == frames_.size(); }
  std::size_t size() const { return frames_.size() - head_; }
  app::Frame& front() { return frames_[head_]; }

  void push_back(app::Frame frame) { frames_.push_back(std::move(frame)); }

  void pop_front() {
    frames_[head_].reset();
    if (++head_ == frames_.size()) {
      head_ = 0;
      if (frames_.capacity() > keep) {
        std::vector<app::Frame>().swap(frames_);
      } else {
        frames_.clear();
      }
    } else if (head_ >= compact_at && head_ * 2 >= frames_.size()) {
      // Long-lived backlog: drop the written prefix now and then.
      frames_.erase(frames_.begin(), frames_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }

  void clear() {
    std::vector<app::Frame>().swap(frames_);
    head_ = 0;
  }

 private:
  static constexpr std::size_t keep = 16;          // capacity kept when drained
  static constexpr std::size_t compact_at = 1024;  // written frames before compacting
  std::vector<app::Frame> frames_;
  std::size_t head_ = 0;
};

}  // namespace renkei::net
