#include "app/clock.hpp"

#include <cstdio>
#include <ctime>

#include "domain/calendar.hpp"

namespace renkei::app {

std::string format_utc(std::chrono::system_clock::time_point tp) {
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(tp.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

std::string today_jst(const Clock& clock) {
  const auto jst = domain::to_jst(clock.now());
  return jst ? domain::iso_date(jst->date) : std::string();
}

}  // namespace renkei::app
