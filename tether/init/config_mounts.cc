#include "tether/init/config_mounts.h"

#include <sys/mount.h>

#include <string>

#include "tether/init/mount_options.h"

namespace tether {
namespace {

// mkdir -p: base::Os::MakeDir creates one level and accepts an existing
// directory, so walk the prefixes.
base::Status MakeDirs(base::Os& os, const std::string& path) {
  for (size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    std::string prefix = path.substr(0, slash);
    if (!prefix.empty() && prefix.back() != '/') {
      TETHER_RETURN_IF_ERROR(os.MakeDir(prefix, 0755));
    }
    if (slash == std::string::npos) return base::Status::Ok();
  }
}

std::string Parent(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == 0 ? "/" : path.substr(0, slash);
}

// A bind mount of a file needs a file to mount on; everything else a
// directory.
base::Status PrepareTarget(base::Os& os, const guestinfo::MountConfig& m,
                           const MountOptions& opts) {
  if (opts.flags & MS_REMOUNT) return base::Status::Ok();
  bool file = false;
  if (opts.flags & MS_BIND) {
    base::Result<base::FileInfo> source = os.Stat(m.source);
    file = source.ok() && !source->is_dir;
  }
  if (!file) return MakeDirs(os, m.target);
  TETHER_RETURN_IF_ERROR(MakeDirs(os, Parent(m.target)));
  if (os.Stat(m.target).ok()) return base::Status::Ok();
  return os.WriteFile(m.target, "", 0644);
}

base::Status MountOne(base::Os& os, const guestinfo::MountConfig& m) {
  if (m.target.empty() || m.target[0] != '/') {
    return base::Status::InvalidArgument("target is not an absolute path");
  }
  MountOptions opts = ParseMountOptions(m.options);
  TETHER_RETURN_IF_ERROR(PrepareTarget(os, m, opts));
  TETHER_RETURN_IF_ERROR(
      os.Mount(m.source, m.target, m.fstype, opts.flags, opts.data));
  unsigned long remount = BindRemountFlags(opts);
  if (remount == 0) return base::Status::Ok();
  return os.Mount(m.source, m.target, "", remount, "");
}

}  // namespace

InitReport MountConfigured(base::Os& os,
                           const std::vector<guestinfo::MountConfig>& mounts) {
  InitReport report;
  for (const guestinfo::MountConfig& m : mounts) {
    report.Add(MountOne(os, m).Annotate("mount " + m.target), true);
  }
  return report;
}

}  // namespace tether
