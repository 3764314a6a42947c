#include "tether/attach_bridge.h"

#include <algorithm>
#include <cstdint>

#include "base/log.h"
#include "pprof/tunnel.h"
#include "tether/env_merge.h"

namespace tether {
namespace {

using tether::attach::StreamId;

Stream ToStream(StreamId id) {
  return id == tether::attach::STREAM_STDERR ? Stream::kStderr
                                             : Stream::kStdout;
}

int Index(Stream s) { return static_cast<int>(s); }

// One read of a pipe can land after the decision to pause: keep that much
// headroom so the ring never overwrites unacknowledged bytes.
constexpr uint64_t kReadChunk = 64 * 1024;

}  // namespace

AttachBridge::AttachBridge(uv_loop_t* loop, const guestinfo::Config& config)
    : config_(config),
      link_(std::make_unique<::attach::TetherLink>(loop, *config.endpoint,
                                                 config.id, this)) {}

AttachBridge::~AttachBridge() = default;

base::Status AttachBridge::Start() { return link_->Start(); }

void AttachBridge::Close() { link_->Close(); }

bool AttachBridge::AllDelivered() const { return link_->AllDelivered(); }

Session* AttachBridge::Find(const std::string& id) const {
  return supervisor_ ? supervisor_->FindSession(id) : nullptr;
}

void AttachBridge::OnOutput(Session& session, Stream stream, const char*,
                            size_t) {
  UpdateFlow(session, stream);
  link_->OutputAvailable(session.id());
}

void AttachBridge::UpdateFlow(Session& s, Stream stream) {
  const OutputRing& ring = s.ring(stream);
  uint64_t unacked = ring.end_offset() - TrackOf(s.id()).acked[Index(stream)];
  uint64_t cap = ring.capacity();
  uint64_t high = cap > 2 * kReadChunk ? cap - kReadChunk : cap / 2;
  if (unacked >= high) {
    s.PauseOutput(stream);
  } else if (unacked <= high / 2) {
    s.ResumeOutput(stream);
  }
}

void AttachBridge::OnSessionStarted(const Session& s) {
  Track& t = TrackOf(s.id());
  t.exited = t.drained = t.exit_sent = false;
  tether::attach::SessionStarted msg;
  msg.set_session_id(s.id());
  msg.set_pid(s.pid());
  msg.set_started_at(s.started_at());
  link_->SessionStarted(msg);
}

void AttachBridge::OnSessionExited(const Session& s) {
  Track& t = TrackOf(s.id());
  if (!s.error().empty()) {
    // It never ran: no output will come, and the failure is the news.
    tether::attach::ExecFailed msg;
    msg.set_session_id(s.id());
    msg.set_exit_code(s.exit_code());
    msg.set_message(s.error());
    link_->ExecFailed(msg);
    t.exited = t.drained = true;
  } else {
    t.exited = true;
  }
  MaybeSendExited(s);
}

void AttachBridge::OnOutputDrained(const Session& s) {
  TrackOf(s.id()).drained = true;
  MaybeSendExited(s);
}

void AttachBridge::OnFinished(int) {
  if (supervisor_ == nullptr) return;
  for (Session* s : supervisor_->sessions()) {
    Track& t = TrackOf(s->id());
    if (t.exited && !t.drained) OnOutputDrained(*s);
  }
}

void AttachBridge::MaybeSendExited(const Session& s) {
  Track& t = TrackOf(s.id());
  if (!t.exited || !t.drained || t.exit_sent) return;
  t.exit_sent = true;
  tether::attach::SessionExited msg;
  msg.set_session_id(s.id());
  msg.set_exit_code(s.exit_code());
  msg.set_signal(s.exit_signal());
  msg.set_stdout_end(s.ring(Stream::kStdout).end_offset());
  msg.set_stderr_end(s.ring(Stream::kStderr).end_offset());
  msg.set_finished_at(s.finished_at());
  link_->SessionExited(msg);
}

void AttachBridge::Describe(const Session& s,
                            tether::attach::SessionInfo* info) {
  info->set_id(s.id());
  info->set_primary(s.primary());
  info->set_tty(s.config().tty);
  info->set_open_stdin(s.config().open_stdin);
  info->set_running(s.running());
  info->set_pid(s.pid());
  info->set_exited(s.started_once() && !s.running());
  info->set_exit_code(s.exit_code());
  info->set_signal(s.exit_signal());
  info->set_stdout_end(s.ring(Stream::kStdout).end_offset());
  info->set_stderr_end(s.ring(Stream::kStderr).end_offset());
  info->set_waiting_for_attach(!s.started_once() &&
                               s.config().attach_before_start);
  const auto& args = s.config().args;
  for (const std::string& a : args) info->add_args(a);
  if (args.empty()) info->add_args(s.config().path);
  info->set_started_at(s.started_at());
  info->set_finished_at(s.finished_at());
}

tether::attach::Hello AttachBridge::MakeHello() {
  tether::attach::Hello hello;
  hello.set_version(1);
  hello.set_container_id(config_.id);
  hello.set_hostname(config_.hostname);
  if (supervisor_ == nullptr) return hello;
  for (Session* s : supervisor_->sessions()) Describe(*s, hello.add_sessions());
  for (const auto& info : released_) *hello.add_sessions() = info;
  return hello;
}

const tether::attach::SessionInfo* AttachBridge::FindReleased(
    const std::string& id) const {
  for (const auto& info : released_) {
    if (info.id() == id) return &info;
  }
  return nullptr;
}

bool AttachBridge::OnSessionDone(const std::string& session) {
  Session* s = Find(session);
  if (s == nullptr) {
    // Listed in a Hello that a Welcome answered: the endpoint has it.
    auto it = std::find_if(released_.begin(), released_.end(),
                           [&](const auto& i) { return i.id() == session; });
    if (it == released_.end()) return false;
    released_.erase(it);
    return true;
  }
  tether::attach::SessionInfo info;
  Describe(*s, &info);
  info.clear_args();  // The endpoint has them; only the exit matters.
  if (!supervisor_->ReleaseSession(session)) return false;
  tracks_.erase(session);
  if (released_.size() == kMaxReleasedInHello) released_.pop_front();
  released_.push_back(std::move(info));
  return true;
}

::attach::OutputChunk AttachBridge::ReadOutput(const std::string& session,
                                             StreamId stream, uint64_t offset,
                                             size_t max_len) {
  ::attach::OutputChunk out;
  Session* s = Find(session);
  if (s == nullptr) {
    // A released session's bytes are gone: all that is left is the gap.
    uint64_t end = OutputEnd(session, stream);
    out.offset = std::max(offset, end);
    out.gap = out.offset - offset;
    return out;
  }
  OutputRing::Chunk c = s->ring(ToStream(stream)).Read(offset, max_len);
  out.gap = c.gap;
  out.offset = c.offset;
  out.data = std::move(c.data);
  return out;
}

uint64_t AttachBridge::OutputEnd(const std::string& session, StreamId stream) {
  if (Session* s = Find(session)) return s->ring(ToStream(stream)).end_offset();
  const tether::attach::SessionInfo* info = FindReleased(session);
  if (info == nullptr) return 0;
  return ToStream(stream) == Stream::kStderr ? info->stderr_end()
                                             : info->stdout_end();
}

void AttachBridge::OnAcked(const std::string& session, StreamId stream,
                           uint64_t offset) {
  Session* s = Find(session);
  if (s == nullptr) return;
  Stream st = ToStream(stream);
  uint64_t& acked = TrackOf(session).acked[Index(st)];
  if (offset > acked) acked = offset;
  UpdateFlow(*s, st);
}

size_t AttachBridge::StdinRoom(const std::string& session) {
  Session* s = Find(session);
  return s ? s->StdinRoom() : SIZE_MAX;
}

void AttachBridge::OnStdin(const std::string& session, std::string_view data) {
  Session* s = Find(session);
  if (s == nullptr) return;
  // The link reads no more than StdinRoom(); this wakes it up again.
  ::attach::TetherLink* link = link_.get();
  s->SetStdinRoomCallback(
      [link](Session& session) { link->StdinReady(session.id()); });
  s->WriteStdin(data.data(), data.size());
}

void AttachBridge::OnStdinClosed(const std::string& session) {
  if (Session* s = Find(session)) s->CloseStdin();
}

void AttachBridge::OnControl(const tether::attach::Envelope& msg) {
  using E = tether::attach::Envelope;
  if (supervisor_ == nullptr) return;
  switch (msg.msg_case()) {
    case E::kAttach:
      supervisor_->Unblock(msg.attach().session_id());
      break;
    case E::kUnblock:
      supervisor_->Unblock(msg.unblock().session_id());
      break;
    case E::kResize:
      if (Session* s = Find(msg.resize().session_id())) {
        base::WindowSize ws{static_cast<uint16_t>(msg.resize().rows()),
                            static_cast<uint16_t>(msg.resize().cols())};
        if (ws.rows > 0 && ws.cols > 0) (void)s->Resize(ws);
      }
      break;
    case E::kSignal:
      if (Session* s = Find(msg.signal().session_id())) {
        base::Status st = s->Signal(msg.signal().signo(), msg.signal().group());
        if (!st.ok()) LOG_DEBUG("%s", st.ToString().c_str());
      }
      break;
    case E::kCloseStdin:
      OnStdinClosed(msg.close_stdin().session_id());
      break;
    case E::kExec:
      HandleExec(msg.exec());
      break;
    case E::kStop:
      supervisor_->Stop(msg.stop().signo(), msg.stop().timeout_s());
      break;
    case E::kPprofRequest:
      ServePprof(msg.pprof_request());
      break;
    default:
      LOG_DEBUG("control: ignoring message %d", static_cast<int>(msg.msg_case()));
      break;
  }
}

void AttachBridge::ServePprof(const tether::attach::PprofRequest& req) {
  // The answer may come seconds later (a CPU profile); the handler's
  // owner closes it before this bridge goes (tether/run.cc).
  ::attach::TetherLink* link = link_.get();
  pprof::ServeTunneled(pprof_, req,
                       [link](tether::attach::PprofResponse piece) {
                         link->SendPprof(std::move(piece));
                       });
}

void AttachBridge::HandleExec(const tether::attach::Exec& exec) {
  // docker exec: the container's environment, user and workdir unless the
  // exec says otherwise; its env entries replace the container's by key.
  const guestinfo::SessionConfig& primary = config_.primary();
  guestinfo::SessionConfig sc;
  sc.id = exec.session_id();
  sc.path = exec.path().empty() && exec.args_size() > 0 ? exec.args(0)
                                                        : exec.path();
  sc.args.assign(exec.args().begin(), exec.args().end());
  sc.env = ReplaceOrAppendEnv(
      primary.env,
      std::vector<std::string>(exec.env().begin(), exec.env().end()));
  sc.workdir = exec.workdir().empty() ? primary.workdir : exec.workdir();
  sc.user = exec.user().empty() ? primary.user : exec.user();
  sc.tty = exec.tty();
  sc.open_stdin = exec.open_stdin();
  // An id seen before: its old exit is history, not this session's.
  released_.erase(
      std::remove_if(released_.begin(), released_.end(),
                     [&](const auto& i) { return i.id() == sc.id; }),
      released_.end());
  base::WindowSize ws;
  if (exec.rows() > 0 && exec.cols() > 0) {
    ws = {static_cast<uint16_t>(exec.rows()), static_cast<uint16_t>(exec.cols())};
  }
  base::Status st = sc.id.empty() || sc.path.empty()
                        ? base::Status::InvalidArgument("exec: no command")
                        : supervisor_->AddSession(std::move(sc), ws);
  if (!st.ok()) {
    tether::attach::ExecFailed msg;
    msg.set_session_id(exec.session_id());
    msg.set_exit_code(125);
    msg.set_message(st.ToString());
    link_->ExecFailed(msg);
  }
}

}  // namespace tether
