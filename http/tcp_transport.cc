#include "http/tcp_transport.h"

#include <unistd.h>

#include "http/listen_address.h"

namespace http {
namespace {

constexpr size_t kReadBufferBytes = 64 * 1024;

}  // namespace

// A write request owns its bytes. It holds the transport weakly: libuv
// runs it (with UV_ECANCELED) even after the handle was closed.
struct TcpTransport::WriteReq {
  uv_write_t req;
  std::string data;
  std::weak_ptr<TcpTransport> owner;
};

struct TcpTransport::ShutdownReq {
  uv_shutdown_t req;
  std::weak_ptr<TcpTransport> owner;
};

base::Result<std::shared_ptr<TcpTransport>> TcpTransport::Adopt(
    uv_loop_t* loop, int fd, uint64_t linger_ms) {
  std::shared_ptr<TcpTransport> t(new TcpTransport(linger_ms));
  int rc = uv_tcp_init(loop, t->tcp_.get());
  if (rc != 0) {
    ::close(fd);
    return base::UvError("http: tcp init", rc);
  }
  t->tcp_.MarkInitialized();
  t->tcp_->data = t.get();
  rc = uv_tcp_open(t->tcp_.get(), fd);
  if (rc != 0) {
    ::close(fd);
    return base::UvError("http: tcp open", rc);
  }
  rc = uv_timer_init(loop, t->linger_.get());
  if (rc != 0) return base::UvError("http: timer init", rc);
  t->linger_.MarkInitialized();
  t->linger_->data = t.get();
  uv_tcp_nodelay(t->tcp_.get(), 1);
  sockaddr_storage peer{};
  int len = sizeof(peer);
  if (uv_tcp_getpeername(t->tcp_.get(), reinterpret_cast<sockaddr*>(&peer),
                         &len) == 0) {
    t->peer_.address = FormatAddress(reinterpret_cast<sockaddr*>(&peer));
  } else {
    t->peer_.address = "?";
  }
  return t;
}

TcpTransport::TcpTransport(uint64_t linger_ms)
    : linger_ms_(linger_ms), read_buf_(new char[kReadBufferBytes]) {}

TcpTransport::~TcpTransport() { Close(); }

void TcpTransport::Start(Delegate* delegate) {
  delegate_ = delegate;
  started_ = true;
  UpdateReading();
}

void TcpTransport::Write(std::string data) {
  if (closed_ || shutting_down_ || data.empty()) return;
  auto* w = new WriteReq();
  w->data = std::move(data);
  w->owner = weak_from_this();
  uv_buf_t buf =
      uv_buf_init(w->data.data(), static_cast<unsigned>(w->data.size()));
  int rc = uv_write(&w->req, stream(), &buf, 1, &TcpTransport::OnWritten);
  if (rc != 0) {
    delete w;
    Finish(base::UvError("http: write", rc));
    return;
  }
  queued_ += buf.len;
}

void TcpTransport::PauseReading() {
  paused_ = true;
  UpdateReading();
}

void TcpTransport::ResumeReading() {
  paused_ = false;
  UpdateReading();
}

// Reads while started, not paused and not at EOF; a shutting-down
// transport reads (and drops) regardless, to drain the peer.
void TcpTransport::UpdateReading() {
  if (closed_) return;
  bool want = started_ && !eof_ && (!paused_ || shutting_down_);
  if (want == reading_) return;
  if (want) {
    int rc =
        uv_read_start(stream(), &TcpTransport::OnAlloc, &TcpTransport::OnRead);
    if (rc != 0) return Finish(base::UvError("http: read", rc));
  } else {
    uv_read_stop(stream());
  }
  reading_ = want;
}

void TcpTransport::Shutdown() {
  if (closed_ || shutting_down_) return;
  shutting_down_ = true;
  auto* req = new ShutdownReq();
  req->owner = weak_from_this();
  int rc = uv_shutdown(&req->req, stream(), &TcpTransport::OnShutdown);
  if (rc != 0) {
    delete req;
    return Finish(base::Status::Ok());  // Not connected any more.
  }
  UpdateReading();
}

void TcpTransport::Close() {
  if (closed_) return;
  closed_ = true;
  delegate_ = nullptr;
  reading_ = false;
  linger_.Close();
  tcp_.Close();
}

void TcpTransport::EnableKeepAlive(unsigned delay_s) {
  if (!closed_) uv_tcp_keepalive(tcp_.get(), 1, delay_s);
}

void TcpTransport::Finish(const base::Status& why) {
  if (closed_) return;
  Delegate* d = delegate_;
  Close();
  if (d != nullptr) d->OnTransportClosed(why);
}

void TcpTransport::OnAlloc(uv_handle_t* h, size_t, uv_buf_t* buf) noexcept {
  auto* self = static_cast<TcpTransport*>(h->data);
  buf->base = self->read_buf_.get();
  buf->len = kReadBufferBytes;
}

void TcpTransport::OnRead(uv_stream_t* s, ssize_t n, const uv_buf_t*) noexcept {
  std::shared_ptr<TcpTransport> self =
      static_cast<TcpTransport*>(s->data)->shared_from_this();
  self->Read(n);
}

void TcpTransport::Read(ssize_t n) {
  if (n == 0 || closed_) return;  // 0: EAGAIN, nothing to do.
  if (shutting_down_) {
    // Draining before the close: input is dropped; the peer's FIN or an
    // error ends the wait early.
    if (n < 0) Finish(base::Status::Ok());
    return;
  }
  if (n > 0) {
    if (delegate_ != nullptr) {
      delegate_->OnTransportData(read_buf_.get(), static_cast<size_t>(n));
    }
    return;
  }
  if (n == UV_EOF) {
    eof_ = true;
    UpdateReading();
    if (delegate_ != nullptr) delegate_->OnTransportEof();
    return;
  }
  Finish(base::UvError("http: read", static_cast<int>(n)));
}

void TcpTransport::OnWritten(uv_write_t* req, int status) noexcept {
  std::unique_ptr<WriteReq> w(reinterpret_cast<WriteReq*>(req));
  std::shared_ptr<TcpTransport> self = w->owner.lock();
  if (!self || self->closed_) return;
  self->queued_ -= w->data.size();
  if (status < 0) return self->Finish(base::UvError("http: write", status));
  if (self->delegate_ != nullptr && !self->shutting_down_) {
    self->delegate_->OnTransportWritten();
  }
}

void TcpTransport::OnShutdown(uv_shutdown_t* req, int status) noexcept {
  std::unique_ptr<ShutdownReq> r(reinterpret_cast<ShutdownReq*>(req));
  std::shared_ptr<TcpTransport> self = r->owner.lock();
  if (!self || self->closed_) return;
  if (status < 0 || self->eof_) return self->Finish(base::Status::Ok());
  uv_timer_start(self->linger_.get(), &TcpTransport::OnLinger, self->linger_ms_,
                 0);
}

void TcpTransport::OnLinger(uv_timer_t* t) noexcept {
  std::shared_ptr<TcpTransport> self =
      static_cast<TcpTransport*>(t->data)->shared_from_this();
  self->Finish(base::Status::Ok());
}

}  // namespace http
