#include "attach/endpoint/vms/vm_disk.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "attach/endpoint/images/tool_process.h"

namespace attach {
namespace endpoint {

base::Status EnsureOverlay(const std::string& base, const std::string& overlay) {
  if (::access(overlay.c_str(), F_OK) == 0) return base::Status::Ok();
  // Made under a temporary name, so a crash leaves no half-made overlay
  // that a later start would boot.
  std::string tmp = overlay + ".tmp";
  (void)::unlink(tmp.c_str());
  base::Status s = RunTool({"qemu-img", "create", "-q", "-f", "qcow2", "-F",
                            "raw", "-b", base, tmp},
                           "qemu-utils");
  if (!s.ok()) {
    (void)::unlink(tmp.c_str());
    return s.Annotate("container root disk");
  }
  if (::rename(tmp.c_str(), overlay.c_str()) != 0) {
    return base::Status::Io("rename " + tmp, errno);
  }
  return base::Status::Ok();
}

}  // namespace endpoint
}  // namespace attach
