#include "pprof/request_parser.h"

#include <cctype>
#include <climits>

namespace pprof {
namespace {

RequestParser* Self(http_parser* p) {
  return static_cast<RequestParser*>(p->data);
}

}  // namespace

RequestParser::RequestParser(RequestLimits limits) : limits_(limits) {
  http_parser_init(&parser_, HTTP_REQUEST);
  parser_.data = this;
  http_parser_settings_init(&settings_);
  settings_.on_message_begin = &RequestParser::OnMessageBegin;
  settings_.on_url = &RequestParser::OnUrl;
  settings_.on_header_field = &RequestParser::OnHeaderField;
  settings_.on_header_value = &RequestParser::OnHeaderValue;
  settings_.on_headers_complete = &RequestParser::OnHeadersComplete;
  settings_.on_body = &RequestParser::OnBody;
  settings_.on_message_complete = &RequestParser::OnMessageComplete;
}

RequestParser::Outcome RequestParser::Feed(const char* data, size_t len) {
  Outcome out;
  if (error_status_ != 0) {
    out.state = State::kError;
    return out;
  }
  if (complete_) {
    out.state = State::kRequest;  // TakeRequest() first.
    return out;
  }
  if (len == 0) return out;  // http-parser would take 0 bytes as EOF.
  out.consumed = http_parser_execute(&parser_, &settings_, data, len);
  http_errno err = HTTP_PARSER_ERRNO(&parser_);
  if (error_status_ != 0) {
    out.state = State::kError;  // A limit, set by a callback.
  } else if (err == HPE_PAUSED && complete_) {
    out.state = State::kRequest;
  } else if (err != HPE_OK) {
    Fail(400, std::string("malformed request: ") +
                  http_errno_description(err));
    out.state = State::kError;
  } else if (parser_.upgrade) {
    // CONNECT or an Upgrade header: nothing here speaks another protocol.
    Fail(400, "protocol upgrades and CONNECT are not supported");
    out.state = State::kError;
  } else if (out.consumed != len) {
    Fail(400, "malformed request");
    out.state = State::kError;
  }
  return out;
}

HttpRequest RequestParser::TakeRequest() {
  HttpRequest r = std::move(current_);
  current_ = HttpRequest();
  header_bytes_ = 0;
  last_was_value_ = false;
  started_ = false;
  complete_ = false;
  http_parser_pause(&parser_, 0);
  return r;
}

int RequestParser::Fail(int status, std::string reason) {
  if (error_status_ == 0) {
    error_status_ = status;
    error_ = std::move(reason);
  }
  return -1;
}

int RequestParser::CountHeaderBytes(size_t len) {
  header_bytes_ += len;
  if (header_bytes_ <= limits_.max_header_bytes) return 0;
  return Fail(431, "headers larger than " +
                       std::to_string(limits_.max_header_bytes) + " bytes");
}

// Splits the target into path and query. Only origin-form targets
// ("/path?query") and "*" make sense for this server.
bool RequestParser::SplitTarget() {
  const std::string& t = current_.target;
  if (t.empty() || t[0] != '/') return false;
  size_t q = t.find('?');
  current_.path = t.substr(0, q);
  if (q != std::string::npos) {
    size_t hash = t.find('#', q);
    current_.query = t.substr(q + 1, hash == std::string::npos
                                         ? std::string::npos
                                         : hash - q - 1);
  }
  return true;
}

int RequestParser::OnMessageBegin(http_parser* p) noexcept {
  Self(p)->started_ = true;
  return 0;
}

int RequestParser::OnUrl(http_parser* p, const char* at, size_t len) noexcept {
  RequestParser* self = Self(p);
  self->started_ = true;
  if (self->current_.target.size() + len > self->limits_.max_target) {
    return self->Fail(414, "request target longer than " +
                               std::to_string(self->limits_.max_target) +
                               " bytes");
  }
  self->current_.target.append(at, len);
  return 0;
}

int RequestParser::OnHeaderField(http_parser* p, const char* at,
                                 size_t len) noexcept {
  RequestParser* self = Self(p);
  if (self->CountHeaderBytes(len) != 0) return -1;
  auto& headers = self->current_.headers;
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

int RequestParser::OnHeaderValue(http_parser* p, const char* at,
                                 size_t len) noexcept {
  RequestParser* self = Self(p);
  if (self->CountHeaderBytes(len) != 0) return -1;
  if (self->current_.headers.empty()) return self->Fail(400, "bad header");
  self->last_was_value_ = true;
  self->current_.headers.back().second.append(at, len);
  return 0;
}

int RequestParser::OnHeadersComplete(http_parser* p) noexcept {
  RequestParser* self = Self(p);
  if (p->http_major != 1) {
    return self->Fail(505, "only HTTP/1.0 and HTTP/1.1 are served");
  }
  if (!self->SplitTarget()) {
    return self->Fail(400, "request target must be a path starting with /");
  }
  // Content-Length is known here; chunked bodies are counted in OnBody.
  if ((p->flags & F_CHUNKED) == 0 && p->content_length != ULLONG_MAX &&
      p->content_length > self->limits_.max_body) {
    return self->Fail(413, "request body larger than " +
                               std::to_string(self->limits_.max_body) +
                               " bytes");
  }
  self->current_.method = http_method_str(static_cast<http_method>(p->method));
  return 0;
}

int RequestParser::OnBody(http_parser* p, const char* at, size_t len) noexcept {
  RequestParser* self = Self(p);
  if (self->current_.body.size() + len > self->limits_.max_body) {
    return self->Fail(413, "request body larger than " +
                               std::to_string(self->limits_.max_body) +
                               " bytes");
  }
  self->current_.body.append(at, len);
  return 0;
}

int RequestParser::OnMessageComplete(http_parser* p) noexcept {
  RequestParser* self = Self(p);
  self->current_.keep_alive = http_should_keep_alive(p) != 0;
  self->complete_ = true;
  // Stop here: the caller answers this request before reading the next.
  http_parser_pause(p, 1);
  return 0;
}

}  // namespace pprof
