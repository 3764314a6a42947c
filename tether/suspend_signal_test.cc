#include "tether/suspend_signal.h"

#include <gtest/gtest.h>
#include <signal.h>

#include "tests/fakes/fake_os.h"

namespace tether {
namespace {

std::string Status(const char* ign, const char* cgt) {
  return std::string("Name:\tvi\nState:\tS (sleeping)\nSigQ:\t0/1024\n") +
         "SigPnd:\t0000000000000000\nShdPnd:\t0000000000000000\n" +
         "SigBlk:\t0000000000000000\nSigIgn:\t" + ign + "\nSigCgt:\t" + cgt +
         "\nCapInh:\t0000000000000000\n";
}

TEST(SuspendSignal, OnlyTheThreeJobControlStops) {
  EXPECT_TRUE(IsSuspendSignal(SIGTSTP));
  EXPECT_TRUE(IsSuspendSignal(SIGTTIN));
  EXPECT_TRUE(IsSuspendSignal(SIGTTOU));
  EXPECT_FALSE(IsSuspendSignal(SIGSTOP));
  EXPECT_FALSE(IsSuspendSignal(SIGCONT));
}

TEST(SuspendSignal, CaughtOrIgnoredSignalsGoAsSent) {
  fakes::FakeOs os;
  // Catches SIGTSTP (bit 19), ignores SIGTTOU (bit 21).
  os.AddFile("/proc/7/status", Status("0000000000200000", "0000000000080000"));
  EXPECT_EQ(SuspendSignalFor(os, 7, SIGTSTP), SIGTSTP);
  EXPECT_EQ(SuspendSignalFor(os, 7, SIGTTOU), SIGTTOU);
  EXPECT_EQ(SuspendSignalFor(os, 7, SIGTTIN), SIGSTOP);
}

TEST(SuspendSignal, DefaultActionOrUnknownBecomesSigstop) {
  fakes::FakeOs os;
  os.AddFile("/proc/8/status", Status("0000000000000000", "0000000000000000"));
  EXPECT_EQ(SuspendSignalFor(os, 8, SIGTSTP), SIGSTOP);
  EXPECT_EQ(SuspendSignalFor(os, 9, SIGTSTP), SIGSTOP);  // Gone already.
  os.AddFile("/proc/10/status", "Name:\tx\nSigCgt:\tzz\n");
  EXPECT_EQ(SuspendSignalFor(os, 10, SIGTSTP), SIGSTOP);
}

}  // namespace
}  // namespace tether
