// Routing for the debug endpoints: which profile a request asks for and
// with which parameters, or the 4xx answer it gets. Pure, so the HTTP
// fuzz target covers it together with the parser.
//
// Paths and parameters follow Go's net/http/pprof:
//   /debug/pprof/                      index (also without the slash)
//   /debug/pprof/profile?seconds=N     CPU; default 30, at most 60
//                        [&hz=H]       sampling rate, default 100
//   /debug/pprof/heap, /allocs         [?debug=1] for text
//   /debug/pprof/goroutine             [?debug=1|2]
//   /debug/pprof/threadcreate          [?debug=1]
//   /debug/pprof/cmdline               [?debug=1]
//   /debug/pprof/symbol                GET/POST "0x1+0x2"
// GET and HEAD everywhere; POST also for symbol.
#ifndef TETHER_PPROF_ROUTE_H_
#define TETHER_PPROF_ROUTE_H_

#include <string>

#include "pprof/http_message.h"

namespace pprof {

enum class Route {
  kError,  // See status and error.
  kIndex,
  kProfile,
  kHeap,
  kAllocs,
  kGoroutine,
  kThreadCreate,
  kCmdline,
  kSymbol,
};

struct RouteLimits {
  int default_seconds = 30;
  int max_seconds = 60;  // Larger requests are cut to this.
  int default_hz = 100;
};

struct Routed {
  Route route = Route::kError;
  int status = 0;      // kError: the HTTP status (4xx).
  std::string error;   // kError: why, for the response body.
  int debug = 0;       // 0: profile.proto; 1, 2: text.
  int seconds = 0;     // kProfile, after capping.
  bool capped = false; // kProfile: seconds was larger than the cap.
  int hz = 0;          // kProfile.
  std::string symbol_input;  // kSymbol: the "0x..+0x.." list.
};

Routed RouteRequest(const HttpRequest& request,
                    const RouteLimits& limits = RouteLimits());

}  // namespace pprof

#endif  // TETHER_PPROF_ROUTE_H_
