// The console bridge for a tether with no endpoint: session output goes to
// the tether's own stdout/stderr, and a tty primary's stdin comes from the
// tether's stdin (tini-like use, or a VM's console before an endpoint
// exists).
#ifndef TETHER_TETHER_CONSOLE_H_
#define TETHER_TETHER_CONSOLE_H_

#include <uv.h>

#include <memory>

#include "tether/output_pump.h"
#include "tether/session.h"

namespace tether {

// Writes each chunk synchronously to fd 1 (stdout; a pty's output too) or
// fd 2 (stderr). Blocking is deliberate: a slow console slows the reader of
// the pipe and so the writer, and nothing accepted is dropped.
class ConsoleSink : public OutputSink {
 public:
  void OnOutput(Session& session, Stream stream, const char* data,
                size_t len) override;

 private:
  bool broken_[3] = {false, false, false};  // Logged once per fd.
};

// Copies the tether's stdin (fd 0) into `session`'s stdin until EOF, then
// closes the session's stdin. Used for tty sessions, whose stdin is the
// pty. Reading pauses while the session's stdin queue is full. Stop() ends
// it early (the container is done); call it before the session goes.
class StdinBridge {
 public:
  StdinBridge(uv_loop_t* loop, Session& session)
      : loop_(loop), session_(session) {}
  ~StdinBridge() { Stop(); }
  StdinBridge(const StdinBridge&) = delete;
  StdinBridge& operator=(const StdinBridge&) = delete;
  base::Status Start();
  void Stop() {
    session_.SetStdinRoomCallback(nullptr);
    pump_.reset();
  }

 private:
  static constexpr size_t kMaxRead = 64 * 1024;  // OutputPump's buffer.
  uv_loop_t* loop_;
  Session& session_;
  std::unique_ptr<OutputPump> pump_;
};

}  // namespace tether

#endif  // TETHER_TETHER_CONSOLE_H_
