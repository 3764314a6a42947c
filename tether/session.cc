#include "tether/session.h"

#include <uv.h>

#include <algorithm>
#include <cstdint>
#include <memory>

#include "base/log.h"
#include "tether/exit_code.h"
#include "tether/path_lookup.h"
#include "tether/users/user_resolver.h"

namespace tether {
namespace {

// A uv_write request that owns its bytes until libuv is done with them.
struct WriteRequest {
  uv_write_t req;
  std::string data;
  std::shared_ptr<Session*> session;  // Null once the session is gone.
};

void AddDefault(std::vector<std::string>& env, const std::string& key,
                const std::string& value) {
  if (FindEnv(env, key) == nullptr) env.push_back(key + "=" + value);
}

}  // namespace

// The fds of one run: the child's ends are closed once it has exec'd.
struct Session::Stdio {
  base::UniqueFd child_in, child_out, child_err;
  base::UniqueFd our_in, our_out, our_err;  // Our ends of the pipes.
  base::UniqueFd pty_master;
};

Session::Session(uv_loop_t* loop, base::Os& os,
                 guestinfo::SessionConfig config, size_t ring_bytes,
                 OutputSink* sink)
    : loop_(loop),
      os_(os),
      config_(std::move(config)),
      sink_(sink),
      stdout_ring_(ring_bytes),
      stderr_ring_(ring_bytes),
      self_(std::make_shared<Session*>(this)) {}

Session::~Session() { *self_ = nullptr; }

base::Result<base::SpawnSpec> Session::BuildSpec() {
  base::SpawnSpec spec;
  spec.env = config_.env;
  // An empty user keeps the tether's identity (root in a VM); its home
  // still comes from the container's passwd when there is one, and only
  // matters when the environment has no HOME (`tether -- CMD` inherits
  // one: no passwd and group files read before its exec, as tini).
  base::Result<ResolvedUser> user =
      config_.user.empty() && FindEnv(spec.env, "HOME") != nullptr
          ? base::Result<ResolvedUser>(ResolvedUser())
          : ResolveUser(os_, config_.user);
  if (!config_.user.empty()) {
    // A user the container lacks is the tether's error (125), not a
    // missing command (127), whatever the lookup's own code.
    if (!user.ok()) return base::Status::InvalidArgument(user.status().message());
    spec.set_ids = true;
    spec.uid = user->uid;
    spec.gid = user->gid;
    spec.groups = user->groups;
  }
  // docker's defaults for what the image did not set.
  spec.env = WithDefaultHome(std::move(spec.env),
                             user.ok() ? user->home : std::string("/"));
  AddDefault(spec.env, "PATH", kDefaultPath);
  if (config_.tty) AddDefault(spec.env, "TERM", "xterm");
  TETHER_ASSIGN_OR_RETURN(spec.path, LookPath(os_, config_.path, spec.env));
  spec.argv = config_.args.empty() ? std::vector<std::string>{config_.path}
                                   : config_.args;
  spec.workdir = config_.workdir;
  spec.new_session = true;
  return spec;
}

base::Result<Session::Stdio> Session::WireStdio(const StartOptions& options,
                                                base::SpawnSpec& spec) {
  Stdio io;
  if (config_.tty) {
    TETHER_ASSIGN_OR_RETURN(base::PtyPair pty, os_.OpenPty());
    TETHER_RETURN_IF_ERROR(base::SetWindowSize(pty.slave.get(),
                                               options.window));
    spec.stdin_fd = spec.stdout_fd = spec.stderr_fd = pty.slave.get();
    spec.controlling_tty = true;
    io.child_in = std::move(pty.slave);
    io.pty_master = std::move(pty.master);
    return io;
  }
  if (config_.open_stdin) {
    if (options.inherit_stdin_fd >= 0) {
      spec.stdin_fd = options.inherit_stdin_fd;
    } else {
      TETHER_ASSIGN_OR_RETURN(base::PipePair in, os_.Pipe());
      spec.stdin_fd = in.read.get();
      io.child_in = std::move(in.read);
      io.our_in = std::move(in.write);
    }
  }
  TETHER_ASSIGN_OR_RETURN(base::PipePair out, os_.Pipe());
  TETHER_ASSIGN_OR_RETURN(base::PipePair err, os_.Pipe());
  spec.stdout_fd = out.write.get();
  spec.stderr_fd = err.write.get();
  io.child_out = std::move(out.write);
  io.child_err = std::move(err.write);
  io.our_out = std::move(out.read);
  io.our_err = std::move(err.read);
  return io;
}

base::Status Session::Start(const StartOptions& options) {
  if (running()) return base::Status::Internal("session already running");
  TETHER_ASSIGN_OR_RETURN(base::SpawnSpec spec, BuildSpec());
  spec.confine = options.confinement;
  TETHER_ASSIGN_OR_RETURN(Stdio io, WireStdio(options, spec));
  TETHER_ASSIGN_OR_RETURN(pid_t pid, os_.Spawn(spec));
  // Pumps of earlier runs that reached EOF are done with.
  pty_ = nullptr;
  for (size_t i = pumps_.size(); i-- > 0;) {
    if (!pumps_[i].pump->open()) pumps_.erase(pumps_.begin() + i);
  }
  pid_ = last_pgid_ = pid;
  stdin_refused_ = false;
  ++runs_;
  started_at_ = os_.WallSeconds();
  finished_at_ = 0;
  exit_code_ = -1;
  exit_signal_ = 0;
  error_.clear();
  // Close the child's ends now, or EOF would never come.
  io.child_in.Reset();
  io.child_out.Reset();
  io.child_err.Reset();
  if (io.pty_master) {
    TETHER_RETURN_IF_ERROR(StartPump(std::move(io.pty_master),
                                     Stream::kStdout));
    pty_ = pumps_.back().pump.get();
  } else {
    TETHER_RETURN_IF_ERROR(StartPump(std::move(io.our_out), Stream::kStdout));
    TETHER_RETURN_IF_ERROR(StartPump(std::move(io.our_err), Stream::kStderr));
  }
  if (io.our_in) {
    stdin_pipe_ = base::UvHandle<uv_pipe_t>();
    int rc = uv_pipe_init(loop_, stdin_pipe_.get(), 0);
    if (rc != 0) return base::UvError("stdin pipe", rc);
    stdin_pipe_.MarkInitialized();
    rc = uv_pipe_open(stdin_pipe_.get(), io.our_in.get());
    if (rc != 0) return base::UvError("stdin pipe", rc);
    io.our_in.Release();
  }
  LOG_DEBUG("session %s: started pid %d", id().c_str(), pid);
  return base::Status::Ok();
}

base::Status Session::StartPump(base::UniqueFd fd, Stream stream) {
  auto pump = OutputPump::Start(
      loop_, std::move(fd),
      [this, stream](const char* d, size_t n) { OnPumpData(stream, d, n); },
      [this]() {
        // A pty's end is its stdin's end too.
        if (stdin_stream() == nullptr) NotifyStdinRoom();
        if (on_output_closed_ && !output_open()) on_output_closed_(*this);
      });
  if (!pump.ok()) return pump.TakeStatus();
  pumps_.push_back(Pump{stream, std::move(pump).value()});
  return base::Status::Ok();
}

void Session::OnPumpData(Stream stream, const char* data, size_t len) {
  ring(stream).Append(data, len);
  if (sink_ != nullptr) sink_->OnOutput(*this, stream, data, len);
}

bool Session::output_open() const {
  for (const Pump& p : pumps_) {
    if (p.pump->open()) return true;
  }
  return false;
}

void Session::PauseOutput(Stream stream) {
  for (Pump& p : pumps_) {
    if (p.stream == stream) p.pump->Pause();
  }
}

void Session::ResumeOutput(Stream stream) {
  for (Pump& p : pumps_) {
    if (p.stream == stream) p.pump->Resume();
  }
}

void Session::OnExit(int wait_status, int64_t wall_seconds) {
  exit_code_ = ExitCodeFromWaitStatus(wait_status);
  exit_signal_ = SignalFromWaitStatus(wait_status);
  finished_at_ = wall_seconds;
  pid_ = 0;
  CloseStdin();
}

void Session::OnStartFailed(int code, const std::string& message,
                            int64_t wall_seconds) {
  exit_code_ = code;
  exit_signal_ = 0;
  error_ = message;
  started_at_ = finished_at_ = wall_seconds;
  pid_ = 0;
  CloseIo();
}

void Session::CloseIo() {
  pumps_.clear();
  pty_ = nullptr;
  stdin_pipe_.Close();
  NotifyStdinRoom();  // Unlimited now: whatever comes is dropped.
}

base::Status Session::Signal(int signo, bool group) {
  if (!running()) return base::Status::Ok();
  base::Status s = os_.Kill(group ? -pid_ : pid_, signo);
  return s.Annotate("signal session " + id());
}

uv_stream_t* Session::stdin_stream() const {
  if (pty_ != nullptr && pty_->open()) return pty_->stream();
  if (stdin_pipe_.initialized()) {
    return reinterpret_cast<uv_stream_t*>(stdin_pipe_.get());
  }
  return nullptr;
}

size_t Session::StdinRoom() const {
  uv_stream_t* s = stdin_stream();
  if (s == nullptr) return SIZE_MAX;
  size_t queued = uv_stream_get_write_queue_size(s);
  return queued >= kMaxStdinQueue ? 0 : kMaxStdinQueue - queued;
}

size_t Session::WriteStdin(const char* data, size_t len) {
  const size_t room = StdinRoom();
  if (len > room) {
    // A caller that does not honour StdinRoom(): a bug, said once a run.
    if (!stdin_refused_) {
      LOG_WARN("session %s: stdin over the %zu-byte bound refused",
               id().c_str(), kMaxStdinQueue);
    }
    stdin_refused_ = true;
    len = room;
  }
  QueueStdin(data, len);
  return len;
}

void Session::QueueStdin(const char* data, size_t len) {
  uv_stream_t* s = stdin_stream();
  if (s == nullptr || len == 0) return;
  // Straight to the fd while nothing is queued (uv_try_write refuses
  // otherwise, so order holds): uv_write re-arms the stream's epoll watcher
  // after every write, and epoll_ctl on a pty waits for the tty layer's
  // flush worker, which on a busy machine delayed each keystroke's echo by
  // milliseconds.
  uv_buf_t direct = uv_buf_init(const_cast<char*>(data), len);
  int n = uv_try_write(s, &direct, 1);
  if (n < 0 && n != UV_EAGAIN) {
    LOG_DEBUG("session %s: stdin: %s", id().c_str(), uv_strerror(n));
    return;
  }
  if (n > 0) {
    data += n;
    len -= static_cast<size_t>(n);
    if (len == 0) return;
  }
  WriteRequest* w = new WriteRequest;
  w->data.assign(data, len);
  w->session = self_;
  uv_buf_t buf = uv_buf_init(w->data.data(), w->data.size());
  int rc = uv_write(&w->req, s, &buf, 1, &Session::OnStdinWritten);
  if (rc != 0) {
    LOG_DEBUG("session %s: stdin: %s", id().c_str(), uv_strerror(rc));
    delete w;
  }
}

void Session::OnStdinWritten(uv_write_t* req, int status) noexcept {
  std::unique_ptr<WriteRequest> w(reinterpret_cast<WriteRequest*>(req));
  if (status < 0 && status != UV_EPIPE && status != UV_ECANCELED) {
    LOG_WARN("stdin write: %s", uv_strerror(status));
  }
  Session* self = *w->session;
  if (self == nullptr) return;
  // Edge-triggered: the room crossed half the bound on its way up. A
  // source that stopped reading did so below it (at 0, or short of a
  // whole read), so this is its cue.
  const size_t half = kMaxStdinQueue / 2;
  const size_t room = self->StdinRoom();
  if (room >= half && room - std::min(room, w->data.size()) < half) {
    self->NotifyStdinRoom();
  }
}

void Session::NotifyStdinRoom() {
  if (on_stdin_room_) on_stdin_room_(*this);
}

void Session::CloseStdin() {
  if (pty_ != nullptr && pty_->open()) {
    // A pty cannot be half-closed: EOF is the VEOF character, as a user
    // typing ^D would send it (past the bound, if need be: one byte).
    if (config_.tty && running()) QueueStdin("\x04", 1);
    return;
  }
  stdin_pipe_.Close();  // Queued writes are cancelled; EOF for the reader.
  NotifyStdinRoom();
}

size_t Session::stdin_queue_bytes() const {
  uv_stream_t* s = stdin_stream();
  return s ? uv_stream_get_write_queue_size(s) : 0;
}

base::Status Session::Resize(base::WindowSize size) {
  if (pty_ == nullptr || !pty_->open()) return base::Status::Ok();
  uv_os_fd_t fd;
  int rc = uv_fileno(reinterpret_cast<uv_handle_t*>(pty_->stream()), &fd);
  if (rc != 0) return base::UvError("pty fileno", rc);
  return base::SetWindowSize(fd, size);
}

}  // namespace tether
