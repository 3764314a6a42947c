#include "attach/ctl/terminal_handoff.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "base/terminal.h"

namespace attach {
namespace ctl {
namespace {

bool Disabled() {
  const char* v = std::getenv("TETHERCTL_TERMINAL_HANDOFF");
  return v != nullptr && std::strcmp(v, "0") == 0;
}

bool SameTerminal(int a, int b) {
  struct stat sa, sb;
  return ::fstat(a, &sa) == 0 && ::fstat(b, &sb) == 0 &&
         S_ISCHR(sa.st_mode) && sa.st_rdev == sb.st_rdev;
}

}  // namespace

base::UniqueFd OpenHandoffTerminal(const Io& io, bool tty,
                                   bool stdin_attached) {
  if (!tty || !stdin_attached || Disabled()) return base::UniqueFd();
  if (!base::IsTerminal(io.in) || !base::IsTerminal(io.out) ||
      !SameTerminal(io.in, io.out)) {
    return base::UniqueFd();
  }
  // Opening the /proc link opens the device anew: a file description of
  // our own, so O_NONBLOCK there leaves the shell's blocking.
  std::string path = "/proc/self/fd/" + std::to_string(io.in);
  return base::UniqueFd(::open(
      path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
}

}  // namespace ctl
}  // namespace attach
