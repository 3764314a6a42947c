// TetherLink's streams on a ready SSH session (docs/protocol.md §4-5):
// output with gaps, stdin, the end of a session, and the public calls that
// feed them. The control channel's messages are in link_control.cc.
//
// Everything funnels through Pump(), which each socket event, each public
// call and the repump timer run. Invariants:
// - Stream bytes are queued only on an open stream channel, which only
//   exists after authentication and Welcome.
// - OutputGap for a stream is queued only when that stream's channel
//   queue is empty, and the bytes after the gap only once the gap frame is
//   out of the control queue: the endpoint sees gap and bytes in order.
// - SessionExited is queued only after all of the session's bytes left
//   its channel queue; channel EOF only after SessionExited left the
//   control queue.
// - Sessions leave sessions_ only in SendHello(), which follows the
//   tether's snapshot, and in Sweep() once the tether released them; both
//   run outside any loop over it, so loops survive delegate calls that add
//   sessions.
// - Stdin is read only as far as the tether takes it (StdinRoom): a
//   channel left unread keeps its window closed, which is what bounds
//   stdin end to end.
#include <algorithm>
#include <iterator>
#include <utility>

#include "attach/link/link_connection.h"
#include "attach/link/tether_link.h"
#include "base/log.h"

namespace attach {
namespace {

using tether::attach::Envelope;

constexpr int kMaxPumpRounds = 8;
constexpr size_t kMaxPendingExecFailed = 64;

}  // namespace

bool TetherLink::hello_sent() const {
  return phase_ == Phase::kHello || phase_ == Phase::kUp;
}

void TetherLink::Pump() {
  if (in_pump_) {
    pump_again_ = true;  // The running pump goes round once more.
    return;
  }
  in_pump_ = true;
  bool busy = false;
  for (int round = 0;; ++round) {
    if (!conn_ || !conn_->ssh || !conn_->ssh->ready()) break;
    if (round == kMaxPumpRounds) {
      busy = true;
      break;
    }
    const uint64_t gen = conn_gen_;
    const uint64_t rx = conn_->ssh->rx_bytes();
    pump_again_ = false;
    base::Status s = PumpOnce();
    if (gen != conn_gen_) break;  // Dropped or closed by a delegate call.
    if (!s.ok()) {
      in_pump_ = false;
      return Drop(std::move(s));
    }
    Sweep();
    // Writes drain libssh2's input too; packets it queued for channels
    // already read this round would otherwise wait for the next event.
    if (!pump_again_ && conn_->ssh->rx_bytes() == rx) break;
  }
  in_pump_ = false;
  // Still going after many rounds: let the loop breathe, then continue.
  if (busy) {
    uv_timer_start(repump_timer_.get(), &TetherLink::OnRepumpTimer, 0, 0);
  }
}

base::Status TetherLink::PumpOnce() {
  const uint64_t gen = conn_gen_;
  TETHER_RETURN_IF_ERROR(AdvanceOpens());
  if (!conn_->control->open()) return base::Status::Ok();
  TETHER_RETURN_IF_ERROR(ReadControl());
  if (gen != conn_gen_) return base::Status::Ok();
  TETHER_RETURN_IF_ERROR(ReadStdin());
  if (gen != conn_gen_) return base::Status::Ok();
  TETHER_RETURN_IF_ERROR(FlushPprof());
  for (auto it = conn_->closing.begin(); it != conn_->closing.end();) {
    TETHER_ASSIGN_OR_RETURN(bool closed, (*it)->Close());
    it = closed ? conn_->closing.erase(it) : it + 1;
  }
  return WriteOutput();
}

base::Status TetherLink::AdvanceOpens() {
  // libssh2 opens one channel at a time per session: control first, then
  // the stream channels in order.
  if (!conn_->control->open()) {
    TETHER_ASSIGN_OR_RETURN(bool open, conn_->control->Advance());
    if (!open) return base::Status::Ok();
    TETHER_RETURN_IF_ERROR(SendHello());
  }
  for (auto& entry : sessions_) {
    SshChannel* ch = entry.second.channel.get();
    if (ch == nullptr || ch->open()) continue;
    TETHER_ASSIGN_OR_RETURN(bool open, ch->Advance());
    if (!open) break;
  }
  return base::Status::Ok();
}

void TetherLink::OpenStreamChannel(const std::string& id, Session& s) {
  if (phase_ != Phase::kUp || s.channel || s.done) return;
  s.channel =
      std::make_unique<SshChannel>(conn_->ssh.get(), "tether-stream@" + id);
}

TetherLink::Session& TetherLink::EnsureSession(const std::string& id) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) {
    it = sessions_.emplace(id, Session()).first;
    if (conn_ && conn_->ssh) OpenStreamChannel(id, it->second);
  }
  return it->second;
}

base::Status TetherLink::ReadStdin() {
  const uint64_t gen = conn_gen_;
  char buf[kLinkReadBuffer];
  for (auto& entry : sessions_) {
    Session& s = entry.second;
    if (!s.channel || !s.channel->open()) continue;
    bool full = false;
    for (;;) {
      size_t room = delegate_->StdinRoom(entry.first);
      if (room == 0) {
        full = true;  // StdinReady() brings the link back.
        break;
      }
      TETHER_ASSIGN_OR_RETURN(
          size_t n, s.channel->Read(buf, std::min(room, sizeof(buf))));
      if (n == 0) break;
      delegate_->OnStdin(entry.first, std::string_view(buf, n));
      if (gen != conn_gen_) return base::Status::Ok();
    }
    // EOF comes after the data: not before all of it was taken.
    if (!full && !s.stdin_closed && s.channel->remote_eof()) {
      s.stdin_closed = true;
      delegate_->OnStdinClosed(entry.first);
      if (gen != conn_gen_) return base::Status::Ok();
    }
  }
  return base::Status::Ok();
}

base::Status TetherLink::WriteOutput() {
  SshChannel* control = conn_->control.get();
  TETHER_RETURN_IF_ERROR(control->Flush(options_.max_send_backlog));
  if (phase_ != Phase::kUp || sessions_.empty()) return base::Status::Ok();
  // Round-robin: start after the session served first last time, so one
  // busy session cannot keep the socket to itself.
  auto start = sessions_.upper_bound(rr_next_);
  if (start == sessions_.end()) start = sessions_.begin();
  rr_next_ = start->first;
  auto it = start;
  do {
    TETHER_RETURN_IF_ERROR(FillSession(it->first, it->second));
    TETHER_RETURN_IF_ERROR(FinishSession(it->first, it->second));
    if (++it == sessions_.end()) it = sessions_.begin();
  } while (it != start);
  return control->Flush(options_.max_send_backlog);
}

base::Status TetherLink::FillSession(const std::string& id, Session& s) {
  SshChannel* ch = s.channel.get();
  if (ch == nullptr || !ch->open()) return base::Status::Ok();
  for (int i = 0; i < 2; ++i) {
    // Queue and write until the window, the send backlog or the output
    // runs out: each of those brings an event that pumps again (a window
    // adjust, writability, new output). A queue that merely emptied brings
    // none, and while the session's pipe waits for acknowledgements
    // nothing else would wake the link before the endpoint's ack timer.
    // A gap in progress (pump_again_) goes round through Pump() instead.
    for (;;) {
      TETHER_ASSIGN_OR_RETURN(bool queued, QueueOutput(id, s, i));
      TETHER_RETURN_IF_ERROR(ch->Flush(options_.max_send_backlog));
      if (!queued || ch->queued() > 0 || pump_again_) break;
    }
  }
  return base::Status::Ok();
}

base::Result<bool> TetherLink::QueueOutput(const std::string& id, Session& s,
                                           int i) {
  SshChannel* ch = s.channel.get();
  SshChannel* control = conn_->control.get();
  bool queued = false;
  while (ch->queued() < options_.max_channel_queue &&
         conn_->ssh->send_backlog() < options_.max_send_backlog) {
    if (s.sent[i] >= delegate_->OutputEnd(id, kLinkStreams[i])) break;
    OutputChunk chunk =
        delegate_->ReadOutput(id, kLinkStreams[i], s.sent[i],
                              options_.max_channel_queue - ch->queued());
    if (chunk.offset > s.sent[i]) {
      // The ring lost [sent, offset). Tell the endpoint in order: only
      // after every earlier byte left this channel's queue, and before
      // any later byte enters it. The flushes below may clear the way,
      // so the pump goes round again rather than wait for an event.
      pump_again_ = true;
      if (ch->queued(i) > 0) break;
      Envelope gap;
      auto* g = gap.mutable_output_gap();
      g->set_session_id(id);
      g->set_stream(kLinkStreams[i]);
      g->set_begin(s.sent[i]);
      g->set_end(chunk.offset);
      TETHER_RETURN_IF_ERROR(SendControl(gap));
      s.sent[i] = chunk.offset;
      TETHER_RETURN_IF_ERROR(control->Flush(options_.max_send_backlog));
      if (control->queued() > 0) break;
      continue;  // Read again from the new offset.
    }
    if (chunk.data.empty()) break;
    s.sent[i] = chunk.offset + chunk.data.size();
    ch->Queue(i == 0 ? kChannelData : kChannelStderr, std::move(chunk.data));
    queued = true;
  }
  return queued;
}

base::Status TetherLink::FinishSession(const std::string& id, Session& s) {
  SshChannel* ch = s.channel.get();
  if (!s.exited || ch == nullptr || !ch->open()) return base::Status::Ok();
  if (!s.exit_sent) {
    for (int i = 0; i < 2; ++i) {
      if (s.sent[i] < delegate_->OutputEnd(id, kLinkStreams[i])) {
        return base::Status::Ok();
      }
    }
    if (ch->queued() > 0) return base::Status::Ok();
    Envelope exited;
    *exited.mutable_session_exited() = s.exit;
    TETHER_RETURN_IF_ERROR(SendControl(exited));
    s.exit_sent = true;
    TETHER_RETURN_IF_ERROR(conn_->control->Flush(options_.max_send_backlog));
  }
  if (!ch->eof_sent()) {
    if (conn_->control->queued() > 0) return base::Status::Ok();
    TETHER_ASSIGN_OR_RETURN(bool sent, ch->SendEof());
    if (!sent) return base::Status::Ok();
  }
  // Over once the endpoint acknowledged everything after SessionExited,
  // the end included.
  if (s.exit_acked && s.acked[0] >= delegate_->OutputEnd(id, kLinkStreams[0]) &&
      s.acked[1] >= delegate_->OutputEnd(id, kLinkStreams[1])) {
    MarkDone(id, s);
  }
  return base::Status::Ok();
}

void TetherLink::MarkDone(const std::string& id, Session& s) {
  s.done = true;
  s.released = delegate_->OnSessionDone(id);
}

void TetherLink::Sweep() {
  // Finished sessions give their channel back. They stay in the table (so
  // a late OutputAvailable cannot restart them from offset 0) unless the
  // tether released them, and with them every later mention.
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    Session& s = it->second;
    if (s.done && s.channel && conn_) {
      conn_->closing.push_back(std::move(s.channel));
    }
    it = s.released ? sessions_.erase(it) : std::next(it);
  }
}

void TetherLink::OutputAvailable(const std::string& session) {
  if (phase_ == Phase::kClosed) return;
  EnsureSession(session);
  Pump();
}

void TetherLink::StdinReady(const std::string& session) {
  if (phase_ == Phase::kClosed || sessions_.count(session) == 0) return;
  Pump();
}

void TetherLink::SessionExited(const tether::attach::SessionExited& msg) {
  if (phase_ == Phase::kClosed) return;
  Session& s = EnsureSession(msg.session_id());
  s.exited = true;
  s.exit = msg;
  Pump();
}

void TetherLink::SessionStarted(const tether::attach::SessionStarted& msg) {
  if (phase_ == Phase::kClosed) return;
  EnsureSession(msg.session_id());
  if (hello_sent()) {
    Envelope env;
    *env.mutable_session_started() = msg;
    base::Status s = SendControl(env);
    if (!s.ok()) return Drop(std::move(s));
  }
  Pump();
}

void TetherLink::ExecFailed(const tether::attach::ExecFailed& msg) {
  if (phase_ == Phase::kClosed) return;
  if (!hello_sent()) {
    if (pending_exec_failed_.size() == kMaxPendingExecFailed) {
      pending_exec_failed_.pop_front();
    }
    pending_exec_failed_.push_back(msg);
    return;
  }
  Envelope env;
  *env.mutable_exec_failed() = msg;
  base::Status s = SendControl(env);
  if (!s.ok()) return Drop(std::move(s));
  Pump();
}

void TetherLink::SendState(const std::string& json) {
  if (phase_ == Phase::kClosed) return;
  if (!hello_sent()) {
    pending_state_ = json;
    has_pending_state_ = true;
    return;
  }
  Envelope env;
  env.mutable_state()->set_json(json);
  base::Status s = SendControl(env);
  if (!s.ok()) return Drop(std::move(s));
  Pump();
}

bool TetherLink::AllDelivered() const {
  for (const auto& entry : sessions_) {
    const Session& s = entry.second;
    if (s.exited && !s.exit_acked) return false;
    for (int i = 0; i < 2; ++i) {
      if (s.acked[i] < delegate_->OutputEnd(entry.first, kLinkStreams[i])) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace attach
