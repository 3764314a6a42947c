#include "guestinfo/source.h"

#include <gtest/gtest.h>

#include "guestinfo/limits.h"
#include "tests/fakes/fake_os.h"

namespace guestinfo {
namespace {

constexpr char kFwCfgRaw[] =
    "/sys/firmware/qemu_fw_cfg/by_name/opt/tether/config/raw";

TEST(FileSource, ReadsTheFile) {
  fakes::FakeOs os;
  os.AddFile("/etc/tether.json", "{}");
  auto source = NewFileSource(os, "/etc/tether.json");
  EXPECT_EQ(source->Name(), "file /etc/tether.json");
  base::Result<std::string> text = source->Read();
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "{}");
}

TEST(FileSource, MissingFileIsNotFoundAndNamed) {
  fakes::FakeOs os;
  base::Result<std::string> text = NewFileSource(os, "/nope.json")->Read();
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), base::Status::Code::kNotFound);
  EXPECT_EQ(text.status().ToString(),
            "file /nope.json: No such file or directory");
}

TEST(FileSource, OversizedFileIsRejected) {
  fakes::FakeOs os;
  os.AddFile("/big.json", std::string(kMaxConfigBytes + 1, ' '));
  base::Result<std::string> text = NewFileSource(os, "/big.json")->Read();
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().ToString(),
            "file /big.json: larger than the 1 MiB config limit");
}

TEST(FwCfgSource, ReadsTheRawEntry) {
  fakes::FakeOs os;
  os.AddFile(kFwCfgRaw, "{\"version\":1}");
  auto source = NewFwCfgSource(os);
  EXPECT_EQ(source->Name(), "fw_cfg opt/tether/config");
  EXPECT_EQ(*source->Read(), "{\"version\":1}");
  EXPECT_TRUE(source->Hide().ok());
}

TEST(FwCfgSource, HonoursSysfsRoot) {
  fakes::FakeOs os;
  os.AddFile(std::string("/tmp/fake") + (kFwCfgRaw + 4), "x");
  EXPECT_EQ(*NewFwCfgSource(os, "/tmp/fake")->Read(), "x");
}

TEST(FwCfgSource, AbsentDriverOrEntryIsNotFound) {
  fakes::FakeOs os;
  base::Result<std::string> text = NewFwCfgSource(os)->Read();
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), base::Status::Code::kNotFound);
  EXPECT_EQ(text.status().ToString(),
            "fw_cfg: no opt/tether/config (is qemu_fw_cfg loaded?)");

  os.AddDir("/sys/firmware/qemu_fw_cfg");
  text = NewFwCfgSource(os)->Read();
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), base::Status::Code::kNotFound);
  EXPECT_EQ(text.status().ToString(),
            "fw_cfg: no opt/tether/config (QEMU was started without -fw_cfg "
            "name=opt/tether/config,file=...)");
}

// A read error other than "absent" is not a reason to try the next source.
TEST(FwCfgSource, OtherErrorsKeepTheirCode) {
  class FailingOs : public fakes::FakeOs {
   public:
    base::Result<std::string> ReadFile(const std::string& path,
                                       size_t) override {
      return base::Status::Io("read " + path, EIO);
    }
  } os;
  base::Result<std::string> text = NewFwCfgSource(os)->Read();
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), base::Status::Code::kIoError);
  EXPECT_EQ(text.status().ToString(),
            "fw_cfg opt/tether/config: Input/output error");
}

}  // namespace
}  // namespace guestinfo
