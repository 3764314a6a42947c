// HttpServer: a small HTTP/1.1 server on a libuv loop, for the debug
// endpoints (DESIGN §7). Requests are parsed by RequestParser and handed to
// a Handler one at a time per connection (pipelined requests wait their
// turn); responses carry Content-Length, and connections are kept alive
// unless the client or an error says otherwise.
//
// Defences, since anything on the host (or in the guest) may connect:
// request size limits (RequestLimits), a bound on open connections, a
// deadline for a request to arrive in full once started, and an idle
// timeout. Bad input gets a 4xx answer and that connection is closed; the
// server itself carries on.
//
// Loop thread only. The handler must outlive the server.
#ifndef TETHER_PPROF_HTTP_SERVER_H_
#define TETHER_PPROF_HTTP_SERVER_H_

#include <uv.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"
#include "base/uv_handle.h"
#include "pprof/http_message.h"
#include "pprof/request_parser.h"

namespace pprof {

struct ServerOptions {
  RequestLimits limits;
  size_t max_connections = 16;
  uint64_t request_timeout_ms = 10000;  // From a request's first byte.
  uint64_t idle_timeout_ms = 60000;     // Between requests.
};

// A numeric "HOST:PORT" ("127.0.0.1:6060", "[::1]:0"); port 0 lets the
// kernel pick. kInvalidArgument names what is wrong.
struct ListenAddress {
  sockaddr_storage addr{};
  bool loopback = false;
  std::string text;
};
base::Result<ListenAddress> ParseListenAddress(std::string_view text);

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
  uint16_t port() const { return port_; }
  // Stops listening and drops every connection; pending handler answers
  // are discarded. Idempotent.
  void Close();
  size_t connection_count() const { return conns_.size(); }

 private:
  class Connection;
  static void OnConnection(uv_stream_t* server, int status) noexcept;
  void Accept();
  void Remove(Connection* c);

  uv_loop_t* loop_;
  Handler* handler_;
  ServerOptions options_;
  base::UvHandle<uv_tcp_t> listener_;
  uint16_t port_ = 0;
  std::map<Connection*, std::shared_ptr<Connection>> conns_;
};

}  // namespace pprof

#endif  // TETHER_PPROF_HTTP_SERVER_H_
