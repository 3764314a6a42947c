// A bound on the session logs holding descriptors at once (issue 13):
// with thousands of tethers connected, one open log each would cost as
// many descriptors as their sockets. Logs register here when they open
// or use a descriptor; past `capacity` the least recently used ones are
// closed (SessionLog::CloseFile), and they reopen, without a scan, on
// their next append or read. Closing loses nothing: every append is
// written before it returns, and a log's positions live in memory.
//
// Loop thread only, like the logs. A log holds at most two descriptors
// while registered (its current segment and one rotated segment a reader
// is in), so the cache bounds logs to 2 * capacity descriptors.
#ifndef TETHER_ATTACH_ENDPOINT_CONTAINERS_LOG_FD_CACHE_H_
#define TETHER_ATTACH_ENDPOINT_CONTAINERS_LOG_FD_CACHE_H_

#include <cstddef>
#include <list>
#include <unordered_map>

namespace attach {
namespace endpoint {

class SessionLog;

class LogFdCache {
 public:
  // At least one log stays open.
  explicit LogFdCache(size_t capacity) : capacity_(capacity ? capacity : 1) {}
  LogFdCache(const LogFdCache&) = delete;
  LogFdCache& operator=(const LogFdCache&) = delete;

  size_t capacity() const { return capacity_; }
  // Logs registered (holding a descriptor).
  size_t open() const { return where_.size(); }
  // Logs closed to make room since the start (tests, logs).
  size_t evictions() const { return evictions_; }

  // `log` holds a descriptor and has just used it: it becomes the most
  // recent, and the least recent others past capacity are closed.
  void Touch(SessionLog* log);
  // `log` closed its descriptors or is being destroyed. No-op when absent.
  void Forget(SessionLog* log);
  // Out of descriptors (EMFILE): closes the least recent quarter of the
  // open logs (at least one), never `keep`. False when none could go.
  bool Shed(const SessionLog* keep);

 private:
  void CloseOldest();

  size_t capacity_;
  size_t evictions_ = 0;
  std::list<SessionLog*> lru_;  // Most recent first.
  std::unordered_map<const SessionLog*, std::list<SessionLog*>::iterator>
      where_;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CONTAINERS_LOG_FD_CACHE_H_
