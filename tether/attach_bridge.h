// AttachBridge: joins the supervisor's sessions to the attach link.
//
// Output: every chunk a session produces is already in its ring; the
// bridge tells the link, and pauses a stream whose unacknowledged bytes
// nearly fill its ring, so a slow or absent endpoint blocks the writer
// rather than losing output (docs/protocol.md §5, step 4). Control: the
// endpoint's Attach, Resize, Signal, CloseStdin, Exec, Unblock and Stop
// become supervisor and session calls. Lifecycle: SessionStarted,
// ExecFailed, and SessionExited once a run has both exited and drained.
// Everything runs on the tether's loop.
#ifndef TETHER_TETHER_ATTACH_BRIDGE_H_
#define TETHER_TETHER_ATTACH_BRIDGE_H_

#include <deque>
#include <map>
#include <memory>
#include <string>

#include "attach/link/tether_link.h"
#include "guestinfo/config.h"
#include "tether/session.h"
#include "tether/supervisor.h"

namespace pprof {
class Handler;
}  // namespace pprof

namespace tether {

class AttachBridge : public ::attach::LinkDelegate,
                     public Supervisor::Observer,
                     public OutputSink {
 public:
  // `config` must outlive the bridge and hold an endpoint.
  AttachBridge(uv_loop_t* loop, const guestinfo::Config& config);
  ~AttachBridge() override;

  // Two-phase because the supervisor takes the bridge as its sink and
  // observer: call once the supervisor exists, before Start().
  void SetSupervisor(Supervisor* supervisor) { supervisor_ = supervisor; }
  // Starts dialing. Errors only for a bad endpoint address.
  base::Status Start();
  // True once everything produced so far, and the end of every session
  // that ended, has been acknowledged (TetherLink::AllDelivered).
  bool AllDelivered() const;
  void Close();
  ::attach::TetherLink& link() { return *link_; }
  // Serves tunnelled pprof requests (docs/protocol.md §7) with `handler`,
  // which must outlive the bridge or be reset first; nullptr (the
  // default) answers them with a 404 saying pprof is off.
  void SetPprofHandler(pprof::Handler* handler) { pprof_ = handler; }

  // OutputSink.
  void OnOutput(Session& session, Stream stream, const char* data,
                size_t len) override;

  // Supervisor::Observer.
  void OnSessionStarted(const Session& s) override;
  void OnSessionExited(const Session& s) override;
  void OnOutputDrained(const Session& s) override;
  // Reports the end of runs whose output never reached EOF (the
  // supervisor's drain timed out): their rings are final now.
  void OnFinished(int exit_code) override;

  // ::attach::LinkDelegate.
  tether::attach::Hello MakeHello() override;
  ::attach::OutputChunk ReadOutput(const std::string& session,
                                 tether::attach::StreamId stream,
                                 uint64_t offset, size_t max_len) override;
  uint64_t OutputEnd(const std::string& session,
                     tether::attach::StreamId stream) override;
  void OnAcked(const std::string& session, tether::attach::StreamId stream,
               uint64_t offset) override;
  size_t StdinRoom(const std::string& session) override;
  void OnStdin(const std::string& session, std::string_view data) override;
  void OnStdinClosed(const std::string& session) override;
  void OnControl(const tether::attach::Envelope& msg) override;
  // An exec session the endpoint has in full is released (review F4);
  // its exit stays in Hello (kMaxReleasedInHello of them) until a Welcome
  // confirms the endpoint has it, in case this connection's SessionExited
  // got lost with the connection.
  bool OnSessionDone(const std::string& session) override;

  static constexpr size_t kMaxReleasedInHello = 64;

 private:
  // Per session: what the endpoint acknowledged and where the run is.
  struct Track {
    uint64_t acked[3] = {0, 0, 0};  // Indexed by Stream (1, 2).
    bool exited = false;
    bool drained = false;
    bool exit_sent = false;
  };
  Session* Find(const std::string& id) const;
  const tether::attach::SessionInfo* FindReleased(const std::string& id) const;
  static void Describe(const Session& s, tether::attach::SessionInfo* info);
  Track& TrackOf(const std::string& id) { return tracks_[id]; }
  void MaybeSendExited(const Session& s);
  void UpdateFlow(Session& s, Stream stream);
  void HandleExec(const tether::attach::Exec& exec);
  void ServePprof(const tether::attach::PprofRequest& req);

  const guestinfo::Config& config_;
  Supervisor* supervisor_ = nullptr;
  std::unique_ptr<::attach::TetherLink> link_;
  std::map<std::string, Track> tracks_;
  // Released sessions as Hello lists them, oldest first.
  std::deque<tether::attach::SessionInfo> released_;
  pprof::Handler* pprof_ = nullptr;
};

}  // namespace tether

#endif  // TETHER_TETHER_ATTACH_BRIDGE_H_
