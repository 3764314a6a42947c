#include "attach/endpoint/tethers/tether_link.h"

#include "attach/endpoint/containers/clock.h"
#include "base/log.h"
#include "guestinfo/field_syntax.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;

constexpr uint32_t kWelcomeVersion = 1;
constexpr char kControlSubsystem[] = "tether-control";
constexpr char kStreamPrefix[] = "tether-stream@";
// A tether that does not read its control channel is not worth buffering
// for without bound.
constexpr size_t kMaxControlBacklog = 8 << 20;

// A peer-chosen string made safe for one log line.
std::string Printable(const std::string& s) {
  std::string out;
  for (char c : s.substr(0, 80)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out;
}

}  // namespace

TetherLink::TetherLink(uv_loop_t* loop, Registry* registry, std::string peer,
                       LinkTimings timings, DoneCallback done)
    : loop_(loop),
      registry_(registry),
      peer_(std::move(peer)),
      timings_(timings),
      done_(std::move(done)) {}

TetherLink::~TetherLink() {
  Detach();
  conn_.reset();  // Tears the SSH session down without reporting it.
}

base::Status TetherLink::Start(ssh_bind bind, base::UniqueFd fd,
                               base::UvHandle<uv_poll_t> poll) {
  uv_timer_init(loop_, ack_timer_.get());
  ack_timer_.MarkInitialized();
  ack_timer_->data = this;
  uv_timer_init(loop_, ping_timer_.get());
  ping_timer_.MarkInitialized();
  ping_timer_->data = this;
  started_ms_ = uv_now(loop_);
  TETHER_ASSIGN_OR_RETURN(
      conn_, SshConn::Start(bind, std::move(fd), std::move(poll), this));
  uv_timer_start(ping_timer_.get(), &TetherLink::OnPingTimer, timings_.ping_ms,
                 timings_.ping_ms);
  return base::Status::Ok();
}

base::Status TetherLink::SendControl(const pb::Envelope& env) {
  if (conn_ == nullptr || conn_->closed() || control_ == nullptr) {
    return base::Status::Unavailable("tether connection is closing");
  }
  if (env.ByteSizeLong() > kMaxFrameBytes) {
    return base::Status::InvalidArgument("control message too large");
  }
  out_ += EncodeFrame(env);
  FlushControl();
  if (out_.size() - out_head_ > kMaxControlBacklog) {
    Fail(base::Status::Unavailable("tether does not read its control channel"));
  }
  return base::Status::Ok();
}

void TetherLink::Disconnect(const std::string& why) {
  // Detach at once: the caller may be about to forget the container.
  Detach();
  if (conn_ != nullptr) conn_->Close(base::Status::Unavailable(why));
}

bool TetherLink::AuthorizeKey(const std::string& user, ssh_key key) {
  if (registry_->Authorize(user, key)) return true;
  LOG_WARN("tether %s: login refused for user \"%s\"", peer_.c_str(),
           Printable(user).c_str());
  return false;
}

bool TetherLink::OnSubsystem(SshChannel* ch, const std::string& name) {
  if (name == kControlSubsystem) {
    if (control_ != nullptr) return false;
    control_ = ch;
    return true;
  }
  if (name.compare(0, sizeof(kStreamPrefix) - 1, kStreamPrefix) != 0 ||
      !hello_done_ || container_ == nullptr) {
    return false;
  }
  std::string id = name.substr(sizeof(kStreamPrefix) - 1);
  for (const auto& [c, s] : streams_) {
    if (s->session->id() == id) return false;  // One channel per session.
  }
  base::Result<Session*> session = container_->GetSession(id);
  if (!session.ok()) {
    LOG_WARN("tether %s: stream \"%s\" refused: %s", peer_.c_str(),
             Printable(id).c_str(), session.status().ToString().c_str());
    return false;
  }
  auto stream = std::make_unique<Stream>();
  stream->channel = ch;
  stream->session = *session;
  ch->user = stream.get();
  streams_[ch] = std::move(stream);
  return true;
}

void TetherLink::OnChannelData(SshChannel* ch, const char* data, size_t len,
                               bool is_stderr) {
  if (ch == control_) {
    reader_.Append(data, len);
    ProcessControl();
    return;
  }
  // Bytes on an unnamed channel, or after this link was replaced, are not
  // the container's output any more.
  Stream* s = static_cast<Stream*>(ch->user);
  if (s == nullptr || container_ == nullptr) return;
  base::Status st = s->session->AppendOutput(is_stderr ? kStderr : kStdout,
                                             data, len, NowNs());
  if (!st.ok()) {
    // Not acknowledged, so the tether keeps the bytes and resends them.
    LOG_ERROR("container %s: %s", container_->id().c_str(),
              st.ToString().c_str());
    Fail(std::move(st));
    return;
  }
  Persisted(s->session->id(), len);
}

void TetherLink::OnChannelEof(SshChannel* ch) {
  if (ch == control_) {
    Fail(base::Status::Unavailable("tether closed its control channel"));
  }
}

void TetherLink::OnChannelClosed(SshChannel* ch) {
  if (ch == control_) {
    control_ = nullptr;
    Fail(base::Status::Unavailable("tether closed its control channel"));
    return;
  }
  auto it = streams_.find(ch);
  if (it == streams_.end()) return;
  Stream* s = it->second.get();
  if (s->bound && s->session->sink() == s) s->session->SetSink(nullptr);
  streams_.erase(it);
}

void TetherLink::OnAfterPump() {
  // Streams become stdin sinks only after their subsystem reply is out.
  for (auto& [ch, s] : streams_) {
    if (!s->bound) {
      s->bound = true;
      s->session->SetSink(s.get());
    } else {
      s->session->FlushStdin();  // The window may have opened.
    }
  }
  FlushControl();
}

void TetherLink::OnConnClosed(const base::Status& why) {
  if (container_ != nullptr) {
    LOG_INFO("container %s: tether %s disconnected: %s",
             container_->id().substr(0, 12).c_str(), peer_.c_str(),
             why.ToString().c_str());
  } else if (conn_ && conn_->authenticated()) {
    LOG_INFO("tether %s: connection closed: %s", peer_.c_str(),
             why.ToString().c_str());
  } else {
    // A tether that refuses attachd's host key (a host-key mismatch) hangs
    // up before logging in; so does a scanner. Either is worth a look.
    LOG_WARN("security: tether %s: connection closed before login (a "
             "host-key mismatch on the tether's side ends so): %s",
             peer_.c_str(), why.ToString().c_str());
  }
  Detach();
  ack_timer_.Close();
  ping_timer_.Close();
  if (!done_called_) {
    done_called_ = true;
    done_(this);
  }
}

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
        // §5): acknowledging them now spares the tether's drain the wait
        // for the ack timer.
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
    if (!s.ok()) continue;  // Reported by ApplyHello.
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
  if (container_ == nullptr || unacked_.empty()) return;
  pb::Envelope env;
  for (const std::string& id : unacked_) {
    base::Result<Session*> s = container_->GetSession(id);
    if (!s.ok()) continue;
    pb::StreamOffsets* o = env.mutable_ack()->add_offsets();
    o->set_session_id(id);
    o->set_stdout((*s)->log().ends().out);
    o->set_stderr((*s)->log().ends().err);
  }
  unacked_.clear();
  unacked_bytes_ = 0;
  (void)SendControl(env);
}

void TetherLink::OnAckTimer(uv_timer_t* h) noexcept {
  static_cast<TetherLink*>(h->data)->SendAck();
}

void TetherLink::OnPingTimer(uv_timer_t* h) noexcept {
  TetherLink* self = static_cast<TetherLink*>(h->data);
  if (!self->hello_done_) {
    if (uv_now(self->loop_) - self->started_ms_ >=
        self->timings_.hello_deadline_ms) {
      self->Fail(base::Status::Unavailable("no Hello in time"));
    }
    return;
  }
  if (self->unanswered_pings_ >= self->timings_.max_unanswered_pings) {
    self->Fail(base::Status::Unavailable(
        "keepalive: " + std::to_string(self->unanswered_pings_) +
        " pings unanswered"));
    return;
  }
  pb::Envelope env;
  env.mutable_ping()->set_nonce(++self->ping_nonce_);
  ++self->unanswered_pings_;
  (void)self->SendControl(env);
}

void TetherLink::FlushControl() {
  while (control_ != nullptr && out_head_ < out_.size()) {
    size_t n =
        control_->Write(out_.data() + out_head_, out_.size() - out_head_);
    if (n == 0) break;
    out_head_ += n;
  }
  if (out_head_ == out_.size()) {
    out_.clear();
    out_head_ = 0;
  } else if (out_head_ > (1 << 16)) {
    out_.erase(0, out_head_);
    out_head_ = 0;
  }
}

void TetherLink::Fail(base::Status why) {
  if (conn_ != nullptr) conn_->Close(std::move(why));
}

void TetherLink::Detach() {
  for (auto& [ch, s] : streams_) {
    if (s->bound && s->session->sink() == s.get()) s->session->SetSink(nullptr);
  }
  streams_.clear();
  if (container_ != nullptr && container_->link() == this) {
    // Requests sent on this connection will not be answered on another.
    container_->pprof_calls().FailAll(
        "the container's tether disconnected before answering");
    container_->set_link(nullptr);
  }
  container_ = nullptr;
}

}  // namespace endpoint
}  // namespace attach
