#include "tether/run.h"

#include <unistd.h>

#include <memory>

#include "base/log.h"
#include "base/terminal.h"
#include "tether/console.h"
#include "tether/exit_code.h"

namespace tether {
namespace {

// Fans supervisor events out to the console bridge and the caller's
// observer.
class RunObserver : public Supervisor::Observer {
 public:
  explicit RunObserver(Supervisor::Observer* next) : next_(next) {}
  void OnSessionStarted(const Session& s) override {
    if (next_) next_->OnSessionStarted(s);
  }
  void OnSessionExited(const Session& s) override {
    LOG_INFO("session %s: exit code %d", s.id().c_str(), s.exit_code());
    if (next_) next_->OnSessionExited(s);
  }
  void OnFinished(int code) override {
    if (stdin_bridge) stdin_bridge->Stop();
    if (next_) next_->OnFinished(code);
  }
  std::unique_ptr<StdinBridge> stdin_bridge;

 private:
  Supervisor::Observer* next_;
};

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
  bool tty_stdin = primary.tty && primary.open_stdin;
  Supervisor::Options so;
  so.pid1 = options.pid1;
  so.signal_group = options.signal_group;
  so.drain_timeout_ms = options.drain_timeout_ms;
  so.stdin_fd = (!primary.tty && primary.open_stdin) ? STDIN_FILENO : -1;
  so.window_fd = WindowFd();

  int code = kExitTetherError;
  {
    ConsoleSink console;
    RunObserver observer(options.observer);
    Supervisor sup(&loop, os, config, so, &console, &observer);
    // Raw mode for the lifetime of an interactive tty primary, like ssh -t.
    std::unique_ptr<base::ScopedRawMode> raw;
    if (tty_stdin) raw = std::make_unique<base::ScopedRawMode>(STDIN_FILENO);
    base::Status st = sup.Start();
    if (!st.ok()) {
      LOG_ERROR("%s", st.ToString().c_str());
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
