#include "pprof/route.h"

#include <gtest/gtest.h>

namespace pprof {
namespace {

Routed RouteOf(const std::string& method, const std::string& target,
               const std::string& body = "") {
  HttpRequest r;
  r.method = method;
  r.target = target;
  size_t q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) r.query = target.substr(q + 1);
  r.body = body;
  return RouteRequest(r);
}

TEST(Route, NamesEveryGoEndpoint) {
  EXPECT_EQ(RouteOf("GET", "/debug/pprof/").route, Route::kIndex);
  EXPECT_EQ(RouteOf("GET", "/debug/pprof").route, Route::kIndex);
  EXPECT_EQ(RouteOf("GET", "/debug/pprof/profile").route, Route::kProfile);
  EXPECT_EQ(RouteOf("GET", "/debug/pprof/heap").route, Route::kHeap);
  EXPECT_EQ(RouteOf("HEAD", "/debug/pprof/allocs").route, Route::kAllocs);
  EXPECT_EQ(RouteOf("GET", "/debug/pprof/goroutine?debug=2").debug, 2);
  EXPECT_EQ(RouteOf("GET", "/debug/pprof/threadcreate").route,
            Route::kThreadCreate);
  EXPECT_EQ(RouteOf("GET", "/debug/pprof/cmdline").route, Route::kCmdline);
  EXPECT_EQ(RouteOf("GET", "/debug/pprof/%63mdline").route, Route::kCmdline);
}

TEST(Route, ProfileSecondsDefaultCapAndErrors) {
  Routed r = RouteOf("GET", "/debug/pprof/profile");
  EXPECT_EQ(r.seconds, 30);
  EXPECT_EQ(r.hz, 100);
  r = RouteOf("GET", "/debug/pprof/profile?seconds=2&hz=250");
  EXPECT_EQ(r.seconds, 2);
  EXPECT_EQ(r.hz, 250);
  EXPECT_FALSE(r.capped);
  r = RouteOf("GET", "/debug/pprof/profile?seconds=3600");
  EXPECT_EQ(r.seconds, 60);
  EXPECT_TRUE(r.capped);
  for (const char* bad : {"seconds=0", "seconds=-1", "seconds=x",
                          "seconds=1.5", "seconds=", "hz=0", "hz=5000"}) {
    r = RouteOf("GET", std::string("/debug/pprof/profile?") + bad);
    EXPECT_EQ(r.route, Route::kError) << bad;
    EXPECT_EQ(r.status, 400) << bad;
  }
}

TEST(Route, UnknownPathsAndMethods) {
  Routed r = RouteOf("GET", "/debug/pprof/mutex");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.error, "Unknown profile: mutex");
  EXPECT_EQ(RouteOf("GET", "/").status, 404);
  EXPECT_EQ(RouteOf("DELETE", "/debug/pprof/heap").status, 405);
  EXPECT_EQ(RouteOf("POST", "/debug/pprof/heap").status, 405);
  EXPECT_EQ(RouteOf("GET", "/debug/pprof/heap?debug=7").status, 400);
  EXPECT_EQ(RouteOf("GET", "/debug/pprof/heap?%zz=1").status, 400);
  EXPECT_EQ(RouteOf("GET", "/debug/pprof/%zz").status, 400);
}

TEST(Route, SymbolTakesTheQueryOrThePostBody) {
  EXPECT_EQ(RouteOf("GET", "/debug/pprof/symbol?0x10+0x20").symbol_input,
            "0x10+0x20");
  Routed r = RouteOf("POST", "/debug/pprof/symbol", "0x30");
  EXPECT_EQ(r.route, Route::kSymbol);
  EXPECT_EQ(r.symbol_input, "0x30");
}

}  // namespace
}  // namespace pprof
