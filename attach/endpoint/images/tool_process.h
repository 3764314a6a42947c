// Runs a host tool to its end (mke2fs, qemu-img): a blocking helper for
// worker threads and for the rare quick call on the loop.
#ifndef TETHER_ATTACH_ENDPOINT_IMAGES_TOOL_PROCESS_H_
#define TETHER_ATTACH_ENDPOINT_IMAGES_TOOL_PROCESS_H_

#include <string>
#include <vector>

#include "base/result.h"

namespace attach {
namespace endpoint {

// Runs argv (argv[0] searched in PATH when it has no '/'), stdin
// /dev/null, stdout and stderr captured, and waits for it (waitpid on its
// pid only). kNotFound "mke2fs: not found (install e2fsprogs)" when the
// program is missing (`package` names what to install), kIoError
// "mke2fs exited with code 1: <its last line>" when it fails.
base::Status RunTool(const std::vector<std::string>& argv,
                     const std::string& package);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_IMAGES_TOOL_PROCESS_H_
