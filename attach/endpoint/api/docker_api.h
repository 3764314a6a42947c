// attachd's Docker Engine API (docs/docker-api.md): the routes the stock
// docker CLI and docker-py use, on one HTTP listener, TLS by default.
//
//   --api HOST:PORT   --api-tls verify|server|off
//   [--tlscacert F --tlscert F --tlskey F] [--tls-san NAME]...
//
// verify (the default): TLS 1.2+, client certificates required and checked
// against the CA; server: TLS only; off: plain HTTP, warned about at start
// and in `docker info`. Certificates are generated into DIR/certs on first
// start unless the user gives their own (certs/tls_material.h). Every
// request and every refused TLS handshake is logged to DIR/api.log.
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_API_DOCKER_API_H_
#define TETHER_ATTACH_ENDPOINT_API_DOCKER_API_H_

#include <uv.h>

#include <memory>
#include <string>

#include "attach/endpoint/api/access_log.h"
#include "attach/endpoint/api/call.h"
#include "attach/endpoint/api/exec_store.h"
#include "attach/endpoint/api/op_set.h"
#include "attach/endpoint/certs/tls_material.h"
#include "base/result.h"
#include "http/server.h"

namespace attach {
namespace endpoint {
namespace api {

struct ApiOptions {
  // --api HOST:PORT (numeric; port 0 picks one). Empty: no API.
  std::string listen;
  certs::TlsOptions tls;  // mode, custom files, --tls-san.
};

class DockerApi {
 public:
  // Prepares TLS, opens DIR/api.log and listens. `ops` and `images` must
  // outlive the API. Errors name the flag or file at fault.
  static base::Result<std::unique_ptr<DockerApi>> Start(
      uv_loop_t* loop, const std::string& state_dir, const ApiOptions& options,
      ContainerOps* ops, ImageStore* images, HostFacts host);
  ~DockerApi();  // Stop().
  DockerApi(const DockerApi&) = delete;
  DockerApi& operator=(const DockerApi&) = delete;

  // Closes the listener and every API connection; pending waits, attaches
  // and logs end. Idempotent.
  void Stop();
  uint16_t port() const { return server_ ? server_->port() : 0; }
  // How a user connects (DOCKER_HOST and the client bundle).
  const std::string& connect_hint() const { return hint_; }

 private:
  explicit DockerApi(uv_loop_t* loop);
  void Serve(std::shared_ptr<http::Exchange> ex);

  ApiContext ctx_;
  ExecStore execs_;
  OpSet opset_;
  std::unique_ptr<AccessLog> log_;
  std::unique_ptr<http::Server> server_;
  std::string hint_;
};

// Routes one request to its handler (the server's handler; the fuzz target
// calls it over an in-memory connection).
void ServeApi(ApiContext* ctx, std::shared_ptr<http::Exchange> ex);

// What `docker info` says about this host, read from it.
HostFacts ReadHostFacts(const std::string& state_dir, bool kvm);

}  // namespace api
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_API_DOCKER_API_H_
