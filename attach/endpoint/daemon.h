// attachd as a whole: the state directory, the host key, the registry, the
// tether listener and the client socket, wired together on one loop.
//
// State directory layout (docs/attachd.md):
//   DIR/            0700
//   DIR/host_key    ed25519 private host key (OpenSSH format, 0600)
//   DIR/host_key.pub
//   DIR/attachd.sock  client socket (0600)
//   DIR/containers/<id>/...  registry.h
//   DIR/images/...           image_store.h
#ifndef TETHER_ATTACH_ENDPOINT_DAEMON_H_
#define TETHER_ATTACH_ENDPOINT_DAEMON_H_

#include <uv.h>

#include <memory>
#include <string>
#include <vector>

#include "attach/endpoint/admin/admin_portal.h"
#include "attach/endpoint/api/docker_api.h"
#include "attach/endpoint/clients/client_server.h"
#include "attach/endpoint/clients/socket_commands.h"
#include "attach/endpoint/commands/container_ops.h"
#include "attach/endpoint/containers/registry.h"
#include "attach/endpoint/containers/ssh_keys.h"
#include "attach/endpoint/containers/upkeep.h"
#include "attach/endpoint/images/image_store.h"
#include "attach/endpoint/tethers/ssh_server.h"
#include "attach/endpoint/tethers/tether_link.h"
#include "attach/endpoint/vms/vm_launcher.h"
#include "base/result.h"

namespace attach {
namespace endpoint {

constexpr char kDefaultStateDir[] = "/var/lib/tether";
// In the state directory: the address attachd listens on for tethers.
constexpr char kListenFile[] = "attachd.listen";
constexpr char kDefaultListen[] = "127.0.0.1:2377";

struct DaemonOptions {
  std::string state_dir = kDefaultStateDir;
  std::string listen = kDefaultListen;  // Numeric HOST:PORT; port 0 picks.
  LinkTimings timings;
  size_t client_queue = kDefaultClientQueue;
  uint64_t client_stall_ms = kDefaultClientStallMs;
  // attachd.sock: users other than attachd's own and root that may use it.
  std::vector<uid_t> client_uids;
  UpkeepOptions upkeep;  // Status writes, log limits and syncs.
  VmOptions vm;          // Container VMs (vm_launcher.h).
  StoreOptions images;   // Loads: limits, disk sizes (image_store.h).
  api::ApiOptions api;   // The Docker API; off without a listen address.
  // The admin portal; off without a listen address. Its TLS options are
  // the API's (the daemon fills them in).
  admin::AdminOptions admin;
};

// Creates the state directory (0700, parents as needed) and loads the host
// key, generating it on first use. Returns the key's fingerprint through
// `fingerprint` when not null.
base::Result<SshKey> PrepareStateDir(const std::string& state_dir,
                                     std::string* fingerprint);

class Daemon {
 public:
  // Everything up and listening, or the first error (named).
  static base::Result<std::unique_ptr<Daemon>> Start(uv_loop_t* loop,
                                                     DaemonOptions options);
  // Without Stop first, like a crash as far as the VMs go: they keep
  // running, and the next attachd on the state directory re-adopts them.
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Stops listening, drops clients, kills the container VMs (their
  // containers exit with 137), drops tethers, syncs the logs. Once it
  // returns, the loop runs out. Idempotent.
  void Stop() { Shutdown(true); }

  const std::string& fingerprint() const { return fingerprint_; }
  uint16_t port() const { return ssh_->port(); }
  std::string socket_path() const;
  // DIR/attachd.listen: the tether address it listens on, as HOST:PORT.
  std::string listen_path() const;
  Registry& registry() { return *registry_; }
  VmLauncher& vms() { return *vms_; }
  ImageStore& images() { return *images_; }
  ContainerOps& ops() { return *ops_; }
  size_t link_count() const { return ssh_->link_count(); }
  size_t client_count() const { return clients_->client_count(); }
  // The Docker API's port, or 0 when it is off.
  uint16_t api_port() const { return api_ ? api_->port() : 0; }
  // The admin portal's port, or 0 when it is off.
  uint16_t admin_port() const { return admin_ ? admin_->port() : 0; }

 private:
  explicit Daemon(DaemonOptions options) : options_(std::move(options)) {}
  void Shutdown(bool stop_vms);
  base::Status StartAdmin(uv_loop_t* loop);
  // What /health says of each listener.
  std::vector<admin::ListenerState> Listeners() const;

  DaemonOptions options_;
  std::string fingerprint_;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<Upkeep> upkeep_;
  std::unique_ptr<ImageStore> images_;
  std::unique_ptr<VmLauncher> vms_;
  std::unique_ptr<SshServer> ssh_;
  std::unique_ptr<ContainerOps> ops_;
  std::unique_ptr<SocketCommands> socket_commands_;
  std::unique_ptr<ClientServer> clients_;
  std::unique_ptr<api::DockerApi> api_;
  std::unique_ptr<admin::AdminPortal> admin_;
  bool stopped_ = false;
  bool started_ = false;  // Fully up: the VMs are this attachd's.
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_DAEMON_H_
