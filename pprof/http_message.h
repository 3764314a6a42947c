// HTTP/1.1 requests and responses as the pprof server sees them: plain
// data, no I/O. The parser (request_parser.h) fills HttpRequest; handlers
// return an HttpResponse that SerializeResponse turns into bytes.
#ifndef TETHER_PPROF_HTTP_MESSAGE_H_
#define TETHER_PPROF_HTTP_MESSAGE_H_

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace pprof {

struct HttpRequest {
  std::string method;  // "GET", "HEAD", "POST", ...
  std::string target;  // As sent: "/debug/pprof/heap?debug=1".
  std::string path;    // Target up to '?', still percent-encoded.
  std::string query;   // After '?', without it; may be empty.
  // Header names lower-cased, in arrival order.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool keep_alive = true;  // HTTP/1.1 default, or what Connection says.

  // The first header named `name` (lower case), or nullptr.
  const std::string* Header(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  // Extra headers; Content-Length and Connection are written by
  // SerializeResponse.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

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

// "OK", "Bad Request", ...; "Unknown" for codes this server never sends.
const char* StatusText(int status);

// The response as bytes on the wire. `keep_alive` false adds
// "Connection: close"; `head` leaves the body out (HEAD requests) but
// keeps its Content-Length.
std::string SerializeResponse(const HttpResponse& response, bool keep_alive,
                              bool head);

// Decodes an application/x-www-form-urlencoded query ("a=1&b=x%20y").
// The first value of a repeated key wins, as Go's FormValue does.
// kInvalidArgument names a malformed escape ("query: bad escape
// \"%zz\"").
base::Result<std::map<std::string, std::string>> ParseQuery(
    std::string_view query);

// Percent-decoding; `plus_is_space` for query components.
base::Result<std::string> PercentDecode(std::string_view in,
                                        bool plus_is_space);

}  // namespace pprof

#endif  // TETHER_PPROF_HTTP_MESSAGE_H_
