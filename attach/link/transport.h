// Byte streams to the endpoint: tcp and vsock sockets connected without
// blocking the loop, and serial character devices (docs/protocol.md §1).
//
// Every transport ends up as one non-blocking fd that the preamble and the
// SSH client read and write with TransportRead/TransportWrite: read(2) and
// write(2) work on sockets and character devices alike, where libssh2's
// default recv/send would fail with ENOTSOCK on a serial port.
#ifndef TETHER_ATTACH_LINK_TRANSPORT_H_
#define TETHER_ATTACH_LINK_TRANSPORT_H_

#include <sys/types.h>
#include <uv.h>

#include <functional>
#include <memory>
#include <string>

#include "attach/link/address.h"
#include "base/result.h"
#include "base/unique_fd.h"
#include "base/uv_handle.h"

namespace attach {

// Connects a tcp or vsock Address on the loop: a non-blocking connect(2),
// then a uv_poll for writability and SO_ERROR for the outcome.
class Dialer {
 public:
  // The fd is connected, non-blocking and close-on-exec; or the Status
  // says why not: "<address>: <strerror>" with the errno kept.
  using Callback = std::function<void(base::Result<base::UniqueFd>)>;

  // `loop` and `address` must outlive the Dialer. Loop thread only.
  Dialer(uv_loop_t* loop, const Address& address);
  // Cancels a pending connect: the callback never runs.
  ~Dialer();
  Dialer(const Dialer&) = delete;
  Dialer& operator=(const Dialer&) = delete;

  // Starts connecting. A failure known at once (no vsock transport in the
  // kernel: EAFNOSUPPORT or ENODEV; an immediate ECONNREFUSED) is returned
  // here and `done` is not called; otherwise `done` runs once, later, on
  // the loop (possibly after the Dialer was destroyed by it: it may be).
  base::Status Start(Callback done);

 private:
  static void OnWritable(uv_poll_t* handle, int status, int events) noexcept;
  void Finish();
  base::Status Fail(int err) const;

  uv_loop_t* loop_;
  const Address& address_;
  base::UniqueFd fd_;
  base::UvHandle<uv_poll_t> poll_;
  Callback done_;
};

// Opens a serial device for the link: read-write, non-blocking,
// close-on-exec, not our controlling tty, and raw (cfmakeraw) when it is a
// tty, so the line discipline neither echoes nor translates SSH bytes.
// Errors: "<path>: <strerror>".
base::Result<base::UniqueFd> OpenSerial(const std::string& path);

// Whether the hypervisor's side of a serial port is connected. QEMU's
// `-chardev socket,reconnect=N` behind a virtserialport reports a
// disconnected host as POLLHUP (read() returns 0) and a connected one as
// POLLOUT only; bytes written while disconnected are silently dropped.
// The fd stays open across reconnects: the link polls this before each
// preamble instead of reopening the device.
bool SerialHostConnected(int fd);

// One read(2) / one write(2) on a transport fd, in libssh2's callback
// convention: bytes moved, 0 at end of stream (read only), or -errno
// (-EAGAIN when it would block). Writes to sockets use MSG_NOSIGNAL so a
// vanished endpoint is EPIPE rather than SIGPIPE.
ssize_t TransportRead(int fd, void* buf, size_t len);
ssize_t TransportWrite(int fd, bool is_socket, const void* buf, size_t len);

}  // namespace attach

#endif  // TETHER_ATTACH_LINK_TRANSPORT_H_
