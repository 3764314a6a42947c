// The admin portal's readers of outside input: the request path, the
// Cookie header and the login form. Pure functions, each fuzzed by
// tests/fuzz/admin_request_fuzz.cc.
//
// No path from a request reaches the file system: ParseRoute maps a path
// onto a fixed set of pages, and the only free part, a container
// reference, is restricted to docker's name characters (no '/', no '%',
// never "." or "..") and is then looked up in the registry.
#ifndef TETHER_ATTACH_ENDPOINT_ADMIN_REQUEST_PARSE_H_
#define TETHER_ATTACH_ENDPOINT_ADMIN_REQUEST_PARSE_H_

#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace attach {
namespace endpoint {
namespace admin {

enum class Page {
  kNotFound,
  kDashboard,       // GET /
  kLogin,           // GET, POST /login
  kLogout,          // POST /logout
  kHealth,          // GET /health
  kContainersJson,  // GET /containers.json (the dashboard's table)
  kAttachdLog,      // GET /logs/attachd.log
  kApiLog,          // GET /logs/api.log
  kAdminLog,        // GET /logs/admin.log
  kSecurityLog,     // GET /logs/security (attachd.log's security lines)
  kBundle,          // GET /logs/bundle.tar.gz
  kContainerLogs,   // GET /containers/REF/logs
  kConsoleLog,      // GET /containers/REF/console.log
  kStyle,           // GET /static/admin.css
  kScript,          // GET /static/admin.js
};

struct Route {
  Page page = Page::kNotFound;
  std::string container;  // kContainerLogs, kConsoleLog.
};

// The page `path` (the request target up to '?', as sent) names;
// kNotFound for anything else, including any percent-escape.
Route ParseRoute(std::string_view path);

// Whether `ref` may name a container: docker's name rule
// [a-zA-Z0-9][a-zA-Z0-9_.-]*, at most 128 characters (ids are hex).
bool IsContainerRef(std::string_view ref);

// The value of cookie `name` in a Cookie header ("a=1; b=2"), or nullopt.
// A value in double quotes is unquoted; values over 512 bytes are ignored.
std::optional<std::string> CookieValue(std::string_view header,
                                       std::string_view name);

// Field `name` of an application/x-www-form-urlencoded body ("" when
// absent); kInvalidArgument for a malformed escape.
base::Result<std::string> FormField(std::string_view body,
                                    const std::string& name);

// "192.0.2.7:51234" -> "192.0.2.7", "[::1]:40000" -> "::1": the address
// logins are counted by.
std::string PeerHost(std::string_view peer);

}  // namespace admin
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_ADMIN_REQUEST_PARSE_H_
