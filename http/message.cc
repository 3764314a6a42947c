#include "http/message.h"

#include <cctype>

namespace http {
namespace {

// Header names and values come from our own handlers, but a CR or LF in
// one would let it start a new header: such bytes become spaces.
void AppendSafe(std::string* out, std::string_view v) {
  for (char c : v) out->push_back(c == '\r' || c == '\n' ? ' ' : c);
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// Headers the server writes from its own state, never a handler's copy.
bool IsFramingHeader(std::string_view name) {
  return EqualsIgnoreCase(name, "content-length") ||
         EqualsIgnoreCase(name, "transfer-encoding") ||
         EqualsIgnoreCase(name, "connection");
}

}  // namespace

const std::string* Request::Header(std::string_view name) const {
  for (const auto& h : headers) {
    if (h.first == name) return &h.second;
  }
  return nullptr;
}

Response Response::Text(int status, std::string body) {
  Response r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.body = std::move(body);
  return r;
}

const char* StatusText(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 413:
      return "Payload Too Large";
    case 414:
      return "URI Too Long";
    case 417:
      return "Expectation Failed";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown";
  }
}

bool StatusHasBody(int status) {
  return status >= 200 && status != 204 && status != 304;
}

std::string SerializeHead(const ResponseHead& head, int version_minor,
                          Framing framing, uint64_t length, bool keep_alive) {
  std::string out = version_minor == 0 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(head.status);
  out += ' ';
  AppendSafe(&out, head.reason.empty() ? StatusText(head.status)
                                       : std::string_view(head.reason));
  out += "\r\n";
  if (!head.content_type.empty()) {
    out += "Content-Type: ";
    AppendSafe(&out, head.content_type);
    out += "\r\n";
  }
  for (const auto& h : head.headers) {
    if (framing != Framing::kRaw && IsFramingHeader(h.first)) continue;
    AppendSafe(&out, h.first);
    out += ": ";
    AppendSafe(&out, h.second);
    out += "\r\n";
  }
  switch (framing) {
    case Framing::kLength:
      out += "Content-Length: " + std::to_string(length) + "\r\n";
      break;
    case Framing::kChunked:
      out += "Transfer-Encoding: chunked\r\n";
      break;
    case Framing::kClose:
    case Framing::kEmpty:
    case Framing::kRaw:
      break;
  }
  if (framing != Framing::kRaw) {
    if (!keep_alive) {
      out += "Connection: close\r\n";
    } else if (version_minor == 0) {
      out += "Connection: keep-alive\r\n";  // HTTP/1.0 closes otherwise.
    }
  }
  out += "\r\n";
  return out;
}

bool HasToken(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    std::string_view part = value.substr(0, comma);
    while (!part.empty() && (part.front() == ' ' || part.front() == '\t')) {
      part.remove_prefix(1);
    }
    while (!part.empty() && (part.back() == ' ' || part.back() == '\t')) {
      part.remove_suffix(1);
    }
    if (EqualsIgnoreCase(part, token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace http
