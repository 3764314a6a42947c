// StdinBridge's copy of the tether's stdin must not leak into sessions
// (review F15): it is close-on-exec like every other fd of the tether.
#include "tether/console.h"

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <set>

#include "tests/fakes/fake_os.h"
#include "tests/fakes/loop_runner.h"

namespace tether {
namespace {

std::set<int> OpenFds() {
  std::set<int> fds;
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return fds;
  while (dirent* e = ::readdir(dir)) {
    if (e->d_name[0] != '.') fds.insert(std::atoi(e->d_name));
  }
  fds.erase(::dirfd(dir));
  ::closedir(dir);
  return fds;
}

TEST(StdinBridge, ItsCopyOfStdinIsCloseOnExec) {
  int saved = ::dup(STDIN_FILENO);
  ASSERT_GE(saved, 0);
  int p[2];
  ASSERT_EQ(::pipe(p), 0);
  ASSERT_EQ(::dup2(p[0], STDIN_FILENO), STDIN_FILENO);
  ::close(p[0]);

  uv_loop_t loop;
  ASSERT_EQ(uv_loop_init(&loop), 0);
  fakes::FakeOs os;
  guestinfo::SessionConfig sc;
  sc.id = "main";
  {
    Session session(&loop, os, sc, 4096, nullptr);
    StdinBridge bridge(&loop, session);
    std::set<int> before = OpenFds();
    ASSERT_TRUE(bridge.Start().ok());
    std::set<int> added;
    for (int fd : OpenFds()) {
      if (!before.count(fd)) added.insert(fd);
    }
    ASSERT_FALSE(added.empty());
    for (int fd : added) {
      EXPECT_EQ(::fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC) << "fd " << fd;
    }
    bridge.Stop();
  }
  EXPECT_EQ(fakes::DrainAndClose(&loop), 0);
  ::close(p[1]);
  ASSERT_EQ(::dup2(saved, STDIN_FILENO), STDIN_FILENO);
  ::close(saved);
}

}  // namespace
}  // namespace tether
