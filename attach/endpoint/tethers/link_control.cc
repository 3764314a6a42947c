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

constexpr uint32_t kWelcomeVersion = 1;

}  // namespace

void TetherLink::ProcessControl() {
  // Re-entered when a write lets libssh process input (during a rekey);
  // the outer loop then picks up the new frames in order.
  if (processing_) return;
  processing_ = true;
  while (conn_ != nullptr && !conn_->closed()) {
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
        container_->ApplyStarted(env.session_started());
      }
      break;
    case pb::Envelope::kSessionExited:
      if (RequireHello("SessionExited")) {
        container_->ApplyExited(env.session_exited());
        // The session's last bytes came before this message (protocol.md
        // §5): acknowledging them and the end now lets the tether's drain
        // finish without waiting for the ack timer.
        exited_.insert(env.session_exited().session_id());
        SendAck();
      }
      break;
    case pb::Envelope::kExecFailed:
      if (RequireHello("ExecFailed")) {
        container_->ApplyExecFailed(env.exec_failed());
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

void TetherLink::OnHello(const pb::Hello& hello) {
  if (hello_done_) {
    Fail(base::Status::InvalidArgument("control: second Hello"));
    return;
  }
  if (hello.version() < 1) {
    Fail(
        base::Status::InvalidArgument("control: unsupported protocol version " +
                                      std::to_string(hello.version())));
    return;
  }
  if (hello.container_id() != conn_->user()) {
    Fail(base::Status::PermissionDenied("control: Hello for container \"" +
                                        Printable(hello.container_id()) +
                                        "\" on a login as " + conn_->user()));
    return;
  }
  Container* c = registry_->FindById(conn_->user());
  if (c == nullptr) {
    Fail(base::Status::NotFound("container " + conn_->user() + " is gone"));
    return;
  }
  // Every session's log must be open before the Welcome: one left out
  // would make the tether resend it from offset 0, duplicating bytes in
  // the log and putting its offsets past the tether's. An open that fails
  // now (EMFILE, EIO) may work when the tether redials.
  for (const pb::SessionInfo& info : hello.sessions()) {
    base::Result<Session*> s = c->GetSession(info.id());
    if (!s.ok()) {
      Fail(s.TakeStatus().Annotate("control: Hello: session \"" +
                                   Printable(info.id()) + "\""));
      return;
    }
  }
  // The older connection goes first, so its last bytes are in the log
  // before the offsets below are read.
  if (c->link() != nullptr && c->link() != this) {
    c->link()->Disconnect("replaced by a new connection from " + peer_);
  }
  container_ = c;
  c->set_link(this);
  c->ApplyHello(hello);
  pb::Envelope welcome;
  welcome.mutable_welcome()->set_version(kWelcomeVersion);
  for (const pb::SessionInfo& info : hello.sessions()) {
    base::Result<Session*> s = c->GetSession(info.id());
    if (!s.ok()) continue;  // Opened above; not reached.
    pb::StreamOffsets* o = welcome.mutable_welcome()->add_offsets();
    o->set_session_id(info.id());
    o->set_stdout((*s)->log().ends().out);
    o->set_stderr((*s)->log().ends().err);
  }
  hello_done_ = true;
  (void)SendControl(welcome);
  LOG_INFO("container %s: tether connected from %s (%s)",
           c->id().substr(0, 12).c_str(), peer_.c_str(),
           conn_->algorithms().c_str());
  c->ReplayAttachments();
}

void TetherLink::OnGap(const pb::OutputGap& gap) {
  base::Result<Session*> s = container_->GetSession(gap.session_id());
  uint8_t stream = gap.stream() == pb::STREAM_STDERR ? kStderr : kStdout;
  if (!s.ok() || (gap.stream() != pb::STREAM_STDOUT &&
                  gap.stream() != pb::STREAM_STDERR)) {
    Fail(base::Status::InvalidArgument("control: bad OutputGap"));
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
  if (container_ == nullptr) return;
  unacked_.insert(exited_.begin(), exited_.end());
  if (unacked_.empty()) return;
  pb::Envelope env;
  for (const std::string& id : unacked_) {
    base::Result<Session*> s = container_->GetSession(id);
    if (!s.ok()) continue;
    pb::StreamOffsets* o = env.mutable_ack()->add_offsets();
    o->set_session_id(id);
    o->set_stdout((*s)->log().ends().out);
    o->set_stderr((*s)->log().ends().err);
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
