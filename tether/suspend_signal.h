// How the tether passes a job-control stop (SIGTSTP, SIGTTIN, SIGTTOU) on
// to a session, as dumb-init does.
//
// Sessions run setsid(): a session leader whose parent (the tether) is in
// another session leads an orphaned process group, and the kernel discards
// those three signals for an orphaned group when their action is the
// default one. A process that catches or ignores the signal gets it as
// sent; one that leaves it at the default gets SIGSTOP instead, which is
// what it would have done (dumb-init rewrites them to SIGSTOP for the same
// reason, without looking).
#ifndef TETHER_TETHER_SUSPEND_SIGNAL_H_
#define TETHER_TETHER_SUSPEND_SIGNAL_H_

#include <sys/types.h>

#include "base/os.h"

namespace tether {

// SIGTSTP, SIGTTIN or SIGTTOU.
bool IsSuspendSignal(int signo);

// The signal to send `pid` for the suspend signal `signo`: `signo` when
// /proc/PID/status shows it caught (SigCgt) or ignored (SigIgn), else
// SIGSTOP (also when the status cannot be read).
int SuspendSignalFor(base::Os& os, pid_t pid, int signo);

}  // namespace tether

#endif  // TETHER_TETHER_SUSPEND_SIGNAL_H_
