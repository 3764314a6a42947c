// attachd's side of a tether's control channel (docs/protocol.md §5):
// frames in, Hello and the Welcome it gets, the session reports, output
// gaps, and the Acks. The connection and its channels are in
// tether_link.cc.
#include "attach/endpoint/containers/clock.h"
#include "attach/endpoint/tethers/tether_link.h"
#include "base/log.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;

}  // namespace

void TetherLink::ProcessControl() {
  // Re-entered when a write lets libssh process input (during a rekey);
  // the outer loop then picks up the new frames in order.
  if (processing_) return;
  processing_ = true;
  while (conn_ != nullptr && !conn_->closed()) {
    // A Hello being handled, or a rest, holds what follows in reader_.
    if (hello_pending_ || control_paused_) break;
    if (reader_.buffered() == 0 || !TakeControlToken()) break;
    base::Result<std::optional<std::string>> frame = reader_.Next();
    if (!frame.ok()) {
      Fail(frame.TakeStatus().Annotate("control channel"));
      break;
    }
    if (!frame->has_value()) break;
    pb::Envelope env;
    base::Status s = ParseFrame(**frame, &env, "control");
    if (!s.ok()) {
      Fail(std::move(s));
      break;
    }
    Dispatch(env);
  }
  processing_ = false;
}

bool TetherLink::RequireHello(const char* what) {
  if (hello_done_ && container_ != nullptr) return true;
  Fail(base::Status::InvalidArgument(std::string("control: ") + what +
                                     " before Hello"));
  return false;
}

void TetherLink::Dispatch(const pb::Envelope& env) {
  switch (env.msg_case()) {
    case pb::Envelope::kHello:
      OnHello(env.hello());
      break;
    case pb::Envelope::kSessionStarted:
      if (RequireHello("SessionStarted")) {
        Check(container_->ApplyStarted(env.session_started()));
      }
      break;
    case pb::Envelope::kSessionExited:
      if (RequireHello("SessionExited")) {
        base::Status s = container_->ApplyExited(env.session_exited());
        if (!s.ok()) return Fail(std::move(s));
        // The session's last bytes came before this message (protocol.md
        // §5): acknowledging them and the end now lets the tether's drain
        // finish without waiting for the ack timer.
        exited_.insert(env.session_exited().session_id());
        SendAck();
      }
      break;
    case pb::Envelope::kExecFailed:
      if (RequireHello("ExecFailed")) {
        Check(container_->ApplyExecFailed(env.exec_failed()));
      }
      break;
    case pb::Envelope::kOutputGap:
      if (RequireHello("OutputGap")) OnGap(env.output_gap());
      break;
    case pb::Envelope::kState:
      if (RequireHello("State")) container_->ApplyState(env.state().json());
      break;
    case pb::Envelope::kPong:
      if (env.pong().nonce() <= ping_nonce_) unanswered_pings_ = 0;
      break;
    case pb::Envelope::kPprofResponse:
      if (RequireHello("PprofResponse")) {
        container_->pprof_calls().OnResponse(env.pprof_response());
      }
      break;
    default:
      // Unknown to this version, or meant for the tether: ignored.
      break;
  }
}

void TetherLink::OnGap(const pb::OutputGap& gap) {
  uint8_t stream = gap.stream() == pb::STREAM_STDERR ? kStderr : kStdout;
  if (!container_->KnowsSession(gap.session_id()) ||
      (gap.stream() != pb::STREAM_STDOUT &&
       gap.stream() != pb::STREAM_STDERR)) {
    Fail(base::Status::InvalidArgument("control: bad OutputGap"));
    return;
  }
  base::Result<Session*> s = container_->GetSession(gap.session_id());
  if (!s.ok()) {
    Fail(s.TakeStatus().Annotate("control: OutputGap"));
    return;
  }
  SessionLog& log = (*s)->log();
  if (gap.begin() != log.ends().For(stream)) {
    LOG_WARN("container %s session %s: gap begins at %llu, log ends at %llu",
             container_->id().substr(0, 12).c_str(),
             Printable(gap.session_id()).c_str(),
             static_cast<unsigned long long>(gap.begin()),
             static_cast<unsigned long long>(log.ends().For(stream)));
  }
  base::Status st = log.AppendGap(stream, gap.end(), NowNs());
  if (!st.ok()) {
    Fail(std::move(st));
    return;
  }
  LOG_WARN("container %s session %s: tether lost output up to %llu",
           container_->id().substr(0, 12).c_str(),
           Printable(gap.session_id()).c_str(),
           static_cast<unsigned long long>(gap.end()));
  Persisted(gap.session_id(), 0);
}

void TetherLink::Persisted(const std::string& session, size_t bytes) {
  unacked_.insert(session);
  unacked_bytes_ += bytes;
  if (unacked_bytes_ >= timings_.ack_bytes) {
    SendAck();
  } else if (!uv_is_active(reinterpret_cast<uv_handle_t*>(ack_timer_.get()))) {
    uv_timer_start(ack_timer_.get(), &TetherLink::OnAckTimer, timings_.ack_ms,
                   0);
  }
}

void TetherLink::SendAck() {
  uv_timer_stop(ack_timer_.get());
  if (container_ == nullptr || ack_waiting_) return;
  if (!exited_.empty()) {
    // An Ack marked exited lets the tether forget the session and power
    // off: its end must be on disk first. The Ack then also covers what
    // arrives meanwhile.
    ack_waiting_ = true;
    std::shared_ptr<bool> alive = alive_;
    container_->FlushStatus([this, alive] {
      if (!*alive) return;
      ack_waiting_ = false;
      SendAckNow();
    });
    return;
  }
  SendAckNow();
}

void TetherLink::SendAckNow() {
  if (container_ == nullptr) return;
  unacked_.insert(exited_.begin(), exited_.end());
  if (unacked_.empty()) return;
  pb::Envelope env;
  for (const std::string& id : unacked_) {
    Session* s = container_->FindSession(id);
    if (s == nullptr) continue;  // Forgotten meanwhile.
    pb::StreamOffsets* o = env.mutable_ack()->add_offsets();
    o->set_session_id(id);
    o->set_stdout(s->log().ends().out);
    o->set_stderr(s->log().ends().err);
    o->set_exited(exited_.count(id) > 0);
  }
  unacked_.clear();
  exited_.clear();
  unacked_bytes_ = 0;
  (void)SendControl(env);
}

void TetherLink::OnAckTimer(uv_timer_t* h) noexcept {
  static_cast<TetherLink*>(h->data)->SendAck();
}

}  // namespace endpoint
}  // namespace attach
