// HTTP/1.1 requests and response heads as the server (http/server.h) sees
// them: plain data, no I/O. RequestReader (request_reader.h) fills a
// Request; handlers answer with a Response or a ResponseHead, which
// SerializeHead turns into bytes.
#ifndef TETHER_HTTP_MESSAGE_H_
#define TETHER_HTTP_MESSAGE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;  // "GET", "HEAD", "POST", ...
  std::string target;  // As sent: "/v1.41/containers/json?all=1".
  std::string path;    // Target up to '?', still percent-encoded.
  std::string query;   // After '?' (without it, nor any '#...'); may be empty.
  // Names lower-cased, in arrival order; values as sent.
  Headers headers;
  // Filled only by Exchange::ReadBody (the buffered mode) or by callers
  // that build requests themselves (the pprof tunnel).
  std::string body;
  bool keep_alive = true;  // HTTP/1.1 default, or what Connection says.
  int version_minor = 1;   // HTTP/1.0 or HTTP/1.1.
  // Body framing as announced: a Content-Length, or chunked. Neither
  // means no body.
  std::optional<uint64_t> content_length;
  bool chunked = false;
  // "Connection: Upgrade" with an "Upgrade" header: after this request
  // the client may speak another protocol (Exchange::Hijack).
  bool upgrade = false;

  // The first header named `name` (lower case), or nullptr.
  const std::string* Header(std::string_view name) const;
  bool has_body() const {
    return chunked || (content_length && *content_length > 0);
  }
};

// Status line and headers. The server writes the framing headers itself
// (Content-Length, Transfer-Encoding, Connection); the same names among
// `headers` are dropped, except in a hijack head, which goes out as given.
struct ResponseHead {
  int status = 200;
  std::string reason;        // Empty: the standard text (StatusText).
  std::string content_type;  // Empty: no Content-Type header.
  Headers headers;
};

struct Response : ResponseHead {
  std::string body;

  // `body` as text/plain, the way Go's http.Error answers.
  static Response Text(int status, std::string body);
};

// "OK", "Bad Request", ...; "Unknown" for codes this server never sends.
const char* StatusText(int status);

// Whether a response with this status carries a body: 1xx, 204 and 304
// never do (nor does any answer to HEAD, which the server handles).
bool StatusHasBody(int status);

// How the server frames a response body.
enum class Framing {
  kLength,   // Content-Length: `length`.
  kChunked,  // Transfer-Encoding: chunked.
  kClose,    // Neither: the body ends when the connection closes.
  kEmpty,    // No body and no length (1xx, 204, 304).
  kRaw,      // A hijack head: the headers exactly as given, nothing added.
};

// The status line and headers, CRLF-terminated. `keep_alive` false adds
// "Connection: close". Values with CR or LF have those bytes replaced by
// spaces: a value must never start another header.
std::string SerializeHead(const ResponseHead& head, int version_minor,
                          Framing framing, uint64_t length, bool keep_alive);

// Whether the comma-separated header value `value` lists `token`
// (case-insensitive): "keep-alive, Upgrade" lists "upgrade".
bool HasToken(std::string_view value, std::string_view token);

}  // namespace http

#endif  // TETHER_HTTP_MESSAGE_H_
