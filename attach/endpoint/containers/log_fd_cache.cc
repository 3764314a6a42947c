#include "attach/endpoint/containers/log_fd_cache.h"

#include <iterator>

#include "attach/endpoint/containers/session_log.h"

namespace attach {
namespace endpoint {

void LogFdCache::Touch(SessionLog* log) {
  auto it = where_.find(log);
  if (it != where_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  lru_.push_front(log);
  where_.emplace(log, lru_.begin());
  // `log` is the front, so it is never the one closed.
  while (where_.size() > capacity_) CloseOldest();
}

void LogFdCache::Forget(SessionLog* log) {
  auto it = where_.find(log);
  if (it == where_.end()) return;
  lru_.erase(it->second);
  where_.erase(it);
}

void LogFdCache::CloseOldest() {
  SessionLog* victim = lru_.back();
  lru_.pop_back();
  where_.erase(victim);
  ++evictions_;
  // CloseFile calls Forget, which finds it gone.
  victim->CloseFile();
}

bool LogFdCache::Shed(const SessionLog* keep) {
  size_t n = where_.size() / 4;
  if (n == 0) n = 1;
  bool any = false;
  for (; n > 0 && !lru_.empty(); --n) {
    if (lru_.back() == keep) {
      if (lru_.size() == 1) break;
      // The keeper is the oldest: it moves to the front and the next goes.
      lru_.splice(lru_.begin(), lru_, std::prev(lru_.end()));
    }
    CloseOldest();
    any = true;
  }
  return any;
}

}  // namespace endpoint
}  // namespace attach
