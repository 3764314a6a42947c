// Whose MAC keys the HMAC cache may keep (hmac_cache.h; review F15).
//
// libssh makes a MAC key for every packet, and key exchange comes before
// login: caching every key would let peers that never log in fill the
// cache. So the cache keeps only keys made while an owner is set, and
// SshConn sets itself as the owner only once its peer has logged in; its
// keys go when it closes (ReleaseHmacKeys).
//
// The owner is process-wide state: attachd drives libssh from its one
// loop thread, which is the only thread that sets it.
#ifndef TETHER_ATTACH_ENDPOINT_TETHERS_HMAC_OWNER_H_
#define TETHER_ATTACH_ENDPOINT_TETHERS_HMAC_OWNER_H_

namespace attach {
namespace endpoint {

// Sets the owner for the scope's lifetime (null: keys are not cached).
class HmacOwnerScope {
 public:
  explicit HmacOwnerScope(const void* owner);
  ~HmacOwnerScope();
  HmacOwnerScope(const HmacOwnerScope&) = delete;
  HmacOwnerScope& operator=(const HmacOwnerScope&) = delete;

 private:
  const void* previous_;
};

// The owner set now, or null.
const void* CurrentHmacOwner();
// Drops the keys cached for `owner` (a closed connection).
void ReleaseHmacKeys(const void* owner);
// What ReleaseHmacKeys calls: set by the cache when it is linked in
// (attachd itself; the libraries do not include it).
void SetHmacReleaseHook(void (*hook)(const void* owner));

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_TETHERS_HMAC_OWNER_H_
