// The container VM's configuration, version 1 (docs/config.md).
//
// Plain data: guestinfo::DecodeConfig (config_codec.h) builds it from JSON
// and validates every field; the tether consumes it. Defaults below are the
// documented defaults for absent fields.
#ifndef TETHER_GUESTINFO_CONFIG_H_
#define TETHER_GUESTINFO_CONFIG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace guestinfo {

enum class RestartPolicy { kNo, kOnFailure, kAlways };

struct SessionConfig {
  std::string id;                 // Unique among sessions; [A-Za-z0-9_.-]+.
  bool primary = false;           // Exactly one session is primary.
  std::string path;               // Executable; searched in PATH when no '/'.
  std::vector<std::string> args;  // argv, argv[0] included; default {path}.
  std::vector<std::string> env;   // "K=V"; never logged.
  std::string workdir = "/";
  std::string user;               // "", "name", "uid", "name:group", "uid:gid".
  bool tty = false;
  bool open_stdin = false;
  bool attach_before_start = false;
  int attach_timeout_s = 60;      // Start anyway (reported) after this.
  int stop_signal = 15;           // Parsed from "SIGTERM", "TERM" or "15".
  int stop_timeout_s = 10;
  RestartPolicy restart = RestartPolicy::kNo;
};

struct EndpointConfig {
  std::string address;            // tcp:HOST:PORT | vsock:CID:PORT | serial:PATH
  std::string host_key_sha256;    // "SHA256:<base64>" as ssh-keygen -l prints.
  std::string identity_key;       // OpenSSH private key. Secret: never logged.
  // Once the container is over, how long to wait for the endpoint to
  // acknowledge its output and exit; absent: the mode's default
  // (docs/config.md). 0..86400.
  std::optional<int> drain_timeout_s;
};

struct RootfsConfig {
  std::string source = "initramfs";  // initramfs | /dev/... | label:NAME
  std::string fstype = "ext4";
};

struct NetworkConfig {
  std::string mac;                     // Lower-case aa:bb:cc:dd:ee:ff.
  std::vector<std::string> addresses;  // CIDR, IPv4 or IPv6.
  std::string gateway;                 // Numeric address or empty.
  std::vector<std::string> dns;        // Numeric addresses.
  int mtu = 0;                         // 0 keeps the device's MTU.
};

struct MountConfig {
  std::string source;
  std::string target;                  // Absolute path in the container.
  std::string fstype;
  std::vector<std::string> options;    // e.g. "ro", "nosuid", "size=64m".
};

struct LimitsConfig {
  std::optional<uint64_t> nofile;      // RLIMIT_NOFILE soft = hard.
};

struct PprofConfig {
  std::string listen;                  // "HOST:PORT"; empty = off.
};

struct Config {
  int version = 1;
  std::string id;                      // 64 lower-case hex digits.
  std::string name;
  std::string hostname;                // Defaults to name, then id[0:12].
  int debug = 0;                       // 0..3; 2+ enables pprof.
  std::optional<EndpointConfig> endpoint;  // Absent: output to the console.
  std::vector<SessionConfig> sessions;     // At least one; one primary.
  RootfsConfig rootfs;
  std::vector<NetworkConfig> networks;
  std::vector<MountConfig> mounts;
  LimitsConfig limits;
  PprofConfig pprof;
  uint64_t output_ring_bytes = 8u << 20;  // Per-session output ring.
  // docker run --privileged: every capability, and the tether's own mount
  // namespace with the config source in it. Off: docker's default
  // capabilities and a mount namespace without the source.
  bool privileged = false;
  // docker's --security-opt no-new-privileges: setuid bits and file
  // capabilities give the container's processes nothing.
  bool no_new_privileges = false;
  // Bytes the endpoint drew for this boot alone; credited to the kernel's
  // random pool in VM mode so nothing waits for entropy. Secret.
  std::string random_seed;

  // Not part of the document: the file it was read from (--config FILE,
  // tether.source=file:), absolute. Set by whoever read it; hidden from
  // the container like fw_cfg.
  std::string config_file;

  // Whether pprof runs (DESIGN §7): its profilers then own SIGPROF and
  // SIGURG, which the tether does not forward.
  bool pprof_wanted() const { return debug >= 2 || !pprof.listen.empty(); }

  // The primary session (validation guarantees exactly one).
  const SessionConfig& primary() const {
    for (const SessionConfig& s : sessions) {
      if (s.primary) return s;
    }
    return sessions.front();
  }
};

}  // namespace guestinfo

#endif  // TETHER_GUESTINFO_CONFIG_H_
