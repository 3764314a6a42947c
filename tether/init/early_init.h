// Early init, second half: the system settings a container VM's
// configuration asks for, applied once the config has been read (after
// MountEssentials). Network interfaces over netlink and the switch to the
// container's root filesystem are separate steps.
#ifndef TETHER_TETHER_INIT_EARLY_INIT_H_
#define TETHER_TETHER_INIT_EARLY_INIT_H_

#include <string>

#include "base/os.h"
#include "guestinfo/config.h"
#include "tether/init/init_report.h"

namespace tether {

// config.hostname, else config.name, else the first 12 characters of
// config.id (docker's short id), else "localhost".
std::string ChooseHostname(const guestinfo::Config& config);

// In order, each failure annotated with its step:
//   sethostname(ChooseHostname())             warning "set hostname"
//   /etc/hostname, /etc/hosts, /etc/resolv.conf (WriteEtcFiles)  warnings
//   `lo` up                                   warning "bring up lo"
//   RLIMIT_NOFILE = limits.nofile (soft and hard), when set
//                                             warning "set RLIMIT_NOFILE"
//   config.mounts (MountConfigured)           fatal "mount <target>"
// The mounts come last so that a volume mounted over an /etc file wins
// over the generated one, as in docker. Every step runs whatever failed
// before it. Calls `os` on the loop thread, synchronously.
InitReport ConfigureSystem(base::Os& os, const guestinfo::Config& config);

}  // namespace tether

#endif  // TETHER_TETHER_INIT_EARLY_INIT_H_
