// Runs a loaded config to completion on a fresh loop: the supervisor, the
// console bridge, and (later) the attach link. Shared by the tini-like and
// the VM entry points.
#ifndef TETHER_TETHER_RUN_H_
#define TETHER_TETHER_RUN_H_

#include <cstdint>

#include "base/os.h"
#include "guestinfo/config.h"
#include "tether/supervisor.h"

namespace tether {

struct RunOptions {
  bool pid1 = false;
  bool signal_group = false;
  int64_t drain_timeout_ms = 5000;
  // Observer for state write-back; may be null.
  Supervisor::Observer* observer = nullptr;
};

// Returns the primary's exit code (125 when the tether itself could not
// set up). Blocks until every session is done and its output drained.
int RunContainer(base::Os& os, const guestinfo::Config& config,
                 const RunOptions& options);

}  // namespace tether

#endif  // TETHER_TETHER_RUN_H_
