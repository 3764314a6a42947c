// RequestParser: HTTP/1.x requests out of a byte stream, one at a time,
// with http-parser (libhttp-parser) doing the parsing and this class
// enforcing the size limits a debug server needs.
//
// It stops after each complete request so the server can answer in order
// (pipelined requests stay unread until the caller feeds them again).
// Any malformed, oversized or unsupported input ends in kError with the
// HTTP status to answer and a reason; after an error the parser must not
// be fed again (the connection closes). Pure: no I/O, no globals, so the
// fuzz target drives it exactly as the server does.
#ifndef TETHER_PPROF_REQUEST_PARSER_H_
#define TETHER_PPROF_REQUEST_PARSER_H_

#include <http_parser.h>

#include <cstddef>
#include <string>

#include "pprof/http_message.h"

namespace pprof {

struct RequestLimits {
  size_t max_target = 4096;          // Request-target bytes (414).
  size_t max_header_bytes = 16384;   // Names and values together (431).
  size_t max_headers = 64;           // Header lines (431).
  size_t max_body = 64 * 1024;       // symbol POSTs are small (413).
};

class RequestParser {
 public:
  enum class State { kNeedMore, kRequest, kError };
  struct Outcome {
    State state = State::kNeedMore;
    size_t consumed = 0;  // Bytes of the input used.
  };

  explicit RequestParser(RequestLimits limits = RequestLimits());
  RequestParser(const RequestParser&) = delete;
  RequestParser& operator=(const RequestParser&) = delete;

  // Parses from `data`. kRequest: TakeRequest() holds it and the unused
  // rest of `data` belongs to the next request. kNeedMore: all was used.
  // kError: error_status() and error() say why.
  Outcome Feed(const char* data, size_t len);
  // The request kRequest announced; the parser is ready for the next.
  HttpRequest TakeRequest();

  // True when part of a request has arrived (for read timeouts).
  bool in_request() const { return started_; }
  int error_status() const { return error_status_; }
  const std::string& error() const { return error_; }

 private:
  static int OnMessageBegin(http_parser* p) noexcept;
  static int OnUrl(http_parser* p, const char* at, size_t len) noexcept;
  static int OnHeaderField(http_parser* p, const char* at,
                           size_t len) noexcept;
  static int OnHeaderValue(http_parser* p, const char* at,
                           size_t len) noexcept;
  static int OnHeadersComplete(http_parser* p) noexcept;
  static int OnBody(http_parser* p, const char* at, size_t len) noexcept;
  static int OnMessageComplete(http_parser* p) noexcept;
  // Records a limit violation; the callback then returns non-zero.
  int Fail(int status, std::string reason);
  // Adds to the header bytes seen; over the limit, Fail(431).
  int CountHeaderBytes(size_t len);
  bool SplitTarget();

  RequestLimits limits_;
  http_parser parser_;
  http_parser_settings settings_;
  HttpRequest current_;
  size_t header_bytes_ = 0;
  bool last_was_value_ = false;
  bool started_ = false;
  bool complete_ = false;
  int error_status_ = 0;
  std::string error_;
};

}  // namespace pprof

#endif  // TETHER_PPROF_REQUEST_PARSER_H_
