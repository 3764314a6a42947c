// What one stack capture costs (docs/pprof.md, "Unwinding"): libunwind
// as the profilers use it, against a frame-pointer walk of the same stack
// (this file is built with -fno-omit-frame-pointer so that walk works), at
// the depth of a typical tether stack. Also a whole SIGPROF-style sample:
// signal delivery plus CaptureFromSignal.
#include <benchmark/benchmark.h>
#include <signal.h>

#include <cstdint>
#include <functional>

#include "pprof/stack_capture.h"

namespace {

constexpr int kDepth = 20;

// Recurses to `depth` frames, then runs `f` at the bottom.
__attribute__((noinline)) int Nest(int depth, const std::function<int()>& f) {
  if (depth == 0) return f();
  int r = Nest(depth - 1, f);
  benchmark::DoNotOptimize(r);
  return r + 1;
}

// The frame-pointer alternative: follow saved rbp links, checking that
// each frame lies above the last (what a signal-safe walker must do).
__attribute__((noinline)) int FramePointerWalk(uintptr_t* pcs, int max) {
  auto* fp = static_cast<uintptr_t*>(__builtin_frame_address(0));
  int n = 0;
  while (fp != nullptr && n < max) {
    uintptr_t ret = fp[1];
    if (ret == 0) break;
    pcs[n++] = ret - 1;
    auto* next = reinterpret_cast<uintptr_t*>(fp[0]);
    if (next <= fp || reinterpret_cast<uintptr_t>(next) % 8 != 0) break;
    fp = next;
  }
  return n;
}

void BM_LibunwindCaptureHere(benchmark::State& state) {
  pprof::InitUnwinder();
  uintptr_t pcs[pprof::kMaxFrames];
  for (auto _ : state) {
    int n = Nest(kDepth, [&] { return pprof::CaptureHere(pcs, 64, 0); });
    benchmark::DoNotOptimize(n);
  }
}
BENCHMARK(BM_LibunwindCaptureHere);

void BM_FramePointerWalk(benchmark::State& state) {
  uintptr_t pcs[pprof::kMaxFrames];
  for (auto _ : state) {
    int n = Nest(kDepth, [&] { return FramePointerWalk(pcs, 64); });
    benchmark::DoNotOptimize(n);
  }
}
BENCHMARK(BM_FramePointerWalk);

volatile int g_frames = 0;
bool g_unwind_in_handler = false;

void OnSignal(int, siginfo_t*, void* uc) {
  if (!g_unwind_in_handler) return;
  uintptr_t pcs[pprof::kMaxFrames];
  g_frames = pprof::CaptureFromSignal(uc, pcs, pprof::kMaxFrames);
}

// A whole sample: the kernel's signal delivery plus, optionally, the
// unwind from the signal context.
void BM_Signal(benchmark::State& state) {
  pprof::InitUnwinder();
  struct sigaction sa {};
  sa.sa_sigaction = &OnSignal;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR1, &sa, nullptr);
  g_unwind_in_handler = state.range(0) != 0;
  for (auto _ : state) {
    Nest(kDepth, [] {
      raise(SIGUSR1);
      return 0;
    });
  }
  state.counters["frames"] = g_frames;
}
BENCHMARK(BM_Signal)->Arg(0)->Arg(1)->ArgName("unwind");

}  // namespace

BENCHMARK_MAIN();
