#include "attach/ctl/log_lines.h"

#include <gtest/gtest.h>

namespace attach {
namespace ctl {
namespace {

constexpr int64_t kT1 = 1714566896LL * 1000000000 + 500000000;
constexpr int64_t kT2 = kT1 + 1000000000;

TEST(LogLines, PassesDataThroughWithoutTimestamps) {
  LogLines lines(false);
  EXPECT_EQ(lines.Format(false, "a\nb", kT1), "a\nb");
}

TEST(LogLines, PrefixesEveryLineStartOnce) {
  LogLines lines(true);
  const std::string p1 = "2024-05-01T12:34:56.500000000Z ";
  const std::string p2 = "2024-05-01T12:34:57.500000000Z ";
  EXPECT_EQ(lines.Format(false, "one\ntwo\nthr", kT1),
            p1 + "one\n" + p1 + "two\n" + p1 + "thr");
  // The rest of "three" is not a new line; the next one is.
  EXPECT_EQ(lines.Format(false, "ee\nfour\n", kT2), "ee\n" + p2 + "four\n");
  // stderr has its own line state.
  EXPECT_EQ(lines.Format(true, "err", kT2), p2 + "err");
  EXPECT_EQ(lines.Format(false, "five\n", kT2), p2 + "five\n");
}

}  // namespace
}  // namespace ctl
}  // namespace attach
