#include "pprof/http_message.h"

#include <cctype>

namespace pprof {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Header values come from our own handlers, but a CR or LF in one would
// let a value start a new header: such characters become spaces.
std::string HeaderSafe(std::string_view v) {
  std::string out(v);
  for (char& c : out) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return out;
}

}  // namespace

const std::string* HttpRequest::Header(std::string_view name) const {
  for (const auto& h : headers) {
    if (h.first == name) return &h.second;
  }
  return nullptr;
}

HttpResponse HttpResponse::Error(int status, std::string_view message) {
  HttpResponse r;
  r.status = status;
  r.headers.emplace_back("X-Go-Pprof", "1");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.body = std::string(message) + "\n";
  return r;
}

HttpResponse HttpResponse::Profile(std::string gzipped,
                                   std::string_view name) {
  HttpResponse r;
  r.content_type = "application/octet-stream";
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"" + std::string(name) + "\"");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.body = std::move(gzipped);
  return r;
}

HttpResponse HttpResponse::Text(std::string body) {
  HttpResponse r;
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.body = std::move(body);
  return r;
}

const char* StatusText(int status) {
  switch (status) {
    case 200: return "OK";
    case 301: return "Moved Permanently";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
}

std::string SerializeResponse(const HttpResponse& response, bool keep_alive,
                              bool head) {
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " +
                    StatusText(response.status) + "\r\n";
  out += "Content-Type: " + HeaderSafe(response.content_type) + "\r\n";
  for (const auto& h : response.headers) {
    out += HeaderSafe(h.first) + ": " + HeaderSafe(h.second) + "\r\n";
  }
  out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  if (!keep_alive) out += "Connection: close\r\n";
  out += "\r\n";
  if (!head) out += response.body;
  return out;
}

base::Result<std::string> PercentDecode(std::string_view in,
                                        bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+' && plus_is_space) {
      out += ' ';
    } else if (c == '%') {
      int hi = i + 1 < in.size() ? HexValue(in[i + 1]) : -1;
      int lo = i + 2 < in.size() ? HexValue(in[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        std::string bad(in.substr(i, 3));
        return base::Status::InvalidArgument("bad escape \"" + bad + "\"");
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

base::Result<std::map<std::string, std::string>> ParseQuery(
    std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view()
                                          : query.substr(amp + 1);
    if (part.empty()) continue;
    size_t eq = part.find('=');
    auto key = PercentDecode(part.substr(0, eq), true);
    if (!key.ok()) return key.TakeStatus().Annotate("query");
    std::string value;
    if (eq != std::string_view::npos) {
      auto v = PercentDecode(part.substr(eq + 1), true);
      if (!v.ok()) return v.TakeStatus().Annotate("query");
      value = std::move(*v);
    }
    out.emplace(std::move(*key), std::move(value));  // First one wins.
  }
  return out;
}

}  // namespace pprof
