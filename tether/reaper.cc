#include "tether/reaper.h"

#include "base/log.h"

namespace tether {

int Reaper::ReapAll() {
  int count = 0;
  for (;;) {
    base::Result<std::optional<base::ChildExit>> r = os_.WaitAny();
    if (!r.ok()) {
      // waitpid only fails this way on a bug (EINVAL); never spin on it.
      LOG_ERROR("reap: %s", r.status().ToString().c_str());
      break;
    }
    if (!r->has_value()) break;
    ++count;
    ++total_;
    on_exit_((*r)->pid, (*r)->wait_status);
  }
  return count;
}

}  // namespace tether
