#include "attach/endpoint/admin/tar_gz.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>

#include "attach/endpoint/admin/health.h"
#include "attach/endpoint/admin/password.h"
#include "attach/endpoint/testing/test_util.h"

namespace attach {
namespace endpoint {
namespace admin {
namespace {

using testing::FileText;
using testing::ShellOutput;

class TarGzTest : public ::testing::Test {
 protected:
  void Save(const std::string& bytes) {
    std::ofstream(dir_ + "/t.tar.gz", std::ios::binary) << bytes;
  }
  testing::TempDir tmp_;
  std::string dir_ = tmp_.path();
};

// GNU tar is the judge: it lists and extracts what the writer made.
TEST_F(TarGzTest, TarReadsItBack) {
  auto w = TarGzWriter::Create(1);
  ASSERT_TRUE(w.ok());
  std::string out;
  std::string long_dir(120, 'd');
  ASSERT_TRUE((*w)->BeginFile("top/a.txt", 5, 1700000000, 0644).ok());
  ASSERT_TRUE((*w)->Write("hel").ok());
  ASSERT_TRUE((*w)->Write("lo").ok());
  EXPECT_FALSE((*w)->Write("x").ok());  // Beyond the declared size.
  ASSERT_TRUE((*w)->EndFile().ok());
  out += (*w)->TakeOutput();
  ASSERT_TRUE(
      (*w)->BeginFile("top/" + long_dir + "/b.log", 1000, 1700000000, 0600)
          .ok());
  ASSERT_TRUE((*w)->Write(std::string(600, 'b')).ok());
  ASSERT_TRUE((*w)->EndFile().ok());  // Padded with 400 NULs.
  ASSERT_TRUE((*w)->BeginFile("top/empty", 0, 0, 0644).ok());
  ASSERT_TRUE((*w)->Finish().ok());
  out += (*w)->TakeOutput();
  Save(out);
  std::string list = ShellOutput("tar -tzf " + dir_ + "/t.tar.gz 2>&1");
  EXPECT_EQ(list, "top/a.txt\ntop/" + long_dir + "/b.log\ntop/empty\n");
  ASSERT_EQ(ShellOutput("cd " + dir_ + " && tar -xzf t.tar.gz 2>&1"), "");
  EXPECT_EQ(FileText(dir_ + "/top/a.txt"), "hello");
  EXPECT_EQ(FileText(dir_ + "/top/" + long_dir + "/b.log"),
            std::string(600, 'b') + std::string(400, '\0'));
}

TEST(TarHeader, RefusesWhatUstarCannotHold) {
  EXPECT_FALSE(TarHeader("", 0, 0, 0644).ok());
  EXPECT_FALSE(TarHeader(std::string(101, 'x'), 0, 0, 0644).ok());
  EXPECT_FALSE(TarHeader(std::string(200, 'x') + "/y", 0, 0, 0644).ok());
  EXPECT_FALSE(TarHeader(std::string("a\0b", 3), 0, 0, 0644).ok());
  EXPECT_TRUE(TarHeader("a/" + std::string(100, 'y'), 0, 0, 0644).ok());
}

TEST(TarHeader, HugeSizesInBase256) {
  base::Result<std::string> h =
      TarHeader("big", uint64_t{1} << 34, 0, 0644);  // 16 GiB.
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(static_cast<unsigned char>((*h)[124]), 0x80);
  EXPECT_EQ(static_cast<unsigned char>((*h)[131]), 0x04);  // 2^34 >> 32.
}

TEST(Health, FreeSpaceThresholds) {
  uint64_t gib = uint64_t{1} << 30;
  EXPECT_STREQ(FreeSpaceStatus(10 * gib, 20 * gib), "ok");
  EXPECT_STREQ(FreeSpaceStatus(2 * gib, 100 * gib), "degraded");  // 2%.
  EXPECT_STREQ(FreeSpaceStatus(gib / 2, 2 * gib), "degraded");
  EXPECT_STREQ(FreeSpaceStatus(10 << 20, 2 * gib), "failing");
}

TEST(Health, FindsPrograms) {
  EXPECT_EQ(FindProgram("/bin/sh"), "/bin/sh");
  EXPECT_NE(FindProgram("sh"), "");
  EXPECT_EQ(FindProgram("no-such-program-anywhere"), "");
}

TEST(Password, HashOnlyAndConstantTimeMatch) {
  std::string pw = "correct horse";
  auto v = PasswordVerifier::Create(&pw);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(pw.empty());  // Wiped.
  EXPECT_TRUE((*v)->Matches("correct horse"));
  EXPECT_FALSE((*v)->Matches("correct hors"));
  EXPECT_FALSE((*v)->Matches(""));
}

TEST_F(TarGzTest, PasswordIsGeneratedOnceAndKept) {
  auto first = LoadOrCreatePassword(dir_, "");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->generated);
  EXPECT_EQ(first->password.size(), 24u);
  EXPECT_EQ(ShellOutput("stat -c %a " + dir_ + "/certs/admin-password"),
            "600\n");
  auto again = LoadOrCreatePassword(dir_, "");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->generated);
  EXPECT_EQ(again->password, first->password);
  // An operator's own file: 0600 and long enough, else refused.
  std::string mine = dir_ + "/mine";
  std::ofstream(mine) << "short\n";
  ::chmod(mine.c_str(), 0600);
  EXPECT_FALSE(LoadOrCreatePassword(dir_, mine).ok());
  std::ofstream(mine) << "a long enough one\nsecond line\n";
  ::chmod(mine.c_str(), 0644);
  EXPECT_FALSE(LoadOrCreatePassword(dir_, mine).ok());
  ::chmod(mine.c_str(), 0600);
  auto own = LoadOrCreatePassword(dir_, mine);
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  EXPECT_EQ(own->password, "a long enough one");
}

}  // namespace
}  // namespace admin
}  // namespace endpoint
}  // namespace attach
