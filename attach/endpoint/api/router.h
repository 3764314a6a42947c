// Which API route a request is, as dockerd's router decides it: every
// route is served both as /PATH and /vX.Y/PATH; a version newer than
// attachd's or older than its minimum is refused in dockerd's words;
// anything else unknown is 404 "page not found" (also for a known path
// with another method, as dockerd answers).
#ifndef TETHER_ATTACH_ENDPOINT_API_ROUTER_H_
#define TETHER_ATTACH_ENDPOINT_API_ROUTER_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace attach {
namespace endpoint {
namespace api {

enum class RouteId {
  kPing,
  kVersion,
  kInfo,
  kContainerList,
  kContainerCreate,
  kContainerInspect,
  kContainerStart,
  kContainerStop,
  kContainerRestart,
  kContainerKill,
  kContainerWait,
  kContainerRemove,
  kContainerAttach,
  kContainerResize,
  kContainerLogs,
  kExecCreate,
  kExecStart,
  kExecResize,
  kExecInspect,
  kImageList,
  kImageInspect,
  kImageCreate,
  kImageRemove,
  kImageLoad,
  kImageTag,
};

struct RouteMatch {
  RouteId id;
  std::vector<std::string> params;  // The {} parts, percent-decoded.
  std::string version;              // "1.41"; empty when unversioned.
};

// `path` is the request path, still percent-encoded. kNotFound "page not
// found"; kInvalidArgument for a refused version or a bad escape.
base::Result<RouteMatch> MatchRoute(std::string_view method,
                                    std::string_view path);

// -1, 0 or 1 as version `a` is older, the same or newer than `b`
// ("1.9" < "1.41").
int CompareVersions(std::string_view a, std::string_view b);

}  // namespace api
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_API_ROUTER_H_
