// The UNIX socket tetherctl talks to: <state-dir>/attachd.sock, mode 0600
// from the moment it exists (bound under a umask), inside the 0700 state
// directory. Each connection carries one command (socket_commands.h). A
// sweep drops clients that stopped reading.
//
// Whoever connects is checked (SO_PEERCRED; review F11): attachd's own
// user and root are served, other users only when AllowUids names them;
// the others are refused with a (rate-limited) warning naming their uid.
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_CLIENTS_CLIENT_SERVER_H_
#define TETHER_ATTACH_ENDPOINT_CLIENTS_CLIENT_SERVER_H_

#include <sys/types.h>
#include <uv.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "attach/endpoint/clients/client_conn.h"
#include "attach/endpoint/clients/socket_commands.h"
#include "attach/endpoint/containers/deferred_delete.h"
#include "attach/endpoint/tethers/log_budget.h"
#include "base/result.h"
#include "base/uv_handle.h"

namespace attach {
namespace endpoint {

// Per-client bound on queued output (client_conn.h).
constexpr size_t kDefaultClientQueue = 4 << 20;
// A client with output queued and none of it written for this long does
// not read any more: it is dropped.
constexpr uint64_t kDefaultClientStallMs = 15000;

class ClientServer {
 public:
  // `commands` must outlive the server.
  ClientServer(uv_loop_t* loop, SocketCommands* commands,
               size_t max_queue = kDefaultClientQueue,
               uint64_t stall_ms = kDefaultClientStallMs);
  ~ClientServer();
  ClientServer(const ClientServer&) = delete;
  ClientServer& operator=(const ClientServer&) = delete;

  // Listens on `path`. A stale socket file is replaced; one another
  // attachd still answers on is kUnavailable "attachd is already running".
  base::Status Listen(const std::string& path);
  // Closes the listener (removing the socket file) and every client.
  void Stop();
  // Users besides attachd's own and root whom the socket serves.
  void AllowUids(std::vector<uid_t> uids) { allowed_uids_ = std::move(uids); }
  size_t client_count() const { return conns_.size(); }

 private:
  static void OnConnection(uv_stream_t* server, int status) noexcept;
  static void OnSweep(uv_timer_t* h) noexcept;
  void OnClosed(ClientConn* conn);
  // Whether the peer on `conn` may give commands.
  bool PeerAllowed(ClientConn* conn);

  uv_loop_t* loop_;
  SocketCommands* commands_;
  size_t max_queue_;
  uint64_t stall_ms_;
  std::string path_;
  base::UvHandle<uv_pipe_t> listener_;
  base::UvHandle<uv_timer_t> sweep_;
  std::map<ClientConn*, std::unique_ptr<ClientConn>> conns_;
  std::vector<uid_t> allowed_uids_;
  LogBudget refusals_;
  DeferredDelete graveyard_;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CLIENTS_CLIENT_SERVER_H_
