// Endpoints: the /debug/pprof/* handler shared by the tether and attachd,
// served over HTTP (HttpServer) and through the attach link (the tether's
// pprof tunnel). Routing is route.h; profiles come from cpu_profiler.h,
// heap_profiler.h and threads.h, symbolized per response.
//
// Status codes: 200; 400 for bad parameters; 404 for unknown paths; 405
// for other methods; 409 when a CPU profile is already running (with how
// long it has left); 500 when profiling cannot start.
//
// Loop thread only.
#ifndef TETHER_PPROF_ENDPOINTS_H_
#define TETHER_PPROF_ENDPOINTS_H_

#include <uv.h>

#include <functional>
#include <string>

#include "pprof/cpu_profiler.h"
#include "pprof/http_message.h"
#include "pprof/route.h"
#include "pprof/threads.h"

namespace pprof {

struct EndpointsOptions {
  std::string program = "tether";  // Named on the index page.
  RouteLimits limits;
  // More for cmdline?debug=1, after the arguments: the tether shows its
  // config there, redacted (guestinfo::EncodeConfigRedacted). Must never
  // return a secret.
  std::function<std::string()> describe;
};

class Endpoints : public Handler {
 public:
  Endpoints(uv_loop_t* loop, EndpointsOptions options);
  ~Endpoints() override;

  void Serve(HttpRequest request, Responder respond) override;

 private:
  void ServeProfile(const Routed& r, Responder respond);
  void ServeHeap(const Routed& r, bool allocs, Responder respond);
  void ServeThreads(const Routed& r, Responder respond);
  void ServeThreadCreate(const Routed& r, Responder respond);
  void ServeCmdline(const Routed& r, Responder respond);
  void ServeIndex(Responder respond);

  EndpointsOptions options_;
  CpuProfiler cpu_;
  ThreadDumper threads_;
};

}  // namespace pprof

#endif  // TETHER_PPROF_ENDPOINTS_H_
