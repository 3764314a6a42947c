// Loading the kernel modules an initramfs carries (DESIGN §8), only those
// the config needs: under TCG each module costs tens to hundreds of
// milliseconds of boot (docs/vm-image.md).
//
// The image builder resolves dependencies from modules.dep at build time and
// writes one file per module set, <dir>/<set>.order: the set's modules and
// everything they need, dependencies first, one file name a line. The tether
// therefore needs neither modprobe nor a parser for modules.dep: it loads
// the files of the sets it needs, in order, with finit_module.
#ifndef TETHER_TETHER_INIT_KERNEL_MODULES_H_
#define TETHER_TETHER_INIT_KERNEL_MODULES_H_

#include <set>
#include <string>
#include <vector>

#include "base/os.h"
#include "guestinfo/config.h"
#include "tether/init/init_report.h"

namespace tether {

inline constexpr char kModuleDir[] = "/lib/modules/tether";
// Loaded before the config, which may come through fw_cfg.
inline constexpr char kBootModules[] = "load";

class ModuleLoader {
 public:
  explicit ModuleLoader(base::Os& os, std::string dir = kModuleDir)
      : os_(os), dir_(std::move(dir)) {}

  // Loads <dir>/<set>.order, skipping files this loader loaded already.
  // No such file: nothing to load (a kernel with everything built in). A bad
  // line or a module that fails to load is a warning: a container without,
  // say, virtio_net still runs, and the step that needed the module names
  // what is missing.
  InitReport Load(const std::string& set);

 private:
  base::Os& os_;
  std::string dir_;
  std::set<std::string> loaded_;
};

// The sets `config` needs after the boot set, in load order: "virtio" (the
// PCI transport) before "console" (a /dev/virtio-ports endpoint), "net"
// (NICs) and "disk" (a block-device root: virtio_blk and ext4).
std::vector<std::string> ModuleSetsFor(const guestinfo::Config& config);

}  // namespace tether

#endif  // TETHER_TETHER_INIT_KERNEL_MODULES_H_
