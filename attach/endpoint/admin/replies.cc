#include "attach/endpoint/admin/replies.h"

namespace attach {
namespace endpoint {
namespace admin {

http::ResponseHead AdminHead(int status, const std::string& content_type) {
  http::ResponseHead h;
  h.status = status;
  h.content_type = content_type;
  h.headers = {
      {"Cache-Control", "no-store"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "same-origin"},
      {"Strict-Transport-Security", "max-age=31536000"},
  };
  if (content_type == kHtml) {
    h.headers.push_back(
        {"Content-Security-Policy",
         "default-src 'none'; script-src 'self'; style-src 'self'; "
         "connect-src 'self'; img-src 'self'; form-action 'self'; "
         "frame-ancestors 'none'; base-uri 'none'"});
  }
  return h;
}

void Reply(http::Exchange& ex, int status, const std::string& content_type,
           std::string body) {
  http::Response r;
  static_cast<http::ResponseHead&>(r) = AdminHead(status, content_type);
  r.body = std::move(body);
  ex.Respond(std::move(r));
}

void Redirect(http::Exchange& ex, const std::string& location,
              const std::string& set_cookie) {
  http::Response r;
  static_cast<http::ResponseHead&>(r) = AdminHead(303, kText);
  r.headers.push_back({"Location", location});
  if (!set_cookie.empty()) r.headers.push_back({"Set-Cookie", set_cookie});
  r.body = "see " + location + "\n";
  ex.Respond(std::move(r));
}

std::string SessionCookie(const std::string& token, uint64_t max_age_s) {
  return std::string(kCookieName) + "=" + token +
         "; Path=/; Max-Age=" + std::to_string(token.empty() ? 0 : max_age_s) +
         "; Secure; HttpOnly; SameSite=Strict";
}

}  // namespace admin
}  // namespace endpoint
}  // namespace attach
