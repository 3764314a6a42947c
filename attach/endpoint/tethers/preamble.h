// The endpoint half of the sync preamble (docs/protocol.md §2) on one
// accepted socket, before libssh sees it.
//
// attachd sends SyncLine(nonce) at once and every 200 ms until the
// tether's echo has arrived, and waits for the client's "SSH-" banner.
// libssh reads the socket itself (ssh_bind_accept_fd), so the banner must
// still be in the kernel's buffer when the socket is handed over: the
// preamble looks at incoming bytes with MSG_PEEK and consumes only what
// comes before the banner. It never consumes a trailing "S", "SS" or "SSH"
// that may be the start of the banner, so no banner byte is ever lost.
// The protocol on the wire is unchanged.
//
// A peer that holds the socket without finishing (sends nothing, or only
// "S") costs a timer tick now and then, and is dropped at the deadline.
//
// Loop thread only; the socket is non-blocking.
#ifndef TETHER_ATTACH_ENDPOINT_TETHERS_PREAMBLE_H_
#define TETHER_ATTACH_ENDPOINT_TETHERS_PREAMBLE_H_

#include <uv.h>

#include <cstdint>
#include <functional>
#include <string>

#include "attach/sync_preamble.h"
#include "base/result.h"
#include "base/unique_fd.h"
#include "base/uv_handle.h"

namespace attach {
namespace endpoint {

class Preamble {
 public:
  // Called once: OK when the socket is positioned at the client's banner
  // (take it with TakeFd/TakePoll), or the error that ended the preamble
  // (peer gone, kInvalidArgument for a preamble error). The Preamble may be
  // destroyed from the callback's caller afterwards, not inside it.
  using DoneCallback = std::function<void(Preamble*, base::Status)>;

  // The preamble fails (kUnavailable) when it has not ended `deadline_ms`
  // after Start().
  Preamble(uv_loop_t* loop, base::UniqueFd fd, std::string peer, uint64_t nonce,
           uint64_t deadline_ms, DoneCallback done);
  Preamble(const Preamble&) = delete;
  Preamble& operator=(const Preamble&) = delete;

  // Sends the first line and starts watching the socket.
  base::Status Start();

  const std::string& peer() const { return peer_; }
  // After success: the socket and a poll handle already initialized on it
  // (stopped), so the next owner reuses the same watcher.
  base::UniqueFd TakeFd() { return std::move(fd_); }
  base::UvHandle<uv_poll_t> TakePoll() { return std::move(poll_); }

 private:
  static void OnPoll(uv_poll_t* h, int status, int events) noexcept;
  static void OnTimer(uv_timer_t* h) noexcept;
  void Read();
  void SendLine();
  bool EchoSeen() const;
  void Finish(base::Status s);

  uv_loop_t* loop_;
  base::UniqueFd fd_;
  std::string peer_;
  std::string line_;
  SyncEchoWaiter waiter_;
  uint64_t deadline_ms_;
  DoneCallback done_;
  uint64_t started_ms_ = 0;
  uint64_t hold_ms_;  // The next look after a possible banner start.
  base::UvHandle<uv_poll_t> poll_;
  base::UvHandle<uv_timer_t> timer_;
  bool reading_ = false;
  bool finished_ = false;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_TETHERS_PREAMBLE_H_
