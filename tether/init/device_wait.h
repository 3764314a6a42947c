// Waiting for a device the kernel may still be probing at early init: no
// udev to tell us, so the step polls, bounded by a deadline (DESIGN §4).
#ifndef TETHER_TETHER_INIT_DEVICE_WAIT_H_
#define TETHER_TETHER_INIT_DEVICE_WAIT_H_

#include <cstdint>

#include "base/os.h"
#include "base/status.h"

namespace tether {

// Calls `find` until it succeeds or os.NowMs() passes `deadline_ms`,
// sleeping `poll_ms` between calls; returns the last result.
template <typename Find>
auto FindBefore(base::Os& os, int64_t deadline_ms, int poll_ms, Find find)
    -> decltype(find()) {
  auto found = find();
  while (!found.ok() && os.NowMs() < deadline_ms) {
    os.SleepMs(poll_ms);
    found = find();
  }
  return found;
}

}  // namespace tether

#endif  // TETHER_TETHER_INIT_DEVICE_WAIT_H_
