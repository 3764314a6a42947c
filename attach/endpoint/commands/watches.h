// Waiting for a container's events, for start and wait: StartWatch until a
// booted VM's tether has said Hello, ExitWatch until the primary session
// has ended (or the container was removed, docker's `removed` condition).
// Each calls its callback at most once, never from its constructor.
//
// Loop thread only. A watch may be destroyed at any time, also from its
// own callback.
#ifndef TETHER_ATTACH_ENDPOINT_COMMANDS_WATCHES_H_
#define TETHER_ATTACH_ENDPOINT_COMMANDS_WATCHES_H_

#include <uv.h>

#include <cstdint>
#include <functional>
#include <string>

#include "attach/endpoint/containers/container.h"
#include "base/result.h"
#include "base/uv_handle.h"

namespace attach {
namespace endpoint {

// A TCG boot under load takes tens of seconds; a tether that has not
// connected after this is reported, not waited for forever.
constexpr uint64_t kStartTimeoutMs = 120000;

struct StartOutcome {
  // OK once the tether said Hello, or once the container ended before it
  // could (then `ended` and `exit_code`); else why the start failed (the
  // VM ended with an error, the tether did not connect in time, the
  // container was removed).
  base::Status status;
  bool ended = false;
  int exit_code = 0;
};

class StartWatch : public SessionObserver {
 public:
  using Done = std::function<void(const StartOutcome&)>;
  // Watches `primary` of `c` (whose VM was just booted).
  StartWatch(uv_loop_t* loop, Container* c, Session* primary,
             uint64_t timeout_ms, Done done);
  ~StartWatch() override;
  StartWatch(const StartWatch&) = delete;
  StartWatch& operator=(const StartWatch&) = delete;

  void OnOutput(const OutputEvent&) override {}
  void OnTetherHello() override;
  void OnSessionEnd(int exit_code, const std::string& error) override;
  void OnContainerGone(const std::string& why) override;

 private:
  static void OnTimeout(uv_timer_t* h) noexcept;
  void Finish(StartOutcome outcome);

  Session* primary_;
  std::string console_;
  Done done_;
  base::UvHandle<uv_timer_t> timer_;
};

// docker wait's conditions.
enum class WaitCondition {
  kNotRunning,  // Now if not running, else at the next exit.
  kNextExit,    // The next time the primary ends.
  kRemoved,     // When the container is removed (after it ended).
};

// "not-running" (also ""), "next-exit" or "removed"; kInvalidArgument
// otherwise, in docker's words.
base::Result<WaitCondition> ParseWaitCondition(const std::string& text);

class ExitWatch : public SessionObserver {
 public:
  // `error` is set only when the container went away with no exit to
  // tell (attachd stopping, or removed while a next exit was awaited).
  using Done = std::function<void(int exit_code, const std::string& error)>;
  ExitWatch(Container* c, Session* primary, WaitCondition condition, Done done);
  ~ExitWatch() override;
  ExitWatch(const ExitWatch&) = delete;
  ExitWatch& operator=(const ExitWatch&) = delete;

  // Whether the condition holds already (kNotRunning on a container that
  // does not run): the caller answers with `c`'s exit code itself.
  static bool Immediate(const Container& c, WaitCondition condition);
  // The exit code of `c`'s primary's last run; 0 when it never ran.
  static int LastExitCode(const Container& c);

  void OnOutput(const OutputEvent&) override {}
  void OnSessionEnd(int exit_code, const std::string& error) override;
  void OnContainerGone(const std::string& why) override;
  // An auto-remove container does not wait for its waiters to leave.
  bool holds_container() const override { return false; }

 private:
  void Finish(int exit_code, const std::string& error);

  Container* container_;
  Session* primary_;
  WaitCondition condition_;
  Done done_;
  bool exited_ = false;
  int exit_code_ = 0;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_COMMANDS_WATCHES_H_
