#include "tether/init/early_init.h"

#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include <cerrno>
#include <string>
#include <utility>

#include "tests/fakes/failing_fake_os.h"

namespace tether {
namespace {

const char kId[] =
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

guestinfo::Config MakeConfig() {
  guestinfo::Config c;
  c.id = kId;
  c.name = "web-1";
  c.hostname = "web";
  guestinfo::NetworkConfig net;
  net.addresses = {"192.0.2.5/24"};
  net.dns = {"192.0.2.1"};
  c.networks.push_back(net);
  c.limits.nofile = 1048576;
  c.mounts.push_back({"tmpfs", "/scratch", "tmpfs", {"noexec", "size=1m"}});
  return c;
}

TEST(ChooseHostname, FallsBackToNameThenShortId) {
  guestinfo::Config c;
  EXPECT_EQ(ChooseHostname(c), "localhost");
  c.id = kId;
  EXPECT_EQ(ChooseHostname(c), "0123456789ab");
  c.id = "abc";
  EXPECT_EQ(ChooseHostname(c), "abc");
  c.name = "web-1";
  EXPECT_EQ(ChooseHostname(c), "web-1");
  c.hostname = "web";
  EXPECT_EQ(ChooseHostname(c), "web");
}

TEST(ConfigureSystem, AppliesEverything) {
  fakes::FakeOs os;
  InitReport r = ConfigureSystem(os, MakeConfig());
  EXPECT_TRUE(r.ok()) << r.fatal.ToString();
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_EQ(os.hostname, "web");
  EXPECT_EQ(os.files.at("/etc/hostname"), "web\n");
  EXPECT_EQ(os.files.at("/etc/hosts"),
            "127.0.0.1\tlocalhost\n"
            "::1\tlocalhost ip6-localhost ip6-loopback\n"
            "192.0.2.5\tweb\n");
  EXPECT_EQ(os.files.at("/etc/resolv.conf"), "nameserver 192.0.2.1\n");
  EXPECT_EQ(os.links_up, std::vector<std::string>{"lo"});
  ASSERT_EQ(os.rlimits.count(RLIMIT_NOFILE), 1u);
  EXPECT_EQ(os.rlimits[RLIMIT_NOFILE],
            (std::pair<uint64_t, uint64_t>(1048576, 1048576)));
  ASSERT_EQ(os.mounts.size(), 1u);
  EXPECT_EQ(os.mounts[0].target, "/scratch");
  EXPECT_EQ(os.mounts[0].flags, static_cast<unsigned long>(MS_NOEXEC));
  EXPECT_EQ(os.mounts[0].data, "size=1m");
}

TEST(ConfigureSystem, MinimalConfigUsesShortIdAndSetsNoLimit) {
  fakes::FakeOs os;
  guestinfo::Config c;
  c.id = kId;
  InitReport r = ConfigureSystem(os, c);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(os.hostname, "0123456789ab");
  EXPECT_EQ(os.files.at("/etc/hosts"),
            "127.0.0.1\tlocalhost\n"
            "::1\tlocalhost ip6-localhost ip6-loopback\n"
            "127.0.1.1\t0123456789ab\n");
  EXPECT_EQ(os.files.count("/etc/resolv.conf"), 0u);
  EXPECT_TRUE(os.rlimits.empty());
  EXPECT_TRUE(os.mounts.empty());
}

TEST(ConfigureSystem, SystemFailuresAreWarningsAndEveryStepRuns) {
  fakes::FailingFakeOs os;
  os.Fail("SetHostname", base::Status::Io("sethostname", EINVAL));
  os.Fail("SetLinkUp lo", base::Status::Io("get flags of lo", ENODEV));
  os.Fail("SetRlimit", base::Status::Io("setrlimit", EPERM));
  os.Fail("WriteFile /etc/resolv.conf",
          base::Status::Io("open /etc/resolv.conf", EROFS));
  InitReport r = ConfigureSystem(os, MakeConfig());
  EXPECT_TRUE(r.ok()) << r.fatal.ToString();
  EXPECT_EQ(
      r.WarningMessages(),
      (std::vector<std::string>{
          "set hostname \"web\": sethostname: Invalid argument",
          "write /etc/resolv.conf: open /etc/resolv.conf: "
          "Read-only file system",
          "bring up lo: get flags of lo: No such device",
          "set RLIMIT_NOFILE to 1048576: setrlimit: Operation not permitted"}));
  EXPECT_EQ(os.files.at("/etc/hosts").empty(), false);
  EXPECT_EQ(os.mounts.size(), 1u);
}

TEST(ConfigureSystem, ConfiguredMountFailureIsFatal) {
  fakes::FakeOs os;
  os.FailMount("/scratch", base::Status::Io("mount tmpfs on /scratch", ENOMEM));
  InitReport r = ConfigureSystem(os, MakeConfig());
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.fatal.message(),
            "mount /scratch: mount tmpfs on /scratch: Cannot allocate memory");
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_EQ(os.hostname, "web");  // Earlier steps still ran.
}

}  // namespace
}  // namespace tether
