// One registered container at run time: its record and key, the status
// the tether reported (persisted to <dir>/status), its sessions, and the
// tether connection currently serving it, if any.
//
// What a tether reports is attacker input (review F1, F2, F13): reports
// name only sessions attachd knows, values are clamped and cut as
// tether_reports.h says, ended sessions beyond the newest
// kMaxEndedRecords are forgotten along with their logs, and the status is
// written by the host soon after it changes (container_host.h), not once
// per message.
//
// Loop thread only. Owned by the Registry.
#ifndef TETHER_ATTACH_ENDPOINT_CONTAINERS_CONTAINER_H_
#define TETHER_ATTACH_ENDPOINT_CONTAINERS_CONTAINER_H_

#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "attach/endpoint/containers/container_host.h"
#include "attach/endpoint/containers/container_record.h"
#include "attach/endpoint/containers/pprof_calls.h"
#include "attach/endpoint/containers/session.h"
#include "attach/endpoint/containers/ssh_keys.h"
#include "base/result.h"
#include "client.pb.h"
#include "control.pb.h"

namespace attach {
namespace endpoint {

// The connected tether, as containers and clients see it (TetherLink).
class ControlLink {
 public:
  virtual ~ControlLink() = default;
  // Queues a control message toward the tether. kInvalidArgument when it
  // is larger than a frame may be.
  virtual base::Status SendControl(const ::tether::attach::Envelope& env) = 0;
  // Drops the connection (the tether reconnects on its own).
  virtual void Disconnect(const std::string& why) = 0;
};

// The container's VM as the container sees it (VmLauncher owns it; see
// vm_instance.h). Set while QEMU runs.
class VmControl {
 public:
  virtual ~VmControl() = default;
  // QEMU's pid.
  virtual pid_t pid() const = 0;
  // Kills QEMU (SIGKILL): the container then exits with 137.
  virtual base::Status Kill() = 0;
  // The container's tether connected or went away (set_link).
  virtual void LinkChanged() = 0;
};

class Container {
 public:
  // `dir` is <state-dir>/containers/<id>. Reads <dir>/status when present
  // (a broken one is reported and replaced by an empty status). `host`
  // (may be null: everything at once) must outlive the container.
  Container(ContainerRecord record, SshKey public_key, std::string dir,
            ContainerHost* host = nullptr);
  ~Container();
  Container(const Container&) = delete;
  Container& operator=(const Container&) = delete;

  const ContainerRecord& record() const { return record_; }
  const std::string& id() const { return record_.id; }
  const std::string& dir() const { return dir_; }
  const SshKey& public_key() const { return public_key_; }
  const StatusRecord& status() const { return status_; }
  ContainerHost* host() const { return host_; }
  // docker's state: created, running or exited. A container whose VM
  // runs is running even before its tether has said so.
  std::string state() const;
  bool running() const { return state() == "running"; }
  bool primary_running() const;

  // The session `id`, its log opened (and recovered) on first use. Session
  // ids are checked (guestinfo::CheckSessionId) since they name files.
  // kUnavailable past kMaxSessionRecords sessions.
  base::Result<Session*> GetSession(const std::string& id);
  // The session when its log is loaded; null otherwise.
  Session* FindSession(const std::string& id) const;
  // Whether a tether may report on `id`: attachd has a record of it or
  // has it loaded.
  bool KnowsSession(const std::string& id) const;
  // Where session `id`'s log lives.
  std::string LogPath(const std::string& id) const;
  // Loads session `id` from a scan made off the loop (ScanLog), unless it
  // was loaded meanwhile. A scan that ran out of descriptors is made
  // again here, where other logs can be closed to make room. Errors as
  // GetSession, or the scan's.
  base::Result<Session*> AdoptSession(const std::string& id,
                                      const base::Result<LogScan>& scan);

  ControlLink* link() const { return link_; }
  // Also tells the VM, which waits for the link to drop before it
  // concludes anything from QEMU's exit.
  void set_link(ControlLink* link);
  VmControl* vm() const { return vm_; }
  void set_vm(VmControl* vm) { vm_ = vm; }
  // Sends to the tether; kUnavailable when none is connected.
  base::Status SendControl(const ::tether::attach::Envelope& env);
  // A tether said Hello: replays Attach and Resize for sessions clients
  // are attached to (attach_before_start sessions wait for that).
  void ReplayAttachments();

  // Reports from the tether (container_reports.cc). Each updates the
  // status and tells the session's observers what they need to know.
  // kInvalidArgument for a report on a session attachd does not know: the
  // caller drops the connection.
  base::Status CheckHello(const ::tether::attach::Hello& hello) const;
  // Returns whether a session ended with it (its status should be on disk
  // before the Welcome). Every session's log must be loaded.
  bool ApplyHello(const ::tether::attach::Hello& hello);
  base::Status ApplyStarted(const ::tether::attach::SessionStarted& msg);
  base::Status ApplyExited(const ::tether::attach::SessionExited& msg);
  base::Status ApplyExecFailed(const ::tether::attach::ExecFailed& msg);
  // The tether's State document: kept for <dir>/guest_state.json, written
  // with the status.
  void ApplyState(const std::string& json);
  // A VM is being started: the primary's last run is forgotten (its log
  // stays), so the container counts as running until the tether reports.
  void ResetForStart();
  // The VM is gone without the tether reporting an end: the primary and
  // every running exec end with `exit_code` (and `signal`, `error`).
  // Sessions that already ended keep what the tether said.
  void ApplyVmExit(int exit_code, int signal, const std::string& error);
  // The ports the VM publishes from now on (as bound), or none: persisted
  // with the status, shown by Describe.
  void SetPorts(std::vector<PortMapping> ports);
  // Whether any client watches any session (auto-remove waits for them;
  // a wait for the container's removal does not count).
  bool observed() const;
  // kUnavailable when kMaxRunningExecs execs run already.
  base::Status CheckNewExec() const;
  // Registers an exec session attachd is about to start.
  void AddExecSession(const std::string& id,
                      const ::tether::attach::Exec& exec);

  // The ContainerStatus of list and inspect, cut to fit a client frame.
  ::tether::attach::ContainerStatus Describe() const;
  // tetherctl pprof requests waiting for this container's tether.
  PprofCalls& pprof_calls() { return pprof_calls_; }

  // Tells every session's observers the container is going away.
  void NotifyGone(const std::string& why);
  // Syncs every open session log to disk (clean shutdown).
  void SyncLogs();

  // --- for the host (upkeep.h) ---
  // The files to write now, (path, contents): the status with each loaded
  // log's ends, and the State document when a new one came.
  std::vector<std::pair<std::string, std::string>> TakeDiskWrites();
  // Runs `done` once the status as it is now is on disk (at once without
  // a host).
  void FlushStatus(std::function<void()> done);
  // Periodic: hands logs with new appends to `syncer`; closes the logs of
  // ended sessions nobody reads, and of sessions without an append for
  // `idle_ticks` calls (an append or a read reopens them).
  void MaintainLogs(LogSyncer* syncer, int idle_ticks);
  // `bytes` more were logged (TetherLink): every max_size / 2 bytes the
  // container's quota is enforced.
  void NoteLogged(size_t bytes);
  // The quota on all of the container's log files, max_size * max_files
  // (log_quota.cc): the oldest rotated segments go first, then the
  // largest current segment of a loaded session is rotated away.
  void EnforceLogQuota();

 private:
  // The status changed: forget old ended sessions and have it written.
  void Changed();
  void EndSession(const std::string& id, int exit_code,
                  const std::string& error);
  base::Result<Session*> Load(const std::string& id, const LogScan* scan);
  // The record a report on session `id` updates, made for the primary or
  // a loaded session; null for a session attachd does not know.
  SessionRecord* ReportTarget(const std::string& id);
  void AfterLoad(const std::string& id, Session* s);
  void Forget(const std::vector<std::string>& ids);

  ContainerRecord record_;
  SshKey public_key_;
  std::string dir_;
  ContainerHost* host_;
  StatusRecord status_;
  std::string pending_state_;  // A State document not yet written.
  bool has_pending_state_ = false;
  uint64_t logged_since_quota_ = 0;
  std::map<std::string, std::unique_ptr<Session>> sessions_;
  ControlLink* link_ = nullptr;
  PprofCalls pprof_calls_;
  VmControl* vm_ = nullptr;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CONTAINERS_CONTAINER_H_
