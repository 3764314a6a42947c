// GET /health: is this attachd able to do its job, and why not.
//
//   {"status": "ok" | "degraded" | "failing",
//    "checks": [{"name": "state_dir", "status": "ok", "detail": "..."}...],
//    "containers": {"created": 0, "running": 2, "exited": 1, "total": 3},
//    "tethers": {"connected": 2, "running_without_tether": 0}}
//
// The overall status is the worst check's. Checks: the state directory is
// writable and has room (degraded under 1 GiB or 5% free, failing under
// 64 MiB or when it cannot be written), QEMU and the VM image are there
// (degraded: running containers go on, new ones cannot start), each
// listener is up (failing when one is not). Tethers are reported, not
// judged: a VM that is booting has none yet.
//
// Cheap enough to poll: a statvfs, an access(2) per file, a few stats to
// find QEMU, and one pass over the containers (1,000 in well under a
// millisecond).
#ifndef TETHER_ATTACH_ENDPOINT_ADMIN_HEALTH_H_
#define TETHER_ATTACH_ENDPOINT_ADMIN_HEALTH_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "attach/endpoint/containers/registry.h"
#include "attach/endpoint/vms/qemu_command.h"

namespace attach {
namespace endpoint {
namespace admin {

struct ListenerState {
  std::string name;     // "tethers", "clients", "api", "admin".
  std::string address;  // "127.0.0.1:2377", a socket path.
  bool up = false;
};

struct HealthInputs {
  std::string state_dir;
  VmImage image;
  std::vector<ListenerState> listeners;
  const Registry* registry = nullptr;
};

// Thresholds, exposed for tests.
constexpr uint64_t kDegradedFreeBytes = uint64_t{1} << 30;
constexpr double kDegradedFreeRatio = 0.05;
constexpr uint64_t kFailingFreeBytes = uint64_t{64} << 20;

// The document above. Never fails: a check that cannot run says why.
nlohmann::json CheckHealth(const HealthInputs& in);

// The state a free-space reading deserves ("ok", "degraded", "failing").
const char* FreeSpaceStatus(uint64_t free_bytes, uint64_t total_bytes);

// Where `prog` is: itself when it has a '/', else the first executable
// in PATH; "" when nowhere.
std::string FindProgram(const std::string& prog);

}  // namespace admin
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_ADMIN_HEALTH_H_
