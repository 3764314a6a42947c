// One case per validation rule: a known-good config, one mutation, and the
// exact error a user would read.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <string>

#include "guestinfo/config_codec.h"
#include "guestinfo/config_test_util.h"

namespace guestinfo {
namespace {

using nlohmann::json;

struct Case {
  const char* name;
  std::function<void(json&)> mutate;
  std::string want;
};

json& S0(json& j) { return j["sessions"][0]; }
json& N0(json& j) { return j["networks"][0]; }
json& M0(json& j) { return j["mounts"][0]; }
json Repeat(const json& v, size_t n) { return json(std::vector<json>(n, v)); }

json SecondSession() { return {{"id", "two"}, {"path", "/bin/true"}}; }

const std::string k64(64, 'a');

std::vector<Case> Cases() {
  return {
      // Document and version.
      {"version2", [](json& j) { j["version"] = 2; },
       "version: unsupported version 2 (this tether reads version 1)"},
      {"version_huge", [](json& j) { j["version"] = UINT64_MAX; },
       "version: unsupported version 18446744073709551615 (this tether "
       "reads version 1)"},
      {"version_missing", [](json& j) { j.erase("version"); },
       "version: required"},
      {"version_string", [](json& j) { j["version"] = "1"; },
       "version: expected an integer, got string"},
      {"unknown_top", [](json& j) { j["nmae"] = "x"; }, "nmae: unknown field"},
      {"unknown_odd_key", [](json& j) { j["a b"] = 1; },
       "[\"a b\"]: unknown field"},
      {"unknown_session",
       [](json& j) {
         S0(j)["argz"] = json::array();
       },
       "sessions[0].argz: unknown field"},
      // Identity.
      {"id_upper", [](json& j) { j["id"] = "ABC"; },
       "id: expected 64 lower-case hex digits, got \"ABC\""},
      {"id_missing", [](json& j) { j.erase("id"); }, "id: required"},
      {"name_bad", [](json& j) { j["name"] = "-bad"; },
       "name: \"-bad\" is not a valid name ([A-Za-z0-9][A-Za-z0-9_.-]*, at "
       "most 128 bytes)"},
      {"hostname_char", [](json& j) { j["hostname"] = "a_b"; },
       "hostname: invalid hostname \"a_b\": labels may only contain A-Z, "
       "a-z, 0-9 and '-'"},
      {"hostname_label_len", [](json& j) { j["hostname"] = k64 + "b"; },
       "hostname: invalid hostname \"" + k64 +
           "\"...: label longer than 63 bytes"},
      {"hostname_dash", [](json& j) { j["hostname"] = "-a"; },
       "hostname: invalid hostname \"-a\": a label starts or ends with '-'"},
      {"hostname_empty_label", [](json& j) { j["hostname"] = "a..b"; },
       "hostname: invalid hostname \"a..b\": empty label"},
      {"debug_range", [](json& j) { j["debug"] = 4; },
       "debug: 4 is out of range 0..3"},
      {"debug_float", [](json& j) { j["debug"] = 1.5; },
       "debug: expected an integer, got number"},
      // Endpoint.
      {"endpoint_type", [](json& j) { j["endpoint"] = "tcp:1.2.3.4:1"; },
       "endpoint: expected an object, got string"},
      {"address_scheme", [](json& j) { j["endpoint"]["address"] = "x"; },
       "endpoint.address: expected tcp:HOST:PORT, vsock:CID:PORT or "
       "serial:PATH, got \"x\""},
      {"address_dns",
       [](json& j) { j["endpoint"]["address"] = "tcp:example.com:2377"; },
       "endpoint.address: \"example.com\" is not a numeric IPv4 or [IPv6] "
       "address (the tether does no DNS)"},
      {"address_port",
       [](json& j) { j["endpoint"]["address"] = "tcp:10.0.0.1:0"; },
       "endpoint.address: port \"0\" is out of range 1..65535"},
      {"address_vsock", [](json& j) { j["endpoint"]["address"] = "vsock:x:1"; },
       "endpoint.address: expected vsock:CID:PORT, got \"vsock:x:1\""},
      {"address_serial",
       [](json& j) { j["endpoint"]["address"] = "serial:dev/x"; },
       "endpoint.address: serial device \"dev/x\" is not an absolute path"},
      {"drain_timeout",
       [](json& j) { j["endpoint"]["drain_timeout_s"] = 86401; },
       "endpoint.drain_timeout_s: 86401 is out of range 0..86400"},
      {"host_key", [](json& j) { j["endpoint"]["host_key_sha256"] = "MD5:aa"; },
       "endpoint.host_key_sha256: expected \"SHA256:\" and 43 base64 "
       "characters as `ssh-keygen -l` prints, got \"MD5:aa\""},
      {"identity_key",
       [](json& j) { j["endpoint"]["identity_key"] = "secret-stuff"; },
       "endpoint.identity_key: not an OpenSSH private key (expected a "
       "\"-----BEGIN OPENSSH PRIVATE KEY-----\" block)"},
      {"identity_key_body",
       [](json& j) {
         j["endpoint"]["identity_key"] =
             "-----BEGIN OPENSSH PRIVATE KEY-----\nc2VjcmV0\n"
             "-----END OPENSSH PRIVATE KEY-----";
       },
       "endpoint.identity_key: OpenSSH private key body is not an "
       "openssh-key-v1 blob"},
      {"identity_key_missing",
       [](json& j) { j["endpoint"].erase("identity_key"); },
       "endpoint.identity_key: required"},
      // Sessions as a whole.
      {"sessions_missing", [](json& j) { j.erase("sessions"); },
       "sessions: required"},
      {"sessions_empty", [](json& j) { j["sessions"] = json::array(); },
       "sessions: at least one session is required"},
      {"sessions_many", [](json& j) { j["sessions"] = Repeat(S0(j), 65); },
       "sessions: 65 entries exceed the limit of 64"},
      {"session_type", [](json& j) { j["sessions"][0] = 5; },
       "sessions[0]: expected an object, got number"},
      {"session_id",
       [](json& j) {
         S0(j)["id"] = "a b";
       },
       "sessions[0].id: \"a b\" is not a valid id ([A-Za-z0-9_.-]+, at most "
       "64 bytes)"},
      {"session_dup_id",
       [](json& j) {
         j["sessions"][1] = SecondSession();
         j["sessions"][1]["id"] = "web";
       },
       "sessions[1].id: duplicate id \"web\" (also sessions[0])"},
      {"no_primary",
       [](json& j) {
         S0(j).erase("primary");
         j["sessions"][1] = SecondSession();
       },
       "sessions: no primary session"},
      {"two_primaries",
       [](json& j) {
         j["sessions"][1] = SecondSession();
         j["sessions"][1]["primary"] = true;
       },
       "sessions: more than one primary session (sessions[0] and "
       "sessions[1])"},
      // One session's fields.
      {"path_missing", [](json& j) { S0(j).erase("path"); },
       "sessions[0].path: required"},
      {"path_nul",
       [](json& j) {
         S0(j)["path"] = std::string("/bin\0x", 6);
       },
       "sessions[0].path: contains a NUL byte"},
      {"args_empty",
       [](json& j) {
         S0(j)["args"] = json::array();
       },
       "sessions[0].args: must not be empty (omit it for the default "
       "[path])"},
      {"args_type",
       [](json& j) {
         S0(j)["args"] = {1};
       },
       "sessions[0].args[0]: expected a string, got number"},
      {"env_no_eq",
       [](json& j) {
         S0(j)["env"] = {"A=1", "NOEQUALS"};
       },
       "sessions[0].env[1]: expected KEY=VALUE (no '=' found)"},
      {"env_empty_name",
       [](json& j) {
         S0(j)["env"] = {"=v"};
       },
       "sessions[0].env[0]: empty variable name"},
      {"env_dup",
       [](json& j) {
         S0(j)["env"] = {"A=1", "A=2"};
       },
       "sessions[0].env[1]: duplicate variable \"A\" (also env[0])"},
      {"env_many",
       [](json& j) {
         S0(j)["env"] = Repeat("A=1", 4097);
       },
       "sessions[0].env: 4097 entries exceed the limit of 4096"},
      {"workdir",
       [](json& j) {
         S0(j)["workdir"] = "tmp";
       },
       "sessions[0].workdir: \"tmp\" is not an absolute path"},
      {"user_parts",
       [](json& j) {
         S0(j)["user"] = "a:b:c";
       },
       "sessions[0].user: expected NAME, UID, NAME:GROUP or UID:GID, got "
       "\"a:b:c\""},
      {"user_minus_one",
       [](json& j) {
         S0(j)["user"] = "4294967295";
       },
       "sessions[0].user: expected NAME, UID, NAME:GROUP or UID:GID, got "
       "\"4294967295\""},
      {"tty_type",
       [](json& j) {
         S0(j)["tty"] = "yes";
       },
       "sessions[0].tty: expected a boolean, got string"},
      {"signal_name",
       [](json& j) {
         S0(j)["stop_signal"] = "SIGFOO";
       },
       "sessions[0].stop_signal: unknown signal \"SIGFOO\""},
      {"signal_number",
       [](json& j) {
         S0(j)["stop_signal"] = 40;
       },
       "sessions[0].stop_signal: unknown signal 40"},
      {"signal_type",
       [](json& j) {
         S0(j)["stop_signal"] = true;
       },
       "sessions[0].stop_signal: expected a signal name or number, got "
       "boolean"},
      {"attach_timeout_zero",
       [](json& j) {
         S0(j)["attach_timeout_s"] = 0;
       },
       "sessions[0].attach_timeout_s: 0 is out of range 1..86400"},
      {"timeout_high",
       [](json& j) {
         S0(j)["stop_timeout_s"] = 3601;
       },
       "sessions[0].stop_timeout_s: 3601 is out of range 0..3600"},
      {"timeout_negative",
       [](json& j) {
         S0(j)["stop_timeout_s"] = -1;
       },
       "sessions[0].stop_timeout_s: -1 is out of range 0..3600"},
      {"restart",
       [](json& j) {
         S0(j)["restart"] = "sometimes";
       },
       "sessions[0].restart: expected \"no\", \"on-failure\" or \"always\", "
       "got \"sometimes\""},
      // Rootfs.
      {"rootfs_source", [](json& j) { j["rootfs"]["source"] = "vda"; },
       "rootfs.source: expected \"initramfs\", a /dev/ path or "
       "\"label:NAME\", got \"vda\""},
      {"rootfs_fstype", [](json& j) { j["rootfs"]["fstype"] = "EXT4"; },
       "rootfs.fstype: \"EXT4\" is not a filesystem type ([a-z0-9_.]+)"},
      // Networks.
      {"mac",
       [](json& j) {
         N0(j)["mac"] = "52:54:00:12:34";
       },
       "networks[0].mac: expected a MAC address like 52:54:00:12:34:56, got "
       "\"52:54:00:12:34\""},
      {"cidr_no_prefix",
       [](json& j) {
         N0(j)["addresses"] = {"192.0.2.5"};
       },
       "networks[0].addresses[0]: expected ADDRESS/PREFIX, got "
       "\"192.0.2.5\""},
      {"cidr_prefix",
       [](json& j) {
         N0(j)["addresses"] = {"192.0.2.5/33"};
       },
       "networks[0].addresses[0]: prefix length \"33\" is out of range "
       "0..32 for IPv4"},
      {"cidr_name",
       [](json& j) {
         N0(j)["addresses"] = {"host.example/24"};
       },
       "networks[0].addresses[0]: \"host.example\" is not a numeric IPv4 or "
       "IPv6 address"},
      {"gateway",
       [](json& j) {
         N0(j)["gateway"] = "gw";
       },
       "networks[0].gateway: \"gw\" is not a numeric IPv4 or IPv6 address"},
      {"dns",
       [](json& j) {
         N0(j)["dns"] = {"8.8.8"};
       },
       "networks[0].dns[0]: \"8.8.8\" is not a numeric IPv4 or IPv6 "
       "address"},
      {"mtu_low",
       [](json& j) {
         N0(j)["mtu"] = 67;
       },
       "networks[0].mtu: 67 is out of range 68..65535 (or 0 to keep the "
       "device's MTU)"},
      {"mtu_high",
       [](json& j) {
         N0(j)["mtu"] = 70000;
       },
       "networks[0].mtu: 70000 is out of range 0..65535"},
      {"mac_dup",
       [](json& j) {
         j["networks"][1] = {{"mac", "52:54:00:ab:cd:ef"}};
       },
       "networks[1].mac: duplicate mac \"52:54:00:ab:cd:ef\" (also "
       "networks[0])"},
      {"networks_many", [](json& j) { j["networks"] = Repeat(N0(j), 17); },
       "networks: 17 entries exceed the limit of 16"},
      // Mounts.
      {"mount_relative",
       [](json& j) {
         M0(j)["target"] = "mnt";
       },
       "mounts[0].target: \"mnt\" is not an absolute path"},
      {"mount_dotdot",
       [](json& j) {
         M0(j)["target"] = "/a/../b";
       },
       "mounts[0].target: \"/a/../b\" has a \".\" or \"..\" component"},
      {"mount_option",
       [](json& j) {
         M0(j)["options"] = {"ro,nosuid"};
       },
       "mounts[0].options[0]: \"ro,nosuid\" contains ',' (give each option "
       "as its own entry)"},
      {"mounts_many", [](json& j) { j["mounts"] = Repeat(M0(j), 65); },
       "mounts: 65 entries exceed the limit of 64"},
      // Limits, pprof, output ring.
      {"nofile_zero", [](json& j) { j["limits"]["nofile"] = 0; },
       "limits.nofile: 0 is out of range 1..2147483584"},
      {"nofile_negative", [](json& j) { j["limits"]["nofile"] = -5; },
       "limits.nofile: -5 is out of range 1..2147483584"},
      {"pprof_dns", [](json& j) { j["pprof"]["listen"] = "localhost:6060"; },
       "pprof.listen: \"localhost\" is not a numeric IPv4 or [IPv6] address "
       "(the tether does no DNS)"},
      {"ring_small", [](json& j) { j["output_ring_bytes"] = 100; },
       "output_ring_bytes: 100 is out of range 4096..1073741824"},
      // Random seed.
      {"seed_short",
       [](json& j) { j["random_seed"] = "MDEyMzQ1Njc4OWFiY2RlZg=="; },
       "random_seed: 16 bytes; at least 32 are needed"},
      {"seed_not_base64", [](json& j) { j["random_seed"] = "seed*"; },
       "random_seed: base64: invalid character '*' at offset 4"},
      {"seed_large",
       [](json& j) { j["random_seed"] = std::string(700, 'A'); },
       "random_seed: base64: decoded data exceeds 512 bytes"},
      {"seed_type", [](json& j) { j["random_seed"] = 5; },
       "random_seed: expected a string, got number"},
  };
}

class ConfigErrors : public ::testing::TestWithParam<Case> {};

TEST_P(ConfigErrors, ExactMessage) {
  json j = testing::FullConfig();
  GetParam().mutate(j);
  base::Result<Config> c = DecodeConfig(j.dump());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), base::Status::Code::kInvalidArgument);
  EXPECT_EQ(c.status().message(), GetParam().want);
  // No rule ever quotes a secret.
  EXPECT_THAT(c.status().message(),
              ::testing::Not(::testing::HasSubstr("hunter2")));
  EXPECT_THAT(c.status().message(),
              ::testing::Not(::testing::HasSubstr("secret-stuff")));
}

INSTANTIATE_TEST_SUITE_P(EveryRule, ConfigErrors, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace guestinfo
