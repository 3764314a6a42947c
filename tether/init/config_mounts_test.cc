#include "tether/init/config_mounts.h"

#include <gtest/gtest.h>
#include <sys/mount.h>

#include <cerrno>
#include <string>
#include <vector>

#include "tests/fakes/failing_fake_os.h"

namespace tether {
namespace {

using guestinfo::MountConfig;

TEST(MountConfigured, CreatesTargetAndParentsAndParsesOptions) {
  fakes::FakeOs os;
  InitReport r = MountConfigured(
      os, {{"tmpfs", "/data/cache", "tmpfs", {"nosuid", "size=64m", "ro"}}});
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(os.dirs.count("/data"));
  EXPECT_TRUE(os.dirs.count("/data/cache"));
  ASSERT_EQ(os.mounts.size(), 1u);
  EXPECT_EQ(os.mounts[0].source, "tmpfs");
  EXPECT_EQ(os.mounts[0].target, "/data/cache");
  EXPECT_EQ(os.mounts[0].fstype, "tmpfs");
  EXPECT_EQ(os.mounts[0].flags, MS_NOSUID | MS_RDONLY);
  EXPECT_EQ(os.mounts[0].data, "size=64m");
}

TEST(MountConfigured, ReadOnlyBindIsRemounted) {
  fakes::FakeOs os;
  os.AddDir("/mnt/vol");
  InitReport r =
      MountConfigured(os, {{"/mnt/vol", "/srv", "", {"rbind", "ro"}}});
  EXPECT_TRUE(r.ok());
  ASSERT_EQ(os.mounts.size(), 2u);
  EXPECT_EQ(os.mounts[0].flags, MS_BIND | MS_REC | MS_RDONLY);
  EXPECT_EQ(os.mounts[1].target, "/srv");
  EXPECT_EQ(os.mounts[1].flags, MS_REMOUNT | MS_BIND | MS_RDONLY);
  EXPECT_TRUE(os.dirs.count("/srv"));
}

TEST(MountConfigured, BindOfAFileMountsOnAnEmptyFile) {
  fakes::FakeOs os;
  os.AddFile("/mnt/secret.txt", "s3cret", S_IFREG | 0600);
  InitReport r = MountConfigured(
      os, {{"/mnt/secret.txt", "/run/secrets/token", "", {"bind"}}});
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(os.dirs.count("/run"));
  EXPECT_TRUE(os.dirs.count("/run/secrets"));
  EXPECT_EQ(os.dirs.count("/run/secrets/token"), 0u);
  EXPECT_EQ(os.files.at("/run/secrets/token"), "");
  ASSERT_EQ(os.mounts.size(), 1u);
  EXPECT_EQ(os.mounts[0].flags, static_cast<unsigned long>(MS_BIND));
}

TEST(MountConfigured, BindOntoAnExistingFileKeepsIt) {
  fakes::FakeOs os;
  os.AddFile("/mnt/hosts", "x", S_IFREG | 0644);
  os.AddFile("/etc/hosts", "generated", S_IFREG | 0644);
  InitReport r =
      MountConfigured(os, {{"/mnt/hosts", "/etc/hosts", "", {"bind"}}});
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(os.files.at("/etc/hosts"), "generated");
}

TEST(MountConfigured, RemountOnlyMounts) {
  fakes::FakeOs os;
  InitReport r = MountConfigured(os, {{"", "/", "", {"remount", "ro"}}});
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(os.dirs.empty());
  ASSERT_EQ(os.mounts.size(), 1u);
  EXPECT_EQ(os.mounts[0].flags, MS_REMOUNT | MS_RDONLY);
}

TEST(MountConfigured, FailuresAreFatalAndAllAreTried) {
  fakes::FailingFakeOs os;
  os.FailMount("/a", base::Status::Io("mount ext4 on /a", ENOENT));
  os.Fail("MakeDir /b", base::Status::Io("mkdir /b", EROFS));
  InitReport r = MountConfigured(os, {{"/dev/vdb", "/a", "ext4", {}},
                                      {"tmpfs", "/b", "tmpfs", {}},
                                      {"tmpfs", "relative", "tmpfs", {}},
                                      {"tmpfs", "/c", "tmpfs", {}}});
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.fatal.message(),
            "mount /a: mount ext4 on /a: No such file or directory");
  EXPECT_EQ(r.WarningMessages(),
            (std::vector<std::string>{
                "mount /b: mkdir /b: Read-only file system",
                "mount relative: target is not an absolute path"}));
  ASSERT_EQ(r.warnings.size(), 2u);
  EXPECT_EQ(r.warnings[1].code(), base::Status::Code::kInvalidArgument);
  ASSERT_EQ(os.mounts.size(), 2u);
  EXPECT_EQ(os.mounts[1].target, "/c");
}

}  // namespace
}  // namespace tether
