// The admin portal's login sessions, in memory only (a restart of attachd
// logs everyone out): each a random 256-bit token, sent to the browser as
// a cookie, with a fixed lifetime from login.
//
// Tokens are kept by their SHA-256, so looking one up compares hashes of
// the guess, never the secret's bytes one by one (no timing oracle), and
// a memory dump shows no usable token. At most max_sessions live at once;
// past that the one closest to expiry goes.
//
// Loop thread only; the caller passes the time.
#ifndef TETHER_ATTACH_ENDPOINT_ADMIN_SESSION_STORE_H_
#define TETHER_ATTACH_ENDPOINT_ADMIN_SESSION_STORE_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "base/result.h"

namespace attach {
namespace endpoint {
namespace admin {

class SessionStore {
 public:
  SessionStore(uint64_t lifetime_ms, size_t max_sessions)
      : lifetime_ms_(lifetime_ms), max_sessions_(max_sessions) {}

  // A new session's token: 64 lower-case hex digits. kInternal when the
  // system has no randomness.
  base::Result<std::string> Create(uint64_t now_ms);
  // Whether `token` is a live session; an expired one is forgotten.
  bool Valid(std::string_view token, uint64_t now_ms);
  void Remove(std::string_view token);
  uint64_t lifetime_ms() const { return lifetime_ms_; }
  size_t size() const { return expiry_.size(); }

 private:
  uint64_t lifetime_ms_;
  size_t max_sessions_;
  std::map<std::string, uint64_t> expiry_;  // SHA-256 of token -> expiry.
};

}  // namespace admin
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_ADMIN_SESSION_STORE_H_
