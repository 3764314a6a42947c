// How the admin portal answers: every answer carries headers that keep it
// out of caches, frames and other sites' reach, and HTML pages a
// Content-Security-Policy that allows nothing but the portal itself.
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_ADMIN_REPLIES_H_
#define TETHER_ATTACH_ENDPOINT_ADMIN_REPLIES_H_

#include <memory>
#include <string>

#include "http/exchange.h"
#include "http/message.h"

namespace attach {
namespace endpoint {
namespace admin {

constexpr char kHtml[] = "text/html; charset=utf-8";
constexpr char kText[] = "text/plain; charset=utf-8";
constexpr char kJson[] = "application/json";

// Status line, Content-Type and the common headers.
http::ResponseHead AdminHead(int status, const std::string& content_type);

// A whole answer.
void Reply(http::Exchange& ex, int status, const std::string& content_type,
           std::string body);
// A 303 to `location` (after a login or logout).
void Redirect(http::Exchange& ex, const std::string& location,
              const std::string& set_cookie);

// The session cookie: "tether_admin=TOKEN; Path=/; Max-Age=N; Secure;
// HttpOnly; SameSite=Strict"; with an empty token, one that expires it.
constexpr char kCookieName[] = "tether_admin";
std::string SessionCookie(const std::string& token, uint64_t max_age_s);

}  // namespace admin
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_ADMIN_REPLIES_H_
