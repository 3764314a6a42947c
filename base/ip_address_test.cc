#include "base/ip_address.h"

#include <gtest/gtest.h>
#include <sys/socket.h>

namespace base {
namespace {

TEST(ParseIpPrefix, BothFamiliesRoundTrip) {
  Result<IpPrefix> v4 = ParseIpPrefix("192.0.2.5/24");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->address.family, AF_INET);
  EXPECT_EQ(v4->address.size(), 4u);
  EXPECT_EQ(v4->address.bytes[3], 5);
  EXPECT_EQ(v4->ToString(), "192.0.2.5/24");
  Result<IpPrefix> v6 = ParseIpPrefix("2001:db8::5/64");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->address.family, AF_INET6);
  EXPECT_EQ(v6->ToString(), "2001:db8::5/64");
}

TEST(ParseIpPrefix, ErrorsNameTheProblem) {
  EXPECT_EQ(ParseIpPrefix("192.0.2.5").status().message(),
            "expected ADDRESS/PREFIX, got \"192.0.2.5\"");
  EXPECT_EQ(ParseIpPrefix("192.0.2.5/33").status().message(),
            "prefix length \"33\" is out of range 0..32");
  EXPECT_EQ(ParseIpPrefix("::1/129").status().message(),
            "prefix length \"129\" is out of range 0..128");
  EXPECT_EQ(ParseIpPrefix("192.0.2.5/").status().message(),
            "prefix length \"\" is out of range 0..32");
  EXPECT_EQ(ParseIpPrefix("host/24").status().message(),
            "\"host\" is not a numeric IPv4 or IPv6 address");
  EXPECT_FALSE(ParseIpAddress(std::string(100, '1')).ok());
}

}  // namespace
}  // namespace base
