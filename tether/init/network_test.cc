#include "tether/init/network.h"

#include <gtest/gtest.h>

#include "tests/fakes/fake_os.h"

namespace tether {
namespace {

guestinfo::NetworkConfig Net(std::string mac, std::vector<std::string> addrs,
                             std::string gw, int mtu) {
  guestinfo::NetworkConfig n;
  n.mac = std::move(mac);
  n.addresses = std::move(addrs);
  n.gateway = std::move(gw);
  n.mtu = mtu;
  return n;
}

void AddNic(fakes::FakeOs& os, const std::string& name, const std::string& mac) {
  os.AddFile("/sys/class/net/" + name + "/address", mac + "\n");
}

TEST(FindInterfaceByMac, MatchesIgnoringCase) {
  fakes::FakeOs os;
  AddNic(os, "eth0", "52:54:00:00:00:01");
  AddNic(os, "eth1", "52:54:00:ab:cd:ef");
  EXPECT_EQ(*FindInterfaceByMac(os, "52:54:00:AB:CD:EF"), "eth1");
  EXPECT_EQ(FindInterfaceByMac(os, "52:54:00:99:99:99").status().message(),
            "no network interface with MAC 52:54:00:99:99:99");
}

TEST(ConfigureNetworks, SetsMtuAddressesAndDefaultRouteInOrder) {
  fakes::FakeOs os;
  AddNic(os, "lo", "00:00:00:00:00:00");
  AddNic(os, "eth0", "52:54:00:12:34:56");
  InitReport r = ConfigureNetworks(
      os, {Net("52:54:00:12:34:56", {"192.0.2.5/24", "2001:db8::5/64"},
               "192.0.2.1", 1400)},
      1000);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_EQ(os.net_calls,
            (std::vector<std::string>{"up eth0 mtu 1400",
                                      "addr eth0 192.0.2.5/24",
                                      "addr eth0 2001:db8::5/64",
                                      "route eth0 via 192.0.2.1"}));
}

TEST(ConfigureNetworks, WaitsForANicStillProbingThenWarnsForAMissingOne) {
  fakes::FakeOs os;
  os.on_sleep = [](fakes::FakeOs& o) {
    if (o.now_ms == 100) AddNic(o, "eth0", "52:54:00:00:00:01");
  };
  InitReport r = ConfigureNetworks(
      os, {Net("52:54:00:00:00:01", {"192.0.2.5/24"}, "", 0),
           Net("52:54:00:00:00:02", {"192.0.2.6/24"}, "", 0)},
      500);
  EXPECT_TRUE(r.ok());  // A container runs without its network.
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].message(),
            "networks[1] (52:54:00:00:00:02): no network interface with MAC "
            "52:54:00:00:00:02");
  EXPECT_EQ(os.net_calls, (std::vector<std::string>{
                              "up eth0 mtu 0", "addr eth0 192.0.2.5/24"}));
}

TEST(ConfigureNetworks, AGatewayWithoutAnAddressOfItsFamilyIsNamed) {
  fakes::FakeOs os;
  AddNic(os, "eth0", "52:54:00:00:00:01");
  InitReport r = ConfigureNetworks(
      os, {Net("52:54:00:00:00:01", {"2001:db8::5/64"}, "192.0.2.1", 0)}, 0);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].message(),
            "networks[0] (52:54:00:00:00:01) on eth0: gateway 192.0.2.1 has "
            "no address of its family on eth0");
}

}  // namespace
}  // namespace tether
