// The client-socket commands (client.proto): the first Request of a
// connection picks one. create, config, list, inspect, kill and remove
// answer at once; wait, logs, attach and exec stay on the connection as a
// ClientConn::Handler until their session ends or the client goes.
//
// Error texts are for the user and follow docker's where docker has one
// ("No such container: x", "Container x is not running").
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_COMMANDS_COMMANDS_H_
#define TETHER_ATTACH_ENDPOINT_COMMANDS_COMMANDS_H_

#include <uv.h>

#include <string>

#include "attach/endpoint/clients/client_conn.h"
#include "attach/endpoint/containers/registry.h"
#include "attach/endpoint/vms/vm_launcher.h"
#include "client.pb.h"

namespace attach {
namespace endpoint {

struct CommandContext {
  uv_loop_t* loop = nullptr;
  Registry* registry = nullptr;
  std::string host_key_sha256;   // attachd's host key, for tether configs.
  std::string default_endpoint;  // What a tether dials unless told.
  VmLauncher* vms = nullptr;     // Container VMs; null: start refuses.
};

class Commands {
 public:
  explicit Commands(CommandContext ctx) : ctx_(std::move(ctx)) {}

  // Runs the command `req` names on `conn`.
  void Dispatch(ClientConn* conn, const ::tether::attach::Request& req);

  // Removes a container (remove, and remove --force): tells its clients,
  // drops its tether, kills its VM, deletes its state. Refuses a running
  // one unless `force`. Errors are for the user.
  base::Status RemoveContainer(Container* c, bool force);

 private:
  void Create(ClientConn* conn, const ::tether::attach::CreateRequest& req);
  void Config(ClientConn* conn, const ::tether::attach::ContainerRef& ref);
  void List(ClientConn* conn, const ::tether::attach::ListRequest& req);
  void Inspect(ClientConn* conn, const ::tether::attach::ContainerRef& ref);
  void Kill(ClientConn* conn, const ::tether::attach::KillRequest& req);
  void Wait(ClientConn* conn, const ::tether::attach::WaitRequest& req);
  void Remove(ClientConn* conn, const ::tether::attach::RemoveRequest& req);
  // The container `ref` names, or nullptr after telling the client why.
  Container* Find(ClientConn* conn, const std::string& ref);

  CommandContext ctx_;
};

// Sends a final `done` and closes.
void SendDone(ClientConn* conn);
// Sends the exit code and closes.
void SendExitCode(ClientConn* conn, int code);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_COMMANDS_COMMANDS_H_
