// Write buffers of the WebSocket sessions, recycled per thread.
//
// A session takes a buffer when the first frame of a burst is appended and
// gives it back once the burst is written, so an idle connection holds no
// buffer. Taking a fresh 16 KiB block from malloc for every burst and
// freeing it after the write cost ~6% of an I/O thread in wide fan-out; the
// pool keeps up to `max_kept` buffers of the thread that last gave them
// back. Buffers that grew past `max_capacity` (a long catch-up) go back to
// malloc.
//
// Threading: each thread has its own free list (no locking); a buffer may
// be taken on one thread and given back on another.
#pragma once

#include <cstddef>
#include <vector>

namespace renkei::net {

class WriteBufferPool {
 public:
  static constexpr std::size_t initial_capacity = 16 * 1024;
  static constexpr std::size_t max_capacity = 64 * 1024;
  static constexpr std::size_t max_kept = 64;

  // An empty buffer with at least initial_capacity (or `at_least`).
  static std::vector<char> take(std::size_t at_least) {
    Free& free = free_list();
    if (free.count > 0 && at_least <= max_capacity) {
      std::vector<char> buffer = std::move(free.buffers[--free.count]);
      if (buffer.capacity() < at_least) buffer.reserve(at_least);
      return buffer;
    }
    std::vector<char> buffer;
    buffer.reserve(at_least > initial_capacity ? at_least : initial_capacity);
    return buffer;
  }

  // Gives `buffer` back (it is left without storage).
  static void give_back(std::vector<char>& buffer) {
    if (buffer.capacity() == 0) return;
    Free& free = free_list();
    if (buffer.capacity() <= max_capacity && free.count < max_kept) {
      buffer.clear();
      free.buffers[free.count++] = std::move(buffer);
      buffer = std::vector<char>();
    } else {
      std::vector<char>().swap(buffer);
    }
  }

 private:
  struct Free {
    std::vector<char> buffers[max_kept];
    std::size_t count = 0;
  };
  static Free& free_list() {
    thread_local Free free;
    return free;
  }
};

}  // namespace renkei::net
