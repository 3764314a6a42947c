// attachd's disk work for its containers, kept off the loop where it can
// be (review F2, F9):
//   - status: a container whose status changed is written within
//     status_delay_ms, so a burst of reports makes one write, and by a
//     worker thread (write, fsync, rename, fsync of the directory), one
//     write per container at a time. FlushStatus runs its callback once
//     the status as it is then is on disk: the tether's exit is durable
//     before attachd acknowledges it.
//   - logs: every log_tick_ms each session log with new appends is
//     fdatasync'd by a worker, and logs idle for idle_close_ticks ticks
//     (or ended, with no reader) are closed; rotated segments are synced
//     when they are handed over.
//   - anything else that must not block the loop (Offload): the recovery
//     scan of a log a Hello names.
//
// Loop thread only. The destructor and FlushNow block until the worker
// threads have finished this object's work, which never needs the loop,
// so both may be called from a loop callback.
#ifndef TETHER_ATTACH_ENDPOINT_CONTAINERS_UPKEEP_H_
#define TETHER_ATTACH_ENDPOINT_CONTAINERS_UPKEEP_H_

#include <uv.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "attach/endpoint/containers/container_host.h"
#include "attach/endpoint/containers/log_syncer.h"
#include "attach/endpoint/containers/registry.h"
#include "base/uv_handle.h"

namespace attach {
namespace endpoint {

struct UpkeepOptions {
  LogOptions logs;  // Its syncer is the Upkeep.
  // Session logs holding descriptors at once (LogFdCache), when
  // logs.fds is not given; attachd derives it from its file limit.
  size_t max_open_logs = 1024;
  uint64_t status_delay_ms = 200;
  uint64_t log_tick_ms = 5000;
  int idle_close_ticks = 6;
};

class Upkeep : public ContainerHost, public LogSyncer {
 public:
  // `registry` must outlive the Upkeep.
  Upkeep(uv_loop_t* loop, Registry* registry, UpkeepOptions options);
  // Waits for the worker threads; their completions then find nobody.
  ~Upkeep() override;
  Upkeep(const Upkeep&) = delete;
  Upkeep& operator=(const Upkeep&) = delete;

  // Starts the periodic log work.
  void Start();
  // A clean stop: waits for writes under way, writes every pending status
  // now on this thread, and from then on writes each change at once.
  void FlushNow();
  // Jobs on worker threads not yet completed on the loop (tests).
  size_t jobs() const { return jobs_.size(); }
  // Status writes started since construction (tests).
  uint64_t status_writes() const { return status_writes_; }

  // ContainerHost.
  const LogOptions& log_options() const override { return options_.logs; }
  void StatusChanged(Container* c) override;
  void FlushStatus(Container* c, std::function<void()> done) override;
  void Forget(Container* c) override;
  void Offload(std::function<void()> work,
               std::function<void()> after) override;
  // LogSyncer.
  void Submit(base::UniqueFd fd) override;
  void SubmitPath(const std::string& path) override;

 private:
  struct Job;
  struct Drain;
  // One container's status writes.
  struct Pending {
    bool dirty = false;
    bool in_flight = false;
    std::vector<std::function<void()>> on_written;  // The write under way.
    std::vector<std::function<void()>> on_next;     // The next write.
    std::shared_ptr<std::atomic<bool>> cancelled =
        std::make_shared<std::atomic<bool>>(false);
  };
  static void OnWork(uv_work_t* req) noexcept;
  static void OnAfterWork(uv_work_t* req, int status) noexcept;
  static void OnStatusTimer(uv_timer_t* h) noexcept;
  static void OnLogTimer(uv_timer_t* h) noexcept;
  void ArmStatusTimer();
  void StartWrite(const std::string& id);
  void Written(const std::string& id, const std::vector<std::string>& errors);
  void SubmitQueuedFds();
  void WaitForWorkers();

  uv_loop_t* loop_;
  Registry* registry_;
  UpkeepOptions options_;
  bool stopped_ = false;
  uint64_t status_writes_ = 0;
  std::map<std::string, Pending> pending_;
  std::vector<base::UniqueFd> fds_;
  std::vector<std::string> paths_;
  std::set<Job*> jobs_;
  std::shared_ptr<Drain> drain_;
  base::UvHandle<uv_timer_t> status_timer_;
  base::UvHandle<uv_timer_t> log_timer_;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CONTAINERS_UPKEEP_H_
