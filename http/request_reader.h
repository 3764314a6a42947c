// RequestReader: HTTP/1.x requests out of a byte stream, one event at a
// time, with http-parser (libhttp-parser 2.9.4) doing the parsing and this
// class enforcing the size limits.
//
// Each Feed() returns at most one event and says how many input bytes it
// used: kHead once a request's headers are complete (the body is not read
// yet, so the server can let the handler choose how to take it), kBody for
// each piece of the body (a view into the input, chunked encoding already
// removed), kEnd when the request is complete. After kEnd the parser is
// ready for the next request; the caller decides when to feed it.
//
// After kEnd of an Upgrade request (or any request whose connection is
// hijacked) the bytes that follow are not HTTP: http-parser stops right
// after the request, with or without a body, and the caller hands the
// rest of its input to the new protocol untouched.
//
// Malformed, oversized or unsupported input ends in kError with the HTTP
// status to answer and a reason; afterwards Feed() keeps returning kError.
// Pure: no I/O and no globals, so the fuzz targets drive it exactly as the
// server does.
#ifndef TETHER_HTTP_REQUEST_READER_H_
#define TETHER_HTTP_REQUEST_READER_H_

#include <http_parser.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "http/message.h"

namespace http {

struct RequestLimits {
  size_t max_target = 8192;         // Request-target bytes (414).
  size_t max_header_bytes = 65536;  // Names and values together (431).
  size_t max_headers = 100;         // Header lines (431).
};

class RequestReader {
 public:
  enum class Event { kNeedMore, kHead, kBody, kEnd, kError };
  struct Step {
    Event event = Event::kNeedMore;
    size_t consumed = 0;    // Input bytes used; the rest is for later.
    std::string_view body;  // kBody: the piece, inside the input.
  };

  explicit RequestReader(RequestLimits limits = RequestLimits());
  RequestReader(const RequestReader&) = delete;
  RequestReader& operator=(const RequestReader&) = delete;

  // Parses from `data` up to the next event. kNeedMore: all was used.
  Step Feed(const char* data, size_t len);
  // The request kHead announced (headers, target, framing), moved out.
  Request TakeRequest();

  // True from a request's first byte until its headers are complete
  // (the header deadline runs meanwhile).
  bool in_head() const { return started_ && !head_done_; }
  // True between kHead and kEnd.
  bool in_body() const { return head_done_; }
  int error_status() const { return error_status_; }
  const std::string& error() const { return error_; }

 private:
  static int OnMessageBegin(http_parser* p) noexcept;
  static int OnUrl(http_parser* p, const char* at, size_t len) noexcept;
  static int OnHeaderField(http_parser* p, const char* at, size_t len) noexcept;
  static int OnHeaderValue(http_parser* p, const char* at, size_t len) noexcept;
  static int OnHeadersComplete(http_parser* p) noexcept;
  static int OnBody(http_parser* p, const char* at, size_t len) noexcept;
  static int OnMessageComplete(http_parser* p) noexcept;
  // Records an error; the callback then returns non-zero.
  int Fail(int status, std::string reason);
  // Adds to the header bytes seen; over the limit, Fail(431).
  int CountHeaderBytes(size_t len);
  bool SplitTarget();
  // Stops http_parser_execute after the current callback with `event`.
  void Emit(Event event);

  RequestLimits limits_;
  http_parser parser_;
  http_parser_settings settings_;
  Request current_;
  size_t header_bytes_ = 0;
  bool last_was_value_ = false;
  bool started_ = false;
  bool head_done_ = false;
  Event pending_ = Event::kNeedMore;
  std::string_view piece_;
  int error_status_ = 0;
  std::string error_;
};

}  // namespace http

#endif  // TETHER_HTTP_REQUEST_READER_H_
