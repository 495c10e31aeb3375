// The timeouts of every WebSocket session, without a timer per session.
//
// Each session is an Entry linked into one of a few shards (one per I/O
// thread); each shard has one periodic timer that walks its list. A session
// records when it last received bytes (last_rx) and, while it waits for
// something with a time limit (the upgrade response to be written, the
// peer's close frame), a deadline. The sweep asks the session (through
// Entry::swept, which only posts to the session's strand) to
//   - ping, when nothing was received for half the idle timeout (once per
//     silence, like Beast's keep_alive_pings), and
//   - time out, when nothing was received for the whole idle timeout, or
//     its deadline passed.
// An entry costs its two links and three words in the session, instead of
// a steady_timer and a pending wait per connection.
//
// Threading: add/remove and the sweep take the shard's mutex; last_rx and
// deadline are atomics the session writes on its strand. swept() is called
// with the mutex held, so the session cannot finish its destructor (which
// removes the entry) meanwhile.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace renkei::net {

class IdleSweeper {
 public:
  enum class Action : std::uint8_t { ping, timeout };

  // Milliseconds on the steady clock.
  static std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }

  class Entry {
   public:
    // Called with the shard locked: must only post to the session.
    virtual void swept(Action action) = 0;

    void touch(std::int64_t now) { last_rx_.store(now, std::memory_order_relaxed); }
    // 0: no deadline (idle checks apply instead).
    void set_deadline(std::int64_t at) { deadline_.store(at, std::memory_order_relaxed); }

   protected:
    ~Entry() = default;

   private:
    friend class IdleSweeper;
    Entry* prev_ = nullptr;
    Entry* next_ = nullptr;
    std::atomic<std::int64_t> last_rx_{0};
    std::atomic<std::int64_t> deadline_{0};
    std::int64_t pinged_for_ = -1;  // the last_rx_ a ping was asked for
    bool expired_ = false;          // timed out once; never again
    bool linked_ = false;
  };

  // `idle`: no frame for this long closes the connection (a ping goes out
  // at half of it); 0 turns idle checks off. `shortest` is the shortest
  // deadline in use, which sets how often the lists are walked.
  IdleSweeper(boost::asio::io_context& ioc, std::size_t shards, std::chrono::milliseconds idle,
              std::chrono::milliseconds shortest);
  ~IdleSweeper();

  void add(Entry& entry, std::uint64_t key);
  void remove(Entry& entry, std::uint64_t key);

 private:
  struct Shard {
    explicit Shard(boost::asio::io_context& ioc) : timer(ioc) {}
    std::mutex mutex;
    Entry* head = nullptr;
    boost::asio::steady_timer timer;
  };
  void arm(Shard& shard);
  void sweep(Shard& shard);

  std::vector<std::unique_ptr<Shard>> shards_;
  std::int64_t idle_ms_;
  std::chrono::milliseconds period_;
};

}  // namespace renkei::net
