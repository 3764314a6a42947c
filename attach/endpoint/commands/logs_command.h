// logs on the client socket: a session's persisted output from its log
// (all of it, or the last N lines), then, with follow, its live output
// until the session ends or the client goes.
//
// Reading is paced by the client: the next records are read only when the
// client's queue is below its low mark, so a large log streams in bounded
// memory. The switch from the file to live output happens within one loop
// turn, when the cursor has reached the log's end, so no record is missed
// or shown twice.
//
// Output messages carry the stream and the time attachd received the
// bytes. With timestamps, no Output spans a newline: a client prefixes a
// timestamp to each Output that starts a line. Lost output (a gap record)
// is shown as a line "[attachd: N bytes of output lost (offsets A..B)]".
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_COMMANDS_LOGS_COMMAND_H_
#define TETHER_ATTACH_ENDPOINT_COMMANDS_LOGS_COMMAND_H_

#include "attach/endpoint/clients/client_conn.h"
#include "attach/endpoint/containers/container.h"
#include "client.pb.h"

namespace attach {
namespace endpoint {

void StartLogs(ClientConn* conn, Container* c,
               const ::tether::attach::LogsRequest& req);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_COMMANDS_LOGS_COMMAND_H_
