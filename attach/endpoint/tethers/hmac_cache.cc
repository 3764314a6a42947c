#include "attach/endpoint/tethers/hmac_cache.h"

#include <dlfcn.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstdlib>
#include <cstring>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "attach/endpoint/tethers/hmac_owner.h"

namespace attach {
namespace endpoint {
namespace {

using NewMacKeyFn = EVP_PKEY* (*)(int, ENGINE*, const unsigned char*, int);
using SignInitFn = int (*)(EVP_MD_CTX*, EVP_PKEY_CTX**, const EVP_MD*, ENGINE*,
                           EVP_PKEY*);

NewMacKeyFn RealNewMacKey() {
  static NewMacKeyFn f =
      reinterpret_cast<NewMacKeyFn>(dlsym(RTLD_NEXT, "EVP_PKEY_new_mac_key"));
  return f;
}

SignInitFn RealSignInit() {
  static SignInitFn f =
      reinterpret_cast<SignInitFn>(dlsym(RTLD_NEXT, "EVP_DigestSignInit"));
  return f;
}

struct Entry {
  std::string key;              // Key material: cleansed when dropped.
  EVP_PKEY* pkey = nullptr;     // The cache's own reference.
  const void* owner = nullptr;  // The connection it was made for.
  std::vector<std::pair<const EVP_MD*, EVP_MD_CTX*>> templates;
};

// Least recently used at the back. by_key views the entries' own key
// strings (list nodes never move).
struct Cache {
  // Recursive: libcrypto may call its own public functions through the
  // PLT, and so back in here, while a real call is under way.
  std::recursive_mutex mu;
  bool enabled = false;
  std::list<Entry> lru;
  std::unordered_map<std::string_view, std::list<Entry>::iterator> by_key;
  std::unordered_map<EVP_PKEY*, std::list<Entry>::iterator> by_pkey;
  std::unordered_multimap<const void*, EVP_PKEY*> by_owner;
};

// Never destroyed: libssh may compute a MAC while the process exits.
Cache& TheCache() {
  static Cache* c = new Cache;
  return *c;
}

void Cleanse(std::string& s) { OPENSSL_cleanse(&s[0], s.size()); }

void Evict(Cache& c, std::list<Entry>::iterator it) {
  auto range = c.by_owner.equal_range(it->owner);
  for (auto o = range.first; o != range.second; ++o) {
    if (o->second == it->pkey) {
      c.by_owner.erase(o);
      break;
    }
  }
  c.by_key.erase(std::string_view(it->key));
  Cleanse(it->key);
  c.by_pkey.erase(it->pkey);
  for (auto& [md, ctx] : it->templates) EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(it->pkey);
  c.lru.erase(it);
}

void EvictOldest(Cache& c) { Evict(c, std::prev(c.lru.end())); }

void ReleaseOwner(const void* owner) {
  Cache& c = TheCache();
  std::lock_guard<std::recursive_mutex> lock(c.mu);
  std::vector<EVP_PKEY*> keys;
  auto range = c.by_owner.equal_range(owner);
  for (auto o = range.first; o != range.second; ++o) keys.push_back(o->second);
  for (EVP_PKEY* k : keys) {
    auto it = c.by_pkey.find(k);
    if (it != c.by_pkey.end()) Evict(c, it->second);
  }
}

// The context `md` on `e` starts from, made once.
EVP_MD_CTX* Template(Entry& e, const EVP_MD* md) {
  for (auto& [m, ctx] : e.templates) {
    if (m == md) return ctx;
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) return nullptr;
  if (RealSignInit()(ctx, nullptr, md, nullptr, e.pkey) != 1) {
    EVP_MD_CTX_free(ctx);
    return nullptr;
  }
  e.templates.emplace_back(md, ctx);
  return ctx;
}

}  // namespace

bool EnableHmacCache() {
  const char* env = std::getenv("ATTACHD_HMAC_CACHE");
  if (env != nullptr && std::strcmp(env, "0") == 0) return false;
  if (RealNewMacKey() == nullptr || RealSignInit() == nullptr) return false;
  Cache& c = TheCache();
  std::lock_guard<std::recursive_mutex> lock(c.mu);
  c.enabled = true;
  SetHmacReleaseHook(&ReleaseOwner);
  return true;
}

void DisableHmacCache() {
  Cache& c = TheCache();
  std::lock_guard<std::recursive_mutex> lock(c.mu);
  c.enabled = false;
  while (!c.lru.empty()) EvictOldest(c);
}

size_t HmacCacheSize() {
  Cache& c = TheCache();
  std::lock_guard<std::recursive_mutex> lock(c.mu);
  return c.lru.size();
}

}  // namespace endpoint
}  // namespace attach

// The interposed libcrypto functions (see hmac_cache.h). Same prototypes
// as <openssl/evp.h>; the executable's definitions win over libcrypto's
// for every caller, so anything not recognised is forwarded unchanged.
extern "C" EVP_PKEY* EVP_PKEY_new_mac_key(int type, ENGINE* e,
                                          const unsigned char* key,
                                          int keylen) {
  using attach::endpoint::Entry;
  attach::endpoint::Cache& c = attach::endpoint::TheCache();
  const void* owner = attach::endpoint::CurrentHmacOwner();
  if (type == EVP_PKEY_HMAC && e == nullptr && key != nullptr && keylen > 0 &&
      keylen <= 128 && owner != nullptr) {
    std::lock_guard<std::recursive_mutex> lock(c.mu);
    if (c.enabled) {
      std::string_view k(reinterpret_cast<const char*>(key),
                         static_cast<size_t>(keylen));
      auto it = c.by_key.find(k);
      if (it != c.by_key.end()) {
        c.lru.splice(c.lru.begin(), c.lru, it->second);
        EVP_PKEY_up_ref(it->second->pkey);
        return it->second->pkey;
      }
      EVP_PKEY* pkey = attach::endpoint::RealNewMacKey()(type, e, key, keylen);
      if (pkey == nullptr) return nullptr;
      if (c.lru.size() >= attach::endpoint::kHmacCacheEntries) {
        attach::endpoint::EvictOldest(c);
      }
      c.lru.push_front(Entry{std::string(k), pkey, owner, {}});
      c.by_key.emplace(std::string_view(c.lru.front().key), c.lru.begin());
      c.by_pkey.emplace(pkey, c.lru.begin());
      c.by_owner.emplace(owner, pkey);
      EVP_PKEY_up_ref(pkey);  // One reference for the caller.
      return pkey;
    }
  }
  return attach::endpoint::RealNewMacKey()(type, e, key, keylen);
}

extern "C" int EVP_DigestSignInit(EVP_MD_CTX* ctx, EVP_PKEY_CTX** pctx,
                                  const EVP_MD* md, ENGINE* e, EVP_PKEY* pkey) {
  attach::endpoint::Cache& c = attach::endpoint::TheCache();
  if (pctx == nullptr && e == nullptr && md != nullptr && pkey != nullptr) {
    std::lock_guard<std::recursive_mutex> lock(c.mu);
    auto it = c.enabled ? c.by_pkey.find(pkey) : c.by_pkey.end();
    if (it != c.by_pkey.end()) {
      EVP_MD_CTX* tmpl = attach::endpoint::Template(*it->second, md);
      if (tmpl != nullptr && EVP_MD_CTX_copy_ex(ctx, tmpl) == 1) return 1;
    }
  }
  return attach::endpoint::RealSignInit()(ctx, pctx, md, e, pkey);
}
