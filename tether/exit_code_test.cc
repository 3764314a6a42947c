#include "tether/exit_code.h"

#include <signal.h>

#include <gtest/gtest.h>

#include "tests/fakes/fake_os.h"

namespace tether {
namespace {

using fakes::FakeOs;

TEST(ExitCode, FromWaitStatus) {
  EXPECT_EQ(ExitCodeFromWaitStatus(FakeOs::Exited(0)), 0);
  EXPECT_EQ(ExitCodeFromWaitStatus(FakeOs::Exited(3)), 3);
  EXPECT_EQ(ExitCodeFromWaitStatus(FakeOs::Exited(255)), 255);
  EXPECT_EQ(ExitCodeFromWaitStatus(FakeOs::Signaled(SIGKILL)), 137);
  EXPECT_EQ(ExitCodeFromWaitStatus(FakeOs::Signaled(SIGTERM)), 143);
  EXPECT_EQ(SignalFromWaitStatus(FakeOs::Signaled(SIGTERM)), SIGTERM);
  EXPECT_EQ(SignalFromWaitStatus(FakeOs::Exited(1)), 0);
}

TEST(ExitCode, ForSpawnFailure) {
  EXPECT_EQ(ExitCodeForSpawnFailure(base::Status::NotFound("x")), 127);
  EXPECT_EQ(ExitCodeForSpawnFailure(base::Status::PermissionDenied("x")), 126);
  EXPECT_EQ(ExitCodeForSpawnFailure(base::Status::Io("chdir", EIO)), 125);
  EXPECT_EQ(ExitCodeForSpawnFailure(base::Status::InvalidArgument("u")), 125);
}

}  // namespace
}  // namespace tether
