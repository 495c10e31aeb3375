#include "app/auth/sign_in_throttle.hpp"

#include <algorithm>

namespace renkei::app::auth {

namespace {

std::string login_key(std::string_view login) {
  std::string key(login);
  for (char& c : key)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return key;
}

// Whole seconds, rounded up, at least 1.
std::chrono::seconds ceil_seconds(SignInThrottle::clock::duration d) {
  const auto s = std::chrono::ceil<std::chrono::seconds>(d);
  return std::max(s, std::chrono::seconds(1));
}

}  // namespace

SignInThrottle::SignInThrottle(ThrottleLimits limits) : limits_(limits) {
  logins_.limit = std::max<std::size_t>(1, limits_.failures_per_login);
  addresses_.limit = std::max<std::size_t>(1, limits_.failures_per_address);
}

void SignInThrottle::expire(Entry& entry, clock::time_point now) const {
  while (!entry.failures.empty() && entry.failures.front() <= now - limits_.window)
    entry.failures.pop_front();
  while (!entry.pending.empty() && entry.pending.front() <= now - limits_.pending_timeout)
    entry.pending.pop_front();
}

SignInThrottle::Entry* SignInThrottle::find(Counters& counters, const std::string& key,
                                            clock::time_point now) {
  auto it = counters.entries.find(key);
  if (it == counters.entries.end()) return nullptr;
  expire(it->second, now);
  return &it->second;
}

SignInThrottle::Entry& SignInThrottle::get(Counters& counters, const std::string& key,
                                           clock::time_point now) {
  // One stale key at most per call: the least recently touched, if its
  // window and pending time have both passed.
  if (!counters.lru.empty()) {
    const auto& oldest = counters.lru.front();
    const auto stale = counters.entries.find(oldest);
    if (oldest != key &&
        stale->second.touched <= now - std::max(limits_.window, limits_.pending_timeout)) {
      counters.entries.erase(stale);
      counters.lru.pop_front();
    }
  }
  auto it = counters.entries.find(key);
  if (it != counters.entries.end()) {
    counters.lru.splice(counters.lru.end(), counters.lru, it->second.order);
    it->second.touched = now;
    expire(it->second, now);
    return it->second;
  }
  if (counters.entries.size() >= std::max<std::size_t>(1, limits_.max_keys)) {
    counters.entries.erase(counters.lru.front());
    counters.lru.pop_front();
  }
  counters.lru.push_back(key);
  Entry& entry = counters.entries[key];
  entry.touched = now;
  entry.order = std::prev(counters.lru.end());
  return entry;
}

void SignInThrottle::erase_if_idle(Counters& counters, const std::string& key,
                                   clock::time_point now) {
  auto it = counters.entries.find(key);
  if (it == counters.entries.end()) return;
  expire(it->second, now);
  if (!it->second.failures.empty() || !it->second.pending.empty()) return;
  counters.lru.erase(it->second.order);
  counters.entries.erase(it);
}

std::chrono::seconds SignInThrottle::wait_for(Counters& counters, const std::string& key,
                                              clock::time_point now) {
  Entry* entry = find(counters, key, now);
  if (entry == nullptr) return std::chrono::seconds(0);
  if (entry->failures.size() + entry->pending.size() < counters.limit)
    return std::chrono::seconds(0);
  if (entry->failures.size() >= counters.limit) {
    // Allowed again when the failure `limit` places from the newest leaves
    // the window.
    const auto blocking = entry->failures[entry->failures.size() - counters.limit];
    return ceil_seconds(blocking + limits_.window - now);
  }
  // Blocked by attempts still being hashed: they end within milliseconds.
  return std::chrono::seconds(1);
}

void SignInThrottle::pop_pending(Entry* entry) {
  if (entry != nullptr && !entry->pending.empty()) entry->pending.pop_front();
}

SignInThrottle::Verdict SignInThrottle::check(std::string_view login, std::string_view address,
                                              clock::time_point now) {
  const std::string lkey = login_key(login);
  const std::string akey(address);
  std::lock_guard lock(mutex_);
  const auto wait = std::max(wait_for(logins_, lkey, now), wait_for(addresses_, akey, now));
  if (wait.count() > 0) return {false, wait};
  get(logins_, lkey, now).pending.push_back(now);
  get(addresses_, akey, now).pending.push_back(now);
  return {true, std::chrono::seconds(0)};
}

void SignInThrottle::record_failure(std::string_view login, std::string_view address,
                                    clock::time_point now) {
  const std::string lkey = login_key(login);
  const std::string akey(address);
  std::lock_guard lock(mutex_);
  for (auto [counters, key] : {std::pair{&logins_, &lkey}, std::pair{&addresses_, &akey}}) {
    Entry& entry = get(*counters, *key, now);
    pop_pending(&entry);
    entry.failures.push_back(now);
    while (entry.failures.size() > counters->limit) entry.failures.pop_front();
  }
}

void SignInThrottle::record_success(std::string_view login, std::string_view address,
                                    clock::time_point now) {
  const std::string lkey = login_key(login);
  const std::string akey(address);
  std::lock_guard lock(mutex_);
  if (Entry* entry = find(logins_, lkey, now)) {
    entry->failures.clear();
    pop_pending(entry);
  }
  erase_if_idle(logins_, lkey, now);
  pop_pending(find(addresses_, akey, now));
  erase_if_idle(addresses_, akey, now);
}

void SignInThrottle::abandon(std::string_view login, std::string_view address,
                             clock::time_point now) {
  const std::string lkey = login_key(login);
  const std::string akey(address);
  std::lock_guard lock(mutex_);
  pop_pending(find(logins_, lkey, now));
  erase_if_idle(logins_, lkey, now);
  pop_pending(find(addresses_, akey, now));
  erase_if_idle(addresses_, akey, now);
}

std::size_t SignInThrottle::login_keys() const {
  std::lock_guard lock(mutex_);
  return logins_.entries.size();
}

std::size_t SignInThrottle::address_keys() const {
  std::lock_guard lock(mutex_);
  return addresses_.entries.size();
}

}  // namespace renkei::app::auth
