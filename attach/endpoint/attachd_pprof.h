// attachd's own pprof server (`attachd --pprof ADDR`, docs/pprof.md): the
// same /debug/pprof/ endpoints as the tether's, for attachd itself.
//
// Loop thread only. Close() before the loop should run out.
#ifndef TETHER_ATTACH_ENDPOINT_ATTACHD_PPROF_H_
#define TETHER_ATTACH_ENDPOINT_ATTACHD_PPROF_H_

#include <uv.h>

#include <memory>
#include <string>

#include "base/status.h"
#include "pprof/endpoints.h"
#include "pprof/http_server.h"

namespace attach {
namespace endpoint {

class AttachdPprof {
 public:
  explicit AttachdPprof(uv_loop_t* loop) : loop_(loop) {}

  // Starts heap sampling and serves on `address` (numeric HOST:PORT).
  // Errors are the listener's (kInvalidArgument, kIoError).
  base::Status Start(const std::string& address);
  // Stops serving and any running profile. Idempotent.
  void Close();
  uint16_t port() const { return http_ ? http_->port() : 0; }

 private:
  uv_loop_t* loop_;
  std::unique_ptr<pprof::Endpoints> endpoints_;
  std::unique_ptr<pprof::HttpServer> http_;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_ATTACHD_PPROF_H_
