// QEMU fw_cfg through the qemu_fw_cfg driver's sysfs tree, which exposes
// `-fw_cfg name=opt/tether/config,file=F` byte for byte as
// /sys/firmware/qemu_fw_cfg/by_name/opt/tether/config/raw.
#include <utility>

#include "guestinfo/source.h"

namespace guestinfo {
namespace {

constexpr char kDir[] = "/firmware/qemu_fw_cfg";
constexpr char kEntry[] = "/by_name/opt/tether/config/raw";

class FwCfgSource : public ConfigSource {
 public:
  FwCfgSource(base::Os& os, std::string sysfs_root)
      : os_(os), dir_(std::move(sysfs_root) + kDir) {}

  std::string Name() const override { return "fw_cfg opt/tether/config"; }

  base::Result<std::string> Read() override {
    base::Result<std::string> data = ReadConfigFile(os_, dir_ + kEntry, Name());
    if (data.ok() || data.status().code() != base::Status::Code::kNotFound) {
      return data;
    }
    // Tell "driver not loaded" from "VM started without the entry": the
    // fixes differ (modprobe vs. the QEMU command line).
    if (os_.Stat(dir_).ok()) {
      return base::Status::NotFound(
          "fw_cfg: no opt/tether/config (QEMU was started without "
          "-fw_cfg name=opt/tether/config,file=...)");
    }
    return base::Status::NotFound(
        "fw_cfg: no opt/tether/config (is qemu_fw_cfg loaded?)");
  }

 private:
  base::Os& os_;
  const std::string dir_;
};

}  // namespace

std::unique_ptr<ConfigSource> NewFwCfgSource(base::Os& os,
                                             std::string sysfs_root) {
  return std::make_unique<FwCfgSource>(os, std::move(sysfs_root));
}

}  // namespace guestinfo
