// The admin portal's pages: the login form and the dashboard as HTML, and
// the one style sheet and script they load. Plain and small: no external
// resource (the host may be offline), readable on a phone, and the
// dashboard's tables refresh themselves from /containers.json and
// /health every few seconds without reloading the page.
//
// Everything interpolated is escaped (HtmlEscape); the Content-Security-
// Policy the portal sends allows scripts and styles from itself only.
#ifndef TETHER_ATTACH_ENDPOINT_ADMIN_PAGES_H_
#define TETHER_ATTACH_ENDPOINT_ADMIN_PAGES_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace attach {
namespace endpoint {
namespace admin {

// &, <, >, " and ' as entities.
std::string HtmlEscape(std::string_view text);

// The login form; `message` (may be empty) is shown above it.
std::string LoginPage(const std::string& message);

struct DashboardFacts {
  std::string version;
  std::string hostname;
  int64_t uptime_s = 0;
  std::string who;            // "password login" or the certificate's subject.
  nlohmann::json health;      // health.h's document.
  nlohmann::json containers;  // ContainersJson's array.
};
std::string DashboardPage(const DashboardFacts& facts);

// The static assets.
const std::string& StyleSheet();
const std::string& Script();

}  // namespace admin
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_ADMIN_PAGES_H_
