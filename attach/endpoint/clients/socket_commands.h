// The client-socket commands (client.proto): the first Request of a
// connection picks one. create, config, list, inspect, kill and remove
// answer at once; wait, logs, attach, exec, start and pprof stay on the
// connection as a ClientConn::Handler until they are done or the client
// goes. The work itself is the container operations' (commands/), which
// the Docker API shares.
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_CLIENTS_SOCKET_COMMANDS_H_
#define TETHER_ATTACH_ENDPOINT_CLIENTS_SOCKET_COMMANDS_H_

#include <string>

#include "attach/endpoint/clients/client_conn.h"
#include "attach/endpoint/commands/container_ops.h"
#include "client.pb.h"

namespace attach {
namespace endpoint {

class SocketCommands {
 public:
  // `ops` must outlive the commands.
  explicit SocketCommands(ContainerOps* ops) : ops_(ops) {}

  // Runs the command `req` names on `conn`.
  void Dispatch(ClientConn* conn, const ::tether::attach::Request& req);

 private:
  void Create(ClientConn* conn, const ::tether::attach::CreateRequest& req);
  void Config(ClientConn* conn, Container* c);
  void List(ClientConn* conn, const ::tether::attach::ListRequest& req);
  void Kill(ClientConn* conn, Container* c,
            const ::tether::attach::KillRequest& req);
  void Wait(ClientConn* conn, Container* c);
  void Remove(ClientConn* conn, Container* c, bool force);
  void Start(ClientConn* conn, Container* c,
             const ::tether::attach::StartRequest& req);
  // The container `ref` names, or nullptr after telling the client why.
  Container* Find(ClientConn* conn, const std::string& ref);

  ContainerOps* ops_;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CLIENTS_SOCKET_COMMANDS_H_
