// The sampling half of heap_profiler.h: the per-thread countdown, the
// bucket table (one entry per allocation stack) and the live table (one
// entry per sampled allocation not yet freed).
//
// Locking: one spinlock guards both tables for writers. Readers of the
// live table (every free() while samples are live) probe without it: keys
// are atomics, a removed key becomes a tombstone rather than empty so
// probe chains stay intact, and a free can only race with the insertion
// of a different address (an address is not freed before malloc returned
// it). Nothing here allocates; storage is mapped once.
#include <sys/mman.h>

#include <cmath>
#include <cstring>
#include <ctime>

#include "pprof/heap_profiler.h"
#include "pprof/stack_capture.h"

extern "C" void* __wrap_malloc(size_t) __attribute__((weak));

namespace pprof {
namespace internal {

std::atomic<size_t> g_heap_rate{0};
std::atomic<uint32_t> g_heap_live{0};
__thread int64_t t_heap_countdown = 0;

}  // namespace internal

namespace {

constexpr uint32_t kBuckets = 4096;      // Power of two.
constexpr uint32_t kArenaPcs = 65536;    // Stack storage, all buckets.
constexpr uint32_t kLiveSlots = 8192;    // Power of two.
constexpr uint32_t kLiveProbes = 64;
constexpr uintptr_t kTombstone = 1;      // Never a heap address.

struct Bucket {
  uint64_t hash;  // 0: empty.
  uint32_t stack_off;
  uint32_t depth;
  int64_t alloc_count, alloc_bytes, free_count, free_bytes;
};

struct LiveValue {
  uint32_t bucket;
  uint64_t size;
};

// Process-wide, as the malloc it hooks. Pointers are set once, before the
// rate becomes non-zero, and never unmapped.
struct State {
  std::atomic_flag lock = ATOMIC_FLAG_INIT;
  Bucket* buckets = nullptr;
  uintptr_t* arena = nullptr;
  uint32_t arena_used = 0;
  uint32_t bucket_count = 0;
  std::atomic<uintptr_t>* live_keys = nullptr;
  LiveValue* live_values = nullptr;
  std::atomic<uint64_t> dropped{0};
};
State g_state;

__thread uint64_t t_rng = 0;
__thread bool t_in_sampler = false;

class SpinLock {
 public:
  SpinLock() {
    while (g_state.lock.test_and_set(std::memory_order_acquire)) {
    }
  }
  ~SpinLock() { g_state.lock.clear(std::memory_order_release); }
};

uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return x;
}

// Exponential with mean `rate`, as Go's fastexprand.
int64_t NextInterval(size_t rate) {
  if (t_rng == 0) {
    t_rng = Mix(reinterpret_cast<uintptr_t>(&t_rng) ^
                static_cast<uint64_t>(std::time(nullptr))) | 1;
  }
  t_rng ^= t_rng << 13;
  t_rng ^= t_rng >> 7;
  t_rng ^= t_rng << 17;
  double u = static_cast<double>((t_rng >> 11) + 1) * 0x1.0p-53;  // (0, 1]
  return static_cast<int64_t>(-std::log(u) * static_cast<double>(rate)) + 1;
}

// The bucket for a stack, added if new; kBuckets if the tables are full.
uint32_t BucketFor(const uintptr_t* pcs, uint32_t depth) {
  uint64_t h = 0;
  for (uint32_t i = 0; i < depth; ++i) h = Mix(h ^ pcs[i]);
  h |= 1;
  for (uint32_t n = 0, i = static_cast<uint32_t>(h) & (kBuckets - 1);
       n < kBuckets; ++n, i = (i + 1) & (kBuckets - 1)) {
    Bucket& b = g_state.buckets[i];
    if (b.hash == h && b.depth == depth &&
        std::memcmp(g_state.arena + b.stack_off, pcs,
                    depth * sizeof(uintptr_t)) == 0) {
      return i;
    }
    if (b.hash != 0) continue;
    if (g_state.bucket_count >= kBuckets * 3 / 4 ||
        g_state.arena_used + depth > kArenaPcs) {
      return kBuckets;
    }
    b.hash = h;
    b.depth = depth;
    b.stack_off = g_state.arena_used;
    std::memcpy(g_state.arena + b.stack_off, pcs, depth * sizeof(uintptr_t));
    g_state.arena_used += depth;
    ++g_state.bucket_count;
    return i;
  }
  return kBuckets;
}

uint32_t LiveSlot(uintptr_t p) {
  return static_cast<uint32_t>(Mix(p)) & (kLiveSlots - 1);
}

void Unlink(uint32_t slot) {
  const LiveValue& v = g_state.live_values[slot];
  Bucket& b = g_state.buckets[v.bucket];
  ++b.free_count;
  b.free_bytes += static_cast<int64_t>(v.size);
  g_state.live_keys[slot].store(kTombstone, std::memory_order_release);
  internal::g_heap_live.fetch_sub(1, std::memory_order_relaxed);
}

// Under the lock. False when no slot is free within the probe bound.
bool InsertLive(uintptr_t p, uint32_t bucket, size_t size) {
  uint32_t slot = LiveSlot(p);
  uint32_t free_slot = kLiveSlots;
  for (uint32_t n = 0; n < kLiveProbes; ++n, slot = (slot + 1) & (kLiveSlots - 1)) {
    uintptr_t key = g_state.live_keys[slot].load(std::memory_order_relaxed);
    if (key == p) {
      Unlink(slot);  // Its free went unseen (freed by code outside the hook).
      key = kTombstone;
    }
    if ((key == 0 || key == kTombstone) && free_slot == kLiveSlots) {
      free_slot = slot;
    }
    if (key == 0) break;
  }
  if (free_slot == kLiveSlots) return false;
  g_state.live_values[free_slot] = LiveValue{bucket, size};
  g_state.live_keys[free_slot].store(p, std::memory_order_release);
  internal::g_heap_live.fetch_add(1, std::memory_order_relaxed);
  return true;
}

void Record(void* p, size_t size) {
  uintptr_t pcs[kMaxFrames];
  // Skips Record, SampleAllocation and the hook (__wrap_malloc; OnAlloc
  // is inlined into it), so stacks start where malloc was called.
  int depth = CaptureHere(pcs, kMaxFrames, 3);
  SpinLock lock;
  uint32_t b = BucketFor(pcs, static_cast<uint32_t>(depth));
  if (b == kBuckets) {
    g_state.dropped.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  Bucket& bucket = g_state.buckets[b];
  ++bucket.alloc_count;
  bucket.alloc_bytes += static_cast<int64_t>(size);
  if (!InsertLive(reinterpret_cast<uintptr_t>(p), b, size)) {
    // Counted as allocated and freed at once, so in-use is not inflated.
    ++bucket.free_count;
    bucket.free_bytes += static_cast<int64_t>(size);
    g_state.dropped.fetch_add(1, std::memory_order_relaxed);
  }
}

template <typename T>
T* MapArray(size_t n) {
  void* p = mmap(nullptr, n * sizeof(T), PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : static_cast<T*>(p);
}

}  // namespace

namespace internal {

void SampleAllocation(void* p, size_t size) {
  if (t_in_sampler) return;  // libunwind allocating inside Record.
  t_in_sampler = true;
  size_t rate = g_heap_rate.load(std::memory_order_relaxed);
  if (rate != 0) {
    t_heap_countdown = NextInterval(rate);
    Record(p, size);
  }
  t_in_sampler = false;
}

void ForgetAllocation(void* p) {
  if (t_in_sampler) return;
  const uintptr_t key = reinterpret_cast<uintptr_t>(p);
  uint32_t slot = LiveSlot(key);
  for (uint32_t n = 0; n < kLiveProbes; ++n, slot = (slot + 1) & (kLiveSlots - 1)) {
    uintptr_t k = g_state.live_keys[slot].load(std::memory_order_acquire);
    if (k == 0) return;
    if (k != key) continue;
    SpinLock lock;
    if (g_state.live_keys[slot].load(std::memory_order_relaxed) == key) {
      Unlink(slot);
    }
    return;
  }
}

}  // namespace internal

bool HeapHooksLinked() { return &__wrap_malloc != nullptr; }

bool StartHeapSampling(size_t mean_bytes) {
  if (!HeapHooksLinked()) return false;
  InitUnwinder();
  {
    SpinLock lock;
    if (g_state.buckets == nullptr) {
      g_state.buckets = MapArray<Bucket>(kBuckets);
      g_state.arena = MapArray<uintptr_t>(kArenaPcs);
      g_state.live_keys = MapArray<std::atomic<uintptr_t>>(kLiveSlots);
      g_state.live_values = MapArray<LiveValue>(kLiveSlots);
    }
    if (!g_state.buckets || !g_state.arena || !g_state.live_keys ||
        !g_state.live_values) {
      return false;
    }
  }
  internal::g_heap_rate.store(mean_bytes, std::memory_order_release);
  return true;
}

HeapSnapshot SnapshotHeap() {
  HeapSnapshot out;
  out.hooked = HeapHooksLinked();
  out.rate = internal::g_heap_rate.load();
  out.dropped = g_state.dropped.load();
  if (g_state.buckets == nullptr) return out;
  // Copy out under the lock without allocating there: our own frees
  // would need the lock too. The copies are not sampled: a heap profile
  // should not show the buffers that made it.
  t_in_sampler = true;
  std::vector<Bucket> buckets(kBuckets);
  std::vector<uintptr_t> arena(kArenaPcs);
  t_in_sampler = false;
  {
    SpinLock lock;
    std::memcpy(buckets.data(), g_state.buckets, sizeof(Bucket) * kBuckets);
    std::memcpy(arena.data(), g_state.arena,
                sizeof(uintptr_t) * g_state.arena_used);
  }
  for (const Bucket& b : buckets) {
    if (b.hash == 0) continue;
    HeapBucket hb;
    hb.stack.assign(arena.begin() + b.stack_off,
                    arena.begin() + b.stack_off + b.depth);
    hb.alloc_count = b.alloc_count;
    hb.alloc_bytes = b.alloc_bytes;
    hb.free_count = b.free_count;
    hb.free_bytes = b.free_bytes;
    out.buckets.push_back(std::move(hb));
  }
  return out;
}

}  // namespace pprof
