#include "attach/endpoint/api/docker_api.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <utility>

#include "attach/endpoint/api/replies.h"
#include "attach/endpoint/api/router.h"
#include "attach/endpoint/api/routes.h"
#include "attach/endpoint/certs/server_context.h"
#include "base/log.h"
#include "http/query.h"
#include "http/tls_transport.h"

namespace attach {
namespace endpoint {
namespace api {
namespace {

// dockerd's own error answers are JSON too: the CLI prints the message.
http::Response ErrorPage(int status, const std::string& reason) {
  http::Response r;
  static_cast<http::ResponseHead&>(r) = DockerHead(status, "application/json");
  r.body = DumpJson(nlohmann::json{{"message", reason}}) + "\n";
  return r;
}

std::string OsName() {
  std::ifstream in("/etc/os-release");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("PRETTY_NAME=", 0) != 0) continue;
    std::string v = line.substr(12);
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
      v = v.substr(1, v.size() - 2);
    }
    return v;
  }
  return "Linux";
}

}  // namespace

HostFacts ReadHostFacts(const std::string& state_dir, bool kvm) {
  HostFacts h;
  char name[256] = {};
  if (::gethostname(name, sizeof(name) - 1) == 0) h.hostname = name;
  struct utsname u;
  if (::uname(&u) == 0) h.kernel = u.release;
  h.os = OsName();
  h.root_dir = state_dir;
  h.ncpu = static_cast<int>(::sysconf(_SC_NPROCESSORS_ONLN));
  h.memory =
      static_cast<int64_t>(::sysconf(_SC_PHYS_PAGES)) * ::sysconf(_SC_PAGESIZE);
  h.kvm = kvm;
  return h;
}

DockerApi::DockerApi(uv_loop_t* loop) : opset_(loop) {}

DockerApi::~DockerApi() { Stop(); }

base::Result<std::unique_ptr<DockerApi>> DockerApi::Start(
    uv_loop_t* loop, const std::string& state_dir, const ApiOptions& options,
    ContainerOps* ops, ImageStore* images, HostFacts host) {
  std::unique_ptr<DockerApi> api(new DockerApi(loop));
  api->ctx_.loop = loop;
  api->ctx_.ops = ops;
  api->ctx_.images = images;
  api->ctx_.execs = &api->execs_;
  api->ctx_.opset = &api->opset_;
  api->ctx_.host = std::move(host);
  TETHER_ASSIGN_OR_RETURN(api->log_, AccessLog::Open(state_dir + "/api.log"));
  certs::TlsOptions tls = options.tls;
  tls.api_address = options.listen;
  certs::TlsMaterial material;
  if (tls.mode != certs::TlsMode::kOff) {
    TETHER_ASSIGN_OR_RETURN(material, certs::PrepareTls(state_dir, tls));
    for (const std::string& e : material.events) {
      LOG_INFO("api: %s", e.c_str());
    }
    for (const std::string& w : material.warnings) {
      LOG_WARN("api: %s", w.c_str());
    }
  }

  http::ServerOptions so;
  so.error_page = &ErrorPage;
  AccessLog* log = api->log_.get();
  so.access_log = [log](const http::AccessRecord& r) { log->Request(r); };
  so.tls_failure = [log](const std::string& peer, const std::string& why) {
    LOG_WARN("security: api: TLS handshake from %s refused: %s",
             peer.c_str(), why.c_str());
    log->TlsRefused(peer, why);
  };
  if (tls.mode != certs::TlsMode::kOff) {
    TETHER_ASSIGN_OR_RETURN(
        std::shared_ptr<SSL_CTX> ctx,
        certs::MakeServerContext(material, certs::ClientAuthFor(tls.mode)));
    so.wrap_transport = http::TlsWrapper(loop, std::move(ctx));
  }
  DockerApi* raw = api.get();
  api->server_ = std::make_unique<http::Server>(
      loop, [raw](std::shared_ptr<http::Exchange> ex) { raw->Serve(ex); },
      std::move(so));
  base::Status s = api->server_->Listen(options.listen);
  if (!s.ok()) return s.Annotate("--api " + options.listen);

  if (tls.mode == certs::TlsMode::kOff) {
    std::string warning = "API is accessible on http://" + options.listen +
                          " without encryption: anyone who reaches it "
                          "controls every container (--api-tls off)";
    LOG_WARN("WARNING: %s", warning.c_str());
    api->ctx_.warnings.push_back("WARNING: " + warning);
    api->hint_ = "connect with: docker -H tcp://" + options.listen + " version";
  } else {
    api->hint_ = material.ConnectHint();
  }
  LOG_INFO("Docker API on %s (TLS %s); %s", options.listen.c_str(),
           certs::TlsModeName(tls.mode), api->hint_.c_str());
  return api;
}

void DockerApi::Stop() {
  opset_.CancelAll();
  if (server_) server_->Close();
}

void DockerApi::Serve(std::shared_ptr<http::Exchange> ex) {
  ServeApi(&ctx_, std::move(ex));
}

void ServeApi(ApiContext* ctx, std::shared_ptr<http::Exchange> ex) {
  const http::Request& req = ex->request();
  base::Result<RouteMatch> m = MatchRoute(req.method, req.path);
  if (!m.ok()) return ReplyStatus(*ex, m.status());
  base::Result<std::map<std::string, std::string>> query =
      http::ParseQuery(req.query);
  if (!query.ok()) return ReplyStatus(*ex, query.status());
  Call call{ctx, std::move(ex), std::move(m->params), std::move(m->version),
            std::move(*query)};
  Dispatch(m->id, call);
}

}  // namespace api
}  // namespace endpoint
}  // namespace attach
