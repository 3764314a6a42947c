#include "tether/supervisor.h"

#include <signal.h>

#include <algorithm>

#include "base/log.h"
#include "base/terminal.h"
#include "tether/confinement.h"
#include "tether/exit_code.h"
#include "tether/supervisor_slot.h"

namespace tether {

namespace {

// A run that lasted this long resets the backoff (docker does the same).
constexpr int64_t kStableRunMs = 10000;
constexpr int64_t kFirstBackoffMs = 100;

}  // namespace

Supervisor::Supervisor(uv_loop_t* loop, base::Os& os,
                       const guestinfo::Config& config, Options options,
                       OutputSink* sink, Observer* observer)
    : loop_(loop),
      os_(os),
      config_(config),
      options_(options),
      sink_(sink),
      observer_(observer),
      reaper_(os, [this](pid_t pid, int st) { OnChildExit(pid, st); }),
      signals_(loop, [this](int signo) { OnSignal(signo); }),
      confinement_(ConfinementFor(config)) {
  for (const guestinfo::SessionConfig& sc : config_.sessions) AddSlot(sc);
}

Supervisor::Slot& Supervisor::AddSlot(guestinfo::SessionConfig config) {
  auto slot = std::make_unique<Slot>();
  slot->owner = this;
  slot->session = std::make_unique<Session>(
      loop_, os_, std::move(config),
      static_cast<size_t>(config_.output_ring_bytes), sink_);
  slot->session->SetOutputClosedCallback([this](Session& s) {
    if (observer_) observer_->OnOutputDrained(s);
    OnOutputClosed();
  });
  slots_.push_back(std::move(slot));
  return *slots_.back();
}

Supervisor::~Supervisor() = default;

base::Status Supervisor::Start() {
  if (!options_.pid1) {
    base::Status s = os_.SetChildSubreaper();
    if (!s.ok()) LOG_WARN("orphans will not be reaped: %s", s.ToString().c_str());
  }
  // Before any session exists: a container root without CAP_SYS_PTRACE
  // must not read /proc/1/mem, /proc/1/environ or /proc/1/root.
  TETHER_RETURN_IF_ERROR(os_.SetDumpable(false));
  TETHER_RETURN_IF_ERROR(
      signals_.Start(RoutedSignals(config_.pprof_wanted()), os_.GetPid()));
  // Children that exited before the watch existed would otherwise wait
  // for the next SIGCHLD.
  reaper_.ReapAll();
  int64_t wait_ms = -1;  // The shortest hold; -1 when nothing is held.
  for (auto& slot : slots_) {
    if (phase_ != Phase::kRunning) break;  // The primary already failed.
    const guestinfo::SessionConfig& sc = slot->session->config();
    if (sc.attach_before_start && options_.hold_for_attach) {
      slot->held = true;  // VIC's runblock, bounded by attach_timeout_s.
      int64_t ms = int64_t{sc.attach_timeout_s} * 1000;
      if (wait_ms < 0 || ms < wait_ms) wait_ms = ms;
      continue;
    }
    StartSession(*slot);
  }
  if (wait_ms >= 0) {
    base::Status st = StartTimer(
        attach_wait_timer_, wait_ms,
        [](uv_timer_t* t) {
          static_cast<Supervisor*>(t->data)->OnAttachWaitOver();
        },
        this);
    if (!st.ok()) OnAttachWaitOver();
  }
  return base::Status::Ok();
}

void Supervisor::OnAttachWaitOver() {
  for (auto& slot : slots_) {
    if (!slot->held) continue;
    LOG_WARN("session %s: no client attached within %d s; starting it",
             slot->session->id().c_str(),
             slot->session->config().attach_timeout_s);
    Unblock(slot->session->id());
  }
}

void Supervisor::Unblock(const std::string& id) {
  for (auto& slot : slots_) {
    if (slot->session->id() != id || !slot->held) continue;
    slot->held = false;
    if (phase_ == Phase::kRunning) StartSession(*slot);
  }
  bool still_held = std::any_of(slots_.begin(), slots_.end(),
                                [](const auto& x) { return x->held; });
  if (!still_held) attach_wait_timer_.Close();
}

void Supervisor::Stop(int signo, int timeout_s) {
  if (phase_ != Phase::kRunning) return;
  Slot* primary = Primary();
  if (primary == nullptr) return;
  stop_requested_ = true;
  const guestinfo::SessionConfig& pc = primary->session->config();
  if (signo <= 0) signo = pc.stop_signal;
  if (timeout_s < 0) timeout_s = pc.stop_timeout_s;
  if (!primary->session->running()) {
    OnSignal(signo);  // Between restarts or held: stop now.
    return;
  }
  ForwardToPrimary(signo);
  base::Status st = StartTimer(
      kill_timer_, int64_t{timeout_s} * 1000,
      [](uv_timer_t* t) {
        Supervisor* self = static_cast<Supervisor*>(t->data);
        Slot* p = self->Primary();
        if (self->phase_ == Phase::kRunning && p && p->session->running()) {
          LOG_INFO("primary did not stop in time, killing");
          (void)p->session->Signal(SIGKILL, true);
        }
      },
      this);
  if (!st.ok()) LOG_WARN("stop: %s", st.ToString().c_str());
}

void Supervisor::StartSession(Slot& slot) {
  Session& s = *slot.session;
  Session::StartOptions opts;
  opts.confinement = confinement_;
  if (s.primary() && !s.config().tty) opts.inherit_stdin_fd = options_.stdin_fd;
  opts.window = slot.window;
  if (s.primary() && options_.window_fd >= 0) {
    if (auto ws = base::GetWindowSize(options_.window_fd)) opts.window = *ws;
  }
  slot.started_ms = os_.NowMs();
  base::Status st = s.Start(opts);
  if (st.ok()) {
    if (observer_) observer_->OnSessionStarted(s);
    return;
  }
  LOG_ERROR("session %s: %s", s.id().c_str(), st.ToString().c_str());
  s.OnStartFailed(ExitCodeForSpawnFailure(st), st.ToString(),
                  os_.WallSeconds());
  if (observer_) observer_->OnSessionExited(s);
  OnSessionEnded(slot);
}

void Supervisor::OnChildExit(pid_t pid, int wait_status) {
  Slot* slot = FindByPid(pid);
  if (slot == nullptr) {
    ++orphans_reaped_;
    return;
  }
  Session& s = *slot->session;
  s.OnExit(wait_status, os_.WallSeconds());
  LOG_DEBUG("session %s: exited with %d", s.id().c_str(), s.exit_code());
  if (observer_) observer_->OnSessionExited(s);
  OnSessionEnded(*slot);
  // The container is ending and this leader is gone: what it left in its
  // group goes too, now, while no other process can have taken the group's
  // id (a pid is reused only after the whole pid space wrapped around).
  // Later, it could be anyone's. As PID 1, kill(-1) takes care of them.
  if (!options_.pid1 && phase_ != Phase::kRunning && s.last_pgid() > 0) {
    (void)os_.Kill(-s.last_pgid(), SIGKILL);  // ESRCH: nothing was left.
  }
}

void Supervisor::OnSessionEnded(Slot& slot) {
  if (phase_ == Phase::kRunning && ShouldRestart(slot)) {
    ScheduleRestart(slot);
    return;
  }
  if (phase_ == Phase::kRunning && slot.session->primary()) {
    exit_code_ = slot.session->exit_code();
    BeginStop();
    return;
  }
  if (phase_ == Phase::kStopping) {
    bool any_running = std::any_of(slots_.begin(), slots_.end(),
                                   [](const auto& x) {
                                     return x->session->running();
                                   });
    if (!any_running) BeginDrain();
  }
}

bool Supervisor::ShouldRestart(const Slot& slot) const {
  const Session& s = *slot.session;
  if (s.primary() && stop_requested_) return false;
  switch (s.config().restart) {
    case guestinfo::RestartPolicy::kAlways:
      return true;
    case guestinfo::RestartPolicy::kOnFailure:
      return s.exit_code() != 0;
    case guestinfo::RestartPolicy::kNo:
      return false;
  }
  return false;
}

void Supervisor::ScheduleRestart(Slot& slot) {
  if (os_.NowMs() - slot.started_ms >= kStableRunMs) slot.backoff_step = 0;
  int64_t delay = kFirstBackoffMs << std::min(slot.backoff_step, 20);
  delay = std::min(delay, options_.max_backoff_ms);
  ++slot.backoff_step;
  LOG_INFO("session %s: exited with %d, restarting in %lld ms",
           slot.session->id().c_str(), slot.session->exit_code(),
           static_cast<long long>(delay));
  base::Status st = StartTimer(
      slot.restart_timer, delay,
      [](uv_timer_t* t) {
        Slot* s = static_cast<Slot*>(t->data);
        if (s->owner->phase_ == Phase::kRunning) s->owner->StartSession(*s);
      },
      &slot);
  if (!st.ok()) {
    LOG_ERROR("session %s: cannot schedule restart: %s",
              slot.session->id().c_str(), st.ToString().c_str());
  }
}

void Supervisor::BeginStop() {
  phase_ = Phase::kStopping;
  kill_timer_.Close();
  attach_wait_timer_.Close();
  int timeout_s = 0;
  for (auto& slot : slots_) {
    slot->restart_timer.Close();
    Session& s = *slot->session;
    if (!s.running()) continue;
    timeout_s = std::max(timeout_s, s.config().stop_timeout_s);
    base::Status st = s.Signal(s.config().stop_signal, false);
    if (!st.ok()) LOG_DEBUG("%s", st.ToString().c_str());
  }
  if (timeout_s == 0 && std::none_of(slots_.begin(), slots_.end(),
                                     [](const auto& x) {
                                       return x->session->running();
                                     })) {
    BeginDrain();
    return;
  }
  base::Status st = StartTimer(
      stop_timer_, int64_t{timeout_s} * 1000,
      [](uv_timer_t* t) {
        static_cast<Supervisor*>(t->data)->OnStopTimeout();
      },
      this);
  if (!st.ok()) OnStopTimeout();
}

void Supervisor::OnStopTimeout() {
  if (phase_ != Phase::kStopping) return;
  for (auto& slot : slots_) {
    if (slot->session->running()) {
      LOG_INFO("session %s: did not stop in time, killing",
               slot->session->id().c_str());
    }
  }
  BeginDrain();
}

void Supervisor::BeginDrain() {
  if (phase_ == Phase::kDraining || phase_ == Phase::kDone) return;
  phase_ = Phase::kDraining;
  stop_timer_.Close();
  // Whatever is left would hold output pipes open forever; a container is
  // over when its primary is (docker kills the whole PID namespace).
  if (options_.pid1) {
    base::Status st = os_.Kill(-1, SIGKILL);
    if (!st.ok() && st.error_number() != ESRCH) {
      LOG_WARN("kill leftovers: %s", st.ToString().c_str());
    }
  } else {
    // Only groups whose leader is still unreaped (tini's rule): a reaped
    // leader's group id may belong to someone else by now. Groups of
    // leaders reaped while stopping were killed at once (OnChildExit).
    for (auto& slot : slots_) {
      if (slot->session->running()) (void)slot->session->Signal(SIGKILL, true);
    }
  }
  OnOutputClosed();
  if (phase_ == Phase::kDone) return;
  base::Status st = StartTimer(
      drain_timer_, options_.drain_timeout_ms,
      [](uv_timer_t* t) {
        LOG_WARN("output still open after the drain timeout; finishing");
        static_cast<Supervisor*>(t->data)->Finish();
      },
      this);
  if (!st.ok()) Finish();
}

void Supervisor::OnOutputClosed() {
  if (phase_ != Phase::kDraining) return;
  for (auto& slot : slots_) {
    if (slot->session->output_open()) return;
  }
  Finish();
}

void Supervisor::Finish() {
  if (phase_ == Phase::kDone) return;
  phase_ = Phase::kDone;
  reaper_.ReapAll();
  drain_timer_.Close();
  stop_timer_.Close();
  kill_timer_.Close();
  attach_wait_timer_.Close();
  signals_.Close();
  release_timer_.Close();  // Released slots now go with the supervisor.
  for (auto& slot : slots_) slot->restart_timer.Close();
  if (observer_) observer_->OnFinished(exit_code_);
  // Sessions are kept for their final state; their handles go so that the
  // loop can end.
  for (auto& slot : slots_) slot->session->CloseIo();
}

base::Status Supervisor::StartTimer(base::UvHandle<uv_timer_t>& timer,
                                    int64_t ms, void (*cb)(uv_timer_t*),
                                    void* data) {
  if (timer.get() == nullptr) timer = base::UvHandle<uv_timer_t>();
  if (!timer.initialized()) {
    int rc = uv_timer_init(loop_, timer.get());
    if (rc != 0) return base::UvError("uv_timer_init", rc);
    timer.MarkInitialized();
  }
  timer->data = data;
  int rc = uv_timer_start(timer.get(), cb, static_cast<uint64_t>(ms), 0);
  if (rc != 0) return base::UvError("uv_timer_start", rc);
  return base::Status::Ok();
}

}  // namespace tether
