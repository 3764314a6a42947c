// tetherctl pprof on the client socket (docs/protocol.md §7): `tetherctl
// pprof` sends one PprofProxyRequest per HTTP request; attachd forwards it
// to the container's tether as a PprofRequest with an id of its own
// (containers/pprof_calls.h) and streams the PprofResponse pieces that come
// back to the client.
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_CLIENTS_PPROF_COMMAND_H_
#define TETHER_ATTACH_ENDPOINT_CLIENTS_PPROF_COMMAND_H_

#include <uv.h>

#include <cstdint>

#include "attach/endpoint/clients/client_conn.h"
#include "attach/endpoint/containers/container.h"
#include "client.pb.h"

namespace attach {
namespace endpoint {

// The pprof client command: forwards `req` to `c`'s tether and answers
// `conn` with the pieces, or with an error when the container has no
// tether connected, the tether goes away, or nothing comes back within
// `timeout_ms` (longer than the longest CPU profile).
void StartPprof(uv_loop_t* loop, ClientConn* conn, Container* c,
                const ::tether::attach::PprofProxyRequest& req,
                uint64_t timeout_ms = 120000);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CLIENTS_PPROF_COMMAND_H_
