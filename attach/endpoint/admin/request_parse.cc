#include "attach/endpoint/admin/request_parse.h"

#include <map>

#include "http/query.h"

namespace attach {
namespace endpoint {
namespace admin {
namespace {

constexpr size_t kMaxRef = 128;
constexpr size_t kMaxCookieValue = 512;

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

bool IsContainerRef(std::string_view ref) {
  if (ref.empty() || ref.size() > kMaxRef || !IsAlnum(ref[0])) return false;
  for (char c : ref) {
    if (!IsAlnum(c) && c != '_' && c != '.' && c != '-') return false;
  }
  return true;
}

Route ParseRoute(std::string_view path) {
  static const std::map<std::string_view, Page> kFixed = {
      {"/", Page::kDashboard},
      {"/login", Page::kLogin},
      {"/logout", Page::kLogout},
      {"/health", Page::kHealth},
      {"/containers.json", Page::kContainersJson},
      {"/logs/attachd.log", Page::kAttachdLog},
      {"/logs/api.log", Page::kApiLog},
      {"/logs/admin.log", Page::kAdminLog},
      {"/logs/security", Page::kSecurityLog},
      {"/logs/bundle.tar.gz", Page::kBundle},
      {"/static/admin.css", Page::kStyle},
      {"/static/admin.js", Page::kScript},
  };
  Route r;
  auto it = kFixed.find(path);
  if (it != kFixed.end()) {
    r.page = it->second;
    return r;
  }
  constexpr std::string_view kPrefix = "/containers/";
  if (path.substr(0, kPrefix.size()) != kPrefix) return r;
  std::string_view rest = path.substr(kPrefix.size());
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return r;
  std::string_view ref = rest.substr(0, slash);
  std::string_view what = rest.substr(slash + 1);
  if (!IsContainerRef(ref)) return r;
  if (what == "logs") {
    r.page = Page::kContainerLogs;
  } else if (what == "console.log") {
    r.page = Page::kConsoleLog;
  } else {
    return r;
  }
  r.container = std::string(ref);
  return r;
}

std::optional<std::string> CookieValue(std::string_view header,
                                       std::string_view name) {
  while (!header.empty()) {
    size_t semi = header.find(';');
    std::string_view pair = Trim(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view()
                                            : header.substr(semi + 1);
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos || Trim(pair.substr(0, eq)) != name) {
      continue;
    }
    std::string_view value = Trim(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (value.size() > kMaxCookieValue) continue;
    return std::string(value);
  }
  return std::nullopt;
}

base::Result<std::string> FormField(std::string_view body,
                                    const std::string& name) {
  TETHER_ASSIGN_OR_RETURN(auto fields, http::ParseQuery(body));
  auto it = fields.find(name);
  return it == fields.end() ? std::string() : it->second;
}

std::string PeerHost(std::string_view peer) {
  if (!peer.empty() && peer.front() == '[') {
    size_t close = peer.find(']');
    if (close != std::string_view::npos) {
      return std::string(peer.substr(1, close - 1));
    }
  }
  size_t colon = peer.rfind(':');
  return std::string(colon == std::string_view::npos ? peer
                                                     : peer.substr(0, colon));
}

}  // namespace admin
}  // namespace endpoint
}  // namespace attach
