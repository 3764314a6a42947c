// Fuzzes the pprof server's request path: http-parser with our limits
// (RequestParser), in pieces as a socket would deliver them, then routing
// and query decoding of every request that comes out, and the tunnel's
// conversion of the same request (what the tether serves from the link).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "pprof/request_parser.h"
#include "pprof/route.h"
#include "pprof/tunnel.h"

namespace {

void Route(const pprof::HttpRequest& req) {
  pprof::Routed r = pprof::RouteRequest(req);
  if (r.route == pprof::Route::kError) {
    (void)pprof::SerializeResponse(pprof::HttpResponse::Error(r.status, r.error),
                                   false, req.method == "HEAD");
  }
  (void)pprof::ParseQuery(req.query);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const char* in = reinterpret_cast<const char*>(data);
  pprof::RequestLimits limits;
  limits.max_body = 4096;  // Small, so the fuzzer reaches the limit.
  pprof::RequestParser parser(limits);
  // The first byte picks the piece size, so splits vary per input.
  size_t step = size > 0 ? 1 + data[0] % 64 : 1;
  size_t off = 0;
  int requests = 0;
  while (off < size && requests < 64) {
    size_t n = std::min(step, size - off);
    pprof::RequestParser::Outcome out = parser.Feed(in + off, n);
    if (out.state == pprof::RequestParser::State::kError) break;
    off += out.consumed;
    if (out.state == pprof::RequestParser::State::kRequest) {
      ++requests;
      pprof::HttpRequest req = parser.TakeRequest();
      Route(req);
      tether::attach::PprofRequest tunneled = pprof::ToTunnelRequest(req);
      pprof::ServeTunneled(nullptr, tunneled,
                           [](tether::attach::PprofResponse) {});
    }
  }
  return 0;
}
