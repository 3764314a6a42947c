// Transport: the byte stream under one HTTP connection. TcpTransport
// (tcp_transport.h) is a libuv TCP socket; TlsTransport (tls_transport.h,
// library http_tls) runs TLS over another Transport. The HTTP connection
// and a hijacked stream only ever see this interface, which keeps TLS out
// of the core library and lets the fuzz target drive the server from
// memory.
//
// Ownership: shared. The owner holds a shared_ptr; a transport keeps
// itself alive while it calls its delegate, so the owner may drop it from
// inside a callback. Loop thread only.
#ifndef TETHER_HTTP_TRANSPORT_H_
#define TETHER_HTTP_TRANSPORT_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "base/status.h"

namespace http {

// Who is on the other end, for logs and authorization.
struct Peer {
  std::string address;         // "192.0.2.7:51234", "[::1]:40000".
  std::string client_subject;  // TLS: the verified client certificate's
                               // subject (RFC 2253); empty otherwise.
};

class Transport {
 public:
  class Delegate {
   public:
    virtual ~Delegate() = default;
    // Bytes from the peer (plaintext). `data` is valid during the call.
    virtual void OnTransportData(const char* data, size_t len) = 0;
    // The peer will send nothing more: TCP FIN, or a TLS close_notify.
    // Writing may go on (half-close).
    virtual void OnTransportEof() = 0;
    // Some queued bytes reached the kernel; queued() is smaller.
    virtual void OnTransportWritten() = 0;
    // The transport is gone: OK after a Shutdown() that finished, else
    // why (reset, write error, TLS failure). Never after Close().
    virtual void OnTransportClosed(const base::Status& why) = 0;
  };

  virtual ~Transport() = default;

  // Starts reading (a TLS transport handshakes first; data arrives once
  // that is done). `delegate` must stay valid until SetDelegate(nullptr),
  // Close() or OnTransportClosed.
  virtual void Start(Delegate* delegate) = 0;
  // Hands the events to another delegate (a hijack) or to none.
  virtual void SetDelegate(Delegate* delegate) = 0;

  // Queues `data` for the peer; never blocks. Ignored once closing.
  virtual void Write(std::string data) = 0;
  // Bytes accepted by Write and not yet handed to the kernel.
  virtual size_t queued() const = 0;

  virtual void PauseReading() = 0;
  virtual void ResumeReading() = 0;

  // The orderly end: writes what is queued, then the TLS close_notify and
  // the TCP FIN; reads and drops what the peer still sends for a moment
  // (so a close does not reset the connection under an unread answer),
  // then closes and reports OnTransportClosed(OK). Idempotent.
  virtual void Shutdown() = 0;
  // Closes now and drops what is queued. No callbacks follow. Idempotent.
  virtual void Close() = 0;

  // Detects a peer that vanished without a word on idle connections
  // (hijacked streams may be quiet for hours).
  virtual void EnableKeepAlive(unsigned delay_s) = 0;

  virtual const Peer& peer() const = 0;
};

// What the server calls for each accepted TCP connection when it serves
// TLS: wraps `tcp` (tls_transport.h makes one). `on_failure` reports a
// handshake that failed, with the peer and the reason.
using TlsFailureHook =
    std::function<void(const std::string& peer, const std::string& reason)>;
using TransportWrapper = std::function<std::shared_ptr<Transport>(
    std::shared_ptr<Transport> tcp, const TlsFailureHook& on_failure)>;

}  // namespace http

#endif  // TETHER_HTTP_TRANSPORT_H_
