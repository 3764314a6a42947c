// One registered container at run time: its record and key, the status
// the tether reported (persisted to <dir>/status), its sessions, and the
// tether connection currently serving it, if any.
//
// Loop thread only. Owned by the Registry.
#ifndef TETHER_ATTACH_ENDPOINT_CONTAINERS_CONTAINER_H_
#define TETHER_ATTACH_ENDPOINT_CONTAINERS_CONTAINER_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>

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
  // (a broken one is reported and replaced by an empty status).
  Container(ContainerRecord record, SshKey public_key, std::string dir);
  ~Container();
  Container(const Container&) = delete;
  Container& operator=(const Container&) = delete;

  const ContainerRecord& record() const { return record_; }
  const std::string& id() const { return record_.id; }
  const std::string& dir() const { return dir_; }
  const SshKey& public_key() const { return public_key_; }
  const StatusRecord& status() const { return status_; }
  // docker's state: created, running or exited. A container whose VM
  // runs is running even before its tether has said so.
  std::string state() const;
  bool running() const { return state() == "running"; }
  bool primary_running() const;

  // The session `id`, its log opened (and recovered) on first use. Session
  // ids are checked (guestinfo::CheckSessionId) since they name files.
  base::Result<Session*> GetSession(const std::string& id);

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

  // Reports from the tether. Each updates and persists the status and
  // tells the session's observers what they need to know.
  void ApplyHello(const ::tether::attach::Hello& hello);
  void ApplyStarted(const ::tether::attach::SessionStarted& msg);
  void ApplyExited(const ::tether::attach::SessionExited& msg);
  void ApplyExecFailed(const ::tether::attach::ExecFailed& msg);
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
  // Registers an exec session attachd is about to start.
  void AddExecSession(const std::string& id,
                      const ::tether::attach::Exec& exec);

  // The ContainerStatus of list and inspect.
  ::tether::attach::ContainerStatus Describe() const;
  // tetherctl pprof requests waiting for this container's tether.
  PprofCalls& pprof_calls() { return pprof_calls_; }

  // Tells every session's observers the container is going away.
  void NotifyGone(const std::string& why);
  // Syncs every open session log to disk (clean shutdown).
  void SyncLogs();

 private:
  void SaveStatus();
  void EndSession(const std::string& id, int exit_code,
                  const std::string& error);

  ContainerRecord record_;
  SshKey public_key_;
  std::string dir_;
  StatusRecord status_;
  std::map<std::string, std::unique_ptr<Session>> sessions_;
  ControlLink* link_ = nullptr;
  PprofCalls pprof_calls_;
  VmControl* vm_ = nullptr;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CONTAINERS_CONTAINER_H_
