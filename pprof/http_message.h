// HTTP requests and responses as the pprof endpoints see them: the http
// part's types (http/message.h), plus the response forms Go's
// net/http/pprof uses and the Handler interface shared by the HTTP server
// (http_server.h), the attach-link tunnel (tunnel.h) and tetherctl's
// proxy.
#ifndef TETHER_PPROF_HTTP_MESSAGE_H_
#define TETHER_PPROF_HTTP_MESSAGE_H_

#include <functional>
#include <string>
#include <string_view>

#include "http/message.h"
#include "http/query.h"

namespace pprof {

using HttpRequest = http::Request;
using http::ParseQuery;
using http::PercentDecode;

struct HttpResponse : http::Response {
  HttpResponse() { content_type = "text/plain; charset=utf-8"; }

  // A plain-text error the way Go's net/http/pprof reports one: the
  // status, "X-Go-Pprof: 1", and `message` plus a newline as the body
  // (`go tool pprof` prints that body).
  static HttpResponse Error(int status, std::string_view message);
  // A gzipped profile.proto, served as Go does (octet-stream, with a
  // Content-Disposition naming the file).
  static HttpResponse Profile(std::string gzipped, std::string_view name);
  static HttpResponse Text(std::string body);
};

// Called exactly once with the answer to a request, on the loop thread,
// now or later. Calling it after the client went away is harmless.
using Responder = std::function<void(HttpResponse)>;

// What serves requests: the pprof endpoints, or a proxy to them.
class Handler {
 public:
  virtual ~Handler() = default;
  // Loop thread. Must call `respond` exactly once, possibly later.
  virtual void Serve(HttpRequest request, Responder respond) = 0;
};

}  // namespace pprof

#endif  // TETHER_PPROF_HTTP_MESSAGE_H_
