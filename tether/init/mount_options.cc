#include "tether/init/mount_options.h"

#include <sys/mount.h>

namespace tether {
namespace {

struct FlagWord {
  const char* word;
  unsigned long set;
  unsigned long clear;
};

constexpr FlagWord kFlagWords[] = {
    {"defaults", 0, 0},
    {"ro", MS_RDONLY, 0},
    {"rw", 0, MS_RDONLY},
    {"nosuid", MS_NOSUID, 0},
    {"suid", 0, MS_NOSUID},
    {"nodev", MS_NODEV, 0},
    {"dev", 0, MS_NODEV},
    {"noexec", MS_NOEXEC, 0},
    {"exec", 0, MS_NOEXEC},
    {"relatime", MS_RELATIME, MS_NOATIME | MS_STRICTATIME},
    {"norelatime", 0, MS_RELATIME},
    {"noatime", MS_NOATIME, MS_RELATIME | MS_STRICTATIME},
    {"atime", 0, MS_NOATIME},
    {"strictatime", MS_STRICTATIME, MS_NOATIME | MS_RELATIME},
    {"nodiratime", MS_NODIRATIME, 0},
    {"sync", MS_SYNCHRONOUS, 0},
    {"async", 0, MS_SYNCHRONOUS},
    {"dirsync", MS_DIRSYNC, 0},
    {"bind", MS_BIND, 0},
    {"rbind", MS_BIND | MS_REC, 0},
    {"remount", MS_REMOUNT, 0},
};

// The flags that a bind mount only honours on a remount.
constexpr unsigned long kPerMountFlags =
    MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME |
    MS_RELATIME | MS_STRICTATIME;

const FlagWord* FindFlagWord(const std::string& word) {
  for (const FlagWord& f : kFlagWords) {
    if (word == f.word) return &f;
  }
  return nullptr;
}

}  // namespace

MountOptions ParseMountOptions(const std::vector<std::string>& options) {
  MountOptions out;
  for (const std::string& word : options) {
    if (word.empty()) continue;
    if (const FlagWord* f = FindFlagWord(word)) {
      out.flags = (out.flags & ~f->clear) | f->set;
      continue;
    }
    if (!out.data.empty()) out.data += ',';
    out.data += word;
  }
  return out;
}

unsigned long BindRemountFlags(const MountOptions& options) {
  if (!(options.flags & MS_BIND) || (options.flags & MS_REMOUNT)) return 0;
  unsigned long per_mount = options.flags & kPerMountFlags;
  if (per_mount == 0) return 0;
  return MS_REMOUNT | MS_BIND | per_mount;
}

}  // namespace tether
