#include "attach/endpoint/containers/upkeep.h"

#include <fcntl.h>
#include <unistd.h>

#include <condition_variable>
#include <cstring>
#include <mutex>
#include <utility>

#include "attach/endpoint/containers/log_fd_cache.h"
#include "attach/endpoint/containers/state_files.h"
#include "base/log.h"

namespace attach {
namespace endpoint {
namespace {

// Rotated segments and idle logs queued for fdatasync go out in batches
// of this many, or at the next log tick.
constexpr size_t kSyncBatch = 64;

using Writes = std::vector<std::pair<std::string, std::string>>;

}  // namespace

// Work functions still to finish on worker threads.
struct Upkeep::Drain {
  std::mutex mu;
  std::condition_variable cv;
  size_t working = 0;
};

// One piece of work off the loop. It owns itself: OnAfterWork deletes it,
// and runs `after` only while its Upkeep lives.
struct Upkeep::Job {
  uv_work_t req;
  std::function<void()> work;
  std::function<void()> after;
  Upkeep* owner;
  std::shared_ptr<Drain> drain;
};

Upkeep::Upkeep(uv_loop_t* loop, Registry* registry, UpkeepOptions options)
    : loop_(loop),
      registry_(registry),
      options_(std::move(options)),
      drain_(std::make_shared<Drain>()) {
  options_.logs.syncer = this;
  if (!options_.logs.fds) {
    options_.logs.fds = std::make_shared<LogFdCache>(options_.max_open_logs);
  }
  uv_timer_init(loop_, status_timer_.get());
  status_timer_.MarkInitialized();
  status_timer_->data = this;
  uv_timer_init(loop_, log_timer_.get());
  log_timer_.MarkInitialized();
  log_timer_->data = this;
}

Upkeep::~Upkeep() {
  for (Job* j : jobs_) j->owner = nullptr;
  WaitForWorkers();
}

void Upkeep::Start() {
  uv_timer_start(log_timer_.get(), &Upkeep::OnLogTimer, options_.log_tick_ms,
                 options_.log_tick_ms);
}

void Upkeep::WaitForWorkers() {
  std::unique_lock<std::mutex> lock(drain_->mu);
  drain_->cv.wait(lock, [this] { return drain_->working == 0; });
}

void Upkeep::Offload(std::function<void()> work, std::function<void()> after) {
  auto* j =
      new Job{uv_work_t(), std::move(work), std::move(after), this, drain_};
  j->req.data = j;
  {
    std::lock_guard<std::mutex> lock(drain_->mu);
    ++drain_->working;
  }
  int rc = uv_queue_work(loop_, &j->req, &Upkeep::OnWork, &Upkeep::OnAfterWork);
  if (rc != 0) {
    // No worker threads: do it here.
    j->work();
    {
      std::lock_guard<std::mutex> lock(drain_->mu);
      --drain_->working;
    }
    std::function<void()> after = std::move(j->after);
    delete j;
    if (after) after();
    return;
  }
  jobs_.insert(j);
}

void Upkeep::OnWork(uv_work_t* req) noexcept {
  Job* j = static_cast<Job*>(req->data);
  j->work();
  std::lock_guard<std::mutex> lock(j->drain->mu);
  if (--j->drain->working == 0) j->drain->cv.notify_all();
}

void Upkeep::OnAfterWork(uv_work_t* req, int /*status*/) noexcept {
  std::unique_ptr<Job> j(static_cast<Job*>(req->data));
  if (j->owner == nullptr) return;
  j->owner->jobs_.erase(j.get());
  if (j->after) j->after();
}

void Upkeep::StatusChanged(Container* c) {
  if (stopped_) {
    for (auto& [path, data] : c->TakeDiskWrites()) {
      base::Status s = WriteFileAtomic(path, data, 0600);
      if (!s.ok()) LOG_ERROR("%s", s.ToString().c_str());
    }
    return;
  }
  pending_[c->id()].dirty = true;
  ArmStatusTimer();
}

void Upkeep::ArmStatusTimer() {
  if (!uv_is_active(reinterpret_cast<uv_handle_t*>(status_timer_.get()))) {
    uv_timer_start(status_timer_.get(), &Upkeep::OnStatusTimer,
                   options_.status_delay_ms, 0);
  }
}

void Upkeep::FlushStatus(Container* c, std::function<void()> done) {
  auto it = pending_.find(c->id());
  if (it == pending_.end() || (!it->second.dirty && !it->second.in_flight)) {
    done();
    return;
  }
  Pending& p = it->second;
  if (!p.dirty) {
    p.on_written.push_back(std::move(done));  // What is on its way is all.
    return;
  }
  p.on_next.push_back(std::move(done));
  if (!p.in_flight) StartWrite(c->id());
}

void Upkeep::Forget(Container* c) {
  auto it = pending_.find(c->id());
  if (it == pending_.end()) return;
  *it->second.cancelled = true;
  pending_.erase(it);
}

void Upkeep::OnStatusTimer(uv_timer_t* h) noexcept {
  Upkeep* self = static_cast<Upkeep*>(h->data);
  std::vector<std::string> due;
  for (auto& [id, p] : self->pending_) {
    if (p.dirty && !p.in_flight) due.push_back(id);
  }
  for (const std::string& id : due) self->StartWrite(id);
}

void Upkeep::StartWrite(const std::string& id) {
  Container* c = registry_->FindById(id);
  auto it = pending_.find(id);
  if (c == nullptr || it == pending_.end()) {
    pending_.erase(id);
    return;
  }
  Pending& p = it->second;
  p.dirty = false;
  p.in_flight = true;
  ++status_writes_;
  p.on_written = std::move(p.on_next);
  p.on_next.clear();
  auto writes = std::make_shared<Writes>(c->TakeDiskWrites());
  auto errors = std::make_shared<std::vector<std::string>>();
  std::shared_ptr<std::atomic<bool>> cancelled = p.cancelled;
  Offload(
      [writes, errors, cancelled] {
        for (auto& [path, data] : *writes) {
          if (*cancelled) return;  // The container is being removed.
          base::Status s = WriteFileAtomic(path, data, 0600);
          if (!s.ok()) errors->push_back(s.ToString());
        }
      },
      [this, id, errors, cancelled] {
        // A write that raced the container's removal fails for want of
        // its directory; that is the removal, not a fault to report.
        if (*cancelled) errors->clear();
        Written(id, *errors);
      });
}

void Upkeep::Written(const std::string& id,
                     const std::vector<std::string>& errors) {
  for (const std::string& e : errors) {
    LOG_ERROR("container %s: cannot save its status: %s",
              id.substr(0, 12).c_str(), e.c_str());
  }
  auto it = pending_.find(id);
  if (it == pending_.end()) return;
  Pending& p = it->second;
  p.in_flight = false;
  std::vector<std::function<void()>> done = std::move(p.on_written);
  p.on_written.clear();
  if (p.dirty && !p.on_next.empty()) {
    StartWrite(id);
  } else if (p.dirty) {
    ArmStatusTimer();  // Changed while it was written: written again soon.
  } else if (p.on_next.empty()) {
    pending_.erase(it);
  }
  for (std::function<void()>& d : done) d();
}

void Upkeep::FlushNow() {
  WaitForWorkers();
  stopped_ = true;
  uv_timer_stop(status_timer_.get());
  // Nothing is appended any more; the timer would keep the loop alive.
  uv_timer_stop(log_timer_.get());
  std::map<std::string, Pending> pending;
  pending.swap(pending_);
  for (auto& [id, p] : pending) {
    Container* c = registry_->FindById(id);
    if (c != nullptr && (p.dirty || p.in_flight)) StatusChanged(c);
    for (auto& d : p.on_written) d();
    for (auto& d : p.on_next) d();
  }
}

void Upkeep::Submit(base::UniqueFd fd) {
  fds_.push_back(std::move(fd));
  if (fds_.size() + paths_.size() >= kSyncBatch) SubmitQueuedFds();
}

void Upkeep::SubmitPath(const std::string& path) {
  paths_.push_back(path);
  if (fds_.size() + paths_.size() >= kSyncBatch) SubmitQueuedFds();
}

void Upkeep::SubmitQueuedFds() {
  if (fds_.empty() && paths_.empty()) return;
  auto fds = std::make_shared<std::vector<base::UniqueFd>>(std::move(fds_));
  fds_.clear();
  auto paths = std::make_shared<std::vector<std::string>>(std::move(paths_));
  paths_.clear();
  auto failed = std::make_shared<std::vector<std::string>>();
  Offload(
      [fds, paths, failed] {
        for (base::UniqueFd& fd : *fds) {
          if (::fdatasync(fd.get()) != 0) {
            failed->push_back(std::strerror(errno));
          }
          fd.Reset();
        }
        for (const std::string& path : *paths) {
          base::UniqueFd fd(
              ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
          // A log removed (or a container deleted) since needs nothing.
          if (!fd) {
            if (errno != ENOENT) {
              failed->push_back(path + ": " + std::strerror(errno));
            }
            continue;
          }
          if (::fdatasync(fd.get()) != 0) {
            failed->push_back(path + ": " + std::strerror(errno));
          }
        }
      },
      [failed] {
        for (const std::string& e : *failed) {
          LOG_ERROR("fdatasync of a session log: %s", e.c_str());
        }
      });
}

void Upkeep::OnLogTimer(uv_timer_t* h) noexcept {
  Upkeep* self = static_cast<Upkeep*>(h->data);
  self->registry_->ForEach([self](Container* c) {
    c->MaintainLogs(self, self->options_.idle_close_ticks);
  });
  self->SubmitQueuedFds();
}

}  // namespace endpoint
}  // namespace attach
