// attachd's end of one tether connection (docs/protocol.md §4-5), on top
// of an SshConn: the control channel (Hello -> Welcome, session reports,
// Ack, Ping), and one stream channel per session whose bytes go to the
// session's log and on to attached clients, and which carries stdin back.
//
// Exactness: the stream bytes of a connection are appended in the order
// they arrive, Welcome reports the log's ends, and a newer connection for
// the same container replaces the older one before its Welcome is
// computed, so no byte is logged twice and none is skipped.
//
// Acks: after persisting, at least every 1 MiB per connection, else within
// 100 ms; at once after a SessionExited, with the session marked exited
// (the tether powers off only after that).
//
// Keepalive: Ping every 5 s, drop after 3 unanswered; a connection that
// has not said Hello within 60 s of connecting is dropped too, and one
// that has not logged in within LinkTimings::login_deadline_ms.
//
// The tether is untrusted (review F2): its reports must name sessions
// attachd knows (container.h), its control messages are processed at
// most LinkTimings::control_rate a second (bursts up to control_burst;
// beyond, the connection is not read for a while), and the logs a Hello
// names are recovered off the loop before its Welcome.
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_TETHERS_TETHER_LINK_H_
#define TETHER_ATTACH_ENDPOINT_TETHERS_TETHER_LINK_H_

#include <uv.h>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "attach/endpoint/containers/container.h"
#include "attach/endpoint/containers/registry.h"
#include "attach/endpoint/tethers/log_budget.h"
#include "attach/endpoint/tethers/ssh_conn.h"
#include "attach/frame.h"
#include "base/uv_handle.h"

namespace attach {
namespace endpoint {

struct LinkTimings {
  uint64_t ack_ms = 100;
  size_t ack_bytes = 1 << 20;
  uint64_t ping_ms = 5000;
  int max_unanswered_pings = 3;
  uint64_t hello_deadline_ms = 60000;
  // Before login (review F3): the sync preamble must end within the
  // first, then the SSH handshake and login within the second.
  uint64_t preamble_deadline_ms = 10000;
  uint64_t login_deadline_ms = 10000;
  // Connections not logged in yet, from one source address and in all.
  // At a cap, a new connection takes the place of the oldest one still in
  // the preamble after the first delay, or else still before its login
  // after the second; with none that old, it is closed as it is accepted
  // (and, at the overall cap, the listener rests for the first delay).
  size_t max_unauthenticated_per_peer = 256;
  size_t max_unauthenticated = 1024;
  uint64_t evict_preamble_after_ms = 250;
  uint64_t evict_login_after_ms = 2000;
  // Control messages a connection may have processed: per second, and in
  // a burst.
  double control_rate = 200;
  double control_burst = 1000;
};

class TetherLink;

// What the listener lends a link and hears from it (ssh_server.h).
struct LinkHooks {
  // Once, when the tether has logged in.
  std::function<void(TetherLink*)> logged_in;
  // Once, when the connection is over; the owner destroys the link later
  // (not inside the call).
  std::function<void(TetherLink*)> done;
  // Shared caps on what peers can make attachd log: refused logins, and
  // the ends of connections that never logged in. Null: no cap.
  LogBudget* refusals = nullptr;
  LogBudget* strangers = nullptr;
};

class TetherLink : public SshConn::Delegate, public ControlLink {
 public:
  TetherLink(uv_loop_t* loop, Registry* registry, std::string peer,
             LinkTimings timings, LinkHooks hooks);
  ~TetherLink() override;

  // Runs SSH on the socket the preamble handed over.
  base::Status Start(ssh_bind bind, base::UniqueFd fd,
                     base::UvHandle<uv_poll_t> poll);
  const std::string& peer() const { return peer_; }

  // ControlLink.
  base::Status SendControl(const ::tether::attach::Envelope& env) override;
  void Disconnect(const std::string& why) override;

  // SshConn::Delegate.
  bool AuthorizeKey(const std::string& user, ssh_key key) override;
  void OnAuthenticated() override;
  bool OnSubsystem(SshChannel* ch, const std::string& name) override;
  void OnChannelData(SshChannel* ch, const char* data, size_t len,
                     bool is_stderr) override;
  void OnChannelEof(SshChannel* ch) override;
  void OnChannelClosed(SshChannel* ch) override;
  void OnAfterPump() override;
  void OnConnClosed(const base::Status& why) override;

 private:
  // A session's stream channel; stdin for the session goes through it.
  struct Stream : public StdinSink {
    SshChannel* channel = nullptr;
    Session* session = nullptr;
    bool bound = false;  // Registered as the session's sink.
    size_t WriteStdin(const char* data, size_t len) override {
      return channel->Write(data, len);
    }
    void CloseStdin() override { channel->SendEof(); }
  };

  // A peer-chosen string made safe for one log line.
  static std::string Printable(const std::string& s);
  static void OnAckTimer(uv_timer_t* h) noexcept;
  static void OnPingTimer(uv_timer_t* h) noexcept;
  static void OnLoginTimer(uv_timer_t* h) noexcept;
  static void OnResumeTimer(uv_timer_t* h) noexcept;
  void ProcessControl();
  // Whether one more control message may be processed now; when not, the
  // connection rests until it may.
  bool TakeControlToken();
  void Dispatch(const ::tether::attach::Envelope& env);
  void Check(base::Status s);  // Fails the connection on an error.
  // Hello (link_hello.cc): checked, its logs loaded (off the loop when
  // they must be scanned), recorded, then answered.
  void OnHello(const ::tether::attach::Hello& hello);
  void OnHelloScanned(const std::vector<std::string>& ids,
                      const std::vector<base::Result<LogScan>>& scans);
  void FinishHello();
  void SendWelcome();
  void OnGap(const ::tether::attach::OutputGap& gap);
  bool RequireHello(const char* what);
  void Persisted(const std::string& session, size_t bytes);
  void SendAck();
  void SendAckNow();
  void FlushControl();
  void Fail(base::Status why);
  void Detach();

  uv_loop_t* loop_;
  Registry* registry_;
  std::string peer_;
  LinkTimings timings_;
  LinkHooks hooks_;
  std::unique_ptr<SshConn> conn_;
  Container* container_ = nullptr;  // After Hello.
  bool hello_done_ = false;
  // A Hello is being handled: control messages after it wait.
  bool hello_pending_ = false;
  std::unique_ptr<::tether::attach::Hello> hello_;
  // Cleared when the link goes: work finishing later checks it.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  double control_tokens_;
  uint64_t control_tokens_ms_ = 0;
  bool control_paused_ = false;
  bool ack_waiting_ = false;  // An Ack waits for the status on disk.
  SshChannel* control_ = nullptr;
  FrameReader reader_;
  bool processing_ = false;
  std::string out_;  // Control bytes not yet sent.
  size_t out_head_ = 0;
  std::map<SshChannel*, std::unique_ptr<Stream>> streams_;
  std::set<std::string> unacked_;  // Sessions persisted since the last Ack.
  std::set<std::string> exited_;   // SessionExited recorded, not yet acked.
  size_t unacked_bytes_ = 0;
  base::UvHandle<uv_timer_t> ack_timer_;
  base::UvHandle<uv_timer_t> ping_timer_;
  base::UvHandle<uv_timer_t> login_timer_;   // Closed once logged in.
  base::UvHandle<uv_timer_t> resume_timer_;  // Ends a rest (rate limit).
  uint64_t started_ms_ = 0;
  uint64_t ping_nonce_ = 0;
  int unanswered_pings_ = 0;
  bool done_called_ = false;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_TETHERS_TETHER_LINK_H_
