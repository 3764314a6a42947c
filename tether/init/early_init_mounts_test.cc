#include "tether/init/early_init_mounts.h"

#include <gtest/gtest.h>
#include <sys/mount.h>

#include <cerrno>
#include <string>
#include <vector>

#include "tests/fakes/failing_fake_os.h"

namespace tether {
namespace {

using Call = fakes::FakeOs::MountCall;

constexpr unsigned long kNoSuidDevExec = MS_NOSUID | MS_NODEV | MS_NOEXEC;
const char kPtsData[] = "newinstance,ptmxmode=0666,mode=0620,gid=5";

std::vector<std::string> Targets(const fakes::FakeOs& os) {
  std::vector<std::string> out;
  for (const Call& c : os.mounts) out.push_back(c.target);
  return out;
}

void ExpectCall(const Call& got, const Call& want) {
  EXPECT_EQ(got.source, want.source) << want.target;
  EXPECT_EQ(got.target, want.target);
  EXPECT_EQ(got.fstype, want.fstype) << want.target;
  EXPECT_EQ(got.flags, want.flags) << want.target;
  EXPECT_EQ(got.data, want.data) << want.target;
}

TEST(MountEssentials, MountsInOrderWithFlags) {
  fakes::FakeOs os;
  os.AddFile("/dev/ptmx", "", S_IFCHR | 0666);  // As devtmpfs provides it.
  InitReport r = MountEssentials(os);
  EXPECT_TRUE(r.ok()) << r.fatal.ToString();
  EXPECT_TRUE(r.warnings.empty());
  const Call want[] = {
      {"proc", "/proc", "proc", kNoSuidDevExec, ""},
      {"sysfs", "/sys", "sysfs", kNoSuidDevExec, ""},
      {"devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755"},
      {"devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, kPtsData},
      {"tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777"},
      {"tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755"},
  };
  ASSERT_EQ(os.mounts.size(), std::size(want));
  for (size_t i = 0; i < std::size(want); ++i)
    ExpectCall(os.mounts[i], want[i]);
  for (const char* dir :
       {"/proc", "/sys", "/dev", "/dev/pts", "/dev/shm", "/run"}) {
    EXPECT_TRUE(os.dirs.count(dir)) << dir;
  }
}

TEST(MountEssentials, BindsPtsPtmxWhenDevHasNone) {
  fakes::FakeOs os;
  InitReport r = MountEssentials(os);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.warnings.empty());
  ASSERT_EQ(os.mounts.size(), 7u);
  ExpectCall(os.mounts[4], {"/dev/pts/ptmx", "/dev/ptmx", "", MS_BIND, ""});
  EXPECT_EQ(os.files.at("/dev/ptmx"), "");
  EXPECT_EQ(os.mounts[5].target, "/dev/shm");
}

TEST(MountEssentials, ProcFailureIsFatalAndStops) {
  fakes::FakeOs os;
  os.FailMount("/proc", base::Status::Io("mount proc on /proc", EPERM));
  InitReport r = MountEssentials(os);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.fatal.message(),
            "mount /proc: mount proc on /proc: Operation not permitted");
  EXPECT_EQ(r.fatal.code(), base::Status::Code::kPermissionDenied);
  EXPECT_EQ(Targets(os), std::vector<std::string>{"/proc"});
}

TEST(MountEssentials, DevFailureIsFatalButBusyIsNot) {
  fakes::FakeOs os;
  os.FailMount("/dev", base::Status::Io("mount devtmpfs on /dev", ENODEV));
  InitReport r = MountEssentials(os);
  EXPECT_EQ(r.fatal.message(),
            "mount /dev: mount devtmpfs on /dev: No such device");
  EXPECT_EQ(Targets(os), (std::vector<std::string>{"/proc", "/sys", "/dev"}));

  fakes::FakeOs busy;
  busy.AddFile("/dev/ptmx", "", S_IFCHR | 0666);
  busy.FailMount("/dev", base::Status::Io("mount devtmpfs on /dev", EBUSY));
  r = MountEssentials(busy);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_EQ(busy.mounts.size(), 6u);
}

TEST(MountEssentials, OtherFailuresAreWarnings) {
  fakes::FakeOs os;
  os.AddFile("/dev/ptmx", "", S_IFCHR | 0666);
  os.FailMount("/sys", base::Status::Io("mount sysfs on /sys", ENODEV));
  os.FailMount("/dev/shm", base::Status::Io("mount tmpfs on /dev/shm", EBUSY));
  os.FailMount("/run", base::Status::Io("mount tmpfs on /run", ENOSPC));
  InitReport r = MountEssentials(os);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(
      r.WarningMessages(),
      (std::vector<std::string>{
          "mount /sys: mount sysfs on /sys: No such device",
          "mount /dev/shm: mount tmpfs on /dev/shm: Device or resource busy",
          "mount /run: mount tmpfs on /run: No space left on device"}));
  EXPECT_EQ(os.mounts.size(), 6u);
}

TEST(MountEssentials, NoPtmxStepWithoutDevpts) {
  fakes::FakeOs os;
  os.FailMount("/dev/pts", base::Status::Io("mount devpts", ENODEV));
  InitReport r = MountEssentials(os);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.WarningMessages(),
            (std::vector<std::string>{
                "mount /dev/pts: mount devpts: No such device"}));
  EXPECT_EQ(Targets(os),
            (std::vector<std::string>{"/proc", "/sys", "/dev", "/dev/pts",
                                      "/dev/shm", "/run"}));
}

TEST(MountEssentials, PtmxAndMkdirFailures) {
  fakes::FailingFakeOs os;
  os.Fail("WriteFile /dev/ptmx", base::Status::Io("open /dev/ptmx", EROFS));
  os.Fail("MakeDir /run", base::Status::Io("mkdir /run", EROFS));
  InitReport r = MountEssentials(os);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.WarningMessages(),
            (std::vector<std::string>{
                "/dev/ptmx: open /dev/ptmx: Read-only file system",
                "mount /run: mkdir /run: Read-only file system"}));
  EXPECT_EQ(Targets(os), (std::vector<std::string>{"/proc", "/sys", "/dev",
                                                   "/dev/pts", "/dev/shm"}));
}

}  // namespace
}  // namespace tether
