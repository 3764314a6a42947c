// attachd's listening side for tethers: a TCP listener (numeric address),
// the sync preamble on each accepted socket, then a TetherLink with libssh
// on it. Thousands of connections share the one loop; each costs a socket,
// a uv_poll, an ssh_session with its own ssh_event, and two timers.
//
// Anyone who can reach the port gets this far, so what a connection that
// has not logged in may cost is bounded (review F3): the preamble and the
// login each have a deadline (LinkTimings), connections not logged in yet
// are capped per source address and in all, the log lines such peers
// cause are capped (LogBudget), and when accept(2) runs out of
// descriptors the listener pauses and retries instead of spinning on a
// socket that stays readable. At a cap the oldest stalled connection
// makes room for a new one (LinkTimings says when one counts as stalled),
// so a flood that holds connections open cannot keep a tether out, and
// with nothing to make room the listener rests rather than accepting and
// closing in a loop.
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
  // A connection that has not logged in yet: in the preamble or in SSH.
  struct Stranger {
    std::string ip;
    uint64_t since_ms = 0;
    Preamble* preamble = nullptr;
    TetherLink* link = nullptr;
  };
  void Accept();
  void PauseAccepting(int err);
  void RestAccepting();
  // Counts a new connection from `ip` as not logged in, making room at a
  // cap; false when there is none (the caller closes it).
  bool Admit(const std::string& ip, Preamble* p);
  // Drops the oldest stalled stranger (from `ip` when not empty); false
  // when none has stalled long enough.
  bool EvictOne(const std::string& ip);
  void Release(const void* key);
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
  bool accept_resting_ = false;  // At the cap with nobody to make room.
  uint16_t port_ = 0;
  std::map<Preamble*, std::unique_ptr<Preamble>> preambles_;
  std::map<TetherLink*, std::unique_ptr<TetherLink>> links_;
  // Strangers oldest first, by admission number; by their Preamble or
  // TetherLink; and counted by source address.
  std::map<uint64_t, Stranger> strangers_by_age_;
  std::map<const void*, uint64_t> stranger_numbers_;
  std::map<std::string, size_t> unauthenticated_by_ip_;
  uint64_t next_stranger_ = 0;
  size_t unauthenticated_ = 0;
  LogBudget refusals_;
  LogBudget strangers_;
  DeferredDelete graveyard_;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_TETHERS_SSH_SERVER_H_
