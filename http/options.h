// What a Server (server.h) is configured with: limits, timeouts, the
// handler and the hooks that report on each exchange.
#ifndef TETHER_HTTP_OPTIONS_H_
#define TETHER_HTTP_OPTIONS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/message.h"
#include "http/request_reader.h"
#include "http/transport.h"

namespace http {

class Exchange;

// Serves one request. Called on the loop thread once the request's
// headers are in (its body is not read yet: Exchange::ReadBody or
// StreamBody); the handler answers through the Exchange, now or later.
using Handler = std::function<void(std::shared_ptr<Exchange>)>;

// One finished exchange, for an access log.
struct AccessRecord {
  Peer peer;
  std::string method;  // Empty when no request head arrived.
  std::string target;
  int status = 0;            // 0: nothing was answered.
  uint64_t duration_us = 0;  // From the request head to the last byte.
  uint64_t bytes_sent = 0;   // Body bytes (hijacked: raw bytes) written.
  bool hijacked = false;
};

struct Timeouts {
  // From a request's first byte until its headers are complete
  // (slowloris); then 408 and close.
  uint64_t header_ms = 10000;
  // Between requests on a kept-alive connection; then a quiet close.
  uint64_t idle_ms = 60000;
  // For a whole buffered body (Exchange::ReadBody); then 408 and close.
  uint64_t body_ms = 60000;
  // Without a byte of a streamed body while the handler wants more
  // (Exchange::StreamBody); then the body ends with an error.
  uint64_t body_idle_ms = 60000;
  // How long a closing connection drains the client before the socket
  // closes (TcpTransport::Shutdown).
  uint64_t linger_ms = 1000;
  // Hijacked streams have no timeout; TCP keepalive probes after this
  // many idle seconds find vanished peers instead.
  unsigned keepalive_s = 60;
};

struct ServerOptions {
  RequestLimits limits;
  Timeouts timeouts;
  // Connections open at once, hijacked ones included; more get a 503.
  size_t max_connections = 256;
  // How long accepting pauses when the process is out of descriptors.
  uint64_t accept_pause_ms = 500;
  int backlog = 128;
  // The answer the server sends on its own (400, 408, 413, 414, 431,
  // 503...); `reason` says why. Default: Response::Text(status, reason).
  std::function<Response(int status, const std::string& reason)> error_page;
  // Called once per finished exchange, hijacked ones when they close.
  std::function<void(const AccessRecord&)> access_log;
  // Called when a TLS handshake fails (no or bad client certificate,
  // plain HTTP on the TLS port, timeout).
  TlsFailureHook tls_failure;
  // Set to serve TLS (tls_transport.h: TlsWrapper); empty: plain TCP.
  TransportWrapper wrap_transport;
  // Asked about each accepted socket before anything is read from it;
  // false closes it at once (tetherctl pprof serves only its own user).
  // Empty: everyone.
  std::function<bool(int fd)> admit;
};

}  // namespace http

#endif  // TETHER_HTTP_OPTIONS_H_
