// Threads and their stacks: what Go's goroutine and threadcreate
// profiles show, for a process of OS threads.
//
// ThreadDumper captures every thread's current stack: its own thread's
// directly, each other thread's by sending it kThreadDumpSignal with
// tgkill(2) and letting the handler unwind from the signal context into a
// slot. A thread that does not answer within 200 ms (it blocks the signal,
// or is stuck in the kernel without a signal check) is reported without a
// stack. Thread creation stacks come from the pthread_create hook in
// malloc_hook.cc.
//
// ThreadDumper: loop thread only.
#ifndef TETHER_PPROF_THREADS_H_
#define TETHER_PPROF_THREADS_H_

#include <uv.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/uv_handle.h"

namespace pprof {

struct ThreadStack {
  int tid = 0;
  std::string name;              // /proc/self/task/TID/comm.
  bool main = false;             // The process's first thread.
  bool captured = false;         // false: no stack (see above).
  std::vector<uintptr_t> stack;  // Leaf first.
};

class ThreadDumper {
 public:
  using Done = std::function<void(std::vector<ThreadStack>)>;
  explicit ThreadDumper(uv_loop_t* loop);
  ~ThreadDumper();  // Pending callbacks are dropped.
  ThreadDumper(const ThreadDumper&) = delete;
  ThreadDumper& operator=(const ThreadDumper&) = delete;

  // Calls `done` on the loop with every thread, the calling one first.
  // Requests during a dump share its result.
  void Dump(Done done);

 private:
  static void OnPoll(uv_timer_t* t) noexcept;
  void Finish();

  uv_loop_t* loop_;
  base::UvHandle<uv_timer_t> timer_;
  std::vector<Done> waiting_;
  std::vector<ThreadStack> result_;
  uint64_t deadline_ = 0;
  bool owns_slots_ = false;
};

struct ThreadCreation {
  std::vector<uintptr_t> stack;  // pthread_create's caller first.
  int64_t count = 0;
};

// Creation stacks seen by the pthread_create hook, aggregated.
std::vector<ThreadCreation> ThreadCreations();
// True when this binary links the hook (malloc_hook.cc).
bool ThreadHooksLinked();

namespace internal {
// Called by the pthread_create hook after a thread was created.
void OnThreadCreated();
}  // namespace internal

}  // namespace pprof

#endif  // TETHER_PPROF_THREADS_H_
