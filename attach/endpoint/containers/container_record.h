// What attachd persists about each container, in
// <state-dir>/containers/<id>/: `config` (what `create` was asked for,
// never changes) and `status` (what the tether last reported about each
// session, so `ps` and `inspect` survive restarts of attachd). Both are
// JSON documents, documented in docs/attachd.md.
//
// Decoders are strict (unknown fields are errors: these files are ours) and
// never throw; errors are kInvalidArgument naming the field.
#ifndef TETHER_ATTACH_ENDPOINT_CONTAINERS_CONTAINER_RECORD_H_
#define TETHER_ATTACH_ENDPOINT_CONTAINERS_CONTAINER_RECORD_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "attach/endpoint/containers/port_mapping.h"
#include "base/result.h"

namespace attach {
namespace endpoint {

// The id of every container's primary session in its tether config.
constexpr char kPrimarySession[] = "main";
// Guest memory when the container does not say.
constexpr uint32_t kDefaultVmMemoryMb = 256;
// The kernel and initramfs need about 60 MiB before the container runs.
constexpr uint32_t kMinVmMemoryMb = 64;
constexpr uint32_t kMaxVmMemoryMb = 1 << 20;

struct ContainerRecord {
  std::string id;          // 64 lower-case hex digits.
  std::string name;        // Unique among containers.
  int64_t created_at = 0;  // Epoch seconds.
  bool tty = false;
  bool open_stdin = false;
  bool attach_before_start = false;
  std::vector<std::string> env;  // "K=V"; never logged.
  std::string user;
  std::string workdir;            // "" means the tether's default "/".
  std::vector<std::string> args;  // args[0] is the command.
  std::string endpoint;           // What the tether dials.
  uint32_t memory_mb = 0;         // VM memory; 0: the default (256 MiB).
  bool auto_remove = false;       // Removed once its VM is gone (--rm).
  // docker run --privileged: every capability in the VM (the tether's
  // own mount namespace too); and --security-opt no-new-privileges.
  bool privileged = false;
  bool no_new_privileges = false;
  // The guest's host name; empty: the name when it is a valid host name,
  // else the short id.
  std::string hostname;
  // The image the container runs, by id ("sha256:..."); empty: the root
  // file system of the VM image itself.
  std::string image;
  // The image as the user named it ("e2e/web:1", "busybox"), for ps's
  // IMAGE column; empty: the VM image's own root.
  std::string image_name;
  // Published ports (-p, -P); a host port 0 is chosen at each start.
  std::vector<PortMapping> ports;
  // "none": the VM has no NIC; "" or "bridge": QEMU's user network (NAT
  // out, published ports in), as docker's default bridge.
  std::string network;
  // What the Docker API was asked for (its Config and HostConfig as the
  // API keeps them, a JSON object), for its inspect; attachd does not read
  // it otherwise. Empty for containers tetherctl made.
  std::string api;
};

std::string EncodeRecord(const ContainerRecord& record);
base::Result<ContainerRecord> DecodeRecord(std::string_view json);

// One session as last reported by the tether (or decided by attachd for an
// exec that failed to start).
struct SessionRecord {
  std::string id;
  bool primary = false;
  bool tty = false;
  bool open_stdin = false;
  bool running = false;
  bool exited = false;
  int exit_code = 0;
  int signal = 0;
  int pid = 0;
  int64_t started_at = 0;  // Epoch seconds; 0 = never.
  int64_t finished_at = 0;
  std::vector<std::string> args;
  std::string error;  // ExecFailed's message.
  // How far the session's log reached when this status was written: the
  // status is fsync'd and the log is not, so after a host crash a log that
  // holds less has lost output, and recovery records the gap.
  uint64_t stdout_end = 0;
  uint64_t stderr_end = 0;
  uint64_t log_end = 0;  // The log's logical size (session_log.h).
};

struct StatusRecord {
  std::vector<SessionRecord> sessions;
  // The ports the running VM publishes, host ports as bound (empty when
  // it is not running).
  std::vector<PortMapping> ports;

  SessionRecord* Find(const std::string& id);
  const SessionRecord* Find(const std::string& id) const;
  // The session, added when it is not there yet.
  SessionRecord& Get(const std::string& id);
};

std::string EncodeStatus(const StatusRecord& status);
base::Result<StatusRecord> DecodeStatus(std::string_view json);

// docker's container state from the primary session: "created" (never
// started), "running" or "exited".
std::string ContainerState(const StatusRecord& status);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CONTAINERS_CONTAINER_RECORD_H_
