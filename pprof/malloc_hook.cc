// Allocation and thread-creation hooks for heap_profiler.h and threads.h.
// Linked into executables only (the pprof_hooks object library), together
// with the linker flags that route calls here:
//   -Wl,--wrap=malloc,--wrap=free,--wrap=calloc,--wrap=realloc
//   -Wl,--wrap=pthread_create
// With --wrap, every reference to malloc in the objects and archives being
// linked (our code, libuv, protobuf, libssh2, OpenSSL, and in the static
// tether glibc and libstdc++ too) binds to __wrap_malloc, and
// __real_malloc to the real one. Shared libraries are not relinked, so
// operator new/delete are replaced as well: a dynamically linked
// libstdc++ then also allocates through malloc as seen from here.
#include <pthread.h>

#include <cstdlib>
#include <new>

#include "pprof/heap_profiler.h"
#include "pprof/threads.h"

extern "C" {

void* __real_malloc(size_t size);
void __real_free(void* p);
void* __real_calloc(size_t n, size_t size);
void* __real_realloc(void* p, size_t size);
int __real_pthread_create(pthread_t* thread, const pthread_attr_t* attr,
                          void* (*start)(void*), void* arg);

void* __wrap_malloc(size_t size) {
  void* p = __real_malloc(size);
  if (p != nullptr) pprof::internal::OnAlloc(p, size);
  return p;
}

void __wrap_free(void* p) {
  // Forgotten before the memory is released, so no other thread can get
  // the same address back and sample it first.
  if (p != nullptr) pprof::internal::OnFree(p);
  __real_free(p);
}

void* __wrap_calloc(size_t n, size_t size) {
  void* p = __real_calloc(n, size);
  if (p != nullptr) pprof::internal::OnAlloc(p, n * size);
  return p;
}

void* __wrap_realloc(void* old, size_t size) {
  if (old != nullptr) pprof::internal::OnFree(old);
  void* p = __real_realloc(old, size);
  if (p != nullptr) pprof::internal::OnAlloc(p, size);
  return p;
}

int __wrap_pthread_create(pthread_t* thread, const pthread_attr_t* attr,
                          void* (*start)(void*), void* arg) {
  int rc = __real_pthread_create(thread, attr, start, arg);
  if (rc == 0) pprof::internal::OnThreadCreated();
  return rc;
}

}  // extern "C"

// The replaceable global allocation functions, as the standard defines
// them (a new_handler loop, then bad_alloc), on top of malloc. The
// aligned forms stay libstdc++'s: they use aligned_alloc and are not
// sampled, and their frees pass through __wrap_free harmlessly.
namespace {

void* NewOrThrow(size_t size) {
  if (size == 0) size = 1;
  for (;;) {
    void* p = std::malloc(size);
    if (p != nullptr) return p;
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}

void* NewOrNull(size_t size) noexcept {
  try {
    return NewOrThrow(size);
  } catch (...) {
    return nullptr;
  }
}

}  // namespace

void* operator new(size_t size) { return NewOrThrow(size); }
void* operator new[](size_t size) { return NewOrThrow(size); }
void* operator new(size_t size, const std::nothrow_t&) noexcept {
  return NewOrNull(size);
}
void* operator new[](size_t size, const std::nothrow_t&) noexcept {
  return NewOrNull(size);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
