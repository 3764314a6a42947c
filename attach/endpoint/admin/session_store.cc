#include "attach/endpoint/admin/session_store.h"

#include <openssl/sha.h>

#include "attach/endpoint/containers/registry.h"

namespace attach {
namespace endpoint {
namespace admin {
namespace {

std::string Digest(std::string_view token) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(),
         md);
  return std::string(reinterpret_cast<char*>(md), sizeof(md));
}

}  // namespace

base::Result<std::string> SessionStore::Create(uint64_t now_ms) {
  TETHER_ASSIGN_OR_RETURN(std::string token, RandomHex(32));
  if (expiry_.size() >= max_sessions_) {
    auto soonest = expiry_.begin();
    for (auto it = expiry_.begin(); it != expiry_.end(); ++it) {
      if (it->second < soonest->second) soonest = it;
    }
    expiry_.erase(soonest);
  }
  expiry_[Digest(token)] = now_ms + lifetime_ms_;
  return token;
}

bool SessionStore::Valid(std::string_view token, uint64_t now_ms) {
  if (token.empty()) return false;
  auto it = expiry_.find(Digest(token));
  if (it == expiry_.end()) return false;
  if (it->second <= now_ms) {
    expiry_.erase(it);
    return false;
  }
  return true;
}

void SessionStore::Remove(std::string_view token) {
  expiry_.erase(Digest(token));
}

}  // namespace admin
}  // namespace endpoint
}  // namespace attach
