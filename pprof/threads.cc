#include "pprof/threads.h"

#include <dirent.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

#include "pprof/proc_file.h"
#include "pprof/signals.h"
#include "pprof/stack_capture.h"

extern "C" int __wrap_pthread_create(pthread_t*, const pthread_attr_t*,
                                     void* (*)(void*), void*)
    __attribute__((weak));

namespace pprof {
namespace {

constexpr int kMaxThreads = 64;  // Stacks per dump; more are listed bare.
constexpr uint64_t kDumpWaitMs = 200;
constexpr int kMaxCreations = 64;

// A slot's life: kIdle -> kAsked (dumper) -> kWriting -> kDone (handler),
// or kAsked -> kIdle (dumper, on timeout). Only the CAS winner touches
// depth and pcs, so a late handler cannot write into a reused slot.
enum SlotState : int { kIdle, kAsked, kWriting, kDone };

struct Slot {
  std::atomic<int> state{kIdle};
  std::atomic<int> tid{0};
  int depth = 0;
  uintptr_t pcs[kMaxFrames] = {};
};

// Process-wide, for the signal handler (as cpu_profiler.cc's ring).
// Every member has a constant initializer, so the object is constant
// initialized: all zeros, in .bss, untouched until a dump (a constructor
// run before main used to write its 33 KiB in every tether).
struct DumpSlots {
  std::atomic<bool> busy{false};  // A ThreadDumper owns the slots.
  Slot slots[kMaxThreads];
};
DumpSlots g_dump;

int GetTid() { return static_cast<int>(::syscall(SYS_gettid)); }

void OnDumpSignal(int, siginfo_t*, void* ucontext) noexcept {
  int saved_errno = errno;
  int tid = GetTid();
  for (Slot& s : g_dump.slots) {
    int expected = kAsked;
    if (s.tid.load(std::memory_order_acquire) != tid ||
        !s.state.compare_exchange_strong(expected, kWriting)) {
      continue;
    }
    s.depth = CaptureFromSignal(ucontext, s.pcs, kMaxFrames);
    s.state.store(kDone, std::memory_order_release);
    break;
  }
  errno = saved_errno;
}

bool InstallDumpHandler() {
  static std::atomic<bool> installed{false};
  if (installed.load()) return true;
  struct sigaction sa;
  std::memset(&sa, 0, sizeof(sa));
  sa.sa_sigaction = &OnDumpSignal;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, kThreadDumpSignal);
  sigaddset(&sa.sa_mask, kCpuProfileSignal);
  if (::sigaction(kThreadDumpSignal, &sa, nullptr) != 0) return false;
  installed.store(true);
  return true;
}

std::string ThreadName(int tid) {
  std::string name =
      ReadProcFile("/proc/self/task/" + std::to_string(tid) + "/comm", 64);
  return name.substr(0, name.find('\n'));
}

std::vector<int> ListThreads() {
  std::vector<int> tids;
  DIR* dir = ::opendir("/proc/self/task");
  if (dir == nullptr) return tids;
  while (dirent* e = ::readdir(dir)) {
    if (e->d_name[0] >= '0' && e->d_name[0] <= '9') {
      tids.push_back(std::atoi(e->d_name));
    }
  }
  ::closedir(dir);
  return tids;
}

// Thread creation stacks, aggregated; guarded by a spinlock because
// threads are created from any thread.
struct Creations {
  std::atomic_flag lock = ATOMIC_FLAG_INIT;
  int used = 0;
  struct Entry {
    int depth = 0;
    int64_t count = 0;
    uintptr_t pcs[kMaxFrames] = {};
  } entries[kMaxCreations];
};
Creations g_creations;

}  // namespace

ThreadDumper::ThreadDumper(uv_loop_t* loop) : loop_(loop) {}

ThreadDumper::~ThreadDumper() {
  if (!owns_slots_) return;
  // Let go of the slots; a late handler finds them idle.
  for (Slot& s : g_dump.slots) {
    int expected = kAsked;
    s.state.compare_exchange_strong(expected, kIdle);
    while (s.state.load() == kWriting) {
    }
    s.state.store(kIdle);
  }
  g_dump.busy.store(false);
}

void ThreadDumper::Dump(Done done) {
  waiting_.push_back(std::move(done));
  if (waiting_.size() > 1) return;  // A dump is under way.
  InitUnwinder();
  result_.clear();
  const int pid = static_cast<int>(::getpid());
  const int self = GetTid();
  ThreadStack me;
  me.tid = self;
  me.main = self == pid;
  me.name = ThreadName(self);
  me.captured = true;
  uintptr_t pcs[kMaxFrames];
  int n = CaptureHere(pcs, kMaxFrames, 0);
  me.stack.assign(pcs, pcs + n);
  result_.push_back(std::move(me));

  // Another dumper in this process (there is normally one) or no handler:
  // the other threads are listed without stacks.
  bool got_slots = !g_dump.busy.exchange(true);
  bool can_signal = got_slots && InstallDumpHandler();
  if (got_slots && !can_signal) g_dump.busy.store(false);
  owns_slots_ = can_signal;
  int slot = 0;
  for (int tid : ListThreads()) {
    if (tid == self) continue;
    ThreadStack t;
    t.tid = tid;
    t.main = tid == pid;
    t.name = ThreadName(tid);
    if (can_signal && slot < kMaxThreads) {
      Slot& s = g_dump.slots[slot++];
      s.tid.store(tid);
      s.state.store(kAsked, std::memory_order_release);
      if (::syscall(SYS_tgkill, pid, tid, kThreadDumpSignal) != 0) {
        s.state.store(kIdle);  // It exited meanwhile.
      }
    }
    result_.push_back(std::move(t));
  }
  if (!can_signal) return Finish();
  if (!timer_.initialized()) {
    uv_timer_init(loop_, timer_.get());
    timer_.MarkInitialized();
    timer_->data = this;
  }
  deadline_ = uv_now(loop_) + kDumpWaitMs;
  uv_timer_start(timer_.get(), &ThreadDumper::OnPoll, 1, 2);
}

void ThreadDumper::OnPoll(uv_timer_t* t) noexcept {
  ThreadDumper* self = static_cast<ThreadDumper*>(t->data);
  bool pending = false;
  for (const Slot& s : g_dump.slots) {
    int st = s.state.load(std::memory_order_acquire);
    pending = pending || st == kAsked || st == kWriting;
  }
  if (pending && uv_now(self->loop_) < self->deadline_) return;
  uv_timer_stop(t);
  self->Finish();
}

void ThreadDumper::Finish() {
  if (owns_slots_) {
    for (Slot& s : g_dump.slots) {
      int expected = kAsked;
      s.state.compare_exchange_strong(expected, kIdle);  // Timed out.
      while (s.state.load(std::memory_order_acquire) == kWriting) {
      }
      if (s.state.load() != kDone) continue;
      for (ThreadStack& t : result_) {
        if (t.tid != s.tid.load() || t.captured) continue;
        t.stack.assign(s.pcs, s.pcs + s.depth);
        t.captured = true;
      }
      s.state.store(kIdle);
    }
    g_dump.busy.store(false);
    owns_slots_ = false;
  }
  std::vector<Done> waiting;
  waiting.swap(waiting_);
  for (Done& d : waiting) d(result_);
}

std::vector<ThreadCreation> ThreadCreations() {
  // Copied out raw first: allocating under the lock is best avoided.
  std::vector<Creations::Entry> raw(kMaxCreations);
  int used;
  while (g_creations.lock.test_and_set(std::memory_order_acquire)) {
  }
  used = g_creations.used;
  std::memcpy(raw.data(), g_creations.entries,
              sizeof(Creations::Entry) * static_cast<size_t>(used));
  g_creations.lock.clear(std::memory_order_release);
  std::vector<ThreadCreation> out(static_cast<size_t>(used));
  for (int i = 0; i < used; ++i) {
    out[i].stack.assign(raw[i].pcs, raw[i].pcs + raw[i].depth);
    out[i].count = raw[i].count;
  }
  return out;
}

bool ThreadHooksLinked() { return &__wrap_pthread_create != nullptr; }

namespace internal {

void OnThreadCreated() {
  uintptr_t pcs[kMaxFrames];
  // Skips this function and the hook: the first frame is the caller of
  // pthread_create.
  int depth = CaptureHere(pcs, kMaxFrames, 1);
  while (g_creations.lock.test_and_set(std::memory_order_acquire)) {
  }
  Creations& c = g_creations;
  int i = 0;
  for (; i < c.used; ++i) {
    if (c.entries[i].depth == depth &&
        std::memcmp(c.entries[i].pcs, pcs, sizeof(uintptr_t) * depth) == 0) {
      break;
    }
  }
  if (i == c.used && c.used < kMaxCreations) {
    c.entries[i].depth = depth;
    c.entries[i].count = 0;
    std::memcpy(c.entries[i].pcs, pcs, sizeof(uintptr_t) * depth);
    ++c.used;
  }
  if (i < c.used) ++c.entries[i].count;
  g_creations.lock.clear(std::memory_order_release);
}

}  // namespace internal
}  // namespace pprof
