// TetherLink's control channel (docs/protocol.md §5): Hello out, frames
// in, Welcome and Ack handled here, the rest passed to the delegate.
#include <algorithm>
#include <utility>

#include "attach/link/link_connection.h"
#include "attach/link/tether_link.h"
#include "base/log.h"

namespace attach {

using tether::attach::Envelope;

base::Status TetherLink::SendHello() {
  tether::attach::Hello hello = delegate_->MakeHello();
  hello.set_version(kProtocolVersion);
  hello.set_container_id(container_id_);
  // The table follows the tether's snapshot: sessions it no longer lists
  // have no ring left to read.
  std::map<std::string, Session> known;
  for (const tether::attach::SessionInfo& info : hello.sessions()) {
    auto old = sessions_.find(info.id());
    Session s = old != sessions_.end() ? std::move(old->second) : Session();
    if (info.exited() && !s.exited) {
      s.exited = true;
      s.exit.set_session_id(info.id());
      s.exit.set_exit_code(info.exit_code());
      s.exit.set_signal(info.signal());
      s.exit.set_stdout_end(info.stdout_end());
      s.exit.set_stderr_end(info.stderr_end());
      s.exit.set_finished_at(info.finished_at());
    }
    s.exit_in_hello = info.exited();
    known.emplace(info.id(), std::move(s));
  }
  sessions_ = std::move(known);
  if (hello.ByteSizeLong() + kFrameHeaderBytes > kMaxFrameBytes) {
    // Only a huge number of sessions gets here; their argv is the part
    // the endpoint can live without.
    for (auto& info : *hello.mutable_sessions()) info.clear_args();
  }
  Envelope env;
  *env.mutable_hello() = std::move(hello);
  TETHER_RETURN_IF_ERROR(SendControl(env));
  SetPhase(Phase::kHello);
  // What happened while away and does not fit in Hello.
  while (!pending_exec_failed_.empty()) {
    Envelope failed;
    *failed.mutable_exec_failed() = std::move(pending_exec_failed_.front());
    pending_exec_failed_.pop_front();
    TETHER_RETURN_IF_ERROR(SendControl(failed));
  }
  if (has_pending_state_) {
    has_pending_state_ = false;
    Envelope state;
    state.mutable_state()->set_json(std::move(pending_state_));
    TETHER_RETURN_IF_ERROR(SendControl(state));
  }
  return base::Status::Ok();
}

base::Status TetherLink::SendControl(const Envelope& env) {
  if (!conn_ || !conn_->control || !conn_->control->open()) {
    return base::Status::Ok();  // The next Hello carries the news.
  }
  if (env.ByteSizeLong() > kMaxFrameBytes) {
    return base::Status::Internal("protocol: control message over " +
                                  std::to_string(kMaxFrameBytes) + " bytes");
  }
  conn_->control->Queue(kChannelData, EncodeFrame(env));
  if (conn_->control->queued() > options_.max_control_queue) {
    return base::Status::Unavailable(
        "protocol: the endpoint stopped reading the control channel");
  }
  return base::Status::Ok();
}

// Frames may arrive split across reads and several per read; FrameReader
// reassembles them. A bad frame ends the connection (docs/protocol.md §5).
base::Status TetherLink::ReadControl() {
  const uint64_t gen = conn_gen_;
  char buf[kLinkReadBuffer];
  for (;;) {
    TETHER_ASSIGN_OR_RETURN(size_t n, conn_->control->Read(buf, sizeof(buf)));
    if (n == 0) break;
    conn_->frames.Append(buf, n);
  }
  for (;;) {
    auto next = conn_->frames.Next();
    if (!next.ok()) return next.TakeStatus().Annotate("protocol");
    if (!next->has_value()) break;
    Envelope env;
    TETHER_RETURN_IF_ERROR(ParseFrame(**next, &env, "protocol: control"));
    TETHER_RETURN_IF_ERROR(Dispatch(env));
    if (gen != conn_gen_) return base::Status::Ok();
  }
  if (conn_->control->remote_eof()) {
    return base::Status::Unavailable(
        "protocol: the endpoint closed the control channel");
  }
  return base::Status::Ok();
}

base::Status TetherLink::Dispatch(const Envelope& env) {
  switch (env.msg_case()) {
    case Envelope::kWelcome:
      OnWelcome(env.welcome());
      return base::Status::Ok();
    case Envelope::kAck:
      OnAck(env.ack());
      return base::Status::Ok();
    case Envelope::kPing: {
      Envelope pong;
      pong.mutable_pong()->set_nonce(env.ping().nonce());
      return SendControl(pong);
    }
    case Envelope::kAttach:
    case Envelope::kResize:
    case Envelope::kSignal:
    case Envelope::kCloseStdin:
    case Envelope::kExec:
    case Envelope::kUnblock:
    case Envelope::kStop:
    case Envelope::kPprofRequest:
      delegate_->OnControl(env);
      return base::Status::Ok();
    case Envelope::MSG_NOT_SET:
      return base::Status::Ok();  // A newer endpoint's message: ignored.
    default:
      LOG_WARN(
          "attach link: ignoring a tether-to-endpoint message (%d) "
          "from the endpoint",
          static_cast<int>(env.msg_case()));
      return base::Status::Ok();
  }
}

// Welcome sets where each stream resumes. Offsets are whatever the
// endpoint persisted, which after a reconnect may be less than what this
// link had sent before the drop: those bytes are simply sent again.
void TetherLink::OnWelcome(const tether::attach::Welcome& welcome) {
  if (phase_ != Phase::kHello) {
    LOG_WARN("attach link: ignoring a second Welcome");
    return;
  }
  if (welcome.version() != kProtocolVersion) {
    LOG_WARN("attach link: endpoint speaks protocol %u, the tether %u",
             welcome.version(), kProtocolVersion);
  }
  SetPhase(Phase::kUp);  // Stream channels may open from here on.
  for (auto& entry : sessions_) {
    entry.second.sent[0] = entry.second.sent[1] = 0;  // Unlisted: from 0.
  }
  for (const tether::attach::StreamOffsets& o : welcome.offsets()) {
    auto it = sessions_.find(o.session_id());
    if (it == sessions_.end()) continue;  // Not the tether's any more.
    it->second.sent[0] = o.stdout();
    it->second.sent[1] = o.stderr();
  }
  for (auto& entry : sessions_) {
    Session& s = entry.second;
    for (int i = 0; i < 2; ++i) {
      uint64_t end = delegate_->OutputEnd(entry.first, kLinkStreams[i]);
      if (s.sent[i] > end) {
        LOG_WARN(
            "attach link: endpoint holds %llu bytes of %s stream %d, "
            "the tether produced %llu",
            static_cast<unsigned long long>(s.sent[i]), entry.first.c_str(),
            i + 1, static_cast<unsigned long long>(end));
        s.sent[i] = end;
      }
      // What the endpoint holds is acknowledged, whichever way it said so.
      if (s.sent[i] > s.acked[i]) {
        s.acked[i] = s.sent[i];
        delegate_->OnAcked(entry.first, kLinkStreams[i], s.acked[i]);
      }
    }
    // An exited session whose output the endpoint holds in full is over:
    // the Hello just told the endpoint how it ended, and the endpoint
    // answers a Hello only after recording it. One with output still to
    // send ends with SessionExited after it (the endpoint reports the end
    // to its clients only then), and that needs its own Ack.
    bool all_held =
        s.acked[0] >= delegate_->OutputEnd(entry.first, kLinkStreams[0]) &&
        s.acked[1] >= delegate_->OutputEnd(entry.first, kLinkStreams[1]);
    if (s.exit_in_hello && all_held) s.exit_acked = true;
    if (s.done) continue;
    if (s.exited && s.exit_acked && all_held) {
      MarkDone(entry.first, s);
    } else {
      OpenStreamChannel(entry.first, s);
    }
  }
  backoff_.Reset();
  ++connect_count_;
  LOG_INFO("attach link: connected to %s", address_.text.c_str());
  delegate_->OnConnected(true);
}

void TetherLink::OnAck(const tether::attach::Ack& ack) {
  for (const tether::attach::StreamOffsets& o : ack.offsets()) {
    auto it = sessions_.find(o.session_id());
    if (it == sessions_.end()) continue;
    Session& s = it->second;
    // Only an end this connection reported: an older one's mark says
    // nothing about this run.
    if (o.exited() && s.exit_sent) s.exit_acked = true;
    const uint64_t offsets[2] = {o.stdout(), o.stderr()};
    for (int i = 0; i < 2; ++i) {
      // An endpoint cannot hold more than was produced.
      uint64_t off = std::min(offsets[i],
                              delegate_->OutputEnd(it->first, kLinkStreams[i]));
      if (off <= s.acked[i]) continue;
      s.acked[i] = off;
      delegate_->OnAcked(it->first, kLinkStreams[i], off);
    }
  }
}

}  // namespace attach
