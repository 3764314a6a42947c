#include "tether/init/kernel_modules.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "tests/fakes/fake_os.h"

namespace tether {
namespace {

TEST(ModuleLoader, NoOrderFileLoadsNothing) {
  fakes::FakeOs os;
  InitReport r = ModuleLoader(os, "/m").Load("load");
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_TRUE(os.modules.empty());
}

TEST(ModuleLoader, LoadsInFileOrderSkippingCommentsAndBlankLines) {
  fakes::FakeOs os;
  os.AddFile("/m/virtio.order",
             "# dependencies first\nvirtio_ring.ko\n\nvirtio.ko\nvirtio_pci.ko");
  InitReport r = ModuleLoader(os, "/m").Load("virtio");
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_EQ(os.modules, (std::vector<std::string>{
                            "/m/virtio_ring.ko", "/m/virtio.ko",
                            "/m/virtio_pci.ko"}));
}

TEST(ModuleLoader, ASharedDependencyLoadsOnce) {
  fakes::FakeOs os;
  os.AddFile("/m/virtio.order", "virtio_ring.ko\nvirtio_pci.ko\n");
  os.AddFile("/m/net.order", "virtio_ring.ko\nfailover.ko\nvirtio_net.ko\n");
  ModuleLoader loader(os, "/m");
  EXPECT_TRUE(loader.Load("virtio").ok());
  EXPECT_TRUE(loader.Load("net").ok());
  EXPECT_EQ(os.modules, (std::vector<std::string>{
                            "/m/virtio_ring.ko", "/m/virtio_pci.ko",
                            "/m/failover.ko", "/m/virtio_net.ko"}));
}

TEST(ModuleLoader, FailuresAndBadNamesAreWarningsAndTheRestStillLoads) {
  fakes::FakeOs os;
  os.AddFile("/m/load.order", "a.ko\n../../etc/passwd\nb.ko\nnot-a-module\nc.ko\n");
  os.module_failures["/m/b.ko"] = base::Status::Io("load module /m/b.ko", ENOEXEC);
  InitReport r = ModuleLoader(os, "/m").Load("load");
  EXPECT_TRUE(r.ok());
  ASSERT_EQ(r.warnings.size(), 3u);
  EXPECT_EQ(r.warnings[0].message(),
            "/m/load.order:2: not a module file name: \"../../etc/passwd\"");
  EXPECT_NE(r.warnings[1].message().find("load module /m/b.ko"),
            std::string::npos);
  EXPECT_EQ(r.warnings[2].message(),
            "/m/load.order:4: not a module file name: \"not-a-module\"");
  EXPECT_EQ(os.modules, (std::vector<std::string>{"/m/a.ko", "/m/b.ko",
                                                  "/m/c.ko"}));
}

TEST(ModuleSetsFor, NothingBeyondTheBootSetForAPlainConfig) {
  guestinfo::Config c;
  EXPECT_TRUE(ModuleSetsFor(c).empty());
  c.endpoint.emplace();
  c.endpoint->address = "serial:/dev/ttyS1";  // A hypervisor serial port.
  EXPECT_TRUE(ModuleSetsFor(c).empty());
  c.endpoint->address = "tcp:127.0.0.1:2377";
  EXPECT_TRUE(ModuleSetsFor(c).empty());
}

TEST(ModuleSetsFor, EachDeviceKindBringsItsSetAfterTheTransport) {
  guestinfo::Config c;
  c.endpoint.emplace();
  c.endpoint->address = "serial:/dev/virtio-ports/tether";
  EXPECT_EQ(ModuleSetsFor(c), (std::vector<std::string>{"virtio", "console"}));
  c.networks.emplace_back();
  c.rootfs.source = "label:root";
  EXPECT_EQ(ModuleSetsFor(c), (std::vector<std::string>{"virtio", "console",
                                                         "net", "disk"}));
  c.endpoint.reset();
  c.networks.clear();
  c.rootfs.source = "/dev/vda";
  EXPECT_EQ(ModuleSetsFor(c), (std::vector<std::string>{"virtio", "disk"}));
}

}  // namespace
}  // namespace tether
