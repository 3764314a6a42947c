// Heap profiling: sampled allocations with their stacks, live and total,
// like Go's runtime.MemProfile.
//
// Where allocations are seen: malloc_hook.cc, linked into the tether and
// attachd only, wraps malloc/calloc/realloc/free at link time
// (-Wl,--wrap=...; the static glibc has no __malloc_hook any more) and
// replaces operator new/delete with calls to malloc/free, so C and C++
// allocations of our code, of every static library and (in the static
// tether) of libc and libstdc++ themselves arrive here. docs/pprof.md says
// what a dynamically linked attachd misses.
//
// Sampling: on average one allocation per `mean_bytes` allocated, chosen
// by an exponentially distributed byte countdown per thread (Go's method),
// so the estimate is unbiased and the cost per call is one thread-local
// subtraction. A sampled allocation records its stack; its free is found
// in a lock-free table keyed by address. All storage is reserved at
// StartHeapSampling (mmap, about 1 MiB of address space, touched as used):
// the sampler never allocates, so it cannot recurse into itself.
//
// Thread-safe. Nothing here is async-signal-safe (neither is malloc).
#ifndef TETHER_PPROF_HEAP_PROFILER_H_
#define TETHER_PPROF_HEAP_PROFILER_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace pprof {

class Symbolizer;

// Go's default runtime.MemProfileRate.
constexpr size_t kDefaultHeapSampleBytes = 512 * 1024;

// Starts sampling (or changes the rate; 0 stops taking new samples, the
// live ones stay). false when the storage cannot be mapped, or when this
// binary does not link malloc_hook.cc (then nothing would ever arrive).
bool StartHeapSampling(size_t mean_bytes = kDefaultHeapSampleBytes);
// True when this binary links malloc_hook.cc.
bool HeapHooksLinked();

struct HeapBucket {
  std::vector<uintptr_t> stack;  // Leaf first (stack_capture.h).
  int64_t alloc_count = 0;       // Sampled, not yet scaled.
  int64_t alloc_bytes = 0;
  int64_t free_count = 0;
  int64_t free_bytes = 0;
};

struct HeapSnapshot {
  size_t rate = 0;       // 0: sampling is off.
  bool hooked = false;   // HeapHooksLinked().
  uint64_t dropped = 0;  // Samples lost to full tables.
  std::vector<HeapBucket> buckets;
};

HeapSnapshot SnapshotHeap();

// The snapshot as Go writes a heap profile: alloc_objects/count,
// alloc_space/bytes, inuse_objects/count, inuse_space/bytes, each scaled
// up from the samples; period space/bytes = the rate. `allocs` makes
// alloc_space the default view (Go's /debug/pprof/allocs); otherwise
// pprof shows inuse_space. Gzipped profile.proto.
std::string EncodeHeapProfile(const HeapSnapshot& snapshot,
                              const Symbolizer& symbols, bool allocs);

// Go's scaleHeapSample: the unsampled estimate of `count` allocations
// totalling `bytes`, given the sampling rate. Returns {count, bytes}.
std::pair<int64_t, int64_t> ScaleHeapSample(int64_t count, int64_t bytes,
                                            size_t rate);

// ---- for malloc_hook.cc only ----
namespace internal {

extern std::atomic<size_t> g_heap_rate;
extern std::atomic<uint32_t> g_heap_live;
// Bytes this thread may still allocate before its next sample.
extern __thread int64_t t_heap_countdown;

void SampleAllocation(void* p, size_t size);
void ForgetAllocation(void* p);

inline void OnAlloc(void* p, size_t size) {
  if (g_heap_rate.load(std::memory_order_relaxed) == 0) return;
  t_heap_countdown -= static_cast<int64_t>(size);
  if (t_heap_countdown >= 0) return;
  SampleAllocation(p, size);
}

inline void OnFree(void* p) {
  if (g_heap_live.load(std::memory_order_relaxed) == 0) return;
  ForgetAllocation(p);
}

}  // namespace internal
}  // namespace pprof

#endif  // TETHER_PPROF_HEAP_PROFILER_H_
