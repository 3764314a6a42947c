// attachd's listening side for tethers: a TCP listener (numeric address),
// the sync preamble on each accepted socket, then a TetherLink with libssh
// on it. Thousands of connections share the one loop; each costs a socket,
// a uv_poll, an ssh_session with its own ssh_event, and two timers.
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_TETHERS_SSH_SERVER_H_
#define TETHER_ATTACH_ENDPOINT_TETHERS_SSH_SERVER_H_

#include <libssh/server.h>
#include <uv.h>

#include <map>
#include <memory>
#include <string>

#include "attach/endpoint/containers/deferred_delete.h"
#include "attach/endpoint/containers/registry.h"
#include "attach/endpoint/containers/ssh_keys.h"
#include "attach/endpoint/tethers/preamble.h"
#include "attach/endpoint/tethers/tether_link.h"
#include "base/result.h"
#include "base/unique_fd.h"
#include "base/uv_handle.h"

namespace attach {
namespace endpoint {

class SshServer {
 public:
  // `host_key` is attachd's private host key (copied into libssh).
  // `registry` must outlive the server.
  static base::Result<std::unique_ptr<SshServer>> Create(
      uv_loop_t* loop, Registry* registry, const SshKey& host_key,
      LinkTimings timings = LinkTimings());
  ~SshServer();
  SshServer(const SshServer&) = delete;
  SshServer& operator=(const SshServer&) = delete;

  // Binds and listens on a numeric `host` ("127.0.0.1", "::1", "0.0.0.0")
  // and `port` (0 picks one; see port()). kIoError naming the address.
  base::Status Listen(const std::string& host, uint16_t port);
  uint16_t port() const { return port_; }
  // Connections past the preamble (authenticated or not).
  size_t link_count() const { return links_.size(); }
  // Stops accepting and drops every connection.
  void Stop();

 private:
  SshServer(uv_loop_t* loop, Registry* registry, LinkTimings timings);
  static void OnAcceptable(uv_poll_t* h, int status, int events) noexcept;
  void Accept();
  void OnPreambleDone(Preamble* p, base::Status s);
  void OnLinkDone(TetherLink* link);

  uv_loop_t* loop_;
  Registry* registry_;
  LinkTimings timings_;
  ssh_bind bind_ = nullptr;
  base::UniqueFd listen_fd_;
  base::UvHandle<uv_poll_t> listen_poll_;
  uint16_t port_ = 0;
  std::map<Preamble*, std::unique_ptr<Preamble>> preambles_;
  std::map<TetherLink*, std::unique_ptr<TetherLink>> links_;
  DeferredDelete graveyard_;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_TETHERS_SSH_SERVER_H_
