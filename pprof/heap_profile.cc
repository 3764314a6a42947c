// The reporting half of heap_profiler.h: Go's scaling and profile layout.
#include <cmath>

#include "pprof/heap_profiler.h"
#include "pprof/profile_builder.h"

namespace pprof {

std::pair<int64_t, int64_t> ScaleHeapSample(int64_t count, int64_t bytes,
                                            size_t rate) {
  if (count <= 0 || bytes <= 0) return {0, 0};
  if (rate <= 1) return {count, bytes};
  // Each allocation of size s was sampled with probability
  // 1 - exp(-s/rate); dividing by it gives the unsampled estimate.
  double avg = static_cast<double>(bytes) / static_cast<double>(count);
  double scale = 1.0 / (1.0 - std::exp(-avg / static_cast<double>(rate)));
  return {static_cast<int64_t>(static_cast<double>(count) * scale),
          static_cast<int64_t>(static_cast<double>(bytes) * scale)};
}

std::string EncodeHeapProfile(const HeapSnapshot& snapshot,
                              const Symbolizer& symbols, bool allocs) {
  ProfileBuilder b;
  b.AddSampleType("alloc_objects", "count");
  b.AddSampleType("alloc_space", "bytes");
  b.AddSampleType("inuse_objects", "count");
  b.AddSampleType("inuse_space", "bytes");
  b.SetPeriod("space", "bytes", static_cast<int64_t>(snapshot.rate));
  if (allocs) b.SetDefaultSampleType("alloc_space");
  // Stacks start at the caller of malloc; C++ allocations also pass
  // through operator new, which says nothing about who allocated.
  b.SetDropFrames("operator new.*");
  if (!snapshot.hooked) {
    b.AddComment("no allocation hook in this binary: no samples");
  } else if (snapshot.rate == 0) {
    b.AddComment("heap sampling is off");
  }
  if (snapshot.dropped > 0) {
    b.AddComment("dropped " + std::to_string(snapshot.dropped) +
                 " samples (tables full)");
  }
  for (const HeapBucket& hb : snapshot.buckets) {
    auto alloc = ScaleHeapSample(hb.alloc_count, hb.alloc_bytes, snapshot.rate);
    auto inuse = ScaleHeapSample(hb.alloc_count - hb.free_count,
                                 hb.alloc_bytes - hb.free_bytes, snapshot.rate);
    std::vector<ProfileBuilder::Label> labels;
    if (hb.alloc_count > 0) {
      // Go labels each sample with the average object size.
      ProfileBuilder::Label l;
      l.key = "bytes";
      l.num = hb.alloc_bytes / hb.alloc_count;
      labels.push_back(l);
    }
    b.AddStack(hb.stack.data(), hb.stack.size(),
               {alloc.first, alloc.second, inuse.first, inuse.second}, labels);
  }
  return b.Finish(symbols);
}

}  // namespace pprof
