// The signals the profilers use, in one place so each handler can mask
// the other's while it unwinds.
#ifndef TETHER_PPROF_SIGNALS_H_
#define TETHER_PPROF_SIGNALS_H_

#include <signal.h>

namespace pprof {

// CPU profiling: ITIMER_PROF's signal.
inline constexpr int kCpuProfileSignal = SIGPROF;
// Thread stack dumps (goroutine profile): sent with tgkill to one thread
// at a time. SIGURG because its default action is to ignore it, so a
// dump request racing with a thread's exit can never kill anything, and
// neither the tether nor attachd uses out-of-band socket data (Go's
// runtime picked it for its preemption signal for the same reasons).
inline constexpr int kThreadDumpSignal = SIGURG;

}  // namespace pprof

#endif  // TETHER_PPROF_SIGNALS_H_
