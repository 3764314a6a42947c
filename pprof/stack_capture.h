// Stack capture for the profilers, with libunwind (local unwinding from
// .eh_frame, see docs/pprof.md for why not frame pointers): linked in from
// its archive in the static tether, loaded with dlopen elsewhere.
//
// Both functions only record addresses; naming them is the Symbolizer's
// job at response time. Recorded addresses lie inside their instruction:
// the exact PC for the frame a signal interrupted, the return address
// minus one for every caller.
//
// Signal safety: CaptureFromSignal may run in a signal handler. libunwind
// takes no lock there that the interrupted code could hold: its caches are
// per thread (InitUnwinder) and its dl_iterate_phdr calls run with signals
// blocked. CaptureHere blocks the profiling signals while it unwinds, so
// a handler never interrupts an unwind on its own thread.
#ifndef TETHER_PPROF_STACK_CAPTURE_H_
#define TETHER_PPROF_STACK_CAPTURE_H_

#include <cstddef>
#include <cstdint>

namespace pprof {

// Deepest stack recorded; deeper ones are cut at the root end.
constexpr int kMaxFrames = 64;

// Finds libunwind and sets its per-thread caching. Call before any
// capture (idempotent; thread-safe; not in a signal handler). Until it
// succeeds, captures return 0 frames.
void InitUnwinder();
// Whether InitUnwinder found libunwind.
bool HaveUnwinder();

// Walks the stack that `ucontext` (a signal handler's third argument)
// interrupted. Returns the number of addresses written, at most `max`.
int CaptureFromSignal(void* ucontext, uintptr_t* pcs, int max);

// Walks the caller's stack, dropping `skip` innermost frames besides this
// function's own. Not for signal handlers. Costs two sigprocmask calls.
int CaptureHere(uintptr_t* pcs, int max, int skip);

}  // namespace pprof

#endif  // TETHER_PPROF_STACK_CAPTURE_H_
