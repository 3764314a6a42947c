#include "pprof/route.h"

#include <cerrno>
#include <cstdlib>
#include <map>

namespace pprof {
namespace {

constexpr char kPrefix[] = "/debug/pprof/";

Routed Error(int status, std::string why) {
  Routed r;
  r.status = status;
  r.error = std::move(why);
  return r;
}

// A whole decimal number in [lo, hi], or false.
bool ParseInt(const std::string& text, long lo, long hi, long* out) {
  if (text.empty() || text.size() > 18) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  long v = std::strtol(text.c_str(), nullptr, 10);
  if (v < lo || v > hi) return false;
  *out = v;
  return true;
}

bool IsReadMethod(const std::string& m) { return m == "GET" || m == "HEAD"; }

}  // namespace

Routed RouteRequest(const HttpRequest& req, const RouteLimits& limits) {
  auto decoded = PercentDecode(req.path, false);
  if (!decoded.ok()) return Error(400, decoded.status().message());
  const std::string& path = *decoded;
  auto query = ParseQuery(req.query);
  if (!query.ok()) return Error(400, query.status().message());
  auto param = [&](const char* key) -> const std::string* {
    auto it = query->find(key);
    return it == query->end() ? nullptr : &it->second;
  };

  std::string name;
  if (path == "/debug/pprof" || path == kPrefix) {
    name = "";
  } else if (path.compare(0, sizeof(kPrefix) - 1, kPrefix) == 0) {
    name = path.substr(sizeof(kPrefix) - 1);
  } else {
    return Error(404, "not found: only /debug/pprof/ is served here");
  }

  Routed r;
  if (name.empty()) {
    r.route = Route::kIndex;
  } else if (name == "profile") {
    r.route = Route::kProfile;
  } else if (name == "heap") {
    r.route = Route::kHeap;
  } else if (name == "allocs") {
    r.route = Route::kAllocs;
  } else if (name == "goroutine") {
    r.route = Route::kGoroutine;
  } else if (name == "threadcreate") {
    r.route = Route::kThreadCreate;
  } else if (name == "cmdline") {
    r.route = Route::kCmdline;
  } else if (name == "symbol") {
    r.route = Route::kSymbol;
  } else {
    return Error(404, "Unknown profile: " + name);
  }

  bool post_ok = r.route == Route::kSymbol && req.method == "POST";
  if (!IsReadMethod(req.method) && !post_ok) {
    return Error(405, "method " + req.method + " not allowed here");
  }

  long v = 0;
  if (const std::string* d = param("debug")) {
    if (!ParseInt(*d, 0, 2, &v)) {
      return Error(400, "debug: want 0, 1 or 2, got \"" + *d + "\"");
    }
    r.debug = static_cast<int>(v);
  }
  if (r.route == Route::kProfile) {
    r.seconds = limits.default_seconds;
    if (const std::string* s = param("seconds")) {
      if (!ParseInt(*s, 1, 1000000000L, &v)) {
        return Error(400, "seconds: want a positive whole number, got \"" +
                              *s + "\"");
      }
      r.capped = v > limits.max_seconds;
      r.seconds = static_cast<int>(r.capped ? limits.max_seconds : v);
    }
    r.hz = limits.default_hz;
    if (const std::string* h = param("hz")) {
      if (!ParseInt(*h, 1, 1000, &v)) {
        return Error(400, "hz: want 1..1000, got \"" + *h + "\"");
      }
      r.hz = static_cast<int>(v);
    }
  }
  if (r.route == Route::kSymbol) {
    r.symbol_input = req.method == "POST" ? req.body : req.query;
  }
  return r;
}

}  // namespace pprof
