// Counts failures per key (a peer's address) in a sliding window: after
// max_failures within window_ms, the key must wait until the oldest of
// them leaves the window. The admin portal answers such a login 429 with
// Retry-After, and uses a second limiter to keep one peer from flooding
// attachd's log with refused requests.
//
// Memory is bounded: at most max_keys keys are tracked; past that, keys
// whose failures all left the window go first, then the stalest key.
//
// Pure: the caller passes the time. Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_ADMIN_FAILURE_LIMITER_H_
#define TETHER_ATTACH_ENDPOINT_ADMIN_FAILURE_LIMITER_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>

namespace attach {
namespace endpoint {
namespace admin {

class FailureLimiter {
 public:
  FailureLimiter(size_t max_failures, uint64_t window_ms, size_t max_keys)
      : max_failures_(max_failures),
        window_ms_(window_ms),
        max_keys_(max_keys) {}

  // 0 when `key` may try now, else how many ms it must wait.
  uint64_t WaitMs(const std::string& key, uint64_t now_ms);
  void RecordFailure(const std::string& key, uint64_t now_ms);
  // A success forgets the key's failures.
  void Clear(const std::string& key) { failures_.erase(key); }
  size_t key_count() const { return failures_.size(); }

 private:
  void Expire(std::deque<uint64_t>* times, uint64_t now_ms) const;
  void MakeRoom(uint64_t now_ms);

  size_t max_failures_;
  uint64_t window_ms_;
  size_t max_keys_;
  std::unordered_map<std::string, std::deque<uint64_t>> failures_;
};

}  // namespace admin
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_ADMIN_FAILURE_LIMITER_H_
