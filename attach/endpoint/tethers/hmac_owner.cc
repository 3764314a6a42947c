#include "attach/endpoint/tethers/hmac_owner.h"

#include <atomic>

namespace attach {
namespace endpoint {
namespace {

// Process-wide by nature (see the header); only the loop thread sets the
// owner, but the cache may read it from wherever libcrypto is called.
std::atomic<const void*> g_owner{nullptr};
std::atomic<void (*)(const void*)> g_release_hook{nullptr};

}  // namespace

HmacOwnerScope::HmacOwnerScope(const void* owner)
    : previous_(g_owner.exchange(owner)) {}

HmacOwnerScope::~HmacOwnerScope() { g_owner.store(previous_); }

const void* CurrentHmacOwner() { return g_owner.load(); }

void ReleaseHmacKeys(const void* owner) {
  if (auto hook = g_release_hook.load()) hook(owner);
}

void SetHmacReleaseHook(void (*hook)(const void* owner)) {
  g_release_hook.store(hook);
}

}  // namespace endpoint
}  // namespace attach
