#include "http/listener.h"

#include <errno.h>
#include <sys/socket.h>

#include <cstring>

#include "base/log.h"

namespace http {
namespace {

// Accepts per wake-up: enough to empty a burst, few enough that the loop
// turns (and serves the connections it already has) in between.
constexpr int kAcceptsPerWake = 32;

}  // namespace

Listener::Listener(uv_loop_t* loop, uint64_t pause_ms, AcceptFn on_accept)
    : loop_(loop), pause_ms_(pause_ms), on_accept_(std::move(on_accept)) {}

Listener::~Listener() { Close(); }

base::Status Listener::Listen(const ListenAddress& address, int backlog) {
  Close();
  base::UniqueFd fd(::socket(address.addr.ss_family,
                             SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return base::Status::Io("http: socket", errno);
  int on = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address.addr),
             address.len) != 0) {
    return base::Status::Io("http: bind " + address.text, errno);
  }
  if (::listen(fd.get(), backlog) != 0) {
    return base::Status::Io("http: listen on " + address.text, errno);
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof(bound);
  if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&bound), &len) != 0) {
    return base::Status::Io("http: getsockname", errno);
  }
  int rc = uv_poll_init(loop_, poll_.get(), fd.get());
  if (rc != 0) return base::UvError("http: poll init", rc);
  poll_.MarkInitialized();
  poll_->data = this;
  rc = uv_timer_init(loop_, resume_.get());
  if (rc != 0) return base::UvError("http: timer init", rc);
  resume_.MarkInitialized();
  resume_->data = this;
  rc = uv_poll_start(poll_.get(), UV_READABLE, &Listener::OnReadable);
  if (rc != 0) return base::UvError("http: poll start", rc);
  fd_ = std::move(fd);
  port_ = PortOf(reinterpret_cast<sockaddr*>(&bound));
  return base::Status::Ok();
}

void Listener::Close() {
  // The watcher goes first: libuv must forget the fd before it is closed.
  poll_.Close();
  resume_.Close();
  poll_ = base::UvHandle<uv_poll_t>();
  resume_ = base::UvHandle<uv_timer_t>();
  fd_.Reset();
  port_ = 0;
}

void Listener::OnReadable(uv_poll_t* p, int status, int) noexcept {
  auto* self = static_cast<Listener*>(p->data);
  if (status < 0) {
    LOG_WARN("http: listener: %s", uv_strerror(status));
    return;
  }
  self->AcceptSome();
}

void Listener::OnResume(uv_timer_t* t) noexcept {
  auto* self = static_cast<Listener*>(t->data);
  uv_poll_start(self->poll_.get(), UV_READABLE, &Listener::OnReadable);
}

void Listener::AcceptSome() {
  for (int i = 0; i < kAcceptsPerWake && fd_; ++i) {
    int fd =
        ::accept4(fd_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      on_accept_(fd);  // May Close() this listener.
      continue;
    }
    int err = errno;
    if (err == EINTR || err == ECONNABORTED) continue;
    if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
      // Out of descriptors or memory: the backlog keeps the clients while
      // other connections close. Polling on would wake at once, forever.
      ++pauses_;
      LOG_WARN("http: accept: %s; pausing for %llu ms", strerror(err),
               static_cast<unsigned long long>(pause_ms_));
      uv_poll_stop(poll_.get());
      uv_timer_start(resume_.get(), &Listener::OnResume, pause_ms_, 0);
    }
    return;  // EAGAIN, or an error the next wake-up may not have.
  }
}

}  // namespace http
