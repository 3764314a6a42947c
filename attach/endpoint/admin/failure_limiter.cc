#include "attach/endpoint/admin/failure_limiter.h"

namespace attach {
namespace endpoint {
namespace admin {

void FailureLimiter::Expire(std::deque<uint64_t>* times,
                            uint64_t now_ms) const {
  while (!times->empty() && times->front() + window_ms_ <= now_ms) {
    times->pop_front();
  }
}

uint64_t FailureLimiter::WaitMs(const std::string& key, uint64_t now_ms) {
  auto it = failures_.find(key);
  if (it == failures_.end()) return 0;
  Expire(&it->second, now_ms);
  if (it->second.empty()) {
    failures_.erase(it);
    return 0;
  }
  if (it->second.size() < max_failures_) return 0;
  // The oldest failure that still counts leaves the window then.
  return it->second[it->second.size() - max_failures_] + window_ms_ - now_ms;
}

void FailureLimiter::RecordFailure(const std::string& key, uint64_t now_ms) {
  if (failures_.count(key) == 0 && failures_.size() >= max_keys_) {
    MakeRoom(now_ms);
  }
  std::deque<uint64_t>& times = failures_[key];
  Expire(&times, now_ms);
  times.push_back(now_ms);
  // Only the last max_failures matter for WaitMs.
  while (times.size() > max_failures_) times.pop_front();
}

void FailureLimiter::MakeRoom(uint64_t now_ms) {
  auto stalest = failures_.end();
  for (auto it = failures_.begin(); it != failures_.end();) {
    Expire(&it->second, now_ms);
    if (it->second.empty()) {
      it = failures_.erase(it);
      continue;
    }
    if (stalest == failures_.end() ||
        it->second.back() < stalest->second.back()) {
      stalest = it;
    }
    ++it;
  }
  if (failures_.size() >= max_keys_ && stalest != failures_.end()) {
    failures_.erase(stalest);
  }
}

}  // namespace admin
}  // namespace endpoint
}  // namespace attach
