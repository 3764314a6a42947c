#include "tether/run.h"

#include <unistd.h>

#include <memory>
#include <vector>

#include "base/log.h"
#include "base/terminal.h"
#include "base/uv_handle.h"
#include "tether/attach_bridge.h"
#include "tether/console.h"
#include "tether/debug_server.h"
#include "tether/exit_code.h"

namespace tether {
namespace {

// How often the drain before the end checks the link, and when it says
// on the console that it is still waiting.
constexpr uint64_t kFlushTickMs = 20;
constexpr uint64_t kWaitNoticeMs = 5000;

// Fans supervisor events out to the console bridge, the attach link and
// the caller's observer; at the end, holds the loop open until the
// endpoint has acknowledged all output and every session's end (bounded
// by the ack timeout).
class RunObserver : public Supervisor::Observer {
 public:
  RunObserver(uv_loop_t* loop, int64_t ack_ms) : loop_(loop), ack_ms_(ack_ms) {}
  ~RunObserver() override = default;

  void Add(Supervisor::Observer* o) {
    if (o) observers_.push_back(o);
  }
  void OnSessionStarted(const Session& s) override {
    for (auto* o : observers_) o->OnSessionStarted(s);
  }
  void OnSessionExited(const Session& s) override {
    LOG_INFO("session %s: exit code %d", s.id().c_str(), s.exit_code());
    for (auto* o : observers_) o->OnSessionExited(s);
  }
  void OnOutputDrained(const Session& s) override {
    for (auto* o : observers_) o->OnOutputDrained(s);
  }
  void OnFinished(int code) override {
    if (stdin_bridge) stdin_bridge->Stop();
    if (debug) {
      // Its listener would keep the loop running.
      if (attach) attach->SetPprofHandler(nullptr);
      debug->Close();
    }
    for (auto* o : observers_) o->OnFinished(code);
    if (attach == nullptr) return;
    started_ = uv_now(loop_);
    int rc = uv_timer_init(loop_, flush_timer_.get());
    if (rc == 0) {
      flush_timer_.MarkInitialized();
      flush_timer_->data = this;
      rc = uv_timer_start(flush_timer_.get(), &RunObserver::OnFlushTick, 0,
                          kFlushTickMs);
    }
    if (rc != 0) attach->Close();
  }

  std::unique_ptr<StdinBridge> stdin_bridge;
  AttachBridge* attach = nullptr;
  DebugServer* debug = nullptr;

 private:
  static void OnFlushTick(uv_timer_t* t) noexcept {
    static_cast<RunObserver*>(t->data)->FlushTick();
  }
  void FlushTick() {
    bool delivered = attach->AllDelivered();
    uint64_t waited = uv_now(loop_) - started_;
    if (!delivered && waited < static_cast<uint64_t>(ack_ms_)) {
      // Only the VM is held (the container is over); a person watching
      // its console should know why it is still up.
      if (waited >= kWaitNoticeMs && !noticed_) {
        noticed_ = true;
        LOG_WARN("waiting up to %lld s for the endpoint to acknowledge the "
                 "container's output and exit",
                 static_cast<long long>(ack_ms_ / 1000));
      }
      return;
    }
    if (!delivered) {
      LOG_WARN("endpoint did not acknowledge all output and exits within "
               "%lld ms",
               static_cast<long long>(ack_ms_));
    }
    flush_timer_.Close();
    attach->Close();
  }

  uv_loop_t* loop_;
  int64_t ack_ms_;
  uint64_t started_ = 0;
  bool noticed_ = false;
  std::vector<Supervisor::Observer*> observers_;
  base::UvHandle<uv_timer_t> flush_timer_;
};

int64_t AckTimeoutMs(const guestinfo::Config& config,
                     const RunOptions& options) {
  if (config.endpoint && config.endpoint->drain_timeout_s) {
    return int64_t{*config.endpoint->drain_timeout_s} * 1000;
  }
  return options.ack_timeout_ms;
}

int WindowFd() {
  if (base::IsTerminal(STDIN_FILENO)) return STDIN_FILENO;
  if (base::IsTerminal(STDOUT_FILENO)) return STDOUT_FILENO;
  return -1;
}

}  // namespace

int RunContainer(base::Os& os, const guestinfo::Config& config,
                 const RunOptions& options) {
  uv_loop_t loop;
  if (uv_loop_init(&loop) != 0) {
    LOG_ERROR("cannot create the event loop");
    return kExitTetherError;
  }
  const guestinfo::SessionConfig& primary = config.primary();
  const bool linked = config.endpoint.has_value();
  // Without an endpoint the console is the container's terminal; with one,
  // stdio belongs to the link.
  bool tty_stdin = !linked && primary.tty && primary.open_stdin;
  Supervisor::Options so;
  so.pid1 = options.pid1;
  so.signal_group = options.signal_group;
  so.drain_timeout_ms = options.drain_timeout_ms;
  so.stdin_fd = (!linked && !primary.tty && primary.open_stdin) ? STDIN_FILENO : -1;
  so.window_fd = linked ? -1 : WindowFd();
  so.hold_for_attach = linked;

  int code = kExitTetherError;
  {
    ConsoleSink console;
    RunObserver observer(&loop, AckTimeoutMs(config, options));
    std::unique_ptr<AttachBridge> bridge;
    if (linked) {
      bridge = std::make_unique<AttachBridge>(&loop, config);
      observer.Add(bridge.get());
      observer.attach = bridge.get();
    }
    // pprof (DESIGN §7); destroyed before the bridge it serves through.
    std::unique_ptr<DebugServer> debug;
    if (DebugServer::Wanted(config)) {
      debug = std::make_unique<DebugServer>(&loop, config);
      debug->Start();
      observer.debug = debug.get();
      if (bridge) bridge->SetPprofHandler(debug->handler());
    }
    observer.Add(options.observer);
    OutputSink* sink = bridge ? static_cast<OutputSink*>(bridge.get()) : &console;
    Supervisor sup(&loop, os, config, so, sink, &observer);
    std::unique_ptr<base::ScopedRawMode> raw;
    if (tty_stdin) raw = std::make_unique<base::ScopedRawMode>(STDIN_FILENO);
    base::Status st = base::Status::Ok();
    if (bridge) {
      bridge->SetSupervisor(&sup);
      st = bridge->Start();
    }
    if (st.ok()) st = sup.Start();
    if (!st.ok()) {
      LOG_ERROR("%s", st.ToString().c_str());
      if (bridge) bridge->Close();
    } else {
      Session* s = sup.FindSession(primary.id);
      if (tty_stdin && s != nullptr && s->running()) {
        observer.stdin_bridge = std::make_unique<StdinBridge>(&loop, *s);
        base::Status bs = observer.stdin_bridge->Start();
        if (!bs.ok()) {
          // /dev/null or a file: the session sees EOF, as with ssh -t.
          LOG_DEBUG("%s; the session's stdin is closed", bs.ToString().c_str());
          observer.stdin_bridge.reset();
          s->CloseStdin();
        }
      }
      uv_run(&loop, UV_RUN_DEFAULT);
      code = sup.exit_code();
    }
    observer.stdin_bridge.reset();
  }
  // Handles closed by the destructors above finish closing here.
  uv_run(&loop, UV_RUN_DEFAULT);
  if (uv_loop_close(&loop) != 0) LOG_DEBUG("event loop still had handles");
  return code;
}

}  // namespace tether
