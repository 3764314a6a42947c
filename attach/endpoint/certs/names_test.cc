// SanSet, ListenAddress, the mode names and the env file text.
#include <gtest/gtest.h>

#include "attach/endpoint/certs/client_env.h"
#include "attach/endpoint/certs/listen_address.h"
#include "attach/endpoint/certs/san_set.h"
#include "attach/endpoint/certs/tls_material.h"

namespace attach {
namespace endpoint {
namespace certs {
namespace {

TEST(SanSet, CanonicalWhateverTheOrder) {
  SanSet a, b;
  for (const char* n : {"Host.Example", "::1", "127.0.0.1", "localhost"}) {
    ASSERT_TRUE(a.Add(n).ok()) << n;
  }
  for (const char* n : {"localhost", "127.0.0.1", "host.example", "::1",
                        "0:0:0:0:0:0:0:1", "LOCALHOST"}) {
    ASSERT_TRUE(b.Add(n).ok()) << n;
  }
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.ToString(),
            "IP:127.0.0.1, IP:::1, DNS:host.example, DNS:localhost");
  ASSERT_TRUE(b.Add("10.0.0.5").ok());
  EXPECT_NE(a, b);
}

TEST(SanSet, RefusesWhatIsNeitherIpNorName) {
  SanSet s;
  EXPECT_FALSE(s.Add("").ok());
  EXPECT_FALSE(s.Add("a,IP:1.2.3.4").ok());  // No smuggled entries.
  EXPECT_FALSE(s.Add("host name").ok());
  EXPECT_FALSE(s.Add("a..b").ok());
  EXPECT_FALSE(s.Add("h\xc3\xa9").ok());
  EXPECT_FALSE(s.Add(std::string(64, 'a') + ".example").ok());
  EXPECT_TRUE(s.Add("*.example.com").ok());
  EXPECT_TRUE(s.Add("my_host-1.lan").ok());
}

TEST(SanSet, MatchesLikeGo) {
  SanSet s;
  ASSERT_TRUE(s.Add("*.example.com").ok());
  ASSERT_TRUE(s.Add("10.1.2.3").ok());
  ASSERT_TRUE(s.Add("2001:db8::1").ok());
  EXPECT_TRUE(s.Matches("a.example.com"));
  EXPECT_TRUE(s.Matches("A.Example.COM"));
  EXPECT_FALSE(s.Matches("b.a.example.com"));  // One label only.
  EXPECT_FALSE(s.Matches("example.com"));
  EXPECT_TRUE(s.Matches("10.1.2.3"));
  EXPECT_TRUE(s.Matches("2001:db8:0::1"));
  EXPECT_FALSE(s.Matches("10.1.2.4"));
}

TEST(ListenAddress, ParsesHostsAndWildcards) {
  auto a = ParseListenAddress("0.0.0.0:2376");
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->wildcard);
  EXPECT_EQ(a->DockerHost(), "tcp://127.0.0.1:2376");

  a = ParseListenAddress("[::]:2376");
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->wildcard);
  EXPECT_EQ(a->DockerHost(), "tcp://127.0.0.1:2376");

  a = ParseListenAddress(":2376");
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->wildcard);

  a = ParseListenAddress("[::1]:9");
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a->wildcard);
  EXPECT_EQ(a->host, "::1");
  EXPECT_EQ(a->DockerHost(), "tcp://[::1]:9");

  a = ParseListenAddress("build-host.lan:2376");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->DockerHost(), "tcp://build-host.lan:2376");
}

TEST(ListenAddress, RefusesBadInput) {
  for (const char* bad : {"", "2376", "host:", "host:0", "host:65536",
                          "host:12a", "::1:2376", "bad host:1"}) {
    EXPECT_FALSE(ParseListenAddress(bad).ok()) << bad;
  }
}

TEST(TlsMode, NamesRoundTrip) {
  for (const char* name : {"verify", "server", "off"}) {
    auto mode = ParseTlsMode(name);
    ASSERT_TRUE(mode.ok());
    EXPECT_STREQ(TlsModeName(*mode), name);
  }
  auto bad = ParseTlsMode("on");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("verify, server or off"),
            std::string::npos);
}

TEST(ClientEnv, VerifyModeSetsTlsVerify) {
  std::string text =
      EnvFileText(TlsMode::kVerify, "tcp://127.0.0.1:2376", "/s/certs/client");
  EXPECT_NE(text.find("export DOCKER_HOST=tcp://127.0.0.1:2376\n"),
            std::string::npos);
  EXPECT_NE(text.find("export DOCKER_TLS_VERIFY=1\n"), std::string::npos);
  EXPECT_NE(text.find("export DOCKER_CERT_PATH=/s/certs/client\n"),
            std::string::npos);
  EXPECT_EQ(text.find("DOCKER_TLS="), std::string::npos);
}

TEST(ClientEnv, ServerModeNeverSetsTlsVerify) {
  std::string text =
      EnvFileText(TlsMode::kServer, "tcp://[::1]:2376", "/my certs/client");
  EXPECT_EQ(text.find("DOCKER_TLS_VERIFY="), std::string::npos);
  EXPECT_NE(text.find("unset DOCKER_TLS_VERIFY\n"), std::string::npos);
  EXPECT_NE(text.find("export DOCKER_TLS=1\n"), std::string::npos);
  EXPECT_NE(text.find("export DOCKER_CERT_PATH='/my certs/client'\n"),
            std::string::npos);
}

TEST(ClientEnv, ShellQuote) {
  EXPECT_EQ(ShellQuote("/a/b"), "/a/b");
  EXPECT_EQ(ShellQuote("tcp://[::1]:2376"), "'tcp://[::1]:2376'");
  EXPECT_EQ(ShellQuote("a b"), "'a b'");
  EXPECT_EQ(ShellQuote("it's"), "'it'\\''s'");
  EXPECT_EQ(ShellQuote("$(x)"), "'$(x)'");
  EXPECT_EQ(ShellQuote(""), "''");
}

}  // namespace
}  // namespace certs
}  // namespace endpoint
}  // namespace attach
