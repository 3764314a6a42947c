// Time as docker prints it: relative durations (units.HumanDuration) and
// RFC 3339 timestamps. Pure functions of their arguments; "now" is always
// passed in so tests can pin it.
#ifndef TETHER_ATTACH_DOCKER_TIME_FORMAT_H_
#define TETHER_ATTACH_DOCKER_TIME_FORMAT_H_

#include <cstdint>
#include <string>

namespace attach {
namespace docker {

constexpr int64_t kNanosPerSecond = 1000000000;

// docker/go-units HumanDuration for a duration in nanoseconds:
// "Less than a second", "1 second", "47 seconds", "About a minute",
// "3 minutes", "About an hour", "2 hours" (hours rounded half up, below
// 48), "2 days" (below two weeks), "2 weeks" (below 60 days), "13 months"
// (below two years), "3 years". Negative durations (clock skew) read as
// "Less than a second", as in Go.
std::string HumanDuration(int64_t nanos);

// Go's time.RFC3339Nano in UTC: trailing zeros of the fraction dropped,
// no fraction at all for whole seconds: "2024-05-01T12:34:56.5Z".
std::string FormatRfc3339Nano(int64_t unix_nanos);

// docker's log timestamp, RFC3339NanoFixed in UTC: always nine digits,
// "2024-05-01T12:34:56.500000000Z".
std::string FormatRfc3339NanoFixed(int64_t unix_nanos);

// A docker API time from epoch seconds: 0 (never) is Go's zero time,
// "0001-01-01T00:00:00Z", as docker inspect prints for a container that
// has not started or not finished.
std::string FormatDockerTime(int64_t unix_seconds);

// The current wall-clock time in nanoseconds since the epoch.
int64_t NowUnixNanos();

}  // namespace docker
}  // namespace attach

#endif  // TETHER_ATTACH_DOCKER_TIME_FORMAT_H_
