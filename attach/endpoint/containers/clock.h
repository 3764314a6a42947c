// Wall-clock time for log records and status, in one place.
#ifndef TETHER_ATTACH_ENDPOINT_CONTAINERS_CLOCK_H_
#define TETHER_ATTACH_ENDPOINT_CONTAINERS_CLOCK_H_

#include <time.h>

#include <cstdint>

namespace attach {
namespace endpoint {

// CLOCK_REALTIME in nanoseconds since the epoch.
inline int64_t NowNs() {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

inline int64_t NowSeconds() { return NowNs() / 1000000000; }

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CONTAINERS_CLOCK_H_
