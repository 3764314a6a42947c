#include "guestinfo/config_codec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "guestinfo/config_test_util.h"
#include "guestinfo/limits.h"

namespace guestinfo {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

Config MustDecode(const json& j) {
  base::Result<Config> c = DecodeConfig(j.dump());
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? *c : Config();
}

std::string DecodeError(std::string_view text) {
  base::Result<Config> c = DecodeConfig(text);
  EXPECT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), base::Status::Code::kInvalidArgument);
  return c.status().ToString();
}

TEST(DecodeConfig, MinimalConfigGetsDocumentedDefaults) {
  Config c = MustDecode(testing::MinimalConfig());
  EXPECT_EQ(c.version, 1);
  EXPECT_EQ(c.id, testing::kTestId);
  EXPECT_EQ(c.name, "");
  EXPECT_EQ(c.hostname, "0123456789ab");  // No name: id[0:12].
  EXPECT_EQ(c.debug, 0);
  EXPECT_FALSE(c.endpoint.has_value());
  ASSERT_EQ(c.sessions.size(), 1u);
  const SessionConfig& s = c.sessions[0];
  EXPECT_TRUE(s.primary);  // The lone session becomes primary.
  EXPECT_EQ(s.args, std::vector<std::string>{"/bin/sh"});
  EXPECT_TRUE(s.env.empty());
  EXPECT_EQ(s.workdir, "/");
  EXPECT_EQ(s.user, "");
  EXPECT_FALSE(s.tty || s.open_stdin || s.attach_before_start);
  EXPECT_EQ(s.stop_signal, 15);
  EXPECT_EQ(s.stop_timeout_s, 10);
  EXPECT_EQ(s.restart, RestartPolicy::kNo);
  EXPECT_EQ(c.rootfs.source, "initramfs");
  EXPECT_EQ(c.rootfs.fstype, "ext4");
  EXPECT_TRUE(c.networks.empty());
  EXPECT_TRUE(c.mounts.empty());
  EXPECT_FALSE(c.limits.nofile.has_value());
  EXPECT_EQ(c.pprof.listen, "");
  EXPECT_EQ(c.output_ring_bytes, 8u << 20);
  EXPECT_FALSE(c.privileged);
  EXPECT_FALSE(c.no_new_privileges);
  EXPECT_EQ(&c.primary(), &c.sessions[0]);
}

TEST(DecodeConfig, PrivilegeFieldsAreBooleansAndRoundTrip) {
  json j = testing::MinimalConfig();
  j["privileged"] = true;
  j["no_new_privileges"] = true;
  Config c = MustDecode(j);
  EXPECT_TRUE(c.privileged);
  EXPECT_TRUE(c.no_new_privileges);
  base::Result<Config> again = DecodeConfig(EncodeConfig(c));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->privileged);
  EXPECT_TRUE(again->no_new_privileges);
  // Unset, they are not written: older documents encode as they did.
  EXPECT_EQ(
      EncodeConfig(MustDecode(testing::MinimalConfig())).find("privileged"),
      std::string::npos);
  j["privileged"] = "yes";
  EXPECT_EQ(DecodeError(j.dump()),
            "privileged: expected a boolean, got string");
}

TEST(DecodeConfig, FullConfigKeepsEveryField) {
  Config c = MustDecode(testing::FullConfig());
  EXPECT_EQ(c.name, "web");
  EXPECT_EQ(c.hostname, "web-1.example");
  EXPECT_EQ(c.debug, 2);
  ASSERT_TRUE(c.endpoint.has_value());
  EXPECT_EQ(c.endpoint->address, "tcp:192.0.2.1:2377");
  EXPECT_EQ(c.endpoint->host_key_sha256, testing::kTestHostKey);
  EXPECT_EQ(c.endpoint->identity_key, testing::TestIdentityKey());
  EXPECT_EQ(c.endpoint->drain_timeout_s, 600);
  ASSERT_EQ(c.sessions.size(), 2u);
  const SessionConfig& web = c.sessions[0];
  EXPECT_TRUE(web.primary);
  EXPECT_EQ(web.args, (std::vector<std::string>{"nginx", "-g", "daemon off;"}));
  EXPECT_EQ(web.env.size(), 2u);
  EXPECT_EQ(web.workdir, "/srv");
  EXPECT_EQ(web.user, "nginx:www-data");
  EXPECT_TRUE(web.tty && web.open_stdin && web.attach_before_start);
  EXPECT_EQ(web.stop_signal, 3);
  EXPECT_EQ(web.stop_timeout_s, 30);
  EXPECT_EQ(web.restart, RestartPolicy::kOnFailure);
  const SessionConfig& side = c.sessions[1];
  EXPECT_FALSE(side.primary);
  EXPECT_EQ(side.args, std::vector<std::string>{"/bin/logger"});
  EXPECT_EQ(side.stop_signal, 9);
  EXPECT_EQ(side.restart, RestartPolicy::kAlways);
  EXPECT_EQ(c.rootfs.source, "label:containerfs");
  EXPECT_EQ(c.rootfs.fstype, "xfs");
  ASSERT_EQ(c.networks.size(), 1u);
  EXPECT_EQ(c.networks[0].mac, "52:54:00:ab:cd:ef");  // Normalised.
  EXPECT_EQ(c.networks[0].addresses.size(), 2u);
  EXPECT_EQ(c.networks[0].gateway, "192.0.2.1");
  EXPECT_EQ(c.networks[0].mtu, 9000);
  ASSERT_EQ(c.mounts.size(), 1u);
  EXPECT_EQ(c.mounts[0].options,
            (std::vector<std::string>{"nosuid", "size=64m"}));
  EXPECT_EQ(c.limits.nofile, 65536u);
  EXPECT_EQ(c.pprof.listen, "[::1]:6060");
  EXPECT_EQ(c.output_ring_bytes, 1048576u);
  EXPECT_EQ(c.random_seed, "tether-test-seed-0123456789abcde");
  EXPECT_EQ(c.primary().id, "web");
}

TEST(DecodeConfig, HostnameFallsBackToIdWhenNameIsNoHostname) {
  json j = testing::MinimalConfig();
  j["name"] = "my_app";
  EXPECT_EQ(MustDecode(j).hostname, "0123456789ab");
  j["name"] = "myapp";
  EXPECT_EQ(MustDecode(j).hostname, "myapp");
}

TEST(DecodeConfig, StopSignalSpellings) {
  json j = testing::MinimalConfig();
  for (const auto& [value, want] :
       std::vector<std::pair<json, int>>{{"SIGTERM", 15},
                                         {"TERM", 15},
                                         {"sigkill", 9},
                                         {"hup", 1},
                                         {"15", 15},
                                         {2, 2}}) {
    j["sessions"][0]["stop_signal"] = value;
    EXPECT_EQ(MustDecode(j).sessions[0].stop_signal, want) << value;
  }
}

TEST(DecodeConfig, NullIsAbsent) {
  json j = testing::MinimalConfig();
  j["name"] = nullptr;
  j["endpoint"] = nullptr;
  j["sessions"][0]["args"] = nullptr;
  Config c = MustDecode(j);
  EXPECT_FALSE(c.endpoint.has_value());
  EXPECT_EQ(c.sessions[0].args, std::vector<std::string>{"/bin/sh"});
}

TEST(DecodeConfig, RoundTripsThroughEncodeConfig) {
  for (const json& j : {testing::MinimalConfig(), testing::FullConfig()}) {
    Config first = MustDecode(j);
    std::string encoded = EncodeConfig(first);
    base::Result<Config> second = DecodeConfig(encoded);
    ASSERT_TRUE(second.ok()) << second.status().ToString() << "\n" << encoded;
    EXPECT_EQ(EncodeConfig(*second), encoded);
    EXPECT_EQ(second->endpoint.has_value(), first.endpoint.has_value());
    EXPECT_EQ(second->sessions[0].env, first.sessions[0].env);
  }
}

TEST(DecodeConfig, RejectsOversizedDocument) {
  std::string big(kMaxConfigBytes + 1, ' ');
  EXPECT_EQ(DecodeError(big), "config: 1048577 bytes exceeds the 1 MiB limit");
}

TEST(DecodeConfig, RejectsDuplicateKeysWithTheirPath) {
  EXPECT_EQ(DecodeError(R"({"version":1,"version":1})"),
            "version: duplicate key");
  EXPECT_EQ(DecodeError(R"({"version":1,"sessions":[{"id":"a","tty":true,)"
                        R"("tty":false}]})"),
            "sessions[0].tty: duplicate key");
}

TEST(DecodeConfig, RejectsDeepNesting) {
  std::string deep = R"({"version":1,"x":)" + std::string(100, '[') +
                     std::string(100, ']') + "}";
  EXPECT_THAT(DecodeError(deep), HasSubstr("nested deeper than 32 levels"));
  // The standalone fuzz driver's worst case: a megabyte of '{'.
  EXPECT_EQ(DecodeError(std::string(kMaxConfigBytes, '{')),
            "config: invalid JSON: parse error at line 1, column 2: syntax "
            "error while parsing object key - unexpected '{'; expected "
            "string literal");
}

TEST(DecodeConfig, InvalidJsonNamesPositionButNotTheToken) {
  EXPECT_EQ(DecodeError(R"({"version": 1,)"),
            "config: invalid JSON: parse error at line 1, column 15: syntax "
            "error while parsing object key - unexpected end of input; "
            "expected string literal");
  // A raw tab inside a string is a lexer error whose "last read" token
  // would be the start of the env value.
  std::string msg = DecodeError(
      "{\"version\":1,\"sessions\":[{\"env\":"
      "[\"TOKEN=hunter2\t\"]}]}");
  EXPECT_THAT(msg, HasSubstr("config: invalid JSON: parse error at line 1"));
  EXPECT_THAT(msg, Not(HasSubstr("hunter2")));
}

TEST(DecodeConfig, TopLevelMustBeAnObject) {
  EXPECT_EQ(DecodeError("[1]"), "config: expected an object, got array");
  EXPECT_EQ(DecodeError(""),
            "config: invalid JSON: parse error at line 1, column 1: syntax "
            "error while parsing value - unexpected end of input; expected "
            "'[', '{', or a literal");
}

TEST(EncodeConfigRedacted, HidesIdentityKeyRandomSeedAndEnvValues) {
  Config c = MustDecode(testing::FullConfig());
  std::string redacted = EncodeConfigRedacted(c);
  EXPECT_THAT(redacted, Not(HasSubstr("OPENSSH PRIVATE KEY")));
  EXPECT_THAT(redacted, Not(HasSubstr("hunter2")));
  EXPECT_THAT(redacted, Not(HasSubstr("/usr/bin:/bin")));
  EXPECT_THAT(redacted, HasSubstr("\"identity_key\": \"<redacted>\""));
  EXPECT_THAT(redacted,
              Not(HasSubstr("dGV0aGVyLXRlc3Qtc2VlZC0wMTIzNDU2Nzg5YWJjZGU=")));
  EXPECT_THAT(redacted, HasSubstr("\"random_seed\": \"<redacted>\""));
  EXPECT_THAT(redacted, HasSubstr("\"SECRET=<redacted>\""));
  EXPECT_THAT(redacted, HasSubstr("\"PATH=<redacted>\""));
  // Everything else is still there.
  EXPECT_THAT(redacted, HasSubstr(testing::kTestHostKey));
  EXPECT_THAT(redacted, HasSubstr("daemon off;"));
}

// Review F10: mount options can carry credentials (cifs password=); the
// redacted config (pprof's cmdline, logs) hides their values only.
TEST(EncodeConfigRedacted, HidesCredentialMountOptions) {
  Config c = MustDecode(testing::MinimalConfig());
  MountConfig m;
  m.source = "//srv/share";
  m.target = "/mnt";
  m.fstype = "cifs";
  m.options = {"ro", "username=svc", "password=hunter3", "Secret=s3"};
  c.mounts.push_back(m);
  std::string redacted = EncodeConfigRedacted(c);
  EXPECT_THAT(redacted, Not(HasSubstr("hunter3")));
  EXPECT_THAT(redacted, Not(HasSubstr("s3\"")));
  EXPECT_THAT(redacted, HasSubstr("\"password=<redacted>\""));
  EXPECT_THAT(redacted, HasSubstr("\"username=svc\""));
  EXPECT_THAT(redacted, HasSubstr("\"ro\""));
  EXPECT_THAT(EncodeConfig(c), HasSubstr("password=hunter3"));
}

TEST(EncodeConfig, NeverThrowsOnBytesThatAreNotUtf8) {
  Config c = MustDecode(testing::MinimalConfig());
  c.name = "\xff\xfe";
  std::string out = EncodeConfig(c);
  EXPECT_THAT(out, HasSubstr("\"name\": \"\xEF\xBF\xBD\xEF\xBF\xBD\""));
}

}  // namespace
}  // namespace guestinfo
