#include "attach/endpoint/clients/client_terminal.h"

#include <fcntl.h>
#include <unistd.h>

namespace attach {
namespace endpoint {
namespace {

// A terminal delivers what was typed since the last read: a keystroke, a
// paste. Larger pastes simply take more reads.
constexpr size_t kReadBuffer = 4096;

}  // namespace

// A write in flight holds its own copy of the bytes: the caller's view is
// gone by the time the terminal takes them. It finds the terminal through
// the stream's data, cleared on destruction, so a write cancelled by the
// close never touches a dead object.
struct ClientTerminal::WriteReq {
  uv_write_t req;
  std::string data;
};

base::Result<std::unique_ptr<ClientTerminal>> ClientTerminal::Adopt(
    uv_pipe_t* carrier, Callbacks callbacks) {
  if (uv_pipe_pending_count(carrier) == 0) {
    return base::Status::InvalidArgument(
        "terminal handoff: no file descriptor came with the request");
  }
  std::unique_ptr<ClientTerminal> t(new ClientTerminal(std::move(callbacks)));
  int rc = uv_pipe_init(carrier->loop, t->stream_.get(), 0);
  if (rc != 0) return base::UvError("terminal handoff: uv_pipe_init", rc);
  t->stream_.MarkInitialized();
  t->stream_->data = t.get();
  // libuv opens any passed fd as a stream of the accepting handle's type;
  // its read/write code is the same for a tty.
  rc = uv_accept(reinterpret_cast<uv_stream_t*>(carrier),
                 reinterpret_cast<uv_stream_t*>(t->stream_.get()));
  if (rc != 0) return base::UvError("terminal handoff: take the fd", rc);
  uv_os_fd_t fd = -1;
  uv_fileno(reinterpret_cast<uv_handle_t*>(t->stream_.get()), &fd);
  if (::isatty(fd) != 1) {
    return base::Status::InvalidArgument(
        "terminal handoff: the file descriptor passed is not a terminal");
  }
  // The client opened it non-blocking already; make sure, since a blocked
  // write would stop every tether and client on this loop.
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
    return base::Status::FromErrno(base::Status::Code::kIoError,
                                   "terminal handoff: O_NONBLOCK", errno);
  }
  return t;
}

ClientTerminal::~ClientTerminal() { Close(); }

void ClientTerminal::Close() {
  if (stream_.initialized()) stream_->data = nullptr;
  stream_.Close();
  reading_ = false;
  failed_ = true;  // Nothing more goes out.
}

bool ClientTerminal::Write(std::string_view data) {
  if (failed_) return false;
  if (data.empty()) return true;
  auto* stream = reinterpret_cast<uv_stream_t*>(stream_.get());
  // Straight to the terminal when nothing is queued (uv_try_write refuses
  // while something is, which keeps the order).
  uv_buf_t now = uv_buf_init(const_cast<char*>(data.data()),
                             static_cast<unsigned int>(data.size()));
  int n = uv_try_write(stream, &now, 1);
  if (n == static_cast<int>(data.size())) return true;
  if (n < 0 && n != UV_EAGAIN) {
    Fail(std::string("write to the terminal: ") + uv_strerror(n));
    return false;
  }
  if (n > 0) data.remove_prefix(static_cast<size_t>(n));
  auto* w = new WriteReq();
  w->data.assign(data.data(), data.size());
  uv_buf_t rest = uv_buf_init(&w->data[0],
                              static_cast<unsigned int>(w->data.size()));
  int rc = uv_write(&w->req, stream, &rest, 1, &ClientTerminal::OnWritten);
  if (rc != 0) {
    delete w;
    Fail(std::string("write to the terminal: ") + uv_strerror(rc));
    return false;
  }
  queued_ += data.size();
  return true;
}

void ClientTerminal::OnWritten(uv_write_t* req, int status) noexcept {
  std::unique_ptr<WriteReq> w(reinterpret_cast<WriteReq*>(req));
  auto* self = static_cast<ClientTerminal*>(req->handle->data);
  if (self == nullptr) return;
  self->queued_ -= w->data.size();
  if (status < 0) {
    self->Fail(std::string("write to the terminal: ") + uv_strerror(status));
    return;
  }
  if (self->cb_.written) self->cb_.written();
}

void ClientTerminal::StartReading() {
  if (reading_ || input_over_ || failed_) return;
  int rc = uv_read_start(reinterpret_cast<uv_stream_t*>(stream_.get()),
                         &ClientTerminal::OnAlloc, &ClientTerminal::OnRead);
  if (rc == 0) reading_ = true;
}

void ClientTerminal::StopReading() {
  if (!reading_ || !stream_.initialized()) return;
  uv_read_stop(reinterpret_cast<uv_stream_t*>(stream_.get()));
  reading_ = false;
}

void ClientTerminal::OnAlloc(uv_handle_t* h, size_t /*hint*/,
                             uv_buf_t* buf) noexcept {
  auto* self = static_cast<ClientTerminal*>(h->data);
  if (self == nullptr) {
    *buf = uv_buf_init(nullptr, 0);
    return;
  }
  self->read_buf_.resize(kReadBuffer);
  *buf = uv_buf_init(&self->read_buf_[0], kReadBuffer);
}

void ClientTerminal::OnRead(uv_stream_t* s, ssize_t n,
                            const uv_buf_t* buf) noexcept {
  auto* self = static_cast<ClientTerminal*>(s->data);
  if (self == nullptr || n == 0) return;
  if (n > 0) {
    self->cb_.input(std::string_view(buf->base, static_cast<size_t>(n)));
    return;
  }
  // EOF, or EIO from a terminal that hung up: no more keystrokes. Output
  // may still go out (or fail, and say so through `failed`).
  self->StopReading();
  self->input_over_ = true;
  self->cb_.input_end();
}

void ClientTerminal::Fail(const std::string& why) {
  if (failed_) return;
  failed_ = true;
  StopReading();
  cb_.failed(why);
}

}  // namespace endpoint
}  // namespace attach
