// Fuzzes the Docker API's request handling end to end, below the socket:
// bytes into one HTTP connection (in pieces, as a socket delivers them),
// through the router, the query and body parsers and every route handler,
// against a real container registry in a temporary directory (no VMs:
// start is refused). What must hold: no crash, no sanitizer report, no
// stuck loop, whatever the requests (malformed JSON, wrong types, huge or
// chunked bodies, hijacks, pipelined garbage).
#include <uv.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "attach/endpoint/api/docker_api.h"
#include "attach/endpoint/api/exec_store.h"
#include "attach/endpoint/api/op_set.h"
#include "attach/endpoint/containers/state_files.h"
#include "http/connection.h"
#include "http/memory_transport.h"

namespace {

namespace ep = attach::endpoint;

// The state shared by all inputs: one loop and one registry, emptied
// after each input.
struct World {
  World() {
    uv_loop_init(&loop);
    char tmpl[] = "/tmp/docker_api_fuzz.XXXXXX";
    dir = mkdtemp(tmpl);
    registry = std::make_unique<ep::Registry>(dir);
    (void)registry->Load();
    ep::CommandContext cc;
    cc.loop = &loop;
    cc.registry = registry.get();
    cc.host_key_sha256 = "SHA256:" + std::string(43, 'A');
    cc.default_endpoint = "tcp:127.0.0.1:2377";
    ops = std::make_unique<ep::ContainerOps>(cc);
    images = std::make_unique<ep::ImageStore>(
        ep::BuiltinImage(dir + "/initramfs.cpio.lz4"));
    opset = std::make_unique<ep::api::OpSet>(&loop);
    ctx.loop = &loop;
    ctx.ops = ops.get();
    ctx.images = images.get();
    ctx.execs = &execs;
    ctx.opset = opset.get();
  }
  void Reset() {
    opset->CancelAll();
    for (ep::Container* c : registry->All()) (void)ops->Remove(c, true);
  }

  uv_loop_t loop;
  std::string dir;
  std::unique_ptr<ep::Registry> registry;
  std::unique_ptr<ep::ContainerOps> ops;
  std::unique_ptr<ep::ImageStore> images;
  ep::api::ExecStore execs;
  std::unique_ptr<ep::api::OpSet> opset;
  ep::api::ApiContext ctx;
};

World& TheWorld() {
  static World* w = [] {
    World* made = new World();
    // The world lives until exit; its directory should not outlive it.
    std::atexit([] { (void)ep::RemoveTree(TheWorld().dir); });
    return made;
  }();
  return *w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World& w = TheWorld();
  http::ServerOptions options;
  options.limits.max_target = 1024;
  options.limits.max_header_bytes = 4096;
  options.limits.max_headers = 32;
  http::Handler handler = [&w](std::shared_ptr<http::Exchange> ex) {
    ep::api::ServeApi(&w.ctx, std::move(ex));
  };
  http::MemoryOwner owner;
  std::shared_ptr<http::MemoryTransport> transport =
      http::StartMemoryConnection(&w.loop, options, handler, &owner);
  const char* in = reinterpret_cast<const char*>(data);
  size_t step = size > 0 ? 1 + data[0] % 251 : 1;
  size_t off = 0;
  for (int round = 0; off < size && round < 100000; ++round) {
    transport->Drain();
    uv_run(&w.loop, UV_RUN_NOWAIT);
    if (!transport->usable() || transport->paused()) break;
    size_t n = std::min(step, size - off);
    transport->delegate()->OnTransportData(in + off, n);
    off += n;
  }
  if (transport->usable()) transport->delegate()->OnTransportEof();
  for (int i = 0; i < 8 && transport->usable(); ++i) {
    transport->Drain();
    uv_run(&w.loop, UV_RUN_NOWAIT);
  }
  transport->FinishShutdown();
  owner.AbortAll();
  w.Reset();
  uv_run(&w.loop, UV_RUN_NOWAIT);
  return 0;
}
