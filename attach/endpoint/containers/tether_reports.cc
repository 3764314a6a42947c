#include "attach/endpoint/containers/tether_reports.h"

#include <algorithm>
#include <set>

#include "attach/frame.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;

constexpr int64_t kInt32Max = 2147483647;
constexpr int64_t kMaxSignal = 1024;
// Error texts kept when a status must shrink to fit a frame.
constexpr size_t kFitErrorBytes = 256;
// What a NUL from the guest becomes: the status file refuses NUL bytes (a
// C string cannot hold one), so one kept would make the container
// unreadable at attachd's next start.
constexpr std::string_view kNulStandIn = "\xEF\xBF\xBD";  // U+FFFD

std::string WithoutNul(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\0') {
      out += kNulStandIn;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> KeptArgs(std::vector<std::string> args) {
  size_t left = kMaxKeptArgsBytes;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].find('\0') != std::string::npos) {
      // As in KeptText: only the bytes that can still be kept are worth
      // replacing, not the rest of a frame-long argument.
      args[i] = WithoutNul(std::string_view(args[i]).substr(0, left + 1));
    }
    if (args[i].size() <= left) {
      left -= args[i].size();
      continue;
    }
    // This one does not fit whole: keep what does, then say so.
    args[i].resize(left);
    if (args[i].empty()) {
      args[i] = kCutMark;
      args.resize(i + 1);
    } else {
      args.resize(i + 1);
      args.emplace_back(kCutMark);
    }
    break;
  }
  return args;
}

std::string KeptText(std::string_view raw, size_t max) {
  // A stand-in is never shorter than the NUL it replaces, so the first
  // max + 1 bytes decide both whether to cut and what is kept: a
  // frame-long text is not copied whole.
  std::string text = WithoutNul(raw.substr(0, std::min(max, raw.size()) + 1));
  if (text.size() <= max) return text;
  size_t mark = sizeof(kCutMark) - 1;
  if (max <= mark) return std::string(kCutMark).substr(0, max);
  return std::string(text.substr(0, max - mark)) + kCutMark;
}

int KeptPid(int64_t pid) {
  return pid < 0 || pid > kInt32Max ? 0 : static_cast<int>(pid);
}

int KeptSignal(int64_t signal) {
  return signal < 0 || signal > kMaxSignal ? 0 : static_cast<int>(signal);
}

int KeptExitCode(int64_t code) {
  return static_cast<int>(std::clamp(code, -kInt32Max, kInt32Max));
}

int64_t KeptTime(int64_t t) { return t < 0 ? 0 : t; }

void RecordHello(const pb::SessionInfo& info, bool end_pending,
                 SessionRecord* rec) {
  rec->primary = info.primary();
  rec->tty = info.tty();
  rec->open_stdin = info.open_stdin();
  rec->running = info.running() || end_pending;
  rec->exited = info.exited() && !end_pending;
  rec->pid = KeptPid(info.pid());
  rec->started_at = KeptTime(info.started_at());
  if (!end_pending) {
    rec->exit_code = KeptExitCode(info.exit_code());
    rec->signal = KeptSignal(info.signal());
    rec->finished_at = KeptTime(info.finished_at());
  }
  rec->args = KeptArgs({info.args().begin(), info.args().end()});
}

void RecordStarted(const pb::SessionStarted& msg, SessionRecord* rec) {
  rec->running = true;
  rec->exited = false;
  rec->pid = KeptPid(msg.pid());
  rec->started_at = KeptTime(msg.started_at());
  rec->error.clear();
}

void RecordExited(const pb::SessionExited& msg, SessionRecord* rec) {
  rec->running = false;
  rec->exited = true;
  rec->exit_code = KeptExitCode(msg.exit_code());
  rec->signal = KeptSignal(msg.signal());
  rec->finished_at = KeptTime(msg.finished_at());
}

void RecordExecFailed(const pb::ExecFailed& msg, int64_t now,
                      SessionRecord* rec) {
  rec->running = false;
  rec->exited = true;
  rec->exit_code = KeptExitCode(msg.exit_code());
  rec->error = KeptText(msg.message(), kMaxKeptErrorBytes);
  rec->finished_at = now;
}

bool SameRecord(const SessionRecord& a, const SessionRecord& b) {
  return a.id == b.id && a.primary == b.primary && a.tty == b.tty &&
         a.open_stdin == b.open_stdin && a.running == b.running &&
         a.exited == b.exited && a.exit_code == b.exit_code &&
         a.signal == b.signal && a.pid == b.pid &&
         a.started_at == b.started_at && a.finished_at == b.finished_at &&
         a.args == b.args && a.error == b.error &&
         a.stdout_end == b.stdout_end && a.stderr_end == b.stderr_end &&
         a.log_end == b.log_end;
}

base::Status CheckHelloSessions(const pb::Hello& hello,
                                const StatusRecord& status) {
  if (static_cast<size_t>(hello.sessions_size()) > kMaxSessionRecords) {
    return base::Status::InvalidArgument(
        "control: Hello names " + std::to_string(hello.sessions_size()) +
        " sessions (at most " + std::to_string(kMaxSessionRecords) + ")");
  }
  std::set<std::string> seen;
  size_t unknown = 0;
  for (const pb::SessionInfo& info : hello.sessions()) {
    if (!seen.insert(info.id()).second) {
      return base::Status::InvalidArgument(
          "control: Hello names a session twice");
    }
    if (status.Find(info.id()) == nullptr) ++unknown;
  }
  if (unknown > kMaxNewSessionsPerHello ||
      status.sessions.size() + unknown > kMaxSessionRecords) {
    return base::Status::InvalidArgument(
        "control: Hello names " + std::to_string(unknown) +
        " sessions attachd does not know (at most " +
        std::to_string(kMaxNewSessionsPerHello) + ", and " +
        std::to_string(kMaxSessionRecords) + " in all)");
  }
  return base::Status::Ok();
}

std::vector<std::string> EndedOldestFirst(const StatusRecord& status) {
  std::vector<const SessionRecord*> ended;
  for (const SessionRecord& s : status.sessions) {
    if (s.exited && !s.running && s.id != kPrimarySession) ended.push_back(&s);
  }
  std::stable_sort(ended.begin(), ended.end(),
                   [](const SessionRecord* a, const SessionRecord* b) {
                     return a->finished_at < b->finished_at;
                   });
  std::vector<std::string> ids;
  for (const SessionRecord* s : ended) ids.push_back(s->id);
  return ids;
}

void FitStatus(pb::ContainerStatus* status, size_t budget) {
  if (status->ByteSizeLong() <= budget) return;
  for (pb::SessionStatus& s : *status->mutable_sessions()) {
    if (s.args_size() > 1 || (s.args_size() == 1 && s.args(0) != kCutMark)) {
      s.clear_args();
      s.add_args(kCutMark);
    }
  }
  if (status->ByteSizeLong() <= budget) return;
  std::vector<std::string> top =
      KeptArgs({status->args().begin(), status->args().end()});
  status->clear_args();
  for (std::string& a : top) status->add_args(std::move(a));
  for (pb::SessionStatus& s : *status->mutable_sessions()) {
    s.set_error(KeptText(s.error(), kFitErrorBytes));
  }
  // Then ended sessions other than the primary, the oldest first.
  auto* sessions = status->mutable_sessions();
  for (int i = 0; i < sessions->size() && status->ByteSizeLong() > budget;) {
    const pb::SessionStatus& s = sessions->Get(i);
    if (s.exited() && !s.primary() && s.id() != kPrimarySession) {
      sessions->DeleteSubrange(i, 1);
    } else {
      ++i;
    }
  }
  while (status->ByteSizeLong() > budget && !sessions->empty()) {
    sessions->RemoveLast();
  }
}

base::Result<pb::Response> PprofPieceResponse(const pb::PprofResponse& piece) {
  pb::Response resp;
  *resp.mutable_pprof_response() = piece;
  if (resp.ByteSizeLong() > kMaxFrameBytes) {
    return base::Status::InvalidArgument(
        "the container's tether sent a pprof answer piece of " +
        std::to_string(piece.ByteSizeLong()) + " bytes, more than a client " +
        "frame holds");
  }
  return resp;
}

}  // namespace endpoint
}  // namespace attach
