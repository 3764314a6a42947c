#include "tether/init/early_init_mounts.h"

#include <sys/mount.h>

#include <cerrno>
#include <string>

namespace tether {
namespace {

struct EssentialMount {
  const char* fstype;  // Also the source: the name shown in /proc/mounts.
  const char* target;
  mode_t dir_mode;
  unsigned long flags;
  const char* data;
  bool fatal;    // The container cannot run without it.
  bool busy_ok;  // EBUSY means it is already there (e.g. the kernel's
                 // CONFIG_DEVTMPFS_MOUNT got to /dev first).
};

constexpr unsigned long kNoSuidDevExec = MS_NOSUID | MS_NODEV | MS_NOEXEC;
constexpr char kDevPts[] = "/dev/pts";

// Order matters: /dev/pts and /dev/shm live on /dev.
constexpr EssentialMount kEssentials[] = {
    {"proc", "/proc", 0555, kNoSuidDevExec, "", true, false},
    {"sysfs", "/sys", 0555, kNoSuidDevExec, "", false, false},
    {"devtmpfs", "/dev", 0755, MS_NOSUID, "mode=0755", true, true},
    // newinstance: the container's ptys are its own, not the initramfs's;
    // gid=5 is "tty" in every distribution's /etc/group.
    {"devpts", kDevPts, 0755, MS_NOSUID | MS_NOEXEC,
     "newinstance,ptmxmode=0666,mode=0620,gid=5", false, false},
    {"tmpfs", "/dev/shm", 01777, MS_NOSUID | MS_NODEV, "mode=1777", false,
     false},
    {"tmpfs", "/run", 0755, MS_NOSUID | MS_NODEV, "mode=0755", false, false},
};

base::Status MountOne(base::Os& os, const EssentialMount& m) {
  base::Status s = os.MakeDir(m.target, m.dir_mode);
  if (s.ok()) s = os.Mount(m.fstype, m.target, m.fstype, m.flags, m.data);
  if (m.busy_ok && s.error_number() == EBUSY) return base::Status::Ok();
  s.Annotate(std::string("mount ") + m.target);
  return s;
}

// With kernels >= 4.7 the devtmpfs /dev/ptmx opens the devpts instance
// mounted beside it at /dev/pts, so nothing is needed when it exists. When
// it does not (a /dev without devtmpfs), bind-mount the instance's own ptmx
// onto an empty file: the same effect as the usual pts/ptmx symlink (LXC's
// fallback) without a symlink call in base::Os.
base::Status EnsurePtmx(base::Os& os) {
  constexpr char kPtmx[] = "/dev/ptmx";
  if (os.Stat(kPtmx).ok()) return base::Status::Ok();
  base::Status s = os.WriteFile(kPtmx, "", 0666);
  if (s.ok()) s = os.Mount("/dev/pts/ptmx", kPtmx, "", MS_BIND, "");
  s.Annotate(kPtmx);
  return s;
}

}  // namespace

InitReport MountEssentials(base::Os& os) {
  InitReport report;
  for (const EssentialMount& m : kEssentials) {
    base::Status s = MountOne(os, m);
    bool mounted = s.ok();
    report.Add(std::move(s), m.fatal);
    if (!report.ok()) break;
    if (mounted && std::string(m.target) == kDevPts) {
      report.Add(EnsurePtmx(os), false);
    }
  }
  return report;
}

}  // namespace tether
