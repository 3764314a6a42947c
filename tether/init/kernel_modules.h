// Loading the kernel modules an initramfs carries (DESIGN §8).
//
// The image builder resolves dependencies from modules.dep at build time and
// writes the order into <dir>/load.order, one file name per line, so the
// tether needs neither modprobe nor a parser for modules.dep: it loads the
// files in that order with finit_module.
#ifndef TETHER_TETHER_INIT_KERNEL_MODULES_H_
#define TETHER_TETHER_INIT_KERNEL_MODULES_H_

#include <string>

#include "base/os.h"
#include "tether/init/init_report.h"

namespace tether {

inline constexpr char kModuleDir[] = "/lib/modules/tether";

// No load.order: nothing to load (a kernel with everything built in).
// A bad line or a module that fails to load is a warning: a container
// without, say, virtio_net still runs, and the step that needed the module
// names what is missing.
InitReport LoadKernelModules(base::Os& os, const std::string& dir = kModuleDir);

}  // namespace tether

#endif  // TETHER_TETHER_INIT_KERNEL_MODULES_H_
