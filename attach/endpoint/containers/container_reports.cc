// What a container makes of its tether's reports, and of attachd's own
// decisions about its sessions (start, VM exit, exec). Every value a
// tether sends goes through tether_reports.h before it is kept.
#include <utility>
#include <vector>

#include "attach/endpoint/containers/clock.h"
#include "attach/endpoint/containers/container.h"
#include "attach/endpoint/containers/tether_reports.h"
#include "base/log.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;

base::Status Unknown(const char* what, const std::string& id) {
  std::string shown;
  for (char c : id.substr(0, 64)) shown += (c >= 0x20 && c < 0x7f) ? c : '?';
  return base::Status::InvalidArgument(std::string("control: ") + what +
                                       " for session \"" + shown +
                                       "\", which attachd does not know");
}

}  // namespace

SessionRecord* Container::ReportTarget(const std::string& id) {
  if (SessionRecord* rec = status_.Find(id)) return rec;
  // The primary is always the tether's to report on; so is a session
  // whose log is loaded (the Hello that named it passed CheckHello).
  if (id != kPrimarySession && FindSession(id) == nullptr) return nullptr;
  if (status_.sessions.size() >= kMaxSessionRecords) return nullptr;
  return &status_.Get(id);
}

base::Status Container::CheckHello(const pb::Hello& hello) const {
  return CheckHelloSessions(hello, status_);
}

bool Container::ApplyHello(const pb::Hello& hello) {
  std::vector<std::pair<std::string, int>> ended;
  bool changed = false;
  for (const pb::SessionInfo& info : hello.sessions()) {
    Session* session = FindSession(info.id());
    if (session == nullptr) continue;  // The link loaded every one first.
    // The tether never reports less than it sent us, unless it is a new
    // run (the VM restarted) whose offsets began again at zero.
    SessionLog& log = session->log();
    if (info.stdout_end() < log.ends().out ||
        info.stderr_end() < log.ends().err) {
      LOG_INFO("container %s session %s: tether offsets restarted",
               id().c_str(), info.id().c_str());
      base::Status s = log.AppendRestart(NowNs());
      if (!s.ok()) LOG_ERROR("%s", s.ToString().c_str());
    }
    SessionRecord& rec = status_.Get(info.id());
    const SessionRecord before = rec;
    // A session that ended while the tether was away, whose output is all
    // here: the Hello is the only word of its end (the tether sends
    // SessionExited only after streaming what is missing).
    bool ended_now = info.exited() && !rec.exited &&
                     log.ends().out >= info.stdout_end() &&
                     log.ends().err >= info.stderr_end();
    // One that ended with output still to come ends with SessionExited
    // after that output: until then it counts as running, so nobody (logs
    // without follow, wait, ps) takes its end before its last bytes.
    bool end_pending = info.exited() && !rec.exited && !ended_now;
    RecordHello(info, end_pending, &rec);
    changed = changed || !SameRecord(before, rec);
    if (ended_now) ended.emplace_back(info.id(), rec.exit_code);
  }
  if (changed) Changed();
  // Before any end below: a `start` waiting for the tether hears that it
  // came up first.
  base::Result<Session*> primary = GetSession(kPrimarySession);
  if (primary.ok()) (*primary)->NotifyHello();
  for (const auto& [id, code] : ended) EndSession(id, code, "");
  return !ended.empty();
}

base::Status Container::ApplyStarted(const pb::SessionStarted& msg) {
  SessionRecord* rec = ReportTarget(msg.session_id());
  if (rec == nullptr) return Unknown("SessionStarted", msg.session_id());
  const SessionRecord before = *rec;
  RecordStarted(msg, rec);
  if (!SameRecord(before, *rec)) Changed();
  return base::Status::Ok();
}

base::Status Container::ApplyExited(const pb::SessionExited& msg) {
  SessionRecord* rec = ReportTarget(msg.session_id());
  if (rec == nullptr) return Unknown("SessionExited", msg.session_id());
  const SessionRecord before = *rec;
  RecordExited(msg, rec);
  // A repeated report (after a reconnect) changes nothing, tells nobody.
  if (SameRecord(before, *rec)) return base::Status::Ok();
  int code = rec->exit_code;
  Changed();
  EndSession(msg.session_id(), code, "");
  return base::Status::Ok();
}

base::Status Container::ApplyExecFailed(const pb::ExecFailed& msg) {
  SessionRecord* rec = ReportTarget(msg.session_id());
  if (rec == nullptr) return Unknown("ExecFailed", msg.session_id());
  if (rec->exited && !rec->running) return base::Status::Ok();
  RecordExecFailed(msg, NowSeconds(), rec);
  int code = rec->exit_code;
  std::string error = rec->error;
  Changed();
  EndSession(msg.session_id(), code, error);
  return base::Status::Ok();
}

void Container::ApplyState(const std::string& json) {
  // Written with the next status write: a burst of State documents costs
  // one write of the last.
  pending_state_ = json;
  has_pending_state_ = true;
  Changed();
}

void Container::ResetForStart() {
  SessionRecord& rec = status_.Get(kPrimarySession);
  rec.primary = true;
  rec.running = false;
  rec.exited = false;
  rec.exit_code = 0;
  rec.signal = 0;
  rec.pid = 0;
  rec.error.clear();
  rec.started_at = NowSeconds();
  rec.finished_at = 0;
  if (rec.args.empty()) rec.args = KeptArgs(record_.args);
  Changed();
}

void Container::ApplyVmExit(int exit_code, int signal,
                            const std::string& error) {
  bool had_ports = !status_.ports.empty();
  status_.ports.clear();  // The VM and its forwards are gone.
  std::vector<std::string> ended;
  for (SessionRecord& rec : status_.sessions) {
    // A primary that never reported is ended too: the VM was its world.
    bool open = rec.running || (rec.id == kPrimarySession && !rec.exited);
    if (!open) continue;
    rec.running = false;
    rec.exited = true;
    rec.exit_code = exit_code;
    rec.signal = signal;
    rec.error = KeptText(error, kMaxKeptErrorBytes);
    rec.finished_at = NowSeconds();
    ended.push_back(rec.id);
  }
  if (ended.empty()) {
    if (had_ports) Changed();
    return;
  }
  Changed();
  for (const std::string& id : ended) EndSession(id, exit_code, error);
}

base::Status Container::CheckNewExec() const {
  size_t running = 0;
  for (const SessionRecord& s : status_.sessions) {
    if (s.id != kPrimarySession && !s.exited) ++running;
  }
  if (running >= kMaxRunningExecs) {
    return base::Status::Unavailable("Container " + id() + " runs " +
                                     std::to_string(running) +
                                     " exec sessions already (at most " +
                                     std::to_string(kMaxRunningExecs) + ")");
  }
  return base::Status::Ok();
}

void Container::AddExecSession(const std::string& id, const pb::Exec& exec) {
  SessionRecord& rec = status_.Get(id);
  rec.tty = exec.tty();
  rec.open_stdin = exec.open_stdin();
  rec.args = KeptArgs({exec.args().begin(), exec.args().end()});
  Changed();
}

void Container::NoteLogged(size_t bytes) {
  logged_since_quota_ += bytes;
  LogOptions options = host_ != nullptr ? host_->log_options() : LogOptions();
  if (logged_since_quota_ < options.max_size / 2) return;
  logged_since_quota_ = 0;
  EnforceLogQuota();
}

}  // namespace endpoint
}  // namespace attach
