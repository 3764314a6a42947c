// The client-socket commands that stay on their connection as a stream:
// attach and exec (live output, stdin, resizes, then `exit_code`), logs
// (the log, then with follow live output, then `done`), and start with
// attach. Each is a ClientConn::Handler over a command object of
// commands/ (Attachment, LogsFeed).
//
// exec answers `exec_id` first; an exec that fails to start answers
// `error` (the tether's message) and then `exit_code` (125, 126 or 127).
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_CLIENTS_SOCKET_STREAMS_H_
#define TETHER_ATTACH_ENDPOINT_CLIENTS_SOCKET_STREAMS_H_

#include "attach/endpoint/clients/client_conn.h"
#include "attach/endpoint/commands/container_ops.h"
#include "client.pb.h"

namespace attach {
namespace endpoint {

void StartAttach(ClientConn* conn, Container* c,
                 const ::tether::attach::AttachRequest& req);
void StartExec(ClientConn* conn, ContainerOps* ops, Container* c,
               const ::tether::attach::ExecRequest& req);
void StartLogs(ClientConn* conn, Container* c,
               const ::tether::attach::LogsRequest& req);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CLIENTS_SOCKET_STREAMS_H_
