// What keeps a container's processes from the tether's secrets (review F7,
// docs/config.md "privileged"): the policy, turned into a
// base::Confinement that spawn applies to every session, exec included.
//
// Unless the config says "privileged", a session runs as under docker's
// defaults: only docker's default capabilities (no CAP_SYS_ADMIN to mount
// or unmount, no CAP_SYS_RAWIO for /dev/mem or /dev/port, no
// CAP_SYS_PTRACE for the tether's /proc files, which it keeps from
// everyone else by not being dumpable), and a mount namespace of its own
// in which the config's sources are covered: /sys/firmware (fw_cfg) and
// the config file, if the config came from one. no_new_privs only when
// the config asks for it, as docker.
#ifndef TETHER_TETHER_CONFINEMENT_H_
#define TETHER_TETHER_CONFINEMENT_H_

#include <cstdint>

#include "base/os.h"
#include "guestinfo/config.h"

namespace tether {

// docker's default set (moby oci/caps/defaults.go): CHOWN, DAC_OVERRIDE,
// FSETID, FOWNER, MKNOD, NET_RAW, SETGID, SETUID, SETFCAP, SETPCAP,
// NET_BIND_SERVICE, SYS_CHROOT, KILL and AUDIT_WRITE; bit n is capability n.
extern const uint64_t kDockerDefaultCapabilities;

// Where the hypervisor's config lives in the guest (QEMU fw_cfg); docker
// masks it too.
constexpr char kFirmwareDir[] = "/sys/firmware";

// The confinement of `config`'s sessions: none at all when privileged.
base::Confinement ConfinementFor(const guestinfo::Config& config);

}  // namespace tether

#endif  // TETHER_TETHER_CONFINEMENT_H_
