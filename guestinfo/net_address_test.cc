#include "guestinfo/net_address.h"

#include <gtest/gtest.h>

namespace guestinfo {
namespace {

TEST(NumericIp, AcceptsOnlyNumericForms) {
  EXPECT_TRUE(CheckNumericIp("192.0.2.1").ok());
  EXPECT_TRUE(CheckNumericIp("2001:db8::1").ok());
  EXPECT_TRUE(CheckNumericIp("::ffff:192.0.2.1").ok());
  for (const char* bad : {"", "localhost", "192.0.2", "1.2.3.4.5",
                          "fe80::1%eth0", "[::1]", " 1.2.3.4"}) {
    EXPECT_FALSE(CheckNumericIp(bad).ok()) << bad;
  }
  EXPECT_FALSE(CheckNumericIp(std::string("1.2.3.4\0", 8)).ok());
}

TEST(Cidr, PrefixBoundsPerFamily) {
  EXPECT_TRUE(CheckCidr("192.0.2.5/0").ok());
  EXPECT_TRUE(CheckCidr("192.0.2.5/32").ok());
  EXPECT_TRUE(CheckCidr("2001:db8::5/128").ok());
  EXPECT_EQ(CheckCidr("2001:db8::5/129").ToString(),
            "prefix length \"129\" is out of range 0..128 for IPv6");
  EXPECT_FALSE(CheckCidr("192.0.2.5/").ok());
  EXPECT_FALSE(CheckCidr("192.0.2.5/-1").ok());
  EXPECT_FALSE(CheckCidr("192.0.2.5/0024").ok());
}

TEST(HostPort, BracketsForIpv6Only) {
  base::Result<HostPort> v4 = ParseHostPort("127.0.0.1:6060");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 6060);
  base::Result<HostPort> v6 = ParseHostPort("[::1]:65535");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 65535);
  EXPECT_EQ(ParseHostPort("::1:80").status().ToString(),
            "\"::1\" is not a numeric IPv4 or [IPv6] address (the tether does "
            "no DNS)");
  EXPECT_FALSE(ParseHostPort("[127.0.0.1]:80").ok());
  EXPECT_EQ(ParseHostPort("1.2.3.4:65536").status().ToString(),
            "port \"65536\" is out of range 1..65535");
  EXPECT_EQ(ParseHostPort("6060").status().ToString(),
            "expected HOST:PORT, got \"6060\"");
}

TEST(EndpointAddress, ParsesEveryKind) {
  base::Result<EndpointAddress> tcp =
      ParseEndpointAddress("tcp:[fd00::2]:2377");
  ASSERT_TRUE(tcp.ok());
  EXPECT_EQ(tcp->kind, EndpointAddress::Kind::kTcp);
  EXPECT_EQ(tcp->host, "fd00::2");
  EXPECT_EQ(tcp->port, 2377u);
  base::Result<EndpointAddress> vsock = ParseEndpointAddress("vsock:2:2377");
  ASSERT_TRUE(vsock.ok());
  EXPECT_EQ(vsock->kind, EndpointAddress::Kind::kVsock);
  EXPECT_EQ(vsock->cid, 2u);
  EXPECT_EQ(vsock->port, 2377u);
  base::Result<EndpointAddress> serial =
      ParseEndpointAddress("serial:/dev/virtio-ports/org.tether.attach");
  ASSERT_TRUE(serial.ok());
  EXPECT_EQ(serial->kind, EndpointAddress::Kind::kSerial);
  EXPECT_EQ(serial->path, "/dev/virtio-ports/org.tether.attach");
  EXPECT_FALSE(ParseEndpointAddress("vsock:4294967295:1").ok());
  EXPECT_FALSE(ParseEndpointAddress("vsock:2:0").ok());
  EXPECT_FALSE(ParseEndpointAddress("vsock:2").ok());
  EXPECT_FALSE(ParseEndpointAddress("serial:").ok());
  EXPECT_FALSE(ParseEndpointAddress("TCP:1.2.3.4:1").ok());
}

TEST(Mac, NormalisesToLowerCase) {
  EXPECT_EQ(*NormalizeMac("52:54:00:AB:cd:Ef"), "52:54:00:ab:cd:ef");
  for (const char* bad : {"", "52:54:00:ab:cd", "52-54-00-ab-cd-ef",
                          "52:54:00:ab:cd:eg", "52:54:00:ab:cd:ef:00"}) {
    EXPECT_FALSE(NormalizeMac(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace guestinfo
