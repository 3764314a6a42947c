// A container's sessions, its status on disk and what clients see of it.
// The tether's reports are in container_reports.cc, the log quota in
// log_quota.cc.
#include "attach/endpoint/containers/container.h"

#include <utility>
#include <vector>

#include "attach/endpoint/containers/clock.h"
#include "attach/endpoint/containers/log_syncer.h"
#include "attach/endpoint/containers/state_files.h"
#include "attach/endpoint/containers/tether_reports.h"
#include "attach/frame.h"
#include "base/log.h"
#include "guestinfo/field_syntax.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;

// A status attachd wrote may be this large (tether_reports.h bounds it
// well below).
constexpr size_t kMaxStatusFile = 16 << 20;
// What a Response adds around a ContainerStatus, with room to spare.
constexpr size_t kResponseOverhead = 1024;

}  // namespace

Container::Container(ContainerRecord record, SshKey public_key, std::string dir,
                     ContainerHost* host)
    : record_(std::move(record)),
      public_key_(std::move(public_key)),
      dir_(std::move(dir)),
      host_(host) {
  base::Result<std::string> text = ReadFile(dir_ + "/status", kMaxStatusFile);
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

std::string Container::LogPath(const std::string& id) const {
  return dir_ + "/logs/" + id + ".log";
}

Session* Container::FindSession(const std::string& id) const {
  auto it = sessions_.find(id);
  return it == sessions_.end() ? nullptr : it->second.get();
}

bool Container::KnowsSession(const std::string& id) const {
  return status_.Find(id) != nullptr || FindSession(id) != nullptr;
}

base::Result<Session*> Container::GetSession(const std::string& id) {
  if (Session* s = FindSession(id)) return s;
  return Load(id, nullptr);
}

base::Result<Session*> Container::AdoptSession(
    const std::string& id, const base::Result<LogScan>& scan) {
  if (Session* s = FindSession(id)) return s;
  if (!scan.ok()) {
    if (!OutOfDescriptors(scan.status())) return scan.status();
    return Load(id, nullptr);  // Off the loop, nothing could be shed.
  }
  base::Result<Session*> s = Load(id, &*scan);
  // The file changed after the scan (a session of the same id was loaded
  // and unloaded meanwhile): scan again, here.
  if (!s.ok() && s.status().code() == base::Status::Code::kUnavailable) {
    return Load(id, nullptr);
  }
  return s;
}

base::Result<Session*> Container::Load(const std::string& id,
                                       const LogScan* scan) {
  TETHER_RETURN_IF_ERROR(guestinfo::CheckSessionId(id).Annotate("session id"));
  if (sessions_.size() >= kMaxSessionRecords) {
    return base::Status::Unavailable("container " + id.substr(0, 12) +
                                     ": too many sessions");
  }
  TETHER_RETURN_IF_ERROR(EnsureDir(dir_ + "/logs", 0700));
  LogOptions options = host_ != nullptr ? host_->log_options() : LogOptions();
  TETHER_ASSIGN_OR_RETURN(std::unique_ptr<SessionLog> log,
                          SessionLog::Open(LogPath(id), options, scan));
  Session* s = new Session(id, std::move(log));
  sessions_[id].reset(s);
  AfterLoad(id, s);
  return s;
}

void Container::AfterLoad(const std::string& id, Session* s) {
  // The status is fsync'd, the log only now and then: a log shorter than
  // the status says lost output to a host crash, which is recorded
  // rather than passed over in silence (review F9).
  const SessionRecord* rec = status_.Find(id);
  SessionLog& log = s->log();
  if (rec == nullptr || log.size() >= rec->log_end) return;
  LOG_WARN(
      "container %s session %s: the log ends at %llu, the status said "
      "%llu: output lost in a crash is recorded as a gap",
      this->id().substr(0, 12).c_str(), id.c_str(),
      static_cast<unsigned long long>(log.size()),
      static_cast<unsigned long long>(rec->log_end));
  int64_t now = NowNs();
  for (uint8_t stream : {kStdout, kStderr}) {
    uint64_t want = stream == kStdout ? rec->stdout_end : rec->stderr_end;
    base::Status st = log.AppendGap(stream, want, now);
    if (!st.ok()) LOG_ERROR("%s", st.ToString().c_str());
  }
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

bool Container::observed() const {
  for (const auto& [id, session] : sessions_) {
    if (session->holding_count() > 0) return true;
  }
  return false;
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
  // A long command line (up to a create request's frame) and what the
  // tether reported must still fit one Response (review F1).
  FitStatus(&out, kMaxFrameBytes - kResponseOverhead);
  return out;
}

void Container::SetPorts(std::vector<PortMapping> ports) {
  status_.ports = std::move(ports);
  Changed();
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

void Container::Changed() {
  // Records of ended sessions beyond the newest few go, with their logs,
  // unless a client still reads them (they go on a later change).
  std::vector<std::string> gone =
      PruneEnded(&status_, [this](const std::string& id) {
        Session* s = FindSession(id);
        return s != nullptr && s->observer_count() > 0;
      });
  Forget(gone);
  if (host_ != nullptr) {
    host_->StatusChanged(this);
    return;
  }
  for (auto& [path, data] : TakeDiskWrites()) {
    base::Status s = WriteFileAtomic(path, data, 0600);
    if (!s.ok()) {
      LOG_ERROR("container %s: %s", id().c_str(), s.ToString().c_str());
    }
  }
}

void Container::Forget(const std::vector<std::string>& ids) {
  for (const std::string& id : ids) {
    sessions_.erase(id);
    SessionLog::RemoveFiles(LogPath(id));
  }
}

std::vector<std::pair<std::string, std::string>> Container::TakeDiskWrites() {
  for (SessionRecord& rec : status_.sessions) {
    if (Session* s = FindSession(rec.id)) {
      rec.stdout_end = s->log().ends().out;
      rec.stderr_end = s->log().ends().err;
      rec.log_end = s->log().size();
    }
  }
  std::vector<std::pair<std::string, std::string>> out;
  out.emplace_back(dir_ + "/status", EncodeStatus(status_));
  if (has_pending_state_) {
    out.emplace_back(dir_ + "/guest_state.json", std::move(pending_state_));
    pending_state_.clear();
    has_pending_state_ = false;
  }
  return out;
}

void Container::FlushStatus(std::function<void()> done) {
  if (host_ != nullptr) {
    host_->FlushStatus(this, std::move(done));
  } else {
    done();
  }
}

void Container::MaintainLogs(LogSyncer* syncer, int idle_ticks) {
  for (auto& [id, session] : sessions_) {
    SessionLog& log = session->log();
    // By path, not a copy of the descriptor: thousands of logs dirty in
    // one tick must not cost thousands of descriptors.
    if (log.TakeDirty() && syncer != nullptr) syncer->SubmitPath(log.path());
    if (!log.file_open()) continue;
    // Appends and reads reopen a closed log, without a scan.
    const SessionRecord* rec = status_.Find(id);
    bool ended = rec != nullptr && rec->exited && !rec->running;
    if ((ended && session->observer_count() == 0) ||
        ++session->idle_ticks >= idle_ticks) {
      log.CloseFile();
    }
  }
}

void Container::EndSession(const std::string& id, int exit_code,
                           const std::string& error) {
  base::Result<Session*> session = GetSession(id);
  if (session.ok()) (*session)->NotifyEnd(exit_code, error);
}

}  // namespace endpoint
}  // namespace attach
