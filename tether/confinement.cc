#include "tether/confinement.h"

#include <linux/capability.h>

namespace tether {
namespace {

constexpr uint64_t Bit(int cap) { return uint64_t{1} << cap; }

}  // namespace

const uint64_t kDockerDefaultCapabilities =
    Bit(CAP_CHOWN) | Bit(CAP_DAC_OVERRIDE) | Bit(CAP_FSETID) | Bit(CAP_FOWNER) |
    Bit(CAP_MKNOD) | Bit(CAP_NET_RAW) | Bit(CAP_SETGID) | Bit(CAP_SETUID) |
    Bit(CAP_SETFCAP) | Bit(CAP_SETPCAP) | Bit(CAP_NET_BIND_SERVICE) |
    Bit(CAP_SYS_CHROOT) | Bit(CAP_KILL) | Bit(CAP_AUDIT_WRITE);

base::Confinement ConfinementFor(const guestinfo::Config& config) {
  base::Confinement c;
  // no_new_privs binds a privileged container too, as docker's
  // --security-opt does.
  c.no_new_privs = config.no_new_privileges;
  if (config.privileged) return c;
  c.new_mount_namespace = true;
  c.masked_paths.push_back(kFirmwareDir);
  if (!config.config_file.empty()) c.masked_paths.push_back(config.config_file);
  c.limit_capabilities = true;
  c.capabilities = kDockerDefaultCapabilities;
  return c;
}

}  // namespace tether
