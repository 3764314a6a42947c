#include "pprof/http_message.h"

namespace pprof {

HttpResponse HttpResponse::Error(int status, std::string_view message) {
  HttpResponse r;
  r.status = status;
  r.headers.emplace_back("X-Go-Pprof", "1");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.body = std::string(message) + "\n";
  return r;
}

HttpResponse HttpResponse::Profile(std::string gzipped, std::string_view name) {
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

}  // namespace pprof
