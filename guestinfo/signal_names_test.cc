#include "guestinfo/signal_names.h"

#include <gtest/gtest.h>

#include <csignal>

namespace guestinfo {
namespace {

TEST(ParseSignal, NamesNumbersAndCase) {
  EXPECT_EQ(*ParseSignal("SIGTERM"), SIGTERM);
  EXPECT_EQ(*ParseSignal("TERM"), SIGTERM);
  EXPECT_EQ(*ParseSignal("sigterm"), SIGTERM);
  EXPECT_EQ(*ParseSignal("Term"), SIGTERM);
  EXPECT_EQ(*ParseSignal("15"), 15);
  EXPECT_EQ(*ParseSignal("1"), 1);
  EXPECT_EQ(*ParseSignal("31"), 31);
  EXPECT_EQ(*ParseSignal("SIGIOT"), SIGABRT);
  EXPECT_EQ(*ParseSignal("POLL"), SIGIO);
  EXPECT_EQ(*ParseSignal("winch"), SIGWINCH);
}

TEST(ParseSignal, Rejects) {
  for (const char* bad : {"", "0", "32", "64", "015", "-1", "SIG", "SIGFOO",
                          "SIGRTMIN", " TERM", "15 ", "+15"}) {
    base::Result<int> r = ParseSignal(bad);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), base::Status::Code::kInvalidArgument);
  }
  EXPECT_EQ(ParseSignal("SIGFOO").status().ToString(),
            "unknown signal \"SIGFOO\"");
}

TEST(SignalName, EveryNumberRoundTrips) {
  for (int n = 1; n <= 31; ++n) {
    std::string name = SignalName(n);
    ASSERT_FALSE(name.empty()) << n;
    EXPECT_EQ(name.rfind("SIG", 0), 0u);
    EXPECT_EQ(*ParseSignal(name), n) << name;
  }
  EXPECT_STREQ(SignalName(SIGABRT), "SIGABRT");  // Not the alias SIGIOT.
  EXPECT_STREQ(SignalName(SIGCHLD), "SIGCHLD");
  EXPECT_STREQ(SignalName(0), "");
  EXPECT_STREQ(SignalName(32), "");
  EXPECT_STREQ(SignalName(-1), "");
}

}  // namespace
}  // namespace guestinfo
