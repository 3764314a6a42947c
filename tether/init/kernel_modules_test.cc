#include "tether/init/kernel_modules.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "tests/fakes/fake_os.h"

namespace tether {
namespace {

TEST(LoadKernelModules, NoOrderFileLoadsNothing) {
  fakes::FakeOs os;
  InitReport r = LoadKernelModules(os, "/m");
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_TRUE(os.modules.empty());
}

TEST(LoadKernelModules, LoadsInFileOrderSkippingCommentsAndBlankLines) {
  fakes::FakeOs os;
  os.AddFile("/m/load.order",
             "# dependencies first\nvirtio_ring.ko\n\nvirtio.ko\nvirtio_pci.ko");
  InitReport r = LoadKernelModules(os, "/m");
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_EQ(os.modules, (std::vector<std::string>{
                            "/m/virtio_ring.ko", "/m/virtio.ko",
                            "/m/virtio_pci.ko"}));
}

TEST(LoadKernelModules, FailuresAndBadNamesAreWarningsAndTheRestStillLoads) {
  fakes::FakeOs os;
  os.AddFile("/m/load.order", "a.ko\n../../etc/passwd\nb.ko\nnot-a-module\nc.ko\n");
  os.module_failures["/m/b.ko"] = base::Status::Io("load module /m/b.ko", ENOEXEC);
  InitReport r = LoadKernelModules(os, "/m");
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

}  // namespace
}  // namespace tether
