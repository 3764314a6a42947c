#include "tether/init/mount_options.h"

#include <gtest/gtest.h>
#include <sys/mount.h>

#include <string>
#include <vector>

namespace tether {
namespace {

struct Case {
  std::vector<std::string> options;
  unsigned long flags;
  const char* data;
};

TEST(ParseMountOptions, FlagsAndData) {
  // clang-format off
  const Case cases[] = {
      {{}, 0, ""},
      {{"ro"}, MS_RDONLY, ""},
      {{"ro", "nosuid", "nodev", "noexec"},
       MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, ""},
      {{"relatime"}, MS_RELATIME, ""},
      {{"noatime"}, MS_NOATIME, ""},
      {{"relatime", "noatime"}, MS_NOATIME, ""},  // Later wins.
      {{"bind"}, MS_BIND, ""},
      {{"rbind", "ro"}, MS_BIND | MS_REC | MS_RDONLY, ""},
      {{"remount", "ro"}, MS_REMOUNT | MS_RDONLY, ""},
      {{"ro", "rw"}, 0, ""},
      {{"nosuid", "suid", "defaults"}, 0, ""},
      {{"size=64m", "nosuid", "mode=1777"}, MS_NOSUID, "size=64m,mode=1777"},
      // Unknown flag-like words are the filesystem's to judge.
      {{"nouuid", "", "ro", "discard"}, MS_RDONLY, "nouuid,discard"},
      {{"RO"}, 0, "RO"},
  };
  // clang-format on
  for (const Case& c : cases) {
    MountOptions got = ParseMountOptions(c.options);
    std::string what = ::testing::PrintToString(c.options);
    EXPECT_EQ(got.flags, c.flags) << what;
    EXPECT_EQ(got.data, c.data) << what;
  }
}

TEST(BindRemountFlags, OnlyForBindWithPerMountFlags) {
  EXPECT_EQ(BindRemountFlags(ParseMountOptions({"bind"})), 0u);
  EXPECT_EQ(BindRemountFlags(ParseMountOptions({"ro"})), 0u);
  EXPECT_EQ(BindRemountFlags(ParseMountOptions({"remount", "bind", "ro"})), 0u);
  EXPECT_EQ(BindRemountFlags(ParseMountOptions({"bind", "ro"})),
            MS_REMOUNT | MS_BIND | MS_RDONLY);
  // MS_REC only matters to the bind itself.
  EXPECT_EQ(BindRemountFlags(ParseMountOptions({"rbind", "nosuid", "ro"})),
            MS_REMOUNT | MS_BIND | MS_NOSUID | MS_RDONLY);
}

}  // namespace
}  // namespace tether
