// DebugServer: the tether's pprof server (DESIGN §7, docs/pprof.md).
//
// On when the config has debug >= 2 or pprof.listen: heap sampling
// starts, and the /debug/pprof/ endpoints are served over HTTP on
// pprof.listen (default 127.0.0.1:6060, inside the guest) and through the
// attach link (AttachBridge::SetPprofHandler), which is how
// `tetherctl pprof` reaches them without any guest port.
//
// Loop thread only. Close() before the loop is expected to run out: the
// listener and a running profile keep it alive.
#ifndef TETHER_TETHER_DEBUG_SERVER_H_
#define TETHER_TETHER_DEBUG_SERVER_H_

#include <uv.h>

#include <memory>

#include "guestinfo/config.h"
#include "pprof/endpoints.h"
#include "pprof/http_server.h"

namespace tether {

constexpr char kDefaultPprofListen[] = "127.0.0.1:6060";

class DebugServer {
 public:
  // Whether `config` turns pprof on.
  static bool Wanted(const guestinfo::Config& config);

  // `config` must outlive the server.
  DebugServer(uv_loop_t* loop, const guestinfo::Config& config);
  ~DebugServer();

  // Starts sampling and listening. Never fails the tether: a listener
  // that cannot bind (port taken) is a warning, and the link still serves.
  void Start();
  // Stops listening and profiling; handler() answers nothing afterwards.
  void Close();

  // For the attach link; nullptr once closed.
  pprof::Handler* handler() { return endpoints_.get(); }
  uint16_t port() const { return http_ ? http_->port() : 0; }

 private:
  uv_loop_t* loop_;
  const guestinfo::Config& config_;
  std::unique_ptr<pprof::Endpoints> endpoints_;
  std::unique_ptr<pprof::HttpServer> http_;
};

}  // namespace tether

#endif  // TETHER_TETHER_DEBUG_SERVER_H_
