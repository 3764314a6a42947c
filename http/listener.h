// Listener: a listening TCP socket that accepts on the loop, and pauses
// instead of spinning when the process is out of file descriptors.
//
// libuv's uv_listen cannot stop accepting, and on EMFILE it either
// accepts and drops the waiting clients (its reserve-fd trick) or, with no
// reserve fd, calls back in a tight loop. Here accept4(2) runs from a
// uv_poll watcher: on EMFILE or ENFILE the watcher stops for `pause_ms`
// while the clients wait in the kernel's backlog, and then tries again.
//
// Loop thread only. Destruction stops listening.
#ifndef TETHER_HTTP_LISTENER_H_
#define TETHER_HTTP_LISTENER_H_

#include <uv.h>

#include <cstdint>
#include <functional>

#include "base/status.h"
#include "base/unique_fd.h"
#include "base/uv_handle.h"
#include "http/listen_address.h"

namespace http {

class Listener {
 public:
  // Gets each accepted socket (non-blocking, close-on-exec); takes
  // ownership of the fd.
  using AcceptFn = std::function<void(int fd)>;

  Listener(uv_loop_t* loop, uint64_t pause_ms, AcceptFn on_accept);
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // Binds (SO_REUSEADDR) and listens. kIoError (EADDRINUSE, EACCES...).
  base::Status Listen(const ListenAddress& address, int backlog);
  void Close();
  // The bound port (after port 0 too); 0 when not listening.
  uint16_t port() const { return port_; }
  // How many times accepting was paused for lack of descriptors.
  uint64_t pauses() const { return pauses_; }

 private:
  static void OnReadable(uv_poll_t* p, int status, int events) noexcept;
  static void OnResume(uv_timer_t* t) noexcept;
  void AcceptSome();

  uv_loop_t* loop_;
  uint64_t pause_ms_;
  AcceptFn on_accept_;
  base::UniqueFd fd_;
  base::UvHandle<uv_poll_t> poll_;
  base::UvHandle<uv_timer_t> resume_;
  uint16_t port_ = 0;
  uint64_t pauses_ = 0;
};

}  // namespace http

#endif  // TETHER_HTTP_LISTENER_H_
