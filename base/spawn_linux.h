// Internal to base/: the fork+exec behind LinuxOs::Spawn (see Os::Spawn).
#ifndef TETHER_BASE_SPAWN_LINUX_H_
#define TETHER_BASE_SPAWN_LINUX_H_

#include "base/os.h"

namespace base {

Result<pid_t> SpawnProcess(const SpawnSpec& spec);

}  // namespace base

#endif  // TETHER_BASE_SPAWN_LINUX_H_
