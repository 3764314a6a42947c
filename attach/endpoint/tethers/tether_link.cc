// attachd's end of one tether connection: the SSH session, its channels,
// stream bytes into the logs, keepalive and the end. The control
// channel's messages are in link_control.cc.
#include "attach/endpoint/tethers/tether_link.h"

#include "attach/endpoint/containers/clock.h"
#include "base/log.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;

constexpr char kControlSubsystem[] = "tether-control";
constexpr char kStreamPrefix[] = "tether-stream@";
// A tether that does not read its control channel is not worth buffering
// for without bound.
constexpr size_t kMaxControlBacklog = 8 << 20;
// Control bytes received and not yet processed (while a Hello is handled
// or the connection rests): a frame and then some.
constexpr size_t kMaxControlUnread = 4 << 20;

}  // namespace

std::string TetherLink::Printable(const std::string& s) {
  std::string out;
  for (char c : s.substr(0, 80)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out;
}

TetherLink::TetherLink(uv_loop_t* loop, Registry* registry, std::string peer,
                       LinkTimings timings, LinkHooks hooks)
    : loop_(loop),
      registry_(registry),
      peer_(std::move(peer)),
      timings_(timings),
      hooks_(std::move(hooks)),
      control_tokens_(timings.control_burst) {}

TetherLink::~TetherLink() {
  *alive_ = false;
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
  uv_timer_init(loop_, login_timer_.get());
  login_timer_.MarkInitialized();
  login_timer_->data = this;
  uv_timer_init(loop_, resume_timer_.get());
  resume_timer_.MarkInitialized();
  resume_timer_->data = this;
  started_ms_ = uv_now(loop_);
  control_tokens_ms_ = started_ms_;
  TETHER_ASSIGN_OR_RETURN(
      conn_, SshConn::Start(bind, std::move(fd), std::move(poll), this));
  uv_timer_start(ping_timer_.get(), &TetherLink::OnPingTimer, timings_.ping_ms,
                 timings_.ping_ms);
  uv_timer_start(login_timer_.get(), &TetherLink::OnLoginTimer,
                 timings_.login_deadline_ms, 0);
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
  std::string note;
  if (TakeLogLine(hooks_.refusals, &note)) {
    LOG_WARN("tether %s: login refused for user \"%s\"%s", peer_.c_str(),
             Printable(user).c_str(), note.c_str());
  }
  return false;
}

void TetherLink::OnAuthenticated() {
  login_timer_.Close();
  if (hooks_.logged_in) hooks_.logged_in(this);
}

bool TetherLink::OnSubsystem(SshChannel* ch, const std::string& name) {
  if (name == kControlSubsystem) {
    if (control_ != nullptr) return false;
    control_ = ch;
    return true;
  }
  if (name.compare(0, sizeof(kStreamPrefix) - 1, kStreamPrefix) != 0 ||
      !hello_done_ || hello_pending_ || container_ == nullptr) {
    return false;
  }
  std::string id = name.substr(sizeof(kStreamPrefix) - 1);
  for (const auto& [c, s] : streams_) {
    if (s->session->id() == id) return false;  // One channel per session.
  }
  // Streams only for sessions attachd knows: a name must not make a log.
  if (!container_->KnowsSession(id)) {
    Fail(base::Status::InvalidArgument("stream for session \"" + Printable(id) +
                                       "\", which attachd does not know"));
    return false;
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
    if (reader_.buffered() > kMaxControlUnread) {
      Fail(base::Status::Unavailable(
          "control: the tether sends faster than attachd may process"));
      return;
    }
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
  container_->NoteLogged(len);
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
  } else {
    // Before Hello: anyone on the port can cause these.
    std::string note;
    bool stranger = !(conn_ && conn_->authenticated());
    if (TakeLogLine(stranger ? hooks_.strangers : nullptr, &note)) {
      if (stranger) {
        // A tether that refuses attachd's host key (a host-key mismatch)
        // hangs up before logging in; so does a scanner.
        LOG_WARN(
            "security: tether %s: connection closed before login (a "
            "host-key mismatch on the tether's side ends so): %s%s",
            peer_.c_str(), why.ToString().c_str(), note.c_str());
      } else {
        LOG_INFO("tether %s: connection closed: %s%s", peer_.c_str(),
                 why.ToString().c_str(), note.c_str());
      }
    }
  }
  Detach();
  ack_timer_.Close();
  ping_timer_.Close();
  login_timer_.Close();
  resume_timer_.Close();
  if (!done_called_) {
    done_called_ = true;
    if (hooks_.done) hooks_.done(this);
  }
}

void TetherLink::OnLoginTimer(uv_timer_t* h) noexcept {
  TetherLink* self = static_cast<TetherLink*>(h->data);
  self->Fail(base::Status::Unavailable(
      "ssh: not logged in within " +
      std::to_string(self->timings_.login_deadline_ms) + " ms"));
}

void TetherLink::OnResumeTimer(uv_timer_t* h) noexcept {
  TetherLink* self = static_cast<TetherLink*>(h->data);
  self->control_paused_ = false;
  if (self->conn_ != nullptr) self->conn_->SetReadPaused(false);
  self->ProcessControl();
}

bool TetherLink::TakeControlToken() {
  uint64_t now = uv_now(loop_);
  control_tokens_ += static_cast<double>(now - control_tokens_ms_) *
                     timings_.control_rate / 1000.0;
  if (control_tokens_ > timings_.control_burst) {
    control_tokens_ = timings_.control_burst;
  }
  control_tokens_ms_ = now;
  if (control_tokens_ >= 1) {
    control_tokens_ -= 1;
    return true;
  }
  // Rest until a message's worth has come back: the socket is not read
  // meanwhile, so the tether's window closes and it waits.
  uint64_t wait_ms = static_cast<uint64_t>((1 - control_tokens_) * 1000.0 /
                                           timings_.control_rate) +
                     1;
  control_paused_ = true;
  if (conn_ != nullptr) conn_->SetReadPaused(true);
  uv_timer_start(resume_timer_.get(), &TetherLink::OnResumeTimer, wait_ms, 0);
  return false;
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

void TetherLink::Check(base::Status s) {
  if (!s.ok()) Fail(std::move(s));
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
