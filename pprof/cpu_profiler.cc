#include "pprof/cpu_profiler.h"

#include <signal.h>
#include <sys/time.h>
#include <time.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "pprof/profile_builder.h"
#include "pprof/signals.h"
#include "pprof/stack_capture.h"

namespace pprof {
namespace {

constexpr uint64_t kDrainMs = 100;
// 100 ms at 1000 Hz on up to 2.5 busy CPUs; more is dropped and counted.
constexpr int kRingSlots = 256;

// Members initialized, so that g_ring and g_batch are constant
// initialized (.bss, no constructor before main).
struct RawSample {
  int depth = 0;
  uintptr_t pcs[kMaxFrames] = {};
};

// Everything the SIGPROF handler touches. A signal handler can reach only
// globals, so this one process-wide object is the exception to the
// no-mutable-globals rule. `lock` is only ever try-locked by handlers, so
// a handler never waits and never deadlocks with the drain on its own
// thread; a handler that loses the race drops its sample.
struct Ring {
  std::atomic<bool> active{false};
  std::atomic<CpuProfiler*> owner{nullptr};
  std::atomic<int64_t> end_mono_ms{0};
  std::atomic_flag lock = ATOMIC_FLAG_INIT;
  int head = 0;   // Under lock.
  int count = 0;  // Under lock.
  std::atomic<uint64_t> dropped{0};
  RawSample slots[kRingSlots];
};
Ring g_ring;
// Where Drain() copies the ring out to, so the lock is held only for a
// memcpy. Only the profile's owner drains, on its loop thread.
RawSample g_batch[kRingSlots];

int64_t MonoMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t UnixNs() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void OnSigprof(int, siginfo_t*, void* ucontext) noexcept {
  int saved_errno = errno;
  if (g_ring.active.load(std::memory_order_acquire)) {
    uintptr_t pcs[kMaxFrames];
    int n = CaptureFromSignal(ucontext, pcs, kMaxFrames);
    if (n > 0 && !g_ring.lock.test_and_set(std::memory_order_acquire)) {
      if (g_ring.count < kRingSlots) {
        RawSample& s = g_ring.slots[(g_ring.head + g_ring.count) % kRingSlots];
        s.depth = n;
        std::memcpy(s.pcs, pcs, sizeof(uintptr_t) * static_cast<size_t>(n));
        ++g_ring.count;
        n = 0;
      }
      g_ring.lock.clear(std::memory_order_release);
    }
    if (n > 0) g_ring.dropped.fetch_add(1, std::memory_order_relaxed);
  }
  errno = saved_errno;
}

base::Status InstallHandler() {
  static std::atomic<bool> installed{false};
  if (installed.load()) return base::Status::Ok();
  struct sigaction sa;
  std::memset(&sa, 0, sizeof(sa));
  sa.sa_sigaction = &OnSigprof;
  // SA_RESTART: the rest of the process should not see EINTR from a
  // profile. The mask keeps the thread-dump handler out while this one
  // unwinds.
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGPROF);
  sigaddset(&sa.sa_mask, kThreadDumpSignal);
  if (::sigaction(SIGPROF, &sa, nullptr) != 0) {
    return base::Status::Io("pprof: sigaction(SIGPROF)", errno);
  }
  installed.store(true);
  return base::Status::Ok();
}

base::Status SetTimer(int hz) {
  itimerval it{};
  if (hz > 0) {
    it.it_interval.tv_usec = 1000000 / hz;
    it.it_value = it.it_interval;
  }
  if (::setitimer(ITIMER_PROF, &it, nullptr) != 0) {
    return base::Status::Io("pprof: setitimer(ITIMER_PROF)", errno);
  }
  return base::Status::Ok();
}

}  // namespace

std::string EncodeCpuProfile(const CpuProfile& profile,
                             const Symbolizer& symbols) {
  const int64_t period = 1000000000LL / profile.hz;
  ProfileBuilder b;
  b.AddSampleType("samples", "count");
  b.AddSampleType("cpu", "nanoseconds");
  b.SetPeriod("cpu", "nanoseconds", period);
  b.SetTime(profile.start_unix_ns, profile.duration_ns);
  if (profile.dropped > 0) {
    b.AddComment("dropped " + std::to_string(profile.dropped) + " samples");
  }
  for (const auto& entry : profile.counts) {
    b.AddStack(entry.first.data(), entry.first.size(),
               {entry.second, entry.second * period});
  }
  return b.Finish(symbols);
}

CpuProfiler::CpuProfiler(uv_loop_t* loop) : loop_(loop) {}

CpuProfiler::~CpuProfiler() { Stop(); }

base::Status CpuProfiler::Start(uint64_t duration_ms, int hz, Done done) {
  if (hz < 1 || hz > 1000) {
    return base::Status::InvalidArgument("hz must be 1..1000");
  }
  CpuProfiler* expected = nullptr;
  if (!g_ring.owner.compare_exchange_strong(expected, this)) {
    int64_t left = g_ring.end_mono_ms.load() - MonoMs();
    return base::Status::Unavailable(
        "a CPU profile is already running (one at a time); it ends in " +
        std::to_string(left > 0 ? (left + 999) / 1000 : 0) + " s");
  }
  InitUnwinder();
  base::Status s = InstallHandler();
  if (!drain_timer_.initialized() && s.ok()) {
    int rc = uv_timer_init(loop_, drain_timer_.get());
    if (rc == 0) {
      drain_timer_.MarkInitialized();
      drain_timer_->data = this;
      rc = uv_timer_init(loop_, end_timer_.get());
    }
    if (rc == 0) {
      end_timer_.MarkInitialized();
      end_timer_->data = this;
    } else {
      s = base::UvError("pprof: timer", rc);
    }
  }
  if (!s.ok()) {
    g_ring.owner.store(nullptr);
    return s;
  }
  profile_ = CpuProfile();
  profile_.hz = hz;
  profile_.start_unix_ns = UnixNs();
  start_ms_ = uv_now(loop_);
  done_ = std::move(done);
  g_ring.dropped.store(0);
  g_ring.end_mono_ms.store(MonoMs() + static_cast<int64_t>(duration_ms));
  g_ring.active.store(true, std::memory_order_release);
  s = SetTimer(hz);
  if (!s.ok()) {
    g_ring.active.store(false);
    g_ring.owner.store(nullptr);
    return s;
  }
  running_ = true;
  uv_timer_start(drain_timer_.get(), &CpuProfiler::OnDrainTimer, kDrainMs,
                 kDrainMs);
  uv_timer_start(end_timer_.get(), &CpuProfiler::OnEndTimer, duration_ms, 0);
  return base::Status::Ok();
}

void CpuProfiler::Drain() {
  RawSample* batch = g_batch;
  int n = 0;
  while (g_ring.lock.test_and_set(std::memory_order_acquire)) {
    // A handler on another thread holds it for a few microseconds.
  }
  for (; n < g_ring.count; ++n) {
    const RawSample& s = g_ring.slots[(g_ring.head + n) % kRingSlots];
    batch[n].depth = s.depth;
    std::memcpy(batch[n].pcs, s.pcs, sizeof(uintptr_t) * s.depth);
  }
  g_ring.head = (g_ring.head + n) % kRingSlots;
  g_ring.count = 0;
  g_ring.lock.clear(std::memory_order_release);
  // Allocation happens here, outside the lock.
  for (int i = 0; i < n; ++i) {
    ++profile_.counts[std::vector<uintptr_t>(batch[i].pcs,
                                             batch[i].pcs + batch[i].depth)];
  }
}

void CpuProfiler::Stop() {
  if (!running_) return;
  running_ = false;
  (void)SetTimer(0);
  g_ring.active.store(false, std::memory_order_release);
  uv_timer_stop(drain_timer_.get());
  uv_timer_stop(end_timer_.get());
  Drain();
  profile_.dropped = g_ring.dropped.load();
  profile_.duration_ns =
      static_cast<int64_t>(uv_now(loop_) - start_ms_) * 1000000LL;
  g_ring.owner.store(nullptr);
}

void CpuProfiler::OnDrainTimer(uv_timer_t* t) noexcept {
  static_cast<CpuProfiler*>(t->data)->Drain();
}

void CpuProfiler::OnEndTimer(uv_timer_t* t) noexcept {
  CpuProfiler* self = static_cast<CpuProfiler*>(t->data);
  self->Stop();
  Done done = std::move(self->done_);
  self->done_ = nullptr;
  if (done) done(std::move(self->profile_));
}

}  // namespace pprof
