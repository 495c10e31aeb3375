#include "council_traffic.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <charconv>
#include <future>
#include <stdexcept>

namespace renkei::bench {

namespace asio = boost::asio;
using error_code = boost::system::error_code;

struct CouncilTraffic::Member {
  std::size_t index = 0;
  std::shared_ptr<LoadConnection> conn;
  asio::steady_timer timer;
  std::unordered_map<std::uint64_t, Clock::time_point> in_flight;  // command number -> sent
  std::uint64_t next = 0;
  std::uint64_t scheduled = 0;
  Clock::time_point start;
  Clock::duration interval{};
  bool synced = false;

  Member(asio::io_context& ioc, const Target& target, std::size_t i)
      : index(i), conn(std::make_shared<LoadConnection>(ioc, target, i)), timer(ioc) {}
};

namespace {

std::string_view field(std::string_view text, std::string_view key) {
  const auto at = text.find(key);
  if (at == std::string_view::npos) return {};
  const auto start = at + key.size();
  const auto end = text.find('"', start);
  return end == std::string_view::npos ? std::string_view{} : text.substr(start, end - start);
}

}  // namespace

CouncilTraffic::CouncilTraffic(std::uint16_t port, std::vector<MemberCredential> members,
                               double rate)
    : credentials_(std::move(members)), rate_(rate) {
  target_.port = port;
  for (std::size_t i = 0; i < credentials_.size(); ++i)
    members_.push_back(std::make_unique<Member>(ioc_, target_, i));
}

CouncilTraffic::~CouncilTraffic() {
  ioc_.stop();
  if (thread_.joinable()) thread_.join();
}

void CouncilTraffic::fail(const std::string& what) {
  ++failed_;
  std::lock_guard lock(mutex_);
  if (first_error_.empty()) first_error_ = what;
}

void CouncilTraffic::connect(std::chrono::seconds limit) {
  for (auto& member : members_) {
    Member* m = member.get();
    const MemberCredential cred = credentials_[m->index];
    asio::post(ioc_, [this, m, cred] {
      m->conn->connect([this, m, cred](LoadConnection& conn, error_code ec) {
        if (ec) return fail("connect: " + ec.message());
        conn.start_reading(
            [this, m](LoadConnection&, std::string_view text) { on_message(*m, text); },
            [this](LoadConnection&, error_code) {
              std::lock_guard lock(mutex_);
              ++counts_.closed;
            });
        conn.send("{\"type\":\"hello\",\"token\":\"" + cred.token + "\",\"council\":\"" +
                  cred.council + "\",\"since\":9007199254740992}");
      });
    });
  }
  thread_ = std::thread([this] {
    auto guard = asio::make_work_guard(ioc_);
    ioc_.run();
  });
  const auto deadline = Clock::now() + limit;
  while (synced_.load() < members_.size()) {
    if (failed_.load() > 0) throw std::runtime_error("council members: " + first_error());
    if (Clock::now() > deadline)
      throw std::runtime_error("council members did not sync within the limit");
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void CouncilTraffic::on_message(Member& m, std::string_view text) {
  const std::string_view type = field(text, "\"type\":\"");
  if (type == "synced") {
    m.synced = true;
    ++synced_;
    return;
  }
  if (type != "ack" && type != "error") return;  // events, presence, welcome
  const std::string_view id = field(text, "\"id\":\"");
  const auto dash = id.rfind('-');
  std::uint64_t n = 0;
  if (id.empty() || dash == std::string_view::npos ||
      std::from_chars(id.data() + dash + 1, id.data() + id.size(), n).ec != std::errc{}) {
    if (type == "error") fail("error: " + std::string(text.substr(0, 300)));
    return;
  }
  const auto it = m.in_flight.find(n);
  if (it == m.in_flight.end()) return;
  const auto now = Clock::now();
  const Clock::time_point sent = it->second;
  m.in_flight.erase(it);
  std::lock_guard lock(mutex_);
  if (type == "ack") {
    ++counts_.acks;
    samples_.push_back({sent, std::chrono::duration<float, std::milli>(now - sent).count()});
  } else {
    ++counts_.errors;
    if (first_error_.empty()) first_error_ = "error reply: " + std::string(text.substr(0, 300));
  }
}

void CouncilTraffic::send_post(Member& m) {
  const std::uint64_t n = ++m.next;
  const std::string number = std::to_string(m.index) + "-" + std::to_string(n);
  m.in_flight.emplace(n, Clock::now());
  {
    std::lock_guard lock(mutex_);
    ++counts_.sent;
  }
  m.conn->send("{\"type\":\"cmd\",\"id\":\"s" + number +
               "\",\"op\":\"issue.post\",\"args\":{\"text\":\"サインイン負荷の計測 " + number +
               "\"}}");
}

void CouncilTraffic::pace(Member& m) {
  if (stopping_) return;
  const auto now = Clock::now();
  const auto due = static_cast<std::uint64_t>((now - m.start) / m.interval) + 1;
  while (m.scheduled < due) {
    ++m.scheduled;
    send_post(m);
  }
  m.timer.expires_at(m.start + m.interval * static_cast<long>(m.scheduled));
  m.timer.async_wait([this, &m](error_code ec) {
    if (!ec) pace(m);
  });
}

void CouncilTraffic::start() {
  const auto n = static_cast<double>(members_.size());
  const auto interval = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(n / std::max(rate_, 0.001)));
  const auto go = Clock::now() + std::chrono::milliseconds(10);
  for (auto& member : members_) {
    Member* m = member.get();
    m->interval = std::max<Clock::duration>(interval, Clock::duration(1));
    m->start = go + interval * static_cast<long>(m->index) / static_cast<long>(members_.size());
    asio::post(ioc_, [this, m] {
      m->timer.expires_at(m->start);
      m->timer.async_wait([this, m](error_code ec) {
        if (!ec) pace(*m);
      });
    });
  }
}

void CouncilTraffic::stop(std::chrono::seconds drain) {
  stopping_ = true;
  asio::post(ioc_, [this] {
    for (auto& m : members_) m->timer.cancel();
  });
  const auto deadline = Clock::now() + drain;
  for (;;) {
    std::promise<std::size_t> outstanding;
    auto answer = outstanding.get_future();
    asio::post(ioc_, [this, &outstanding] {
      std::size_t n = 0;
      for (auto& m : members_) n += m->in_flight.size();
      outstanding.set_value(n);
    });
    const std::size_t left = answer.get();
    if (left == 0 || Clock::now() > deadline) {
      std::lock_guard lock(mutex_);
      counts_.unanswered = left;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::atomic<std::size_t> closing{members_.size()};
  asio::post(ioc_, [this, &closing] {
    for (auto& m : members_) m->conn->close([&closing] { --closing; });
  });
  const auto close_deadline = Clock::now() + std::chrono::seconds(5);
  while (closing.load() > 0 && Clock::now() < close_deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ioc_.stop();
  if (thread_.joinable()) thread_.join();
}

Latencies CouncilTraffic::acks_sent_between(Clock::time_point from, Clock::time_point to) const {
  Latencies out;
  std::lock_guard lock(mutex_);
  for (const auto& s : samples_)
    if (s.sent >= from && s.sent < to) out.values.push_back(s.ms);
  return out;
}

CouncilTraffic::Counts CouncilTraffic::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

std::string CouncilTraffic::first_error() const {
  std::lock_guard lock(mutex_);
  return first_error_;
}

}  // namespace renkei::bench
