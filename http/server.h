// Server: one HTTP/1.1 server on a libuv loop, plain or TLS, for the
// debug endpoints (pprof), the Docker Engine API and the admin portal
// (docs/http.md).
//
//   http::Server server(loop, [](std::shared_ptr<http::Exchange> ex) {
//     ex->Respond(http::Response::Text(200, "hello\n"));
//   });
//   base::Status s = server.Listen("127.0.0.1:0");  // server.port()
//
// Each accepted connection becomes a Connection (connection.h) that
// hands requests to the handler one at a time; options.h has the limits,
// timeouts and hooks. A connection past max_connections gets a 503.
// Bad input gets a 4xx and that connection closes; the server carries on.
//
// Loop thread only; the handler and hooks are called on it. Handlers may
// keep exchanges and streams past Close() or the server's end: their
// calls then do nothing.
#ifndef TETHER_HTTP_SERVER_H_
#define TETHER_HTTP_SERVER_H_

#include <uv.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string_view>

#include "base/status.h"
#include "http/exchange.h"
#include "http/hijacked_stream.h"
#include "http/link.h"
#include "http/listener.h"
#include "http/options.h"
#include "http/response_stream.h"

namespace http {

class Server : private LinkOwner {
 public:
  Server(uv_loop_t* loop, Handler handler,
         ServerOptions options = ServerOptions());
  ~Server() override;  // Close().
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens on a numeric HOST:PORT (IPv4 or [IPv6]; port 0
  // picks one). kInvalidArgument for a bad address, kIoError when the
  // bind fails (EADDRINUSE...). Once per server.
  base::Status Listen(std::string_view address);
  // The bound port, or 0 before Listen.
  uint16_t port() const { return listener_.port(); }
  // Stops listening and closes every connection and hijacked stream at
  // once; their handlers hear of it through their on_close callbacks.
  // Idempotent.
  void Close();

  size_t connection_count() const { return links_.size(); }
  // Times accepting paused because the process ran out of descriptors.
  uint64_t accept_pauses() const { return listener_.pauses(); }

 private:
  void Accept(int fd);
  void Replace(Link* old, std::shared_ptr<Link> now) override;
  void Remove(Link* link) override;

  uv_loop_t* loop_;
  Handler handler_;
  ServerOptions options_;
  Listener listener_;
  std::map<Link*, std::shared_ptr<Link>> links_;
};

}  // namespace http

#endif  // TETHER_HTTP_SERVER_H_
