// A cap on attachd's own log when its stderr is a regular file (as when
// `tetherctl run` starts attachd with DIR/attachd.log; review F9): past
// `max_bytes` the file is renamed to FILE.1 (replacing the one before)
// and attachd goes on in a new FILE, so attachd's log takes at most twice
// the cap. A terminal, pipe or journal is left to whoever reads it.
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_STDERR_LOG_H_
#define TETHER_ATTACH_ENDPOINT_STDERR_LOG_H_

#include <uv.h>

#include <cstdint>
#include <string>

#include "base/uv_handle.h"

namespace attach {
namespace endpoint {

constexpr uint64_t kDefaultStderrLogMaxBytes = 10 << 20;

class StderrLogCap {
 public:
  // Looks every `check_ms`; the loop must outlive it.
  StderrLogCap(uv_loop_t* loop, uint64_t max_bytes, uint64_t check_ms = 5000);
  // Starts checking when stderr is a regular file; whether it is.
  bool Start();
  // One check now: whether the file was rotated.
  bool Check();
  void Stop() { timer_.Close(); }

 private:
  static void OnTimer(uv_timer_t* h) noexcept;

  uv_loop_t* loop_;
  uint64_t max_bytes_;
  uint64_t check_ms_;
  base::UvHandle<uv_timer_t> timer_;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_STDERR_LOG_H_
