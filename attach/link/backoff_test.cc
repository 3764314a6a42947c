#include "attach/link/backoff.h"

#include <gtest/gtest.h>

namespace attach {
namespace {

TEST(Backoff, DoublesFromInitialToCapWithinJitter) {
  Backoff b(BackoffParams{}, 42);
  uint64_t step = 100;
  for (int i = 0; i < 12; ++i) {
    uint64_t d = b.NextDelayMs();
    EXPECT_GE(d, step * 8 / 10) << "attempt " << i;
    EXPECT_LE(d, step * 12 / 10) << "attempt " << i;
    step = std::min<uint64_t>(step * 2, 5000);
  }
}

TEST(Backoff, JitterSpreadsDelays) {
  // Two tethers with different seeds should rarely pick the same delay.
  Backoff a(BackoffParams{}, 1), b(BackoffParams{}, 2);
  int same = 0;
  for (int i = 0; i < 10; ++i) same += a.NextDelayMs() == b.NextDelayMs();
  EXPECT_LT(same, 5);
}

TEST(Backoff, ResetStartsOver) {
  Backoff b(BackoffParams{100, 5000, 0.0}, 7);
  EXPECT_EQ(b.NextDelayMs(), 100u);
  EXPECT_EQ(b.NextDelayMs(), 200u);
  EXPECT_EQ(b.NextDelayMs(), 400u);
  b.Reset();
  EXPECT_EQ(b.NextDelayMs(), 100u);
}

}  // namespace
}  // namespace attach
