// attachd's listening side for tethers: a TCP listener (numeric address),
// the sync preamble on each accepted socket, then a TetherLink with libssh
// on it. Thousands of connections share the one loop; each costs a socket,
// a uv_poll, an ssh_session with its own ssh_event, and two timers.
//
// Anyone who can reach the port gets this far, so what a connection that
// has not logged in may cost is bounded (review F3): the preamble and the
// login each have a deadline (LinkTimings), connections not logged in yet
// are capped per source address and in all (more are closed as they are
// accepted), the log lines such peers cause are capped (LogBudget), and
// when accept(2) runs out of descriptors the listener pauses and retries
// instead of spinning on a socket that stays readable.
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
#include "attach/endpoint/tethers/log_budget.h"
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
  // Connections not logged in yet (in the preamble or the SSH handshake).
  size_t unauthenticated_count() const { return unauthenticated_; }
  // Stops accepting and drops every connection.
  void Stop();

 private:
  SshServer(uv_loop_t* loop, Registry* registry, LinkTimings timings);
  static void OnAcceptable(uv_poll_t* h, int status, int events) noexcept;
  static void OnAcceptRetry(uv_timer_t* h) noexcept;
  void Accept();
  void PauseAccepting(int err);
  // Counts a new connection from `ip` as not logged in; false when a cap
  // is reached (the caller closes it).
  bool Admit(const std::string& ip);
  void Release(const std::string& ip);
  void OnPreambleDone(Preamble* p, base::Status s);
  void OnLinkLogin(TetherLink* link);
  void OnLinkDone(TetherLink* link);

  uv_loop_t* loop_;
  Registry* registry_;
  LinkTimings timings_;
  ssh_bind bind_ = nullptr;
  base::UniqueFd listen_fd_;
  base::UvHandle<uv_poll_t> listen_poll_;
  base::UvHandle<uv_timer_t> accept_retry_;
  bool accept_paused_ = false;
  uint16_t port_ = 0;
  // Preambles and links not logged in yet, by the source address they
  // are counted against.
  std::map<Preamble*, std::unique_ptr<Preamble>> preambles_;
  std::map<Preamble*, std::string> preamble_ips_;
  std::map<TetherLink*, std::unique_ptr<TetherLink>> links_;
  std::map<TetherLink*, std::string> unauthenticated_ips_;
  std::map<std::string, size_t> unauthenticated_by_ip_;
  size_t unauthenticated_ = 0;
  LogBudget refusals_;
  LogBudget strangers_;
  DeferredDelete graveyard_;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_TETHERS_SSH_SERVER_H_
