// The extra mounts a container's configuration asks for (`mounts`).
#ifndef TETHER_TETHER_INIT_CONFIG_MOUNTS_H_
#define TETHER_TETHER_INIT_CONFIG_MOUNTS_H_

#include <vector>

#include "base/os.h"
#include "guestinfo/config.h"
#include "tether/init/init_report.h"

namespace tether {

// Mounts each entry in order: creates the target and its parents (for a
// bind mount of a file, an empty file instead), then mounts with the flags
// and data ParseMountOptions() gives, plus the remount a read-only (or
// nosuid, ...) bind mount needs. A remount only mounts.
//
// Each failure, annotated "mount <target>", is fatal: like docker, which
// refuses to start a container whose volume cannot be mounted, because the
// container would otherwise write its data into the throw-away root. All
// entries are attempted so that every failure is reported; a relative
// target is refused with kInvalidArgument.
InitReport MountConfigured(base::Os& os,
                           const std::vector<guestinfo::MountConfig>& mounts);

}  // namespace tether

#endif  // TETHER_TETHER_INIT_CONFIG_MOUNTS_H_
