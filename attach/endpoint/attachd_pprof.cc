#include "attach/endpoint/attachd_pprof.h"

#include "base/log.h"
#include "pprof/heap_profiler.h"

namespace attach {
namespace endpoint {

base::Status AttachdPprof::Start(const std::string& address) {
  if (!pprof::StartHeapSampling()) {
    LOG_INFO("pprof: heap sampling unavailable in this build");
  }
  pprof::EndpointsOptions opts;
  opts.program = "attachd";
  endpoints_ = std::make_unique<pprof::Endpoints>(loop_, std::move(opts));
  http_ = std::make_unique<pprof::HttpServer>(loop_, endpoints_.get());
  base::Status s = http_->Listen(address);
  if (!s.ok()) {
    Close();
    return s;
  }
  LOG_INFO("pprof: serving http://%s/debug/pprof/", address.c_str());
  return base::Status::Ok();
}

void AttachdPprof::Close() {
  http_.reset();
  endpoints_.reset();
}

}  // namespace endpoint
}  // namespace attach
