// CpuProfiler: CPU profiles by SIGPROF sampling, like Go's
// runtime/pprof. setitimer(ITIMER_PROF) makes the kernel send SIGPROF
// every 1/hz seconds of CPU time the process uses (any thread); the
// handler records the interrupted stack (stack_capture.h) into a fixed
// ring and nothing else. A timer on the loop drains the ring into counts
// every 100 ms, and at the end the counts become a profile.
//
// Process-wide by nature (one interval timer, one signal): at most one
// profile runs at a time in the whole process, whichever CpuProfiler
// started it. The SIGPROF handler stays installed once installed, since a
// signal still in flight after the end must not meet the default action
// (which kills the process).
//
// Loop thread only, except the signal handler.
#ifndef TETHER_PPROF_CPU_PROFILER_H_
#define TETHER_PPROF_CPU_PROFILER_H_

#include <uv.h>

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include "base/result.h"
#include "base/uv_handle.h"

namespace pprof {

class Symbolizer;

struct CpuProfile {
  int hz = 100;
  int64_t start_unix_ns = 0;
  int64_t duration_ns = 0;
  uint64_t dropped = 0;  // Samples lost to a full ring or contention.
  // Stacks (leaf first) and how many samples saw each.
  std::map<std::vector<uintptr_t>, int64_t> counts;
};

// The profile as Go writes it: sample types samples/count and
// cpu/nanoseconds, period 1/hz s of cpu; gzipped profile.proto.
std::string EncodeCpuProfile(const CpuProfile& profile,
                             const Symbolizer& symbols);

class CpuProfiler {
 public:
  using Done = std::function<void(CpuProfile)>;
  explicit CpuProfiler(uv_loop_t* loop);
  // Stops a running profile of this profiler; `done` is not called.
  ~CpuProfiler();
  CpuProfiler(const CpuProfiler&) = delete;
  CpuProfiler& operator=(const CpuProfiler&) = delete;

  // Profiles for `duration_ms`, then calls `done` on the loop.
  // kUnavailable when a profile is already running in this process (the
  // message says how long it has left); kInvalidArgument for hz outside
  // 1..1000; kIoError if the timer or handler cannot be set.
  base::Status Start(uint64_t duration_ms, int hz, Done done);
  bool running() const { return running_; }

 private:
  static void OnDrainTimer(uv_timer_t* t) noexcept;
  static void OnEndTimer(uv_timer_t* t) noexcept;
  void Drain();
  void Stop();

  uv_loop_t* loop_;
  base::UvHandle<uv_timer_t> drain_timer_;
  base::UvHandle<uv_timer_t> end_timer_;
  bool running_ = false;
  uint64_t start_ms_ = 0;
  CpuProfile profile_;
  Done done_;
};

}  // namespace pprof

#endif  // TETHER_PPROF_CPU_PROFILER_H_
