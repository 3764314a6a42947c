#include "attach/link/address.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <linux/vm_sockets.h>
#include <netinet/in.h>

namespace attach {
namespace {

using ::testing::HasSubstr;

TEST(ParseEndpointAddress, TcpIpv4) {
  base::Result<Address> a = ParseEndpointAddress("tcp:127.0.0.1:2377");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->kind, Address::Kind::kTcp);
  EXPECT_EQ(a->text, "tcp:127.0.0.1:2377");
  ASSERT_EQ(a->sockaddr_len, sizeof(sockaddr_in));
  const auto* sin = reinterpret_cast<const sockaddr_in*>(&a->sockaddr);
  EXPECT_EQ(sin->sin_family, AF_INET);
  EXPECT_EQ(ntohs(sin->sin_port), 2377);
  EXPECT_EQ(ntohl(sin->sin_addr.s_addr), 0x7f000001u);
}

TEST(ParseEndpointAddress, TcpIpv6) {
  base::Result<Address> a = ParseEndpointAddress("tcp:[::1]:22");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_EQ(a->sockaddr_len, sizeof(sockaddr_in6));
  const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(&a->sockaddr);
  EXPECT_EQ(sin6->sin6_family, AF_INET6);
  EXPECT_EQ(ntohs(sin6->sin6_port), 22);
  EXPECT_TRUE(IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr));
}

TEST(ParseEndpointAddress, Vsock) {
  base::Result<Address> a = ParseEndpointAddress("vsock:2:2377");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->kind, Address::Kind::kVsock);
  ASSERT_EQ(a->sockaddr_len, sizeof(sockaddr_vm));
  const auto* svm = reinterpret_cast<const sockaddr_vm*>(&a->sockaddr);
  EXPECT_EQ(svm->svm_family, AF_VSOCK);
  EXPECT_EQ(svm->svm_cid, 2u);
  EXPECT_EQ(svm->svm_port, 2377u);
}

TEST(ParseEndpointAddress, Serial) {
  base::Result<Address> a =
      ParseEndpointAddress("serial:/dev/virtio-ports/org.tether.attach");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->kind, Address::Kind::kSerial);
  EXPECT_EQ(a->path, "/dev/virtio-ports/org.tether.attach");
}

TEST(ParseEndpointAddress, ErrorsNameTheAddressAndTheProblem) {
  struct Case {
    const char* text;
    const char* problem;
  } cases[] = {
      {"tcp:example.com:2377", "not a numeric IPv4 or [IPv6] address"},
      {"tcp:::1:2377", "not a numeric"},  // IPv6 needs brackets.
      {"tcp:127.0.0.1:0", "out of range 1..65535"},
      {"tcp:127.0.0.1:65536", "out of range"},
      {"tcp:127.0.0.1", "expected HOST:PORT"},
      {"vsock:host:2377", "expected vsock:CID:PORT"},
      {"vsock:2:", "out of range"},
      {"serial:dev/ttyS0", "not an absolute path"},
      {"udp:127.0.0.1:1", "expected tcp:HOST:PORT, vsock:CID:PORT or serial"},
      {"", "expected tcp:HOST:PORT"},
  };
  for (const Case& c : cases) {
    base::Result<Address> a = ParseEndpointAddress(c.text);
    ASSERT_FALSE(a.ok()) << c.text;
    EXPECT_EQ(a.status().code(), base::Status::Code::kInvalidArgument);
    EXPECT_THAT(a.status().message(),
                HasSubstr("endpoint address \"" + std::string(c.text) + "\""));
    EXPECT_THAT(a.status().message(), HasSubstr(c.problem)) << c.text;
  }
}

}  // namespace
}  // namespace attach
