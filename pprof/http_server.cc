#include "pprof/http_server.h"

#include "base/log.h"
#include "http/listen_address.h"

namespace pprof {
namespace {

http::ServerOptions Options(const ServerOptions& o) {
  http::ServerOptions out;
  out.limits = o.limits;
  out.max_connections = o.max_connections;
  out.timeouts.header_ms = o.request_timeout_ms;
  out.timeouts.body_ms = o.request_timeout_ms;
  out.timeouts.idle_ms = o.idle_timeout_ms;
  out.admit = o.admit;
  out.error_page = [](int status, const std::string& reason) {
    return HttpResponse::Error(status, reason);
  };
  return out;
}

http::Handler Adapt(Handler* handler, size_t max_body) {
  return [handler, max_body](std::shared_ptr<http::Exchange> ex) {
    ex->ReadBody(max_body, [handler, ex](const base::Status& s) {
      if (!s.ok()) return;  // The server answered already.
      handler->Serve(ex->request(),
                     [ex](HttpResponse resp) { ex->Respond(std::move(resp)); });
    });
  };
}

}  // namespace

HttpServer::HttpServer(uv_loop_t* loop, Handler* handler, ServerOptions options)
    : server_(loop, Adapt(handler, options.max_body), Options(options)) {}

HttpServer::~HttpServer() { Close(); }

base::Status HttpServer::Listen(std::string_view address) {
  base::Result<http::ListenAddress> addr = http::ParseListenAddress(address);
  if (!addr.ok()) return addr.TakeStatus().Annotate("pprof");
  base::Status s = server_.Listen(address);
  if (!s.ok()) return s.Annotate("pprof");
  if (!addr->loopback) {
    LOG_WARN(
        "pprof: serving on non-loopback %s: profiles and the command "
        "line are reachable from the network",
        addr->text.c_str());
  }
  return base::Status::Ok();
}

}  // namespace pprof
