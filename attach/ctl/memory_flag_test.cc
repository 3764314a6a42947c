#include "attach/ctl/memory_flag.h"

#include <gtest/gtest.h>

namespace attach {
namespace ctl {
namespace {

uint32_t Mb(const std::string& text) {
  base::Result<uint32_t> r = ParseMemoryMb(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().ToString();
  return r.ok() ? *r : 0;
}

TEST(MemoryFlag, BareNumbersAreMiB) {
  EXPECT_EQ(Mb(""), 0u);
  EXPECT_EQ(Mb("512"), 512u);
}

TEST(MemoryFlag, DockerUnits) {
  EXPECT_EQ(Mb("256m"), 256u);
  EXPECT_EQ(Mb("256MB"), 256u);
  EXPECT_EQ(Mb("1g"), 1024u);
  EXPECT_EQ(Mb("1G"), 1024u);
  EXPECT_EQ(Mb("2097152k"), 2048u);
  EXPECT_EQ(Mb("134217728b"), 128u);
  EXPECT_EQ(Mb("1b"), 1u);  // Rounded up to whole MiB.
}

TEST(MemoryFlag, RejectsNonsenseWithDockersWording) {
  for (const char* bad : {"x", "-1", "12q", "1.5g", "m", "99999999999999g"}) {
    base::Result<uint32_t> r = ParseMemoryMb(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("for \"-m, --memory\" flag"),
              std::string::npos)
        << r.status().message();
  }
}

}  // namespace
}  // namespace ctl
}  // namespace attach
