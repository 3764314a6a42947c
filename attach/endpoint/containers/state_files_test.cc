// Review F12: attachd refuses a state directory someone else could have
// prepared, and its atomic writes never follow a planted file or link.
#include "attach/endpoint/containers/state_files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "attach/endpoint/testing/test_util.h"

namespace attach {
namespace endpoint {
namespace {

using testing::TempDir;

// A container's status written on a worker while the container is
// removed (docker rm right after wait): files appear and are renamed
// away during the walk, and the removal still succeeds.
TEST(StateFiles, RemoveTreeWhileAWorkerWritesThere) {
  TempDir top;
  for (int round = 0; round < 20; ++round) {
    std::string dir = top.path() + "/c" + std::to_string(round);
    ASSERT_EQ(::mkdir(dir.c_str(), 0700), 0);
    for (int i = 0; i < 50; ++i) {
      ASSERT_TRUE(
          WriteFileAtomic(dir + "/f" + std::to_string(i), "x", 0600).ok());
    }
    std::atomic<bool> gone{false};
    std::thread writer([&] {
      while (!gone) {
        if (!WriteFileAtomic(dir + "/status", "running", 0600).ok()) break;
      }
    });
    base::Status s = RemoveTree(dir);
    gone = true;
    writer.join();
    EXPECT_TRUE(s.ok()) << s.ToString();
    EXPECT_NE(::access(dir.c_str(), F_OK), 0);
  }
}

TEST(StateFiles, RefusesADirectoryOthersMayWrite) {
  TempDir dir;
  const std::string d = dir.path() + "/st";
  ASSERT_EQ(::mkdir(d.c_str(), 0700), 0);
  ASSERT_EQ(::chmod(d.c_str(), 0777), 0);
  base::Status s = EnsureDir(d, 0700);
  EXPECT_EQ(s.code(), base::Status::Code::kPermissionDenied) << s.ToString();
  ASSERT_EQ(::chmod(d.c_str(), 0755), 0);
  EXPECT_TRUE(EnsureDir(d, 0700).ok());  // Tightened to 0700.
  struct stat st;
  ASSERT_EQ(::stat(d.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST(StateFiles, RefusesADirectoryOwnedBySomeoneElse) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to chown";
  TempDir dir;
  const std::string d = dir.path() + "/st";
  ASSERT_EQ(::mkdir(d.c_str(), 0700), 0);
  ASSERT_EQ(::chown(d.c_str(), 65534, 65534), 0);  // nobody
  base::Status s = EnsureDir(d, 0700);
  EXPECT_EQ(s.code(), base::Status::Code::kPermissionDenied) << s.ToString();
}

TEST(StateFiles, AtomicWriteIgnoresAPlantedTmpLink) {
  TempDir dir;
  const std::string victim = dir.path() + "/victim";
  ASSERT_TRUE(WriteFileAtomic(victim, "precious", 0600).ok());
  const std::string path = dir.path() + "/status";
  ASSERT_EQ(::symlink(victim.c_str(), (path + ".tmp").c_str()), 0);
  ASSERT_TRUE(WriteFileAtomic(path, "new status", 0600).ok());
  EXPECT_EQ(*ReadFile(victim), "precious");
  EXPECT_EQ(*ReadFile(path), "new status");
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
