#include "pprof/heap_profiler.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <vector>

#include "pprof/profile_builder.h"
#include "pprof/symbolizer.h"

namespace pprof {
namespace {

__attribute__((noinline)) std::vector<void*> AllocateForHeapTest() {
  std::vector<void*> blocks;
  for (int i = 0; i < 2000; ++i) blocks.push_back(std::malloc(4096));
  asm volatile("" ::: "memory");
  return blocks;
}

__attribute__((noinline)) std::vector<std::unique_ptr<char[]>>
NewForHeapTest() {
  std::vector<std::unique_ptr<char[]>> blocks;
  for (int i = 0; i < 2000; ++i) blocks.emplace_back(new char[4096]);
  asm volatile("" ::: "memory");
  return blocks;
}

struct Totals {
  int64_t allocs = 0, inuse = 0;
};

Totals For(const HeapSnapshot& snap, const Symbolizer& s, const char* fn) {
  Totals t;
  for (const HeapBucket& b : snap.buckets) {
    bool ours = false;
    for (uintptr_t pc : b.stack) {
      ours |= s.FunctionName(pc).find(fn) != std::string::npos;
    }
    if (!ours) continue;
    t.allocs += b.alloc_count;
    t.inuse += b.alloc_count - b.free_count;
  }
  return t;
}

TEST(HeapProfiler, SamplesMallocAndNewAndSeesTheirFrees) {
  if (!HeapHooksLinked()) GTEST_SKIP() << "no malloc hooks (sanitizer build)";
  ASSERT_TRUE(StartHeapSampling(64 * 1024));
  std::vector<void*> blocks = AllocateForHeapTest();
  auto arrays = NewForHeapTest();
  HeapSnapshot snap = SnapshotHeap();
  auto symbols = Symbolizer::ForThisProcess();
  Totals m = For(snap, *symbols, "AllocateForHeapTest");
  Totals n = For(snap, *symbols, "NewForHeapTest");
  // 8 MiB each at one sample per 64 KiB: about 128 samples.
  EXPECT_GT(m.allocs, 60);
  EXPECT_GT(m.inuse, 60);  // The vector's outgrown buffers are freed.
  EXPECT_GT(n.allocs, 60);

  for (void* p : blocks) std::free(p);
  // The vectors' own buffers came from those functions too.
  std::vector<void*>().swap(blocks);
  std::vector<std::unique_ptr<char[]>>().swap(arrays);
  snap = SnapshotHeap();
  EXPECT_EQ(For(snap, *symbols, "AllocateForHeapTest").inuse, 0);
  EXPECT_EQ(For(snap, *symbols, "NewForHeapTest").inuse, 0);

  perftools::profiles::Profile p;
  ASSERT_TRUE(p.ParseFromString(Gunzip(EncodeHeapProfile(snap, *symbols, true))));
  ASSERT_EQ(p.sample_type_size(), 4);
  EXPECT_EQ(p.string_table(p.sample_type(3).type()), "inuse_space");
  EXPECT_EQ(p.string_table(p.default_sample_type()), "alloc_space");
  EXPECT_EQ(p.period(), 64 * 1024);
  StartHeapSampling(kDefaultHeapSampleBytes);
}

TEST(HeapProfiler, ScalesLikeGo) {
  EXPECT_EQ(ScaleHeapSample(0, 0, 512 * 1024), std::make_pair(int64_t{0}, int64_t{0}));
  EXPECT_EQ(ScaleHeapSample(3, 300, 1), std::make_pair(int64_t{3}, int64_t{300}));
  // One 1 MiB object at rate 512 KiB: p = 1 - e^-2, scale ~1.157.
  auto s = ScaleHeapSample(1, 1 << 20, 512 * 1024);
  EXPECT_EQ(s.first, 1);
  EXPECT_NEAR(static_cast<double>(s.second), 1212696.0, 2.0);
}

}  // namespace
}  // namespace pprof
