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
  // How long the output pipes may stay open after the last process.
  int64_t drain_timeout_ms = 5000;
  // With an endpoint: how long, once the container is over, to wait for
  // the endpoint to acknowledge every byte of output and every session's
  // end (docs/operations.md). The config's endpoint.drain_timeout_s, when
  // set, takes precedence.
  int64_t ack_timeout_ms = 5000;
  // Observer for state write-back; may be null.
  Supervisor::Observer* observer = nullptr;
};

// Returns the primary's exit code (125 when the tether itself could not
// set up). Blocks until every session is done and its output drained, and
// with an endpoint until it acknowledged all of it or the ack timeout
// passed.
int RunContainer(base::Os& os, const guestinfo::Config& config,
                 const RunOptions& options);

}  // namespace tether

#endif  // TETHER_TETHER_RUN_H_
