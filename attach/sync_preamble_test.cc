#include "attach/sync_preamble.h"

#include <gtest/gtest.h>

namespace attach {
namespace {

TEST(SyncLine, Format) {
  EXPECT_EQ(SyncLine(0x1234abcd), "TETHER-SYNC 000000001234abcd\n");
}

TEST(SyncScanner, FindsTheLineAfterGarbageAndKeepsTheRest) {
  SyncScanner s;
  std::string line = SyncLine(7);
  auto r = s.Feed("junk\nTETHER-SYNC nothex\n" + line.substr(0, 5));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  r = s.Feed(line.substr(5) + "SSH-2.0-x");
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->line, line);
  EXPECT_EQ((*r)->rest, "SSH-2.0-x");
}

TEST(SyncScanner, OverlongLinesAreSkipped) {
  SyncScanner s;
  std::string longline(500, 'x');
  auto r = s.Feed(longline + SyncLine(1).substr(0, 12) + "\n" + SyncLine(2));
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->line, SyncLine(2));
}

TEST(SyncScanner, GivesUpAfterTheScanLimit) {
  SyncScanner s;
  std::string noise(kSyncMaxScan + 1, 'n');
  EXPECT_EQ(s.Feed(noise).status().message(),
            "sync preamble: no TETHER-SYNC line in 65536 bytes");
}

TEST(SyncEchoWaiter, WaitsForEchoThenBanner) {
  SyncEchoWaiter w(SyncLine(9));
  auto r = w.Feed("stale SSH-2.0-old\n" + SyncLine(8));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());  // SSH- before the echo does not count.
  std::string line = SyncLine(9);
  r = w.Feed(line.substr(0, 10));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  r = w.Feed(line.substr(10) + "xxSS");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  r = w.Feed("H-2.0-libssh2\r\n");
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ(**r, "SSH-2.0-libssh2\r\n");
}

}  // namespace
}  // namespace attach
