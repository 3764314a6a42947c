// Test-only: known-good config documents the guestinfo tests mutate.
#ifndef TETHER_GUESTINFO_CONFIG_TEST_UTIL_H_
#define TETHER_GUESTINFO_CONFIG_TEST_UTIL_H_

#include <nlohmann/json.hpp>
#include <string>

#include "guestinfo/base64.h"

namespace guestinfo {
namespace testing {

inline constexpr char kTestId[] =
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
// SHA-256 of nothing, as ssh-keygen would print it.
inline constexpr char kTestHostKey[] =
    "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";

// Passes CheckIdentityKey (right armour and magic) but is no usable key.
inline std::string TestIdentityKey() {
  std::string blob("openssh-key-v1\0none-really", 26);
  return "-----BEGIN OPENSSH PRIVATE KEY-----\n" + Base64Encode(blob) +
         "\n-----END OPENSSH PRIVATE KEY-----\n";
}

// The least a config can say.
inline nlohmann::json MinimalConfig() {
  return nlohmann::json::parse(R"({
    "version": 1,
    "id": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "sessions": [ { "id": "main", "path": "/bin/sh" } ]
  })");
}

// Every field set to something other than its default.
inline nlohmann::json FullConfig() {
  nlohmann::json j = nlohmann::json::parse(R"({
    "version": 1,
    "id": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "name": "web",
    "hostname": "web-1.example",
    "debug": 2,
    "endpoint": { "address": "tcp:192.0.2.1:2377", "drain_timeout_s": 600 },
    "sessions": [
      { "id": "web", "primary": true, "path": "/usr/sbin/nginx",
        "args": ["nginx", "-g", "daemon off;"],
        "env": ["PATH=/usr/bin:/bin", "SECRET=hunter2"],
        "workdir": "/srv", "user": "nginx:www-data", "tty": true,
        "open_stdin": true, "attach_before_start": true,
        "stop_signal": "SIGQUIT", "stop_timeout_s": 30,
        "restart": "on-failure" },
      { "id": "sidecar", "path": "/bin/logger", "user": "1000:1000",
        "stop_signal": 9, "restart": "always" }
    ],
    "rootfs": { "source": "label:containerfs", "fstype": "xfs" },
    "networks": [
      { "mac": "52:54:00:AB:CD:EF", "addresses": ["192.0.2.5/24",
        "2001:db8::5/64"], "gateway": "192.0.2.1",
        "dns": ["192.0.2.53", "2001:db8::53"], "mtu": 9000 }
    ],
    "mounts": [ { "source": "tmpfs", "target": "/run/app", "fstype": "tmpfs",
                  "options": ["nosuid", "size=64m"] } ],
    "limits": { "nofile": 65536 },
    "pprof": { "listen": "[::1]:6060" },
    "output_ring_bytes": 1048576,
    "random_seed": "dGV0aGVyLXRlc3Qtc2VlZC0wMTIzNDU2Nzg5YWJjZGU="
  })");
  j["endpoint"]["host_key_sha256"] = kTestHostKey;
  j["endpoint"]["identity_key"] = TestIdentityKey();
  return j;
}

}  // namespace testing
}  // namespace guestinfo

#endif  // TETHER_GUESTINFO_CONFIG_TEST_UTIL_H_
