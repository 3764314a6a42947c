// Runs a real libuv loop in tests until a condition holds or a deadline
// passes (libuv's test style: real loops, bounded time).
#ifndef TETHER_TESTS_FAKES_LOOP_RUNNER_H_
#define TETHER_TESTS_FAKES_LOOP_RUNNER_H_

#include <uv.h>

#include <chrono>
#include <functional>

namespace fakes {

// Returns whether `done` became true within `timeout_ms`.
inline bool RunUntil(uv_loop_t* loop, const std::function<bool()>& done,
                     int timeout_ms = 5000) {
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    uv_run(loop, UV_RUN_NOWAIT);
    uv_sleep(1);
  }
  return true;
}

// Lets close callbacks run, then closes the loop. Returns uv_loop_close().
inline int DrainAndClose(uv_loop_t* loop) {
  for (int i = 0; i < 100 && uv_loop_alive(loop); ++i) {
    uv_run(loop, UV_RUN_NOWAIT);
  }
  return uv_loop_close(loop);
}

}  // namespace fakes

#endif  // TETHER_TESTS_FAKES_LOOP_RUNNER_H_
