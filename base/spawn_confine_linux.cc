// The confinement of a spawned child: mounts and capabilities with raw
// system calls (no libcap), as runc and crun apply them: the bounding set
// shrinks while the child still has CAP_SETPCAP, the ids change, then the
// remaining sets are cut down to what docker grants.
#include "base/spawn_confine_linux.h"

#include <linux/capability.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

namespace base {
namespace {

// The capability numbers any kernel may know (bit n of a 64-bit mask).
constexpr int kMaxCapabilities = 64;

// Makes the mount holding `path` a slave, with those below it: `path`
// itself or the nearest ancestor that is a mount point takes it (the
// others are EINVAL, or ENOENT). Returns 0 or an errno; 0 also when only
// "/" is left, which the caller tried: no mount point in a chroot.
int MakeSlaveAbove(const char* path) {
  char dir[PATH_MAX];
  size_t len = ::strlen(path);
  if (len >= sizeof(dir)) return ENAMETOOLONG;
  ::memcpy(dir, path, len + 1);
  while (dir[0] != '\0' && ::strcmp(dir, "/") != 0) {
    if (::mount(nullptr, dir, nullptr, MS_REC | MS_SLAVE, nullptr) == 0) {
      return 0;
    }
    if (errno != EINVAL && errno != ENOENT) return errno;
    char* slash = ::strrchr(dir, '/');
    if (slash == nullptr) break;
    slash[slash == dir ? 1 : 0] = '\0';  // "/sys" goes to "/".
  }
  return 0;
}

}  // namespace

int ConfineMounts(const Confinement& c, int* failed) {
  *failed = -1;
  // A copy of the tether's namespace shares its mounts' propagation: as a
  // slave it still sees the tether's later mounts, and nothing it mounts
  // or unmounts (privileged or not) reaches the tether. In a chroot "/" is
  // no mount point (EINVAL): then the mounts the masks go on are made
  // slaves one by one.
  bool root_done = true;
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_SLAVE, nullptr) != 0) {
    if (errno != EINVAL) return errno;
    root_done = false;
  }
  for (size_t i = 0; i < c.masked_paths.size(); ++i) {
    *failed = static_cast<int>(i);
    const char* path = c.masked_paths[i].c_str();
    if (!root_done) {
      int err = MakeSlaveAbove(path);
      if (err != 0) return err;
    }
    struct stat st;
    if (::stat(path, &st) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) continue;  // Nothing to hide.
      return errno;
    }
    int rc = S_ISDIR(st.st_mode)
                 ? ::mount("tmpfs", path, "tmpfs",
                           MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                           "size=4k,mode=0555")
                 : ::mount("/dev/null", path, nullptr, MS_BIND, nullptr);
    if (rc != 0) return errno;
  }
  *failed = -1;
  return 0;
}

int DropBoundingCapabilities(uint64_t keep) {
  for (int cap = 0; cap < kMaxCapabilities; ++cap) {
    int present = ::prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
    if (present < 0) {
      if (errno == EINVAL) break;  // Past the kernel's last capability.
      return errno;
    }
    if (present == 0 || ((keep >> cap) & 1) != 0) continue;
    if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) return errno;
  }
  if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0) {
    return errno;
  }
  return 0;
}

int LimitCapabilitySets(uint64_t keep) {
  __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  if (::syscall(SYS_capget, &header, data) != 0) return errno;
  for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; ++i) {
    uint32_t word = static_cast<uint32_t>(keep >> (32 * i));
    data[i].effective &= word;
    data[i].permitted &= word;
    data[i].inheritable = 0;  // As docker since CVE-2022-24769.
  }
  if (::syscall(SYS_capset, &header, data) != 0) return errno;
  return 0;
}

}  // namespace base
