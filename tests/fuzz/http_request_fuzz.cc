// Fuzzes the pprof server's request path: the shared request reader with
// pprof's limits, fed in pieces as a socket would deliver them, then the
// buffered body, routing and query decoding of every request that comes
// out, and the tunnel's conversion of the same request (what the tether
// serves from the link).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "http/request_reader.h"
#include "pprof/http_server.h"
#include "pprof/route.h"
#include "pprof/tunnel.h"

namespace {

void Route(const pprof::HttpRequest& req) {
  pprof::Routed r = pprof::RouteRequest(req);
  if (r.route == pprof::Route::kError) {
    (void)http::SerializeHead(pprof::HttpResponse::Error(r.status, r.error),
                              req.version_minor, http::Framing::kLength, 0,
                              false);
  }
  (void)pprof::ParseQuery(req.query);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const char* in = reinterpret_cast<const char*>(data);
  pprof::ServerOptions options;
  http::RequestReader reader(options.limits);
  const size_t max_body = 4096;  // Small, so the fuzzer reaches the limit.
  // The first byte picks the piece size, so splits vary per input.
  size_t step = size > 0 ? 1 + data[0] % 64 : 1;
  size_t off = 0;
  int requests = 0;
  pprof::HttpRequest req;
  while (off < size && requests < 64) {
    size_t n = std::min(step, size - off);
    http::RequestReader::Step s = reader.Feed(in + off, n);
    off += s.consumed;
    if (s.event == http::RequestReader::Event::kError) break;
    if (s.event == http::RequestReader::Event::kHead) {
      req = reader.TakeRequest();
    } else if (s.event == http::RequestReader::Event::kBody) {
      if (req.body.size() + s.body.size() > max_body) break;  // 413.
      req.body.append(s.body);
    } else if (s.event == http::RequestReader::Event::kEnd) {
      ++requests;
      Route(req);
      tether::attach::PprofRequest tunneled = pprof::ToTunnelRequest(req);
      pprof::ServeTunneled(nullptr, tunneled,
                           [](tether::attach::PprofResponse) {});
    }
  }
  return 0;
}
