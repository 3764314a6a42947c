// Session: one container process (the primary, or an exec) across its runs.
//
// A Session starts its process through base::Os with exact argv, env,
// workdir and user, wires its stdio (pipes, or a pty when `tty`), and pumps
// its output into one OutputRing per stream and on to an OutputSink. It does
// not wait for its process: the Reaper reports exits through OnExit(). All
// methods run on the tether's loop.
#ifndef TETHER_TETHER_SESSION_H_
#define TETHER_TETHER_SESSION_H_

#include <sys/types.h>
#include <uv.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/os.h"
#include "base/terminal.h"
#include "guestinfo/config.h"
#include "tether/output_pump.h"
#include "tether/output_ring.h"

namespace tether {

enum class Stream { kStdout = 1, kStderr = 2 };

class Session;

// Receives every output chunk after it is in the session's ring.
class OutputSink {
 public:
  virtual ~OutputSink() = default;
  virtual void OnOutput(Session& session, Stream stream, const char* data,
                        size_t len) = 0;
};

class Session {
 public:
  // `sink` may be null and must outlive the session.
  Session(uv_loop_t* loop, base::Os& os, guestinfo::SessionConfig config,
          size_t ring_bytes, OutputSink* sink);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  struct StartOptions {
    // For a non-tty session with open_stdin: an fd of the tether's to give
    // the process as its stdin (tini-like passthrough). -1: a pipe the
    // tether writes with WriteStdin().
    int inherit_stdin_fd = -1;
    base::WindowSize window;        // Initial pty size for tty sessions.
    base::Confinement confinement;  // tether/confinement.h
  };
  // Starts one run. Errors are ready for the user, e.g.
  // `exec: "x": executable file not found in $PATH` (kNotFound) or
  // `no user "web" in /etc/passwd`; ExitCodeForSpawnFailure maps them.
  base::Status Start(const StartOptions& options);
  // The process ended (from the Reaper). Output may still be draining.
  void OnExit(int wait_status, int64_t wall_seconds);
  // The last run failed to start; records it like an exit with `code`.
  void OnStartFailed(int code, const std::string& message,
                     int64_t wall_seconds);

  // Sends to the process (or its group with `group`). A session that is
  // not running is not an error: the signal has nobody to reach.
  base::Status Signal(int signo, bool group);
  // Stdin: data for the process (pipe or pty master), queued in PID 1
  // only up to kMaxStdinQueue bytes (review F6). StdinRoom() says how much
  // WriteStdin takes now: callers read no more than that from their source
  // (the link stops reading the channel, so the endpoint's window closes).
  // With no stdin to write to, everything is taken and dropped.
  static constexpr size_t kMaxStdinQueue = 256 * 1024;
  size_t StdinRoom() const;
  // Returns how many bytes it took: all of them, unless the caller gave
  // more than StdinRoom() (the rest is refused, and logged).
  size_t WriteStdin(const char* data, size_t len);
  // Called when StdinRoom() rose past half the bound again, or became
  // unlimited because stdin closed: a source that stopped reading below
  // half the bound may read again. Set by the stdin's source.
  void SetStdinRoomCallback(std::function<void(Session&)> fn) {
    on_stdin_room_ = std::move(fn);
  }
  // CloseStdin() delivers EOF (^D on a tty).
  void CloseStdin();
  size_t stdin_queue_bytes() const;
  base::Status Resize(base::WindowSize size);
  // Closes every pump and the stdin pipe (end of the container), so the
  // loop can finish. Output still unread is abandoned.
  void CloseIo();

  const guestinfo::SessionConfig& config() const { return config_; }
  const std::string& id() const { return config_.id; }
  bool primary() const { return config_.primary; }
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  // The process group of the last run (its pid: sessions call setsid).
  pid_t last_pgid() const { return last_pgid_; }
  bool started_once() const { return runs_ > 0; }
  int runs() const { return runs_; }
  int exit_code() const { return exit_code_; }
  int exit_signal() const { return exit_signal_; }
  const std::string& error() const { return error_; }
  int64_t started_at() const { return started_at_; }
  int64_t finished_at() const { return finished_at_; }
  // True while any output pump is still open (output not yet drained).
  bool output_open() const;
  // Pauses or resumes reading one output stream (backpressure from a
  // reader that has not acknowledged the ring's contents).
  void PauseOutput(Stream stream);
  void ResumeOutput(Stream stream);
  // Called when the last open output stream of a run reaches EOF.
  void SetOutputClosedCallback(std::function<void(Session&)> fn) {
    on_output_closed_ = std::move(fn);
  }
  OutputRing& ring(Stream stream) {
    return stream == Stream::kStdout ? stdout_ring_ : stderr_ring_;
  }
  const OutputRing& ring(Stream stream) const {
    return stream == Stream::kStdout ? stdout_ring_ : stderr_ring_;
  }

 private:
  struct Stdio;
  base::Result<base::SpawnSpec> BuildSpec();
  base::Result<Stdio> WireStdio(const StartOptions& options,
                                base::SpawnSpec& spec);
  uv_stream_t* stdin_stream() const;
  base::Status StartPump(base::UniqueFd fd, Stream stream);
  void OnPumpData(Stream stream, const char* data, size_t len);
  void QueueStdin(const char* data, size_t len);  // Unbounded: see above.
  static void OnStdinWritten(uv_write_t* req, int status) noexcept;
  void NotifyStdinRoom();

  uv_loop_t* loop_;
  base::Os& os_;
  guestinfo::SessionConfig config_;
  OutputSink* sink_;
  std::function<void(Session&)> on_output_closed_;
  OutputRing stdout_ring_;
  OutputRing stderr_ring_;
  struct Pump {
    Stream stream;
    std::unique_ptr<OutputPump> pump;
  };
  std::vector<Pump> pumps_;         // Of this run and unfinished earlier ones.
  OutputPump* pty_ = nullptr;       // The tty's master, among pumps_.
  base::UvHandle<uv_pipe_t> stdin_pipe_;  // Non-tty stdin written by us.
  std::function<void(Session&)> on_stdin_room_;
  bool stdin_refused_ = false;  // Logged once a run.
  // Points at this session until it is destroyed: a write's completion
  // may come after that (libuv cancels queued writes on close).
  std::shared_ptr<Session*> self_;
  pid_t pid_ = 0;
  pid_t last_pgid_ = 0;
  int runs_ = 0;
  int exit_code_ = -1;
  int exit_signal_ = 0;
  std::string error_;
  int64_t started_at_ = 0;
  int64_t finished_at_ = 0;
};

}  // namespace tether

#endif  // TETHER_TETHER_SESSION_H_
