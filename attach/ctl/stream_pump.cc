#include "attach/ctl/stream_pump.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <uv.h>

#include <cerrno>
#include <optional>
#include <vector>

#include "attach/detach_keys.h"
#include "base/fd_io.h"
#include "base/terminal.h"
#include "base/uv_handle.h"

namespace attach {
namespace ctl {
namespace {

using tether::attach::Request;
using tether::attach::Response;
using End = PumpResult::End;

// Stop reading stdin while this much is queued for attachd, and resume
// below the low mark: a fast producer (`< big-file`) must not grow the
// queue without bound when attachd or the container reads slowly.
constexpr size_t kHighWater = 1 << 20;
constexpr size_t kLowWater = 256 << 10;
constexpr size_t kStdinChunk = 32 << 10;

constexpr int kTerminatingSignals[] = {SIGINT,  SIGTERM, SIGHUP,
                                       SIGQUIT, SIGUSR1, SIGUSR2};

class Pump {
 public:
  Pump(ClientConn& conn, const PumpOptions& options)
      : conn_(conn), opt_(options), filter_(options.detach_keys) {}

  base::Result<PumpResult> Run();

 private:
  base::Status Start();
  base::Status Watch(int signo);
  void Finish(End end);
  void Fail(base::Status s);
  void UpdateSocketEvents();
  void UpdateStdin();

  void OnSocket(int status, int events);
  void Dispatch(const Response& resp);
  void ReadStdin();
  void OnSignal(int signo);
  void SendSizeIfChanged();

  static void SocketCb(uv_poll_t* h, int status, int events) noexcept {
    static_cast<Pump*>(h->data)->OnSocket(status, events);
  }
  static void StdinPollCb(uv_poll_t* h, int, int) noexcept {
    static_cast<Pump*>(h->data)->ReadStdin();
  }
  static void StdinIdleCb(uv_idle_t* h) noexcept {
    static_cast<Pump*>(h->data)->ReadStdin();
  }
  static void SignalCb(uv_signal_t* h, int signo) noexcept {
    static_cast<Pump*>(h->data)->OnSignal(signo);
  }

  ClientConn& conn_;
  const PumpOptions& opt_;
  EscapeFilter filter_;
  uv_loop_t loop_;
  base::UvHandle<uv_poll_t> socket_;
  // Exactly one of these watches stdin: a poll for ttys, pipes and
  // sockets; an idle handle for regular files and /dev/null, which epoll
  // refuses (they are always readable, so reading on each turn is right).
  base::UvHandle<uv_poll_t> stdin_poll_;
  base::UvHandle<uv_idle_t> stdin_idle_;
  bool stdin_open_ = false;
  bool stdin_paused_ = false;
  int stdin_flags_ = -1;  // As found, restored when the pump ends.
  std::vector<base::UvHandle<uv_signal_t>> signals_;
  std::optional<base::WindowSize> last_size_;  // Last size sent.
  std::optional<PumpResult> result_;
  PumpResult info_;  // error/exec_id gathered before the end.
  base::Status error_;
};

base::Result<PumpResult> Pump::Run() {
  int rc = uv_loop_init(&loop_);
  if (rc != 0) return base::UvError("uv_loop_init", rc);
  base::Status s = Start();
  if (!s.ok()) Fail(std::move(s));
  // Runs until Finish/Fail closed every handle; the close callbacks free
  // them, after which the loop has nothing left and returns.
  uv_run(&loop_, UV_RUN_DEFAULT);
  rc = uv_loop_close(&loop_);
  // uv_poll_init made stdin non-blocking, and that flag lives in the open
  // file description the shell shares: put it back as it was.
  if (stdin_flags_ >= 0) ::fcntl(opt_.in_fd, F_SETFL, stdin_flags_);
  if (!error_.ok()) return error_;
  if (rc != 0) return base::UvError("uv_loop_close", rc);
  if (!result_) return base::Status::Internal("pump loop ended by itself");
  PumpResult result = *result_;
  result.error = info_.error;
  result.exec_id = info_.exec_id;
  return result;
}

base::Status Pump::Watch(int signo) {
  signals_.emplace_back();
  uv_signal_t* h = signals_.back().get();
  uv_signal_init(&loop_, h);
  signals_.back().MarkInitialized();
  h->data = this;
  int rc = uv_signal_start(h, &Pump::SignalCb, signo);
  if (rc != 0) {
    return base::UvError("watch signal " + std::to_string(signo), rc);
  }
  return base::Status::Ok();
}

base::Status Pump::Start() {
  TETHER_RETURN_IF_ERROR(conn_.SetNonBlocking());
  int rc = uv_poll_init(&loop_, socket_.get(), conn_.fd());
  if (rc != 0) return base::UvError("watch attachd socket", rc);
  socket_.MarkInitialized();
  socket_->data = this;
  UpdateSocketEvents();

  if (opt_.in_fd >= 0) {
    stdin_open_ = true;
    stdin_flags_ = ::fcntl(opt_.in_fd, F_GETFL);
    rc = uv_poll_init(&loop_, stdin_poll_.get(), opt_.in_fd);
    if (rc == 0) {
      stdin_poll_.MarkInitialized();
      stdin_poll_->data = this;
    } else if (rc == UV_EPERM) {
      stdin_poll_.Close();
      uv_idle_init(&loop_, stdin_idle_.get());
      stdin_idle_.MarkInitialized();
      stdin_idle_->data = this;
    } else {
      return base::UvError("watch stdin", rc);
    }
    UpdateStdin();
  }

  for (int signo : kTerminatingSignals) TETHER_RETURN_IF_ERROR(Watch(signo));
  if (opt_.winsize_fd >= 0) TETHER_RETURN_IF_ERROR(Watch(SIGWINCH));
  if (opt_.on_ready) TETHER_RETURN_IF_ERROR(opt_.on_ready());
  if (opt_.winsize_fd >= 0) {
    last_size_ = opt_.sent_size;
    SendSizeIfChanged();
  }
  return base::Status::Ok();
}

void Pump::Finish(End end) {
  if (result_) return;
  result_ = PumpResult();
  result_->end = end;
  socket_.Close();
  stdin_poll_.Close();
  stdin_idle_.Close();
  signals_.clear();
}

void Pump::Fail(base::Status s) {
  if (error_.ok() && !result_) error_ = std::move(s);
  Finish(End::kClosed);
}

void Pump::UpdateSocketEvents() {
  if (!socket_.initialized()) return;
  int events = UV_READABLE | (conn_.pending() > 0 ? UV_WRITABLE : 0);
  uv_poll_start(socket_.get(), events, &Pump::SocketCb);
}

void Pump::UpdateStdin() {
  if (stdin_paused_ && conn_.pending() < kLowWater) stdin_paused_ = false;
  if (!stdin_paused_ && conn_.pending() > kHighWater) stdin_paused_ = true;
  bool want = stdin_open_ && !stdin_paused_;
  if (stdin_poll_.initialized()) {
    if (want) {
      uv_poll_start(stdin_poll_.get(), UV_READABLE, &Pump::StdinPollCb);
    } else {
      uv_poll_stop(stdin_poll_.get());
    }
  } else if (stdin_idle_.initialized()) {
    if (want) {
      uv_idle_start(stdin_idle_.get(), &Pump::StdinIdleCb);
    } else {
      uv_idle_stop(stdin_idle_.get());
    }
  }
}

void Pump::OnSocket(int status, int events) {
  if (status < 0) return Fail(base::UvError("attachd socket", status));
  if (events & UV_WRITABLE) {
    base::Status s = conn_.Flush();
    if (!s.ok()) return Fail(std::move(s));
  }
  if (events & UV_READABLE) {
    base::Result<size_t> n = conn_.ReadSome();
    if (!n.ok() && n.status().code() != base::Status::Code::kUnavailable) {
      return Fail(n.TakeStatus());
    }
    // Dispatch every complete frame before acting on end of stream: the
    // exit code is usually the last frame before attachd closes.
    for (;;) {
      base::Result<std::optional<Response>> resp = conn_.NextBuffered();
      if (!resp.ok()) return Fail(resp.TakeStatus());
      if (!resp->has_value()) break;
      Dispatch(**resp);
      if (result_) return;
    }
    if (n.ok() && *n == 0) return Finish(End::kClosed);
  }
  UpdateSocketEvents();
  UpdateStdin();
}

void Pump::Dispatch(const Response& resp) {
  switch (resp.resp_case()) {
    case Response::kOutput: {
      const auto& out = resp.output();
      int fd = out.stream() == tether::attach::STREAM_STDERR ? opt_.err_fd
                                                             : opt_.out_fd;
      base::Status s = base::WriteAll(fd, out.data().data(), out.data().size());
      if (s.error_number() == EPIPE) return Finish(End::kOutputClosed);
      if (!s.ok()) return Fail(s.Annotate("write output"));
      return;
    }
    case Response::kExitCode:
      Finish(End::kExited);
      result_->exit_code = resp.exit_code();
      return;
    case Response::kError:
      info_.error = resp.error();
      return;
    case Response::kExecId:
      info_.exec_id = resp.exec_id();
      return;
    case Response::kDone:
      return Finish(End::kClosed);
    case Response::kDetached:  // attachd saw the keys on our terminal.
      return Finish(End::kDetached);
    default:
      return;  // Nothing else belongs to attach/exec; ignore, as proto3 does.
  }
}

void Pump::ReadStdin() {
  char buf[kStdinChunk];
  ssize_t n = ::read(opt_.in_fd, buf, sizeof(buf));
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  Request req;
  if (n > 0) {
    std::string forward;
    bool detached = filter_.Feed(std::string_view(buf, n), &forward);
    if (!forward.empty()) {
      req.mutable_stdin()->set_data(std::move(forward));
      base::Status s = conn_.QueueAndFlush(req);
      if (!s.ok()) return Fail(std::move(s));
    }
    // What was typed before the keys still goes out if the socket takes it
    // now; the session keeps running either way.
    if (detached) return Finish(End::kDetached);
  } else {
    // EOF, or EIO from a terminal that hung up: stdin is over. Keys held
    // back as a possible detach prefix were typed input after all.
    std::string held = filter_.TakeHeld();
    if (!held.empty()) {
      req.mutable_stdin()->set_data(std::move(held));
      base::Status s = conn_.QueueAndFlush(req);
      if (!s.ok()) return Fail(std::move(s));
    }
    Request close;
    close.mutable_stdin_close();
    base::Status s = conn_.QueueAndFlush(close);
    if (!s.ok()) return Fail(std::move(s));
    stdin_open_ = false;
  }
  UpdateSocketEvents();
  UpdateStdin();
}

void Pump::SendSizeIfChanged() {
  std::optional<base::WindowSize> size = base::GetWindowSize(opt_.winsize_fd);
  if (!size || (last_size_ && last_size_->rows == size->rows &&
                last_size_->cols == size->cols)) {
    return;
  }
  last_size_ = size;
  base::Status s = conn_.QueueAndFlush(ResizeTo(*size));
  if (!s.ok()) return Fail(std::move(s));
  UpdateSocketEvents();
}

void Pump::OnSignal(int signo) {
  if (signo == SIGWINCH) return SendSizeIfChanged();
  if (opt_.forward_signal) return opt_.forward_signal(signo);
  Finish(End::kSignalled);
  result_->signo = signo;
}

}  // namespace

Request ResizeTo(base::WindowSize size) {
  Request req;
  req.mutable_resize()->set_rows(size.rows);
  req.mutable_resize()->set_cols(size.cols);
  return req;
}

base::Result<PumpResult> RunPump(ClientConn& conn, const PumpOptions& options) {
  Pump pump(conn, options);
  return pump.Run();
}

}  // namespace ctl
}  // namespace attach
