#include "tether/output_ring.h"

#include <gtest/gtest.h>

namespace tether {
namespace {

TEST(OutputRing, ReadsBackWithAbsoluteOffsets) {
  OutputRing r(8);
  r.Append("abc", 3);
  r.Append("def", 3);
  EXPECT_EQ(r.end_offset(), 6u);
  EXPECT_EQ(r.begin_offset(), 0u);
  OutputRing::Chunk c = r.Read(2, 100);
  EXPECT_EQ(c.gap, 0u);
  EXPECT_EQ(c.offset, 2u);
  EXPECT_EQ(c.data, "cdef");
  EXPECT_EQ(r.Read(1, 2).data, "bc");
  EXPECT_EQ(r.Read(6, 10).data, "");
}

TEST(OutputRing, WrapsAndReportsTheGap) {
  OutputRing r(4);
  r.Append("abcdef", 6);  // Longer than the ring: only "cdef" stays.
  EXPECT_EQ(r.begin_offset(), 2u);
  OutputRing::Chunk c = r.Read(0, 10);
  EXPECT_EQ(c.gap, 2u);
  EXPECT_EQ(c.offset, 2u);
  EXPECT_EQ(c.data, "cdef");
  r.Append("gh", 2);  // Wraps around the buffer's end.
  EXPECT_EQ(r.Read(4, 10).data, "efgh");
  EXPECT_EQ(r.Read(3, 10).gap, 1u);
}

TEST(OutputRing, OffsetPastEndIsClamped) {
  OutputRing r(4);
  r.Append("ab", 2);
  OutputRing::Chunk c = r.Read(99, 10);
  EXPECT_EQ(c.offset, 2u);
  EXPECT_EQ(c.data, "");
}

TEST(OutputRing, ManySmallAppendsKeepTheTail) {
  OutputRing r(5);
  std::string all;
  for (int i = 0; i < 100; ++i) {
    char ch = static_cast<char>('a' + i % 26);
    r.Append(&ch, 1);
    all.push_back(ch);
  }
  EXPECT_EQ(r.Read(r.begin_offset(), 10).data, all.substr(95));
}

}  // namespace
}  // namespace tether
