#include "attach/endpoint/containers/container.h"

#include <utility>
#include <vector>

#include "attach/endpoint/containers/clock.h"
#include "attach/endpoint/containers/state_files.h"
#include "base/log.h"
#include "guestinfo/field_syntax.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;

}  // namespace

Container::Container(ContainerRecord record, SshKey public_key, std::string dir)
    : record_(std::move(record)),
      public_key_(std::move(public_key)),
      dir_(std::move(dir)) {
  base::Result<std::string> text = ReadFile(dir_ + "/status");
  if (text.ok()) {
    base::Result<StatusRecord> status = DecodeStatus(*text);
    if (status.ok()) {
      status_ = std::move(*status);
    } else {
      LOG_WARN("container %s: ignoring its status file: %s", id().c_str(),
               status.status().ToString().c_str());
    }
  }
}

Container::~Container() = default;

std::string Container::state() const {
  std::string s = ContainerState(status_);
  if (s == "created" && vm_ != nullptr) return "running";
  return s;
}

void Container::set_link(ControlLink* link) {
  link_ = link;
  if (vm_ != nullptr) vm_->LinkChanged();
}

bool Container::primary_running() const {
  const SessionRecord* s = status_.Find(kPrimarySession);
  return s != nullptr && s->running;
}

base::Result<Session*> Container::GetSession(const std::string& id) {
  auto it = sessions_.find(id);
  if (it != sessions_.end()) return it->second.get();
  TETHER_RETURN_IF_ERROR(guestinfo::CheckSessionId(id).Annotate("session id"));
  std::string logs = dir_ + "/logs";
  TETHER_RETURN_IF_ERROR(EnsureDir(logs, 0700));
  TETHER_ASSIGN_OR_RETURN(std::unique_ptr<SessionLog> log,
                          SessionLog::Open(logs + "/" + id + ".log"));
  Session* s = new Session(id, std::move(log));
  sessions_[id].reset(s);
  return s;
}

base::Status Container::SendControl(const pb::Envelope& env) {
  if (link_ == nullptr) {
    return base::Status::Unavailable("container " + record_.id.substr(0, 12) +
                                     ": its tether is not connected");
  }
  return link_->SendControl(env);
}

void Container::ReplayAttachments() {
  for (auto& [id, session] : sessions_) {
    if (session->attached == 0) continue;
    pb::Envelope attach;
    attach.mutable_attach()->set_session_id(id);
    (void)SendControl(attach);
    if (session->rows != 0 && session->cols != 0) {
      pb::Envelope resize;
      resize.mutable_resize()->set_session_id(id);
      resize.mutable_resize()->set_rows(session->rows);
      resize.mutable_resize()->set_cols(session->cols);
      (void)SendControl(resize);
    }
  }
}

void Container::ApplyHello(const pb::Hello& hello) {
  std::vector<std::pair<std::string, int>> ended;
  for (const pb::SessionInfo& info : hello.sessions()) {
    base::Result<Session*> session = GetSession(info.id());
    if (!session.ok()) {
      LOG_WARN("container %s: %s", id().c_str(),
               session.status().ToString().c_str());
      continue;
    }
    // The tether never reports less than it sent us, unless it is a new
    // run (the VM restarted) whose offsets began again at zero.
    SessionLog& log = (*session)->log();
    if (info.stdout_end() < log.ends().out ||
        info.stderr_end() < log.ends().err) {
      LOG_INFO("container %s session %s: tether offsets restarted",
               id().c_str(), info.id().c_str());
      base::Status s = log.AppendRestart(NowNs());
      if (!s.ok()) LOG_ERROR("%s", s.ToString().c_str());
    }
    SessionRecord& rec = status_.Get(info.id());
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
    rec.primary = info.primary();
    rec.tty = info.tty();
    rec.open_stdin = info.open_stdin();
    rec.running = info.running() || end_pending;
    rec.exited = info.exited() && !end_pending;
    rec.pid = info.pid();
    rec.started_at = info.started_at();
    if (!end_pending) {
      rec.exit_code = info.exit_code();
      rec.signal = info.signal();
      rec.finished_at = info.finished_at();
    }
    rec.args.assign(info.args().begin(), info.args().end());
    if (ended_now) ended.emplace_back(info.id(), info.exit_code());
  }
  SaveStatus();
  // Before any end below: a `start` waiting for the tether hears that it
  // came up first.
  base::Result<Session*> primary = GetSession(kPrimarySession);
  if (primary.ok()) (*primary)->NotifyHello();
  for (const auto& [id, code] : ended) EndSession(id, code, "");
}

void Container::ApplyStarted(const pb::SessionStarted& msg) {
  SessionRecord& rec = status_.Get(msg.session_id());
  rec.running = true;
  rec.exited = false;
  rec.pid = msg.pid();
  rec.started_at = msg.started_at();
  rec.error.clear();
  SaveStatus();
}

void Container::ApplyExited(const pb::SessionExited& msg) {
  SessionRecord& rec = status_.Get(msg.session_id());
  rec.running = false;
  rec.exited = true;
  rec.exit_code = msg.exit_code();
  rec.signal = msg.signal();
  rec.finished_at = msg.finished_at();
  SaveStatus();
  EndSession(msg.session_id(), msg.exit_code(), "");
}

void Container::ApplyExecFailed(const pb::ExecFailed& msg) {
  SessionRecord& rec = status_.Get(msg.session_id());
  rec.running = false;
  rec.exited = true;
  rec.exit_code = msg.exit_code();
  rec.error = msg.message();
  rec.finished_at = NowSeconds();
  SaveStatus();
  EndSession(msg.session_id(), msg.exit_code(), msg.message());
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
  if (rec.args.empty()) rec.args = record_.args;
  SaveStatus();
}

void Container::ApplyVmExit(int exit_code, int signal,
                            const std::string& error) {
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
    rec.error = error;
    rec.finished_at = NowSeconds();
    ended.push_back(rec.id);
  }
  if (ended.empty()) return;
  SaveStatus();
  for (const std::string& id : ended) EndSession(id, exit_code, error);
}

bool Container::observed() const {
  for (const auto& [id, session] : sessions_) {
    if (session->holding_count() > 0) return true;
  }
  return false;
}

void Container::ApplyState(const std::string& json) {
  base::Status s = WriteFileAtomic(dir_ + "/guest_state.json", json, 0600);
  if (!s.ok())
    LOG_ERROR("container %s: %s", id().c_str(), s.ToString().c_str());
}

void Container::AddExecSession(const std::string& id, const pb::Exec& exec) {
  SessionRecord& rec = status_.Get(id);
  rec.tty = exec.tty();
  rec.open_stdin = exec.open_stdin();
  rec.args.assign(exec.args().begin(), exec.args().end());
  SaveStatus();
}

pb::ContainerStatus Container::Describe() const {
  pb::ContainerStatus out;
  out.set_id(record_.id);
  out.set_name(record_.name);
  out.set_created_at(record_.created_at);
  for (const std::string& a : record_.args) out.add_args(a);
  out.set_tty(record_.tty);
  out.set_connected(link_ != nullptr);
  out.set_state(state());
  out.set_endpoint(record_.endpoint);
  out.set_vm_pid(vm_ != nullptr ? vm_->pid() : 0);
  out.set_memory_mb(record_.memory_mb);
  out.set_image(record_.image);
  out.set_image_name(record_.image_name);
  // Running: as bound; else as asked for (docker port shows nothing for
  // a stopped container; its inspect shows the bindings asked for).
  const std::vector<PortMapping>& ports =
      status_.ports.empty() ? record_.ports : status_.ports;
  for (const PortMapping& m : ports) {
    pb::PortBinding* p = out.add_ports();
    p->set_host_ip(m.host_ip);
    p->set_host_port(m.host_port);
    p->set_container_port(m.container_port);
    p->set_proto(m.proto);
  }
  for (const SessionRecord& s : status_.sessions) {
    pb::SessionStatus* o = out.add_sessions();
    o->set_id(s.id);
    o->set_primary(s.primary);
    o->set_running(s.running);
    o->set_exited(s.exited);
    o->set_exit_code(s.exit_code);
    o->set_pid(s.pid);
    o->set_started_at(s.started_at);
    o->set_finished_at(s.finished_at);
    for (const std::string& a : s.args) o->add_args(a);
    o->set_error(s.error);
    if (s.id == kPrimarySession) {
      out.set_exit_code(s.exit_code);
      out.set_started_at(s.started_at);
      out.set_finished_at(s.finished_at);
    }
  }
  return out;
}

void Container::SetPorts(std::vector<PortMapping> ports) {
  status_.ports = std::move(ports);
  SaveStatus();
}

void Container::NotifyGone(const std::string& why) {
  for (auto& [id, session] : sessions_) session->NotifyGone(why);
  pprof_calls_.FailAll(why);
}

void Container::SyncLogs() {
  for (auto& [id, session] : sessions_) {
    base::Status s = session->log().Sync();
    if (!s.ok()) LOG_ERROR("%s", s.ToString().c_str());
  }
}

void Container::SaveStatus() {
  base::Status s =
      WriteFileAtomic(dir_ + "/status", EncodeStatus(status_), 0600);
  if (!s.ok()) {
    LOG_ERROR("container %s: cannot save status: %s", id().c_str(),
              s.ToString().c_str());
  }
}

void Container::EndSession(const std::string& id, int exit_code,
                           const std::string& error) {
  base::Result<Session*> session = GetSession(id);
  if (session.ok()) (*session)->NotifyEnd(exit_code, error);
}

}  // namespace endpoint
}  // namespace attach
