// TcpTransport: a Transport over one accepted TCP socket (libuv).
//
// Writes go to uv_write at once (TCP_NODELAY is on: a streamed answer or
// a hijacked terminal must not wait for Nagle). Reads arrive in a 64 KiB
// buffer owned by the transport. Shutdown() flushes, sends FIN, then
// drains the peer for `linger_ms` before closing, like Go's
// closeWriteAndWait: closing a socket with unread input makes the kernel
// send a reset, which can destroy the answer the client has not read yet.
//
// Loop thread only.
#ifndef TETHER_HTTP_TCP_TRANSPORT_H_
#define TETHER_HTTP_TCP_TRANSPORT_H_

#include <uv.h>

#include <memory>

#include "base/result.h"
#include "base/uv_handle.h"
#include "http/transport.h"

namespace http {

class TcpTransport : public Transport,
                     public std::enable_shared_from_this<TcpTransport> {
 public:
  // Takes ownership of the connected, non-blocking socket `fd` (closed on
  // error too). kIoError when libuv refuses it.
  static base::Result<std::shared_ptr<TcpTransport>> Adopt(uv_loop_t* loop,
                                                           int fd,
                                                           uint64_t linger_ms);
  ~TcpTransport() override;

  void Start(Delegate* delegate) override;
  void SetDelegate(Delegate* delegate) override { delegate_ = delegate; }
  void Write(std::string data) override;
  size_t queued() const override { return queued_; }
  void PauseReading() override;
  void ResumeReading() override;
  void Shutdown() override;
  void Close() override;
  void EnableKeepAlive(unsigned delay_s) override;
  const Peer& peer() const override { return peer_; }

 private:
  struct WriteReq;
  struct ShutdownReq;
  explicit TcpTransport(uint64_t linger_ms);

  static void OnAlloc(uv_handle_t* h, size_t, uv_buf_t* buf) noexcept;
  static void OnRead(uv_stream_t* s, ssize_t n, const uv_buf_t*) noexcept;
  static void OnWritten(uv_write_t* req, int status) noexcept;
  static void OnShutdown(uv_shutdown_t* req, int status) noexcept;
  static void OnLinger(uv_timer_t* t) noexcept;
  void Read(ssize_t n);
  void UpdateReading();
  // Closes and reports `why` to the delegate.
  void Finish(const base::Status& why);
  uv_stream_t* stream() const {
    return reinterpret_cast<uv_stream_t*>(tcp_.get());
  }

  uint64_t linger_ms_;
  base::UvHandle<uv_tcp_t> tcp_;
  base::UvHandle<uv_timer_t> linger_;
  Delegate* delegate_ = nullptr;
  Peer peer_;
  std::unique_ptr<char[]> read_buf_;
  size_t queued_ = 0;
  bool started_ = false;
  bool paused_ = false;
  bool reading_ = false;  // uv_read_start is in effect.
  bool eof_ = false;      // The peer sent FIN.
  bool shutting_down_ = false;
  bool closed_ = false;
};

}  // namespace http

#endif  // TETHER_HTTP_TCP_TRANSPORT_H_
