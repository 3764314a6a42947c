#include "tether/debug_server.h"

#include <string>

#include "base/log.h"
#include "guestinfo/config_codec.h"
#include "pprof/heap_profiler.h"

namespace tether {

bool DebugServer::Wanted(const guestinfo::Config& config) {
  return config.pprof_wanted();
}

DebugServer::DebugServer(uv_loop_t* loop, const guestinfo::Config& config)
    : loop_(loop), config_(config) {}

DebugServer::~DebugServer() { Close(); }

void DebugServer::Start() {
  if (!pprof::StartHeapSampling()) {
    LOG_DEBUG("pprof: heap sampling unavailable in this build");
  }
  pprof::EndpointsOptions opts;
  opts.program = "tether";
  const guestinfo::Config* config = &config_;
  // The config as `inspect` shows it: identity key and env values
  // redacted (guestinfo/config_codec.h).
  opts.describe = [config] {
    return "config: " + guestinfo::EncodeConfigRedacted(*config) + "\n";
  };
  endpoints_ = std::make_unique<pprof::Endpoints>(loop_, std::move(opts));
  http_ = std::make_unique<pprof::HttpServer>(loop_, endpoints_.get());
  std::string listen =
      config_.pprof.listen.empty() ? kDefaultPprofListen : config_.pprof.listen;
  base::Status s = http_->Listen(listen);
  if (!s.ok()) {
    LOG_WARN("%s; pprof stays reachable through the attach link",
             s.ToString().c_str());
    http_.reset();
    return;
  }
  LOG_INFO("pprof: serving http://%s/debug/pprof/", listen.c_str());
}

void DebugServer::Close() {
  http_.reset();       // Stops listening, drops connections.
  endpoints_.reset();  // Stops a running profile; its answer is dropped.
}

}  // namespace tether
