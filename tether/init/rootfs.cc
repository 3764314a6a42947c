#include "tether/init/rootfs.h"

#include <sys/mount.h>

#include "tether/init/device_wait.h"

namespace tether {
namespace {

constexpr char kSysBlock[] = "/sys/class/block";
constexpr int kPollMs = 20;
// ext2/3/4 superblock: 1024 bytes in; magic 0xEF53 (little-endian) at
// 0x38, the 16-byte volume name at 0x78.
constexpr uint64_t kSuperblock = 1024;
constexpr size_t kMagicOffset = 0x38;
constexpr size_t kLabelOffset = 0x78;
constexpr size_t kLabelSize = 16;

// Kernel mounts early init made on the initramfs, moved to the new root.
constexpr const char* kMoved[] = {"/dev", "/proc", "/sys", "/run"};

base::Result<std::string> ResolveSource(base::Os& os,
                                        const std::string& source) {
  const std::string prefix = "label:";
  if (source.compare(0, prefix.size(), prefix) == 0) {
    return FindDeviceByLabel(os, source.substr(prefix.size()));
  }
  if (!os.Stat(source).ok()) {
    return base::Status::NotFound("no block device " + source);
  }
  return source;
}

}  // namespace

base::Result<std::string> FindDeviceByLabel(base::Os& os,
                                            const std::string& label) {
  base::Result<std::vector<std::string>> devices = os.ListDir(kSysBlock);
  if (!devices.ok()) return devices.TakeStatus();
  for (const std::string& dev : *devices) {
    const std::string path = "/dev/" + dev;
    base::Result<std::string> sb = os.ReadAt(path, kSuperblock, 256);
    if (!sb.ok() || sb->size() < kLabelOffset + kLabelSize) continue;
    if (static_cast<unsigned char>((*sb)[kMagicOffset]) != 0x53 ||
        static_cast<unsigned char>((*sb)[kMagicOffset + 1]) != 0xEF) {
      continue;
    }
    std::string name = sb->substr(kLabelOffset, kLabelSize);
    name.resize(name.find('\0') == std::string::npos ? name.size()
                                                     : name.find('\0'));
    if (name == label) return path;
  }
  return base::Status::NotFound("no block device with label \"" + label + "\"");
}

InitReport SwitchToRootfs(base::Os& os, const guestinfo::RootfsConfig& rootfs,
                          int64_t timeout_ms) {
  InitReport report;
  if (rootfs.source.empty() || rootfs.source == "initramfs") return report;
  const std::string where = "rootfs " + rootfs.source;

  base::Result<std::string> device =
      FindBefore(os, os.NowMs() + timeout_ms, kPollMs,
                 [&] { return ResolveSource(os, rootfs.source); });
  if (!device.ok()) {
    report.Add(device.TakeStatus().Annotate(where), true);
    return report;
  }
  base::Status s = os.MakeDir(kRootfsMountPoint, 0755);
  if (s.ok()) s = os.Mount(*device, kRootfsMountPoint, rootfs.fstype, 0, "");
  if (!s.ok()) {
    report.Add(s.Annotate(where), true);
    return report;
  }
  for (const char* m : kMoved) {
    const std::string target = std::string(kRootfsMountPoint) + m;
    s = os.MakeDir(target, 0755);
    if (s.ok()) s = os.Mount(m, target, "", MS_MOVE, "");
    if (!s.ok()) {
      report.Add(s.Annotate(where), true);
      return report;
    }
  }
  report.Add(os.SwitchRoot(kRootfsMountPoint).Annotate(where), true);
  return report;
}

}  // namespace tether
