// attach and exec on the client socket: live output of one session to the
// client (nothing is replayed; `logs` is for the past), the client's stdin
// to the tether, resizes, and the exit code when the session ends.
//
// attach sends the tether Attach{session} (which releases an
// attach_before_start session) now or, when the tether is away, as soon as
// it says Hello. exec asks the tether for a new session with Exec, answers
// `exec_id`, then behaves like attach on that session; an exec that fails
// to start answers `error` (the tether's message) and then `exit_code`
// (125, 126 or 127).
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_COMMANDS_STREAM_COMMAND_H_
#define TETHER_ATTACH_ENDPOINT_COMMANDS_STREAM_COMMAND_H_

#include "attach/endpoint/clients/client_conn.h"
#include "attach/endpoint/containers/container.h"
#include "client.pb.h"

namespace attach {
namespace endpoint {

void StartAttach(ClientConn* conn, Container* c,
                 const ::tether::attach::AttachRequest& req);
void StartExec(ClientConn* conn, Container* c,
               const ::tether::attach::ExecRequest& req);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_COMMANDS_STREAM_COMMAND_H_
