#include "attach/endpoint/api/router.h"

#include <cctype>
#include <cstdlib>

#include "attach/endpoint/api/replies.h"
#include "http/query.h"

namespace attach {
namespace endpoint {
namespace api {
namespace {

struct Route {
  const char* method;
  // Segments; "{}" takes one segment, "{*}" one or more (image names
  // hold slashes: /images/library/busybox/json).
  const char* pattern;
  RouteId id;
};

const Route kRoutes[] = {
    {"GET", "/_ping", RouteId::kPing},
    {"HEAD", "/_ping", RouteId::kPing},
    {"GET", "/version", RouteId::kVersion},
    {"GET", "/info", RouteId::kInfo},
    {"GET", "/containers/json", RouteId::kContainerList},
    {"POST", "/containers/create", RouteId::kContainerCreate},
    {"GET", "/containers/{}/json", RouteId::kContainerInspect},
    {"POST", "/containers/{}/start", RouteId::kContainerStart},
    {"POST", "/containers/{}/stop", RouteId::kContainerStop},
    {"POST", "/containers/{}/restart", RouteId::kContainerRestart},
    {"POST", "/containers/{}/kill", RouteId::kContainerKill},
    {"POST", "/containers/{}/wait", RouteId::kContainerWait},
    {"DELETE", "/containers/{}", RouteId::kContainerRemove},
    {"POST", "/containers/{}/attach", RouteId::kContainerAttach},
    {"POST", "/containers/{}/resize", RouteId::kContainerResize},
    {"GET", "/containers/{}/logs", RouteId::kContainerLogs},
    {"POST", "/containers/{}/exec", RouteId::kExecCreate},
    {"POST", "/exec/{}/start", RouteId::kExecStart},
    {"POST", "/exec/{}/resize", RouteId::kExecResize},
    {"GET", "/exec/{}/json", RouteId::kExecInspect},
    {"GET", "/images/json", RouteId::kImageList},
    {"POST", "/images/create", RouteId::kImageCreate},
    {"POST", "/images/load", RouteId::kImageLoad},
    {"GET", "/images/{*}/json", RouteId::kImageInspect},
    {"POST", "/images/{*}/tag", RouteId::kImageTag},
    {"DELETE", "/images/{*}", RouteId::kImageRemove},
};

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  size_t b = 1;  // After the leading '/'.
  while (b <= path.size()) {
    size_t e = path.find('/', b);
    if (e == std::string_view::npos) e = path.size();
    out.push_back(path.substr(b, e - b));
    b = e + 1;
  }
  return out;
}

// Matches `segs` against `pattern`; fills `params` with the raw parts.
bool Matches(const std::vector<std::string_view>& segs, const char* pattern,
             std::vector<std::string>* params) {
  std::vector<std::string_view> pat = Split(pattern);
  params->clear();
  size_t greedy = pat.size();
  for (size_t i = 0; i < pat.size(); ++i) {
    if (pat[i] == "{*}") greedy = i;
  }
  if (greedy == pat.size()) {
    if (segs.size() != pat.size()) return false;
  } else if (segs.size() < pat.size()) {
    return false;
  }
  // The greedy part takes what the fixed parts after it leave.
  size_t tail = pat.size() - greedy - 1;
  size_t s = 0;
  for (size_t p = 0; p < pat.size(); ++p) {
    if (p == greedy) {
      size_t end = segs.size() - tail;
      std::string joined;
      for (; s < end; ++s) {
        if (segs[s].empty()) return false;
        if (!joined.empty()) joined += '/';
        joined += std::string(segs[s]);
      }
      params->push_back(joined);
      continue;
    }
    if (pat[p] == "{}") {
      if (segs[s].empty()) return false;
      params->push_back(std::string(segs[s++]));
    } else if (pat[p] != segs[s++]) {
      return false;
    }
  }
  return true;
}

// "v1.41" -> "1.41"; empty when `seg` is not a version.
std::string VersionOf(std::string_view seg) {
  if (seg.size() < 2 || seg[0] != 'v') return "";
  for (char c : seg.substr(1)) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.') return "";
  }
  return std::string(seg.substr(1));
}

}  // namespace

int CompareVersions(std::string_view a, std::string_view b) {
  while (!a.empty() || !b.empty()) {
    size_t da = a.find('.'), db = b.find('.');
    long na = std::strtol(std::string(a.substr(0, da)).c_str(), nullptr, 10);
    long nb = std::strtol(std::string(b.substr(0, db)).c_str(), nullptr, 10);
    if (na != nb) return na < nb ? -1 : 1;
    a = da == std::string_view::npos ? "" : a.substr(da + 1);
    b = db == std::string_view::npos ? "" : b.substr(db + 1);
  }
  return 0;
}

base::Result<RouteMatch> MatchRoute(std::string_view method,
                                    std::string_view path) {
  if (path.empty() || path[0] != '/') {
    return base::Status::NotFound("page not found");
  }
  std::vector<std::string_view> segs = Split(path);
  RouteMatch match{RouteId::kPing, {}, ""};
  if (!segs.empty()) match.version = VersionOf(segs[0]);
  if (!match.version.empty()) {
    if (CompareVersions(match.version, kApiVersion) > 0) {
      return base::Status::InvalidArgument(
          "client version " + match.version +
          " is too new. Maximum supported API version is " + kApiVersion);
    }
    if (CompareVersions(match.version, kMinApiVersion) < 0) {
      return base::Status::InvalidArgument(
          "client version " + match.version +
          " is too old. Minimum supported API version is " + kMinApiVersion +
          ", please upgrade your client to a newer version");
    }
    segs.erase(segs.begin());
  }
  std::vector<std::string> raw;
  for (const Route& r : kRoutes) {
    if (method != r.method || !Matches(segs, r.pattern, &raw)) continue;
    match.id = r.id;
    for (const std::string& p : raw) {
      TETHER_ASSIGN_OR_RETURN(std::string decoded,
                              http::PercentDecode(p, false));
      match.params.push_back(std::move(decoded));
    }
    return match;
  }
  return base::Status::NotFound("page not found");
}

}  // namespace api
}  // namespace endpoint
}  // namespace attach
