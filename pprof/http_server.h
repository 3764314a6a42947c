// HttpServer: the pprof endpoints over HTTP (DESIGN §7, docs/pprof.md), a
// thin adapter over the shared server (http/server.h): each request's
// body is read whole (up to max_body) and handed to a pprof Handler,
// whose answer goes back as a complete response. Errors of the server's
// own (400, 408, 413, 414, 431, 503) look like Go's pprof errors.
//
// Loop thread only. The handler must outlive the server.
#ifndef TETHER_PPROF_HTTP_SERVER_H_
#define TETHER_PPROF_HTTP_SERVER_H_

#include <uv.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "base/status.h"
#include "http/server.h"
#include "pprof/http_message.h"

namespace pprof {

struct ServerOptions {
  // Small: profiles are asked for with GETs, symbols with short POSTs.
  http::RequestLimits limits{4096, 16384, 64};
  size_t max_body = 64 * 1024;
  size_t max_connections = 16;
  uint64_t request_timeout_ms = 10000;  // For the head, and the body.
  uint64_t idle_timeout_ms = 60000;     // Between requests.
  // Which accepted sockets are served (http::ServerOptions::admit).
  std::function<bool(int fd)> admit;
};

class HttpServer {
 public:
  HttpServer(uv_loop_t* loop, Handler* handler,
             ServerOptions options = ServerOptions());
  ~HttpServer();  // Close().
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens. kIoError (EADDRINUSE and the like) or
  // kInvalidArgument for a bad address. Logs a warning for a non-loopback
  // address: profiles and cmdline are then reachable from the network.
  base::Status Listen(std::string_view address);
  // The bound port (useful after port 0), or 0 before Listen.
  uint16_t port() const { return server_.port(); }
  // Stops listening and drops every connection; pending handler answers
  // are discarded. Idempotent.
  void Close() { server_.Close(); }
  size_t connection_count() const { return server_.connection_count(); }

 private:
  http::Server server_;
};

}  // namespace pprof

#endif  // TETHER_PPROF_HTTP_SERVER_H_
