#include "attach/endpoint/daemon.h"

#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "attach/endpoint/containers/state_files.h"
#include "base/log.h"
#include "guestinfo/net_address.h"

namespace attach {
namespace endpoint {
namespace {

// What a tether dials by default: attachd's own address, with a wildcard
// bind replaced by loopback.
std::string HostPortText(const std::string& host, uint16_t port) {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string DefaultEndpoint(const std::string& host, uint16_t port) {
  std::string h = host;
  if (h == "0.0.0.0") h = "127.0.0.1";
  if (h == "::") h = "::1";
  return "tcp:" + HostPortText(h, port);
}

// guestinfo's HOST:PORT rules, plus port 0 (any free port: tests).
base::Result<guestinfo::HostPort> ParseListen(const std::string& text) {
  if (text.size() > 2 && text.compare(text.size() - 2, 2, ":0") == 0) {
    TETHER_ASSIGN_OR_RETURN(
        guestinfo::HostPort hp,
        guestinfo::ParseHostPort(text.substr(0, text.size() - 1) + "1"));
    hp.port = 0;
    return hp;
  }
  return guestinfo::ParseHostPort(text);
}

// The portal's host as a certificate name: "" for a wildcard, for
// loopback (always named) and for what does not parse.
std::string AdminHostName(const std::string& listen) {
  base::Result<guestinfo::HostPort> hp = ParseListen(listen);
  if (!hp.ok()) return "";
  const std::string& h = hp->host;
  if (h == "0.0.0.0" || h == "::" || h == "127.0.0.1" || h == "::1") {
    return "";
  }
  return h;
}

}  // namespace

base::Result<SshKey> PrepareStateDir(const std::string& state_dir,
                                     std::string* fingerprint) {
  std::error_code ec;
  std::filesystem::path parent = std::filesystem::path(state_dir).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) return base::Status::Io("create " + parent.string(), ec.value());
  TETHER_RETURN_IF_ERROR(EnsureDir(state_dir, 0700));
  TETHER_ASSIGN_OR_RETURN(
      SshKey key, LoadOrCreateKey(state_dir + "/host_key", "attachd-host-key"));
  if (fingerprint != nullptr) {
    TETHER_ASSIGN_OR_RETURN(*fingerprint, Fingerprint(key));
  }
  return key;
}

base::Result<std::unique_ptr<Daemon>> Daemon::Start(uv_loop_t* loop,
                                                    DaemonOptions options) {
  base::Result<guestinfo::HostPort> parsed = ParseListen(options.listen);
  if (!parsed.ok()) return parsed.TakeStatus().Annotate("--listen");
  guestinfo::HostPort listen = *parsed;
  std::unique_ptr<Daemon> d(new Daemon(std::move(options)));
  const std::string& dir = d->options_.state_dir;
  TETHER_ASSIGN_OR_RETURN(SshKey host_key,
                          PrepareStateDir(dir, &d->fingerprint_));
  d->registry_ = std::make_unique<Registry>(dir);
  d->upkeep_ =
      std::make_unique<Upkeep>(loop, d->registry_.get(), d->options_.upkeep);
  d->registry_->set_host(d->upkeep_.get());
  TETHER_RETURN_IF_ERROR(d->registry_->Load());
  d->upkeep_->Start();
  TETHER_ASSIGN_OR_RETURN(
      d->images_,
      ImageStore::Open(loop, dir, BuiltinImage(d->options_.vm.image.initrd),
                       d->options_.images));
  TETHER_ASSIGN_OR_RETURN(d->ssh_,
                          SshServer::Create(loop, d->registry_.get(), host_key,
                                            d->options_.timings));
  TETHER_RETURN_IF_ERROR(d->ssh_->Listen(listen.host, listen.port));
  TETHER_ASSIGN_OR_RETURN(
      d->vms_, VmLauncher::Create(loop, d->registry_.get(), d->options_.vm,
                                  d->fingerprint_));
  d->vms_->SetAttachAddress(listen.host, d->ssh_->port());
  d->vms_->set_images(d->images_.get());
  CommandContext ctx;
  ctx.loop = loop;
  ctx.registry = d->registry_.get();
  ctx.host_key_sha256 = d->fingerprint_;
  ctx.default_endpoint = DefaultEndpoint(listen.host, d->ssh_->port());
  ctx.vms = d->vms_.get();
  ctx.images = d->images_.get();
  d->ops_ = std::make_unique<ContainerOps>(std::move(ctx));
  ContainerOps* ops = d->ops_.get();
  d->vms_->set_remover([ops](Container* c) { (void)ops->Remove(c, true); });
  d->socket_commands_ = std::make_unique<SocketCommands>(ops);
  d->clients_ = std::make_unique<ClientServer>(loop, d->socket_commands_.get(),
                                               d->options_.client_queue,
                                               d->options_.client_stall_ms);
  d->clients_->AllowUids(d->options_.client_uids);
  TETHER_RETURN_IF_ERROR(d->clients_->Listen(d->socket_path()));
  if (!d->options_.admin.listen.empty()) {
    // One server certificate for both: it names the portal's host too.
    std::string host = AdminHostName(d->options_.admin.listen);
    if (!host.empty()) d->options_.api.tls.extra_names.push_back(host);
  }
  if (!d->options_.api.listen.empty()) {
    TETHER_ASSIGN_OR_RETURN(
        d->api_,
        api::DockerApi::Start(loop, dir, d->options_.api, ops, d->images_.get(),
                              api::ReadHostFacts(dir, d->vms_->kvm())));
  }
  if (!d->options_.admin.listen.empty()) {
    TETHER_RETURN_IF_ERROR(d->StartAdmin(loop));
  }
  // Only now is this the state directory's one attachd (the socket is the
  // lock): a second one must not touch the VMs of the first.
  d->vms_->AdoptAll();
  base::Status leftovers = d->images_->RemoveLeftovers();
  if (!leftovers.ok()) LOG_WARN("images: %s", leftovers.ToString().c_str());
  d->started_ = true;
  // What --listen became (port 0 picks a free one), for whoever started
  // this attachd: `tetherctl run` says where it listens.
  base::Status s =
      WriteFileAtomic(d->listen_path(),
                      HostPortText(listen.host, d->ssh_->port()) + "\n", 0644);
  if (!s.ok()) LOG_WARN("%s", s.ToString().c_str());
  LOG_INFO("listening on %s:%u for tethers, %s for clients; host key %s",
           listen.host.c_str(), d->ssh_->port(), d->socket_path().c_str(),
           d->fingerprint_.c_str());
  return d;
}

Daemon::~Daemon() {
  Shutdown(false);
  // Clients hold session observers, links hold containers: both go before
  // the registry.
  admin_.reset();
  api_.reset();
  clients_.reset();
  ssh_.reset();
  socket_commands_.reset();
  ops_.reset();
  vms_.reset();
  upkeep_.reset();
  images_.reset();
  registry_.reset();
}

base::Status Daemon::StartAdmin(uv_loop_t* loop) {
  admin::AdminOptions o = options_.admin;
  o.tls = options_.api.tls;
  // The API's address when it serves TLS, so both ask for the same set.
  bool api_tls =
      !options_.api.listen.empty() && o.tls.mode != certs::TlsMode::kOff;
  o.tls.api_address = api_tls ? options_.api.listen : "";
  admin::AdminDeps deps;
  deps.registry = registry_.get();
  deps.image = options_.vm.image;
  deps.listeners = [this] { return Listeners(); };
  TETHER_ASSIGN_OR_RETURN(
      admin_, admin::AdminPortal::Start(loop, options_.state_dir, std::move(o),
                                        std::move(deps)));
  return base::Status::Ok();
}

std::vector<admin::ListenerState> Daemon::Listeners() const {
  std::vector<admin::ListenerState> out;
  base::Result<guestinfo::HostPort> listen = ParseListen(options_.listen);
  std::string tethers = listen.ok() && ssh_
                            ? HostPortText(listen->host, ssh_->port())
                            : options_.listen;
  out.push_back({"tethers", tethers, ssh_ != nullptr && !stopped_});
  out.push_back({"clients", socket_path(),
                 clients_ != nullptr && !stopped_ &&
                     ::access(socket_path().c_str(), F_OK) == 0});
  if (!options_.api.listen.empty()) {
    out.push_back({"api", options_.api.listen, api_ != nullptr && !stopped_});
  }
  return out;
}

std::string Daemon::socket_path() const {
  return options_.state_dir + "/attachd.sock";
}

std::string Daemon::listen_path() const {
  return options_.state_dir + "/" + kListenFile;
}

void Daemon::Shutdown(bool stop_vms) {
  if (stopped_) return;
  stopped_ = true;
  if (admin_) admin_->Stop();
  if (api_) api_->Stop();
  if (clients_) clients_->Stop();
  // Like dockerd without live-restore: the VMs stop with a clean stop.
  if (vms_ && started_ && stop_vms) vms_->StopAll();
  if (ssh_) ssh_->Stop();
  if (registry_) {
    for (Container* c : registry_->All()) c->SyncLogs();
  }
  // What the last reports changed is on disk before attachd goes.
  if (upkeep_) upkeep_->FlushNow();
  LOG_INFO("stopped");
}

}  // namespace endpoint
}  // namespace attach
