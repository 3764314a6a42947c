#include "pprof/stack_capture.h"

#define UNW_LOCAL_ONLY
#include <dlfcn.h>
#include <libunwind.h>
#include <signal.h>

#include <ucontext.h>

#include <algorithm>
#include <atomic>
#include <mutex>

#include "pprof/signals.h"

// Where libunwind comes from (docs/pprof.md): Debian's libunwind.a is not
// position-independent, so only the static, non-PIE tether can link it
// (pprof_link_static_unwinder in CMake). These weak references are then
// bound to it. Everywhere else they stay null and libunwind.so.8 is
// loaded with RTLD_LOCAL, which keeps its own copies of the C++
// exception ABI (_Unwind_*) out of the global scope, where they would
// replace libgcc's for the whole program.
#pragma weak _Ux86_64_getcontext
#pragma weak _ULx86_64_init_local
#pragma weak _ULx86_64_init_local2
#pragma weak _ULx86_64_get_reg
#pragma weak _ULx86_64_step
#pragma weak _ULx86_64_set_caching_policy
#pragma weak _ULx86_64_local_addr_space
#pragma weak unw_backtrace

namespace pprof {
namespace {

struct UnwindApi {
  int (*getcontext)(unw_context_t*);
  int (*init_local)(unw_cursor_t*, unw_context_t*);
  int (*init_local2)(unw_cursor_t*, unw_context_t*, int);
  int (*get_reg)(unw_cursor_t*, unw_regnum_t, unw_word_t*);
  int (*step)(unw_cursor_t*);
  int (*set_caching_policy)(unw_addr_space_t, unw_caching_policy_t);
  unw_addr_space_t* local_addr_space;
  // The fast path: a per-thread cache of each return address's frame
  // layout, against a full DWARF lookup (with two sigprocmask calls) per
  // frame for unw_step. About ten times faster (docs/pprof.md).
  int (*backtrace)(void**, int);
};

UnwindApi g_table;
// Null until InitUnwinder found an unwinder; read by signal handlers.
std::atomic<const UnwindApi*> g_api{nullptr};

bool FromStaticArchive(UnwindApi* api) {
  if (&_ULx86_64_step == nullptr || &unw_backtrace == nullptr) return false;
  *api = UnwindApi{&_Ux86_64_getcontext,   &_ULx86_64_init_local,
                   &_ULx86_64_init_local2, &_ULx86_64_get_reg,
                   &_ULx86_64_step,        &_ULx86_64_set_caching_policy,
                   &_ULx86_64_local_addr_space, &unw_backtrace};
  return true;
}

template <typename T>
bool Sym(void* lib, const char* name, T* out) {
  *out = reinterpret_cast<T>(dlsym(lib, name));
  return *out != nullptr;
}

bool FromSharedLibrary(UnwindApi* api) {
  void* lib = dlopen("libunwind.so.8", RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) return false;
  return Sym(lib, "_Ux86_64_getcontext", &api->getcontext) &&
         Sym(lib, "_ULx86_64_init_local", &api->init_local) &&
         Sym(lib, "_ULx86_64_init_local2", &api->init_local2) &&
         Sym(lib, "_ULx86_64_get_reg", &api->get_reg) &&
         Sym(lib, "_ULx86_64_step", &api->step) &&
         Sym(lib, "_ULx86_64_set_caching_policy", &api->set_caching_policy) &&
         Sym(lib, "_ULx86_64_local_addr_space", &api->local_addr_space) &&
         Sym(lib, "unw_backtrace", &api->backtrace);
}

// Shared by both entry points: `exact_first` when the cursor starts at an
// interrupted instruction rather than at a return address.
int Walk(const UnwindApi* api, unw_cursor_t* cursor, uintptr_t* pcs, int max,
         int skip, bool exact_first) {
  int n = 0;
  bool first = true;
  do {
    unw_word_t ip = 0;
    if (api->get_reg(cursor, UNW_REG_IP, &ip) < 0 || ip == 0) break;
    if (skip > 0) {
      --skip;
    } else {
      pcs[n++] = (first && exact_first) ? ip : ip - 1;
    }
    first = false;
  } while (n < max && api->step(cursor) > 0);
  return n;
}

}  // namespace

void InitUnwinder() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (!FromStaticArchive(&g_table) && !FromSharedLibrary(&g_table)) return;
    // The global cache takes a lock per frame (with a sigprocmask around
    // it); a per-thread one needs neither and stays signal-safe because a
    // thread's own unwinds never nest (see the header).
    g_table.set_caching_policy(*g_table.local_addr_space,
                               UNW_CACHE_PER_THREAD);
    // The first unw_backtrace sets up its per-thread cache machinery
    // (pthread_once, a key): done here, not in a signal handler.
    void* warm[4];
    g_table.backtrace(warm, 4);
    g_api.store(&g_table, std::memory_order_release);
  });
}

bool HaveUnwinder() { return g_api.load(std::memory_order_acquire) != nullptr; }

int CaptureFromSignal(void* ucontext, uintptr_t* pcs, int max) {
  const UnwindApi* api = g_api.load(std::memory_order_acquire);
  if (api == nullptr || ucontext == nullptr || max <= 0) return 0;
  // Fast path: unwind from here, through the handler's frames and the
  // signal frame, and keep what lies beyond the interrupted instruction.
  const uintptr_t rip = static_cast<uintptr_t>(
      static_cast<ucontext_t*>(ucontext)->uc_mcontext.gregs[REG_RIP]);
  constexpr int kHandlerFrames = 16;  // Ours, libc's and the trampoline.
  void* raw[kMaxFrames + kHandlerFrames];
  int n = api->backtrace(raw, std::min(max, kMaxFrames) + kHandlerFrames);
  for (int i = 0; i < n && i < kHandlerFrames; ++i) {
    if (reinterpret_cast<uintptr_t>(raw[i]) != rip) continue;
    int out = 0;
    pcs[out++] = rip;
    for (int j = i + 1; j < n && out < max; ++j) {
      pcs[out++] = reinterpret_cast<uintptr_t>(raw[j]) - 1;
    }
    return out;
  }
  // Not found (an odd frame on the way): walk from the context itself.
  unw_cursor_t cursor;
  if (api->init_local2(&cursor, static_cast<unw_context_t*>(ucontext),
                       UNW_INIT_SIGNAL_FRAME) != 0) {
    return 0;
  }
  return Walk(api, &cursor, pcs, max, 0, true);
}

int CaptureHere(uintptr_t* pcs, int max, int skip) {
  const UnwindApi* api = g_api.load(std::memory_order_acquire);
  if (api == nullptr || max <= 0) return 0;
  // No profiling signal may interrupt this unwind (see the header).
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, kCpuProfileSignal);
  sigaddset(&block, kThreadDumpSignal);
  pthread_sigmask(SIG_BLOCK, &block, &old);
  // raw[0] is in this function; the rest are return addresses.
  void* raw[kMaxFrames + 8];
  const int want = std::min(max + skip + 1, kMaxFrames + 8);
  int got = api->backtrace(raw, want);
  int n = 0;
  for (int i = skip + 1; i < got && n < max; ++i) {
    pcs[n++] = reinterpret_cast<uintptr_t>(raw[i]) - 1;
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  return n;
}

}  // namespace pprof
