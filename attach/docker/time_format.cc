#include "attach/docker/time_format.h"

#include <time.h>

#include <cstdio>

namespace attach {
namespace docker {
namespace {

constexpr int64_t kNanosPerMinute = 60 * kNanosPerSecond;
constexpr int64_t kNanosPerHour = 60 * kNanosPerMinute;

// "2024-05-01T12:34:56" for the UTC second containing `unix_nanos`.
std::string DateTime(int64_t unix_nanos, int32_t* frac) {
  int64_t secs = unix_nanos / kNanosPerSecond;
  int64_t rem = unix_nanos % kNanosPerSecond;
  if (rem < 0) {  // Floor, so times before 1970 keep a positive fraction.
    rem += kNanosPerSecond;
    --secs;
  }
  *frac = static_cast<int32_t>(rem);
  time_t t = static_cast<time_t>(secs);
  struct tm tm = {};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                tm.tm_min, tm.tm_sec);
  return buf;
}

std::string Count(int64_t n, const char* unit) {
  return std::to_string(n) + " " + unit;
}

}  // namespace

std::string HumanDuration(int64_t nanos) {
  // Go converts through float and truncates toward zero; integer division
  // does the same for the magnitudes that matter here.
  int64_t seconds = nanos / kNanosPerSecond;
  if (seconds < 1) return "Less than a second";
  if (seconds == 1) return "1 second";
  if (seconds < 60) return Count(seconds, "seconds");
  int64_t minutes = nanos / kNanosPerMinute;
  if (minutes == 1) return "About a minute";
  if (minutes < 60) return Count(minutes, "minutes");
  // d.Round(time.Hour): halfway values round away from zero.
  int64_t hours = (nanos + kNanosPerHour / 2) / kNanosPerHour;
  if (hours == 1) return "About an hour";
  if (hours < 48) return Count(hours, "hours");
  if (hours < 24 * 7 * 2) return Count(hours / 24, "days");
  if (hours < 24 * 30 * 2) return Count(hours / 24 / 7, "weeks");
  if (hours < 24 * 365 * 2) return Count(hours / 24 / 30, "months");
  // Years use the unrounded hours, as go-units does.
  return Count(nanos / kNanosPerHour / 24 / 365, "years");
}

std::string FormatRfc3339Nano(int64_t unix_nanos) {
  int32_t frac = 0;
  std::string out = DateTime(unix_nanos, &frac);
  if (frac != 0) {
    char digits[16];
    std::snprintf(digits, sizeof(digits), ".%09d", frac);
    std::string f = digits;
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  return out + "Z";
}

std::string FormatRfc3339NanoFixed(int64_t unix_nanos) {
  int32_t frac = 0;
  std::string out = DateTime(unix_nanos, &frac);
  char digits[16];
  std::snprintf(digits, sizeof(digits), ".%09dZ", frac);
  return out + digits;
}

std::string FormatDockerTime(int64_t unix_seconds) {
  if (unix_seconds == 0) return "0001-01-01T00:00:00Z";
  return FormatRfc3339Nano(unix_seconds * kNanosPerSecond);
}

int64_t NowUnixNanos() {
  struct timespec ts = {};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * kNanosPerSecond + ts.tv_nsec;
}

}  // namespace docker
}  // namespace attach
