// The kernel filesystems a container expects, mounted by the tether when it
// is PID 1 in a container VM and the root is a bare initramfs.
#ifndef TETHER_TETHER_INIT_EARLY_INIT_MOUNTS_H_
#define TETHER_TETHER_INIT_EARLY_INIT_MOUNTS_H_

#include "base/os.h"
#include "tether/init/init_report.h"

namespace tether {

// Creates each mount point and mounts, in this order:
//   proc      /proc     nosuid,nodev,noexec                    fatal
//   sysfs     /sys      nosuid,nodev,noexec                    warning
//   devtmpfs  /dev      nosuid, mode=0755 (EBUSY tolerated)    fatal
//   devpts    /dev/pts  nosuid,noexec, newinstance,ptmxmode=0666,
//                       mode=0620,gid=5                        warning
//   /dev/ptmx when missing: an empty file with /dev/pts/ptmx
//                       bind-mounted on it                     warning
//   tmpfs     /dev/shm  nosuid,nodev, mode=1777                warning
//   tmpfs     /run      nosuid,nodev, mode=0755                warning
// Failures are annotated "mount <target>" (or "/dev/ptmx"). It stops at
// the first fatal failure, since later mounts live on /dev; warnings never
// stop it. Calls `os` on the loop thread, synchronously.
InitReport MountEssentials(base::Os& os);

}  // namespace tether

#endif  // TETHER_TETHER_INIT_EARLY_INIT_MOUNTS_H_
