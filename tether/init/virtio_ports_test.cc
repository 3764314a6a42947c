#include "tether/init/virtio_ports.h"

#include <gtest/gtest.h>

#include "tests/fakes/fake_os.h"

namespace tether {
namespace {

constexpr char kAttach[] = "/dev/virtio-ports/org.tether.attach";

TEST(LinkVirtioPorts, LinksNamedPortsAndSkipsUnnamedOnes) {
  fakes::FakeOs os;
  os.AddFile("/sys/class/virtio-ports/vport0p0/name", "\n");
  os.AddFile("/sys/class/virtio-ports/vport0p1/name", "org.tether.attach\n");
  os.AddFile("/sys/class/virtio-ports/vport1p1/name", "org.qemu.guest_agent.0\n");
  InitReport r = LinkVirtioPorts(os, kAttach, 1000);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_EQ(os.symlinks,
            (std::map<std::string, std::string>{
                {kAttach, "../vport0p1"},
                {"/dev/virtio-ports/org.qemu.guest_agent.0", "../vport1p1"}}));
  EXPECT_EQ(os.now_ms, 0);  // The port was there: no waiting.
}

TEST(LinkVirtioPorts, WaitsForThePortTheHostAnnouncesLater) {
  fakes::FakeOs os;
  os.on_sleep = [](fakes::FakeOs& o) {
    if (o.now_ms == 50) {
      o.AddFile("/sys/class/virtio-ports/vport0p1/name", "org.tether.attach");
    }
  };
  InitReport r = LinkVirtioPorts(os, kAttach, 1000);
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_EQ(os.symlinks.at(kAttach), "../vport0p1");
  EXPECT_EQ(os.now_ms, 50);
}

TEST(LinkVirtioPorts, AMissingPortIsAWarningAfterTheTimeout) {
  fakes::FakeOs os;
  InitReport r = LinkVirtioPorts(os, kAttach, 300);
  EXPECT_TRUE(r.ok());
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].message(),
            "virtio port \"org.tether.attach\" did not appear within 300 ms");
  EXPECT_GE(os.now_ms, 300);
}

TEST(LinkVirtioPorts, OtherEndpointsDoNotWaitAndHostileNamesAreRefused) {
  fakes::FakeOs os;
  os.AddFile("/sys/class/virtio-ports/vport0p1/name", "../../etc/passwd");
  InitReport r = LinkVirtioPorts(os, "/dev/ttyS1", 1000);
  EXPECT_EQ(os.now_ms, 0);
  EXPECT_TRUE(os.symlinks.empty());
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].message(),
            "virtio port vport0p1 has an unusable name");
}

}  // namespace
}  // namespace tether
