#include "http/request_reader.h"

#include <cctype>
#include <climits>

namespace http {
namespace {

RequestReader* Self(http_parser* p) {
  return static_cast<RequestReader*>(p->data);
}

}  // namespace

RequestReader::RequestReader(RequestLimits limits) : limits_(limits) {
  http_parser_init(&parser_, HTTP_REQUEST);
  parser_.data = this;
  http_parser_settings_init(&settings_);
  settings_.on_message_begin = &RequestReader::OnMessageBegin;
  settings_.on_url = &RequestReader::OnUrl;
  settings_.on_header_field = &RequestReader::OnHeaderField;
  settings_.on_header_value = &RequestReader::OnHeaderValue;
  settings_.on_headers_complete = &RequestReader::OnHeadersComplete;
  settings_.on_body = &RequestReader::OnBody;
  settings_.on_message_complete = &RequestReader::OnMessageComplete;
}

// Every event pauses the parser inside its callback, which makes
// http_parser_execute return right after it with a byte count it can
// resume from (http-parser's documented pause contract).
RequestReader::Step RequestReader::Feed(const char* data, size_t len) {
  Step out;
  if (error_status_ != 0) {
    out.event = Event::kError;
    return out;
  }
  if (len == 0) return out;  // http-parser would take 0 bytes as EOF.
  if (HTTP_PARSER_ERRNO(&parser_) == HPE_PAUSED) {
    http_parser_pause(&parser_, 0);
  }
  pending_ = Event::kNeedMore;
  piece_ = std::string_view();
  out.consumed = http_parser_execute(&parser_, &settings_, data, len);
  http_errno err = HTTP_PARSER_ERRNO(&parser_);
  if (error_status_ != 0) {
    out.event = Event::kError;  // A limit, set by a callback.
  } else if (err == HPE_PAUSED) {
    out.event = pending_;
    out.body = piece_;
  } else if (err != HPE_OK) {
    Fail(400, std::string("malformed request: ") + http_errno_description(err));
    out.event = Event::kError;
  } else if (out.consumed != len) {
    // Only after an upgrade does http-parser stop early without pausing,
    // and OnMessageComplete pauses first; anything else is a bug there.
    Fail(400, "malformed request");
    out.event = Event::kError;
  }
  return out;
}

Request RequestReader::TakeRequest() {
  Request r = std::move(current_);
  current_ = Request();
  return r;
}

void RequestReader::Emit(Event event) {
  pending_ = event;
  http_parser_pause(&parser_, 1);
}

int RequestReader::Fail(int status, std::string reason) {
  if (error_status_ == 0) {
    error_status_ = status;
    error_ = std::move(reason);
  }
  return -1;
}

int RequestReader::CountHeaderBytes(size_t len) {
  header_bytes_ += len;
  if (header_bytes_ <= limits_.max_header_bytes) return 0;
  return Fail(431, "headers larger than " +
                       std::to_string(limits_.max_header_bytes) + " bytes");
}

// Splits the target into path and query. Only origin-form targets
// ("/path?query") make sense here: no proxying, no OPTIONS *.
bool RequestReader::SplitTarget() {
  const std::string& t = current_.target;
  if (t.empty() || t[0] != '/') return false;
  size_t q = t.find('?');
  size_t hash = t.find('#');
  current_.path = t.substr(0, std::min(q, hash));
  if (q != std::string::npos && q < hash) {
    current_.query = t.substr(
        q + 1, hash == std::string::npos ? std::string::npos : hash - q - 1);
  }
  return true;
}

int RequestReader::OnMessageBegin(http_parser* p) noexcept {
  RequestReader* self = Self(p);
  self->started_ = true;
  self->head_done_ = false;
  self->header_bytes_ = 0;
  self->last_was_value_ = false;
  self->current_ = Request();
  return 0;
}

int RequestReader::OnUrl(http_parser* p, const char* at, size_t len) noexcept {
  RequestReader* self = Self(p);
  if (self->current_.target.size() + len > self->limits_.max_target) {
    return self->Fail(414, "request target longer than " +
                               std::to_string(self->limits_.max_target) +
                               " bytes");
  }
  self->current_.target.append(at, len);
  return 0;
}

int RequestReader::OnHeaderField(http_parser* p, const char* at,
                                 size_t len) noexcept {
  RequestReader* self = Self(p);
  if (self->CountHeaderBytes(len) != 0) return -1;
  Headers& headers = self->current_.headers;
  // A field after a value (or the first one) starts a new header; http-
  // parser may also hand one name over in several pieces.
  if (headers.empty() || self->last_was_value_) {
    if (headers.size() == self->limits_.max_headers) {
      return self->Fail(431, "more than " +
                                 std::to_string(self->limits_.max_headers) +
                                 " headers");
    }
    headers.emplace_back();
  }
  self->last_was_value_ = false;
  std::string& name = headers.back().first;
  for (size_t i = 0; i < len; ++i) {
    name += static_cast<char>(std::tolower(static_cast<unsigned char>(at[i])));
  }
  return 0;
}

int RequestReader::OnHeaderValue(http_parser* p, const char* at,
                                 size_t len) noexcept {
  RequestReader* self = Self(p);
  if (self->CountHeaderBytes(len) != 0) return -1;
  if (self->current_.headers.empty()) return self->Fail(400, "bad header");
  self->last_was_value_ = true;
  self->current_.headers.back().second.append(at, len);
  return 0;
}

int RequestReader::OnHeadersComplete(http_parser* p) noexcept {
  RequestReader* self = Self(p);
  Request& r = self->current_;
  if (p->http_major != 1) {
    return self->Fail(505, "only HTTP/1.0 and HTTP/1.1 are served");
  }
  if (p->method == HTTP_CONNECT) {
    return self->Fail(400, "CONNECT is not supported");
  }
  if (!self->SplitTarget()) {
    return self->Fail(400, "request target must be a path starting with /");
  }
  r.method = http_method_str(static_cast<http_method>(p->method));
  r.version_minor = p->http_minor == 0 ? 0 : 1;
  r.keep_alive = http_should_keep_alive(p) != 0;
  r.chunked = (p->flags & F_CHUNKED) != 0;
  if (!r.chunked && p->content_length != ULLONG_MAX) {
    r.content_length = p->content_length;
  }
  r.upgrade = p->upgrade != 0;
  self->head_done_ = true;
  self->Emit(Event::kHead);
  return 0;
}

int RequestReader::OnBody(http_parser* p, const char* at, size_t len) noexcept {
  RequestReader* self = Self(p);
  self->piece_ = std::string_view(at, len);
  self->Emit(Event::kBody);
  return 0;
}

int RequestReader::OnMessageComplete(http_parser* p) noexcept {
  RequestReader* self = Self(p);
  self->started_ = false;
  self->head_done_ = false;
  self->Emit(Event::kEnd);
  return 0;
}

}  // namespace http
