// Turns a mount's option words ("ro", "nosuid", "size=64m") into the flags
// and data string mount(2) takes, as mount(8) does.
#ifndef TETHER_TETHER_INIT_MOUNT_OPTIONS_H_
#define TETHER_TETHER_INIT_MOUNT_OPTIONS_H_

#include <string>
#include <vector>

namespace tether {

struct MountOptions {
  unsigned long flags = 0;  // MS_* flags.
  std::string data;         // Filesystem options, comma-joined, in order.
};

// Known words set or clear MS_* flags, later words winning as in mount(8):
// ro/rw, nosuid/suid, nodev/dev, noexec/exec, relatime/norelatime,
// noatime/atime, strictatime, nodiratime, sync/async, dirsync, bind,
// rbind (bind + MS_REC), remount, defaults (no-op). Every other word, flag
// or "key=value", is passed to the filesystem in `data`: the kernel knows
// best what it accepts and reports the rest as the mount's EINVAL. Empty
// words are dropped. Never fails.
MountOptions ParseMountOptions(const std::vector<std::string>& options);

// mount(2) ignores per-mount flags (ro, nosuid, ...) given together with
// MS_BIND; they take a second call, MS_REMOUNT | MS_BIND | flags. Returns
// the flags for that call, or 0 when `options` need none.
unsigned long BindRemountFlags(const MountOptions& options);

}  // namespace tether

#endif  // TETHER_TETHER_INIT_MOUNT_OPTIONS_H_
