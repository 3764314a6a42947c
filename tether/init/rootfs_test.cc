#include "tether/init/rootfs.h"

#include <gtest/gtest.h>
#include <sys/mount.h>

#include "tests/fakes/fake_os.h"

namespace tether {
namespace {

// An ext4 superblock region as ReadAt(dev, 1024, ...) sees it.
std::string Ext4Image(const std::string& label) {
  std::string img(2048, '\0');
  img[1024 + 0x38] = '\x53';
  img[1024 + 0x39] = '\xEF';
  img.replace(1024 + 0x78, label.size(), label);
  return img;
}

guestinfo::RootfsConfig Rootfs(std::string source) {
  guestinfo::RootfsConfig r;
  r.source = std::move(source);
  return r;
}

TEST(SwitchToRootfs, InitramfsDoesNothing) {
  fakes::FakeOs os;
  InitReport r = SwitchToRootfs(os, Rootfs("initramfs"), 1000);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(os.mounts.empty());
  EXPECT_EQ(os.root, "");
}

TEST(SwitchToRootfs, MountsTheDeviceMovesKernelMountsAndSwitches) {
  fakes::FakeOs os;
  os.AddFile("/dev/vda", "", S_IFBLK | 0600);
  InitReport r = SwitchToRootfs(os, Rootfs("/dev/vda"), 1000);
  ASSERT_TRUE(r.ok()) << r.fatal.ToString();
  ASSERT_EQ(os.mounts.size(), 5u);
  EXPECT_EQ(os.mounts[0].source, "/dev/vda");
  EXPECT_EQ(os.mounts[0].target, "/rootfs");
  EXPECT_EQ(os.mounts[0].fstype, "ext4");
  const char* moved[] = {"/dev", "/proc", "/sys", "/run"};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(os.mounts[i + 1].source, moved[i]);
    EXPECT_EQ(os.mounts[i + 1].target, std::string("/rootfs") + moved[i]);
    EXPECT_EQ(os.mounts[i + 1].flags, static_cast<unsigned long>(MS_MOVE));
  }
  EXPECT_EQ(os.root, "/rootfs");
}

TEST(SwitchToRootfs, FindsTheDeviceByItsExt4Label) {
  fakes::FakeOs os;
  os.AddDir("/sys/class/block/vda");
  os.AddDir("/sys/class/block/vdb");
  os.AddFile("/dev/vda", Ext4Image("other"));
  os.AddFile("/dev/vdb", Ext4Image("containerfs"));
  EXPECT_EQ(*FindDeviceByLabel(os, "containerfs"), "/dev/vdb");
  InitReport r = SwitchToRootfs(os, Rootfs("label:containerfs"), 1000);
  ASSERT_TRUE(r.ok()) << r.fatal.ToString();
  EXPECT_EQ(os.mounts[0].source, "/dev/vdb");
}

TEST(SwitchToRootfs, AMissingDeviceIsFatalAfterWaiting) {
  fakes::FakeOs os;
  os.AddDir("/sys/class/block/vda");
  os.AddFile("/dev/vda", std::string(2048, '\0'));  // Not ext4.
  InitReport r = SwitchToRootfs(os, Rootfs("label:containerfs"), 200);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.fatal.message(),
            "rootfs label:containerfs: no block device with label "
            "\"containerfs\"");
  EXPECT_GE(os.now_ms, 200);
  EXPECT_EQ(os.root, "");

  fakes::FakeOs os2;
  r = SwitchToRootfs(os2, Rootfs("/dev/vdz"), 0);
  EXPECT_EQ(r.fatal.message(), "rootfs /dev/vdz: no block device /dev/vdz");
}

TEST(SwitchToRootfs, AFailedMountIsFatalAndNothingIsMoved) {
  fakes::FakeOs os;
  os.AddFile("/dev/vda", "", S_IFBLK | 0600);
  os.FailMount("/rootfs", base::Status::Io("mount ext4 on /rootfs", EINVAL));
  InitReport r = SwitchToRootfs(os, Rootfs("/dev/vda"), 0);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.fatal.message().find("rootfs /dev/vda"), std::string::npos);
  EXPECT_EQ(os.mounts.size(), 1u);
  EXPECT_EQ(os.root, "");
}

}  // namespace
}  // namespace tether
