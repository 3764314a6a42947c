#include "tether/init/early_init_files.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <string>
#include <vector>

#include "tests/fakes/failing_fake_os.h"

namespace tether {
namespace {

using guestinfo::NetworkConfig;

NetworkConfig Net(std::vector<std::string> addresses,
                  std::vector<std::string> dns) {
  NetworkConfig n;
  n.addresses = std::move(addresses);
  n.dns = std::move(dns);
  return n;
}

TEST(RenderHostname, OneLine) { EXPECT_EQ(RenderHostname("web"), "web\n"); }

TEST(RenderHosts, WithAddress) {
  EXPECT_EQ(RenderHosts("web", "192.0.2.5"),
            "127.0.0.1\tlocalhost\n"
            "::1\tlocalhost ip6-localhost ip6-loopback\n"
            "192.0.2.5\tweb\n");
}

TEST(RenderHosts, WithoutNetwork) {
  EXPECT_EQ(RenderHosts("abcdef012345", ""),
            "127.0.0.1\tlocalhost\n"
            "::1\tlocalhost ip6-localhost ip6-loopback\n"
            "127.0.1.1\tabcdef012345\n");
}

TEST(RenderResolvConf, OneLinePerServer) {
  EXPECT_EQ(RenderResolvConf({"192.0.2.1", "2001:db8::53"}),
            "nameserver 192.0.2.1\nnameserver 2001:db8::53\n");
  EXPECT_EQ(RenderResolvConf({}), "");
}

TEST(FirstAddress, FirstNetworkWithAnAddressWithoutPrefix) {
  EXPECT_EQ(FirstAddress({}), "");
  EXPECT_EQ(FirstAddress({Net({}, {})}), "");
  EXPECT_EQ(
      FirstAddress({Net({}, {}), Net({"192.0.2.5/24", "192.0.2.6/24"}, {})}),
      "192.0.2.5");
  EXPECT_EQ(FirstAddress({Net({"2001:db8::5/64"}, {})}), "2001:db8::5");
  EXPECT_EQ(FirstAddress({Net({"192.0.2.7"}, {})}), "192.0.2.7");
}

TEST(Nameservers, AllNetworksInOrderWithoutDuplicates) {
  EXPECT_EQ(
      Nameservers({Net({}, {"192.0.2.1", "192.0.2.2"}),
                   Net({}, {"192.0.2.2", "198.51.100.1"})}),
      (std::vector<std::string>{"192.0.2.1", "192.0.2.2", "198.51.100.1"}));
}

TEST(WriteEtcFiles, WritesAllThreeWithDns) {
  fakes::FakeOs os;
  InitReport r =
      WriteEtcFiles(os, "web", {Net({"192.0.2.5/24"}, {"192.0.2.1"})});
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_TRUE(os.dirs.count("/etc"));
  EXPECT_EQ(os.files.at("/etc/hostname"), "web\n");
  EXPECT_EQ(os.files.at("/etc/hosts"), RenderHosts("web", "192.0.2.5"));
  EXPECT_EQ(os.files.at("/etc/resolv.conf"), "nameserver 192.0.2.1\n");
  EXPECT_EQ(os.modes.at("/etc/hosts"), S_IFREG | 0644);
}

TEST(WriteEtcFiles, LeavesTheImagesResolvConfWithoutDns) {
  fakes::FakeOs os;
  os.AddFile("/etc/resolv.conf", "nameserver 10.0.0.1\n", S_IFREG | 0644);
  InitReport r = WriteEtcFiles(os, "web", {Net({"192.0.2.5/24"}, {})});
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(os.files.at("/etc/resolv.conf"), "nameserver 10.0.0.1\n");

  fakes::FakeOs bare;
  r = WriteEtcFiles(bare, "web", {});
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(bare.files.count("/etc/resolv.conf"), 0u);
  EXPECT_EQ(bare.files.at("/etc/hosts"), RenderHosts("web", ""));
}

TEST(WriteEtcFiles, FailuresAreWarnings) {
  fakes::FailingFakeOs os;
  os.Fail("WriteFile /etc/hosts", base::Status::Io("open /etc/hosts", EROFS));
  InitReport r = WriteEtcFiles(os, "web", {Net({}, {"192.0.2.1"})});
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.WarningMessages(),
            (std::vector<std::string>{
                "write /etc/hosts: open /etc/hosts: Read-only file system"}));
  EXPECT_EQ(os.files.count("/etc/hostname"), 1u);
  EXPECT_EQ(os.files.count("/etc/resolv.conf"), 1u);
}

TEST(WriteEtcFiles, NoEtcNoFiles) {
  fakes::FailingFakeOs os;
  os.Fail("MakeDir /etc", base::Status::Io("mkdir /etc", EROFS));
  InitReport r = WriteEtcFiles(os, "web", {Net({}, {"192.0.2.1"})});
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.WarningMessages(),
            (std::vector<std::string>{
                "write /etc files: mkdir /etc: Read-only file system"}));
  EXPECT_TRUE(os.files.empty());
}

}  // namespace
}  // namespace tether
