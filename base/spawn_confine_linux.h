// Internal to base/spawn: the Confinement steps (os.h) a spawned child
// takes between clone and exec. They run in a CLONE_VM child, so they make
// system calls only, on memory the parent prepared, and report a failure
// as an errno the caller sends home (spawn_linux.cc).
#ifndef TETHER_BASE_SPAWN_CONFINE_LINUX_H_
#define TETHER_BASE_SPAWN_CONFINE_LINUX_H_

#include <cstdint>

#include "base/os.h"

namespace base {

// In a fresh mount namespace: makes every mount a slave, then covers each
// masked path. Returns 0, or the errno of the failed step with `*failed`
// set to the index of the masked path (-1: making the mounts slaves).
int ConfineMounts(const Confinement& c, int* failed);

// Drops every capability outside `keep` from the bounding set and clears
// the ambient set. Before the uid changes: it needs CAP_SETPCAP. Returns
// 0 or an errno.
int DropBoundingCapabilities(uint64_t keep);

// Effective and permitted keep only what they have of `keep`; the
// inheritable set is emptied. After the uid change. Returns 0 or an errno.
int LimitCapabilitySets(uint64_t keep);

}  // namespace base

#endif  // TETHER_BASE_SPAWN_CONFINE_LINUX_H_
