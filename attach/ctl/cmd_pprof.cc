// tetherctl pprof: a local HTTP server whose every request travels to the
// container's tether as a PprofProxyRequest (client.proto) on a fresh
// attachd connection, and whose answer is reassembled from the
// PprofResponse pieces (docs/protocol.md §7). So `go tool pprof
// http://127.0.0.1:6060/debug/pprof/heap` reads a guest's profiles while
// the guest opens no port at all. A stripped tether's profiles are
// symbolized here, from the image's symbol files (docs/pprof.md,
// "Symbols").
#include <unistd.h>
#include <uv.h>

#include <csignal>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>

#include "attach/ctl/client_conn.h"
#include "attach/ctl/commands.h"
#include "attach/ctl/peer_uid.h"
#include "base/uv_handle.h"
#include "pprof/http_server.h"
#include "pprof/profile_symbolizer.h"
#include "pprof/tunnel.h"

namespace attach {
namespace ctl {
namespace {

namespace pb = tether::attach;

class Proxy;

// One tunnelled request: its own attachd connection, read without
// blocking the loop (a CPU profile takes its seconds).
class Call {
 public:
  Call(Proxy* proxy, ClientConn conn, pprof::Responder respond)
      : proxy_(proxy), conn_(std::move(conn)), respond_(std::move(respond)) {}

  base::Status Start(uv_loop_t* loop) {
    TETHER_RETURN_IF_ERROR(conn_.SetNonBlocking());
    int rc = uv_poll_init(loop, poll_.get(), conn_.fd());
    if (rc != 0) return base::UvError("poll", rc);
    poll_.MarkInitialized();
    poll_->data = this;
    rc = uv_poll_start(poll_.get(), UV_READABLE, &Call::OnReadable);
    return rc == 0 ? base::Status::Ok() : base::UvError("poll", rc);
  }

 private:
  static void OnReadable(uv_poll_t* p, int status, int) noexcept {
    static_cast<Call*>(p->data)->Read(status);
  }
  void Read(int status);
  void Finish(pprof::HttpResponse resp);

  Proxy* proxy_;
  ClientConn conn_;
  pprof::Responder respond_;
  pprof::TunnelAssembler answer_;
  base::UvHandle<uv_poll_t> poll_;
};

class Proxy : public pprof::Handler {
 public:
  Proxy(uv_loop_t* loop, std::string socket_path, std::string container_id,
        std::string symbol_path)
      : loop_(loop),
        socket_path_(std::move(socket_path)),
        container_id_(std::move(container_id)),
        symbol_path_(std::move(symbol_path)) {}

  const std::string& symbol_path() const { return symbol_path_; }

  void Serve(pprof::HttpRequest req, pprof::Responder respond) override {
    base::Result<ClientConn> conn = ClientConn::Connect(socket_path_);
    if (!conn.ok()) {
      return respond(pprof::HttpResponse::Error(502, conn.status().message()));
    }
    pb::Request r;
    pb::PprofProxyRequest* p = r.mutable_pprof();
    p->mutable_container()->set_ref(container_id_);
    pb::PprofRequest t = pprof::ToTunnelRequest(req);
    p->set_method(t.method());
    p->set_target(t.target());
    p->set_body(t.body());
    base::Status s = conn->Send(r);
    auto call = std::make_unique<Call>(this, std::move(*conn), respond);
    if (s.ok()) s = call->Start(loop_);
    if (!s.ok()) return respond(pprof::HttpResponse::Error(502, s.message()));
    calls_.emplace(call.get(), std::move(call));
  }

  void Done(Call* call) {
    // Freed on the next loop turn: Done runs inside the call's callback.
    auto it = calls_.find(call);
    if (it == calls_.end()) return;
    finished_.push_back(std::move(it->second));
    calls_.erase(it);
  }
  void Sweep() { finished_.clear(); }
  // Stopping: pending answers are dropped with their connections.
  void CloseAll() {
    calls_.clear();
    finished_.clear();
  }

 private:
  uv_loop_t* loop_;
  std::string socket_path_;
  std::string container_id_;
  std::string symbol_path_;
  std::map<Call*, std::unique_ptr<Call>> calls_;
  std::vector<std::unique_ptr<Call>> finished_;
};

void Call::Read(int status) {
  if (status < 0) {
    return Finish(pprof::HttpResponse::Error(502, uv_strerror(status)));
  }
  for (;;) {
    base::Result<size_t> n = conn_.ReadSome();
    if (!n.ok()) {
      if (n.status().code() == base::Status::Code::kUnavailable) break;
      return Finish(pprof::HttpResponse::Error(502, n.status().message()));
    }
    for (;;) {
      auto next = conn_.NextBuffered();
      if (!next.ok()) {
        return Finish(pprof::HttpResponse::Error(502, next.status().message()));
      }
      if (!next->has_value()) break;
      const pb::Response& resp = **next;
      if (resp.has_pprof_response()) {
        if (!answer_.Add(resp.pprof_response())) {
          return Finish(pprof::HttpResponse::Error(502, "answer too large"));
        }
        if (answer_.complete()) return Finish(answer_.Take());
      } else if (!resp.error().empty()) {
        // attachd's reason (no such container, not connected, timeout).
        return Finish(pprof::HttpResponse::Error(503, resp.error()));
      }
    }
    if (*n == 0) {
      return Finish(pprof::HttpResponse::Error(
          502,
          "attachd closed the connection before the answer was "
          "complete"));
    }
  }
}

void Call::Finish(pprof::HttpResponse resp) {
  poll_.Close();
  // Profiles are octet-stream; a profile that is not one, or has nothing
  // to name, goes on as it came.
  if (resp.status == 200 && resp.content_type == "application/octet-stream") {
    base::Result<std::string> named =
        pprof::SymbolizeProfile(resp.body, proxy_->symbol_path());
    if (named.ok()) resp.body = std::move(*named);
  }
  respond_(std::move(resp));
  proxy_->Done(this);
}

struct StopState {
  pprof::HttpServer* server = nullptr;
  base::UvHandle<uv_signal_t> intr;
  base::UvHandle<uv_signal_t> term;
  base::UvHandle<uv_check_t> sweep;
  Proxy* proxy = nullptr;
};

void OnStop(uv_signal_t* h, int) noexcept {
  auto* s = static_cast<StopState*>(h->data);
  s->server->Close();
  s->proxy->CloseAll();
  s->intr.Close();
  s->term.Close();
  s->sweep.Close();
}

void Watch(uv_loop_t* loop, StopState* s, base::UvHandle<uv_signal_t>* h,
           int signo) {
  uv_signal_init(loop, h->get());
  h->MarkInitialized();
  (*h)->data = s;
  uv_signal_start(h->get(), &OnStop, signo);
}

// The image's symbols/ (TETHER_IMAGE_DIR, else share/tether beside this
// program's bin/, as attachd finds the image), then PPROF_BINARY_PATH.
std::string DefaultSymbolPath() {
  std::string image;
  const char* env = std::getenv("TETHER_IMAGE_DIR");
  if (env != nullptr && env[0] != '\0') {
    image = env;
  } else {
    char self[4096];
    ssize_t n = ::readlink("/proc/self/exe", self, sizeof(self) - 1);
    std::string exe = n > 0 ? std::string(self, static_cast<size_t>(n)) : "";
    size_t slash = exe.rfind('/');
    std::string bin = slash == std::string::npos ? "." : exe.substr(0, slash);
    image = bin + "/../share/tether";
  }
  std::string path = image + "/symbols";
  const char* extra = std::getenv("PPROF_BINARY_PATH");
  if (extra != nullptr && extra[0] != '\0') path += std::string(":") + extra;
  return path;
}

}  // namespace

Outcome RunPprof(const Invocation& inv, const Context& ctx) {
  std::optional<ContainerInfo> info =
      FetchContainerOrReport(ctx, inv.containers.front());
  if (!info) return Outcome{1};
  const std::string id = info->status.id();
  uv_loop_t loop;
  uv_loop_init(&loop);
  int code = 0;
  {
    Proxy proxy(
        &loop, ctx.socket_path, id,
        inv.pprof_symbols.empty() ? DefaultSymbolPath() : inv.pprof_symbols);
    // The proxy acts with the operator's rights on attachd.sock: other
    // local users who reach its port are not served (review F10).
    pprof::ServerOptions options;
    const uid_t me = ::geteuid();
    options.admit = [me](int fd) { return PeerIsUserOrRoot(fd, me); };
    pprof::HttpServer server(&loop, &proxy, options);
    base::Status s = server.Listen(inv.pprof_listen);
    if (!s.ok()) {
      Print(ctx.io.err, "tetherctl: " + s.ToString() + "\n");
      code = 1;
    } else {
      StopState stop;
      stop.server = &server;
      stop.proxy = &proxy;
      Watch(&loop, &stop, &stop.intr, SIGINT);
      Watch(&loop, &stop, &stop.term, SIGTERM);
      uv_check_init(&loop, stop.sweep.get());
      stop.sweep.MarkInitialized();
      stop.sweep->data = &proxy;
      uv_check_start(stop.sweep.get(), [](uv_check_t* c) noexcept {
        static_cast<Proxy*>(c->data)->Sweep();
      });
      std::string host =
          inv.pprof_listen.substr(0, inv.pprof_listen.rfind(':'));
      Print(ctx.io.out, "Serving the pprof endpoints of container " +
                            id.substr(0, 12) + " on http://" + host + ":" +
                            std::to_string(server.port()) +
                            "/debug/pprof/ (Ctrl-C to stop)\n");
      if (!info->status.connected()) {
        Print(ctx.io.err,
              "tetherctl: container " + id.substr(0, 12) +
                  " has no tether connected now; requests fail until it "
                  "dials in\n");
      }
      uv_run(&loop, UV_RUN_DEFAULT);
    }
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  return Outcome{code};
}

}  // namespace ctl
}  // namespace attach
