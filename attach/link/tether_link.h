// TetherLink: the tether's end of the attach link (docs/protocol.md).
//
// It dials the endpoint (tcp, vsock or serial), answers the sync preamble,
// runs SSH with the host key pinned and the identity key, opens the control
// channel, says Hello, and after Welcome streams every session's output
// from the offsets the endpoint already holds. Any failure drops the
// connection and redials with backoff, forever; the container never waits
// for the link.
//
// Output is pulled, not pushed: the tether appends to its rings and calls
// OutputAvailable(); the link reads from the rings (LinkDelegate) only as
// far as the SSH window and the socket allow, so it buffers at most
// LinkOptions::max_channel_queue bytes per channel.
//
// Everything runs on the loop thread, including every delegate call.
#ifndef TETHER_ATTACH_LINK_TETHER_LINK_H_
#define TETHER_ATTACH_LINK_TETHER_LINK_H_

#include <uv.h>

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>

#include "attach/link/address.h"
#include "attach/link/backoff.h"
#include "attach/link/link_delegate.h"
#include "attach/link/ssh_channel.h"
#include "attach/link/ssh_client.h"
#include "base/result.h"
#include "base/unique_fd.h"
#include "base/uv_handle.h"
#include "guestinfo/config.h"

namespace attach {

struct LinkOptions {
  BackoffParams backoff;
  SshTimings ssh;
  // Dialing plus the sync preamble, and Hello to Welcome, each at most.
  uint64_t connect_timeout_ms = 15000;
  uint64_t tick_ms = 1000;                 // Keepalive and timeout checks.
  size_t max_channel_queue = 256 * 1024;   // Output queued per channel.
  size_t max_send_backlog = 256 * 1024;    // Encrypted, not yet in kernel.
  size_t max_control_queue = 1024 * 1024;  // More means a stuck endpoint.
};

class TetherLink : private SshClient::Delegate {
 public:
  // `endpoint` and `delegate` must outlive the link; so must the loop.
  TetherLink(uv_loop_t* loop, const guestinfo::EndpointConfig& endpoint,
             std::string container_id, LinkDelegate* delegate,
             LinkOptions options = LinkOptions());
  ~TetherLink();  // Close().
  TetherLink(const TetherLink&) = delete;
  TetherLink& operator=(const TetherLink&) = delete;

  // Parses the address and dials. kInvalidArgument for a bad address;
  // network problems are never an error here (the link retries).
  base::Status Start();
  // Stops everything and closes every handle and fd, so the loop can end.
  // No delegate call happens after it returns. Idempotent.
  void Close();

  // The session's ring grew: send what the window allows.
  void OutputAvailable(const std::string& session);
  // The session takes stdin again (LinkDelegate::StdinRoom): read on.
  void StdinReady(const std::string& session);
  // The session is over and its ring final: the link sends the rest of its
  // output, then SessionExited, then channel EOF; after a reconnect again,
  // until the endpoint acknowledged all of the session's output after the
  // SessionExited went out (duplicates are possible; Hello carries the
  // exit too).
  void SessionExited(const tether::attach::SessionExited& msg);
  // Sent when connected (Hello covers sessions started while away).
  void SessionStarted(const tether::attach::SessionStarted& msg);
  // Sent when connected, else kept (the last 64) for the next connection.
  void ExecFailed(const tether::attach::ExecFailed& msg);
  // Sent when connected, else only the latest is kept for the next one.
  void SendState(const std::string& json);
  // Queues a piece of a pprof answer (docs/protocol.md §7). Pieces leave
  // as the control channel drains, so a large profile never overfills it;
  // pieces for a connection that is lost are dropped (the endpoint fails
  // that request then).
  void SendPprof(tether::attach::PprofResponse piece);

  // Welcome received on the current connection.
  bool connected() const { return phase_ == Phase::kUp; }
  // Every byte produced so far for every known session was acknowledged
  // by the endpoint, and so was the end of every session that was given
  // to SessionExited (or reported exited in a Hello the endpoint answered):
  // what the drain before power-off waits for. Known: named in a Hello or
  // in OutputAvailable, SessionStarted or SessionExited.
  bool AllDelivered() const;
  // Why the last connection attempt or connection failed (OK if none).
  const base::Status& last_error() const { return last_error_; }
  // Connections that reached Welcome.
  uint64_t connect_count() const { return connect_count_; }
  // Sessions the link keeps state for (tests: finished ones the tether
  // released are forgotten).
  size_t session_count() const { return sessions_.size(); }

 private:
  enum class Phase {
    kIdle,
    kWaiting,
    kDialing,
    kSync,
    kSsh,
    kHello,
    kUp,
    kClosed
  };

  // One session's output as this link sees it.
  struct Session {
    uint64_t sent[2] = {0, 0};   // Next offset to queue (stdout, stderr).
    uint64_t acked[2] = {0, 0};  // Persisted by the endpoint.
    bool exited = false;
    tether::attach::SessionExited exit;
    bool stdin_closed = false;  // Reported to the delegate.
    // This connection's state.
    std::unique_ptr<SshChannel> channel;
    bool exit_sent = false;
    bool exit_in_hello = false;  // This connection's Hello said exited.
    // The endpoint recorded the end: an Ack marked it exited after this
    // connection's SessionExited, or a Welcome answered a Hello that
    // carried it when the endpoint already held all of its output.
    bool exit_acked = false;
    // Output and exit acknowledged: nothing more to do, ever.
    bool done = false;
    // Done, and the tether forgot it (OnSessionDone): leaves the table.
    bool released = false;
  };

  // Everything that lives for one connection attempt.
  struct Connection;

  // Lifecycle (tether_link.cc).
  void SetPhase(Phase phase);
  void Dial();
  void OnDialed(base::Result<base::UniqueFd> fd);
  void StartSync();
  void OnSynced(base::Result<std::string> rest);
  void OnSshReady() override;
  void OnSshActivity() override;
  void OnSshError(base::Status status) override;
  void Drop(base::Status status);
  void Teardown();
  void OnTick();
  static void OnTickTimer(uv_timer_t* t) noexcept;
  static void OnRetryTimer(uv_timer_t* t) noexcept;
  static void OnRepumpTimer(uv_timer_t* t) noexcept;
  void LogDrop(const base::Status& status, uint64_t delay_ms);

  // Protocol and streams (link_streams.cc).
  void Pump();
  base::Status PumpOnce();
  base::Status AdvanceOpens();
  base::Status ReadControl();
  base::Status Dispatch(const tether::attach::Envelope& env);
  base::Status ReadStdin();
  base::Status WriteOutput();
  base::Status FillSession(const std::string& id, Session& s);
  // Queues stream i's output on the session's channel while it has room;
  // true if it queued any.
  base::Result<bool> QueueOutput(const std::string& id, Session& s, int i);
  base::Status FinishSession(const std::string& id, Session& s);
  base::Status SendHello();
  void OnWelcome(const tether::attach::Welcome& welcome);
  void OnAck(const tether::attach::Ack& ack);
  base::Status SendControl(const tether::attach::Envelope& env);
  base::Status FlushPprof();  // link_pprof.cc
  Session& EnsureSession(const std::string& id);
  void OpenStreamChannel(const std::string& id, Session& s);
  void MarkDone(const std::string& id, Session& s);
  void Sweep();
  bool hello_sent() const;

  uv_loop_t* loop_;
  const guestinfo::EndpointConfig& endpoint_;
  std::string container_id_;
  LinkDelegate* delegate_;
  LinkOptions options_;
  Address address_;
  Backoff backoff_;

  Phase phase_ = Phase::kIdle;
  uint64_t phase_start_ms_ = 0;
  std::unique_ptr<Connection> conn_;
  uint64_t conn_gen_ = 0;     // Bumped whenever conn_ goes away.
  base::UniqueFd serial_fd_;  // Kept across reconnects (transport.h).
  base::UvHandle<uv_timer_t> tick_timer_;
  base::UvHandle<uv_timer_t> retry_timer_;
  base::UvHandle<uv_timer_t> repump_timer_;

  std::map<std::string, Session> sessions_;
  std::string rr_next_;  // Where the next output round starts.
  std::deque<tether::attach::ExecFailed> pending_exec_failed_;
  std::string pending_state_;
  // pprof answer pieces and the connection (conn_gen_) they belong to.
  std::deque<std::pair<uint64_t, tether::attach::PprofResponse>> pprof_out_;
  bool has_pending_state_ = false;
  bool in_pump_ = false;
  bool pump_again_ = false;

  base::Status last_error_;
  std::string last_logged_;
  uint64_t last_logged_ms_ = 0;
  uint64_t connect_count_ = 0;
};

}  // namespace attach

#endif  // TETHER_ATTACH_LINK_TETHER_LINK_H_
