#include "attach/endpoint/vms/vm_instance.h"

#include <signal.h>
#include <unistd.h>

#include "attach/endpoint/containers/clock.h"
#include "attach/endpoint/containers/state_files.h"
#include "attach/endpoint/vms/console_log.h"
#include "attach/endpoint/vms/qemu_command.h"
#include "base/log.h"

namespace attach {
namespace endpoint {
namespace {

// The exit code docker gives a tether-side failure.
constexpr int kExitTetherError = 125;

// The last non-empty line of QEMU's own stderr log, if any.
std::string LastQemuLine(const std::string& dir) {
  base::Result<std::string> text = ReadFile(VmQemuLogPath(dir), 1 << 20);
  if (!text.ok()) return "";
  std::string& t = *text;
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
  size_t nl = t.rfind('\n');
  return t.substr(nl == std::string::npos ? 0 : nl + 1, 500);
}

// Whether the container's primary has not ended yet (as ApplyVmExit
// decides what to end).
bool PrimaryOpen(const Container& c) {
  const SessionRecord* rec = c.status().Find(kPrimarySession);
  return rec == nullptr || rec->running || !rec->exited;
}

}  // namespace

void RecordVmEnd(Container* c, const std::string& why) {
  ConsoleEnd end = ReadConsoleEnd(VmConsolePath(c->dir()));
  // The tether's record for the primary, when the link could not deliver
  // the exit: as if SessionExited had come. Records of other sessions are
  // not believed (only the primary ends a VM).
  if (end.exit && end.exit->session == kPrimarySession && PrimaryOpen(*c)) {
    LOG_INFO(
        "container %s: exit code %d from the VM's console (its tether "
        "could not report it over the link)",
        c->id().substr(0, 12).c_str(), end.exit->exit_code);
    ::tether::attach::SessionExited msg;
    msg.set_session_id(kPrimarySession);
    msg.set_exit_code(end.exit->exit_code);
    msg.set_signal(end.exit->signal);
    msg.set_finished_at(NowSeconds());
    (void)c->ApplyExited(msg);  // The primary is always known.
  }
  // Whatever is still open (the primary without a record, execs) ends
  // with 125 and why.
  std::string msg = end.error.value_or(
      why + " before its tether reported the container's exit (see " +
      VmConsolePath(c->dir()) + ")");
  if (!end.error) {
    std::string qemu = LastQemuLine(c->dir());
    if (!qemu.empty()) msg += "; QEMU said: " + qemu;
  }
  c->ApplyVmExit(kExitTetherError, 0, msg);
  (void)::unlink(VmPidfilePath(c->dir()).c_str());
}

VmInstance::VmInstance(uv_loop_t* loop, Registry* registry,
                       std::string container_id, std::string container_dir,
                       Done done)
    : loop_(loop),
      registry_(registry),
      container_id_(std::move(container_id)),
      dir_(std::move(container_dir)),
      done_(std::move(done)) {
  uv_timer_init(loop_, grace_.get());
  grace_.MarkInitialized();
  grace_->data = this;
}

VmInstance::~VmInstance() {
  // The container must not keep a pointer to us (it may outlive us when
  // attachd is torn down without stopping its VMs, as in tests).
  if (!discarded_ && !finished_) {
    if (Container* c = registry_->FindById(container_id_)) {
      if (c->vm() == this) c->set_vm(nullptr);
    }
  }
}

base::Status VmInstance::Spawn(const std::vector<std::string>& argv) {
  TETHER_ASSIGN_OR_RETURN(
      process_,
      VmProcess::Spawn(loop_, argv, VmQemuLogPath(dir_), [this] { OnExit(); }));
  return base::Status::Ok();
}

base::Status VmInstance::Adopt(pid_t pid) {
  TETHER_ASSIGN_OR_RETURN(process_,
                          VmProcess::Adopt(loop_, pid, [this] { OnExit(); }));
  return base::Status::Ok();
}

pid_t VmInstance::pid() const { return process_ ? process_->pid() : 0; }

base::Status VmInstance::Kill() {
  if (process_ == nullptr) return base::Status::Ok();
  killed_ = true;
  return process_->Signal(SIGKILL);
}

void VmInstance::LinkChanged() {
  if (!exited_ || finished_) return;
  Container* c = registry_->FindById(container_id_);
  if (c == nullptr || c->link() == nullptr) Finish();
}

void VmInstance::Discard() {
  discarded_ = true;
  if (Container* c = registry_->FindById(container_id_)) {
    if (c->vm() == this) c->set_vm(nullptr);
  }
  (void)Kill();
}

void VmInstance::KillNow() {
  (void)Kill();
  // SIGKILL takes QEMU down in milliseconds; waiting (bounded) means it
  // is gone, and reaped, when attachd's stop returns.
  if (process_ != nullptr && !process_->WaitExited(2000)) {
    LOG_WARN("QEMU %d did not exit within 2 s of SIGKILL", pid());
  }
  Finish();
}

void VmInstance::OnExit() {
  exited_ = true;
  LOG_INFO("container %s: VM exited (QEMU pid %d)",
           container_id_.substr(0, 12).c_str(), pid());
  Container* c = discarded_ ? nullptr : registry_->FindById(container_id_);
  if (c != nullptr && c->link() != nullptr && !killed_) {
    // Its last words may still be in the socket: wait for the drop.
    uv_timer_start(grace_.get(), &VmInstance::OnGrace, kLinkGraceMs, 0);
    return;
  }
  Finish();
}

void VmInstance::OnGrace(uv_timer_t* h) noexcept {
  static_cast<VmInstance*>(h->data)->Finish();
}

void VmInstance::Finish() {
  if (finished_) return;
  finished_ = true;
  uv_timer_stop(grace_.get());
  Container* c = discarded_ ? nullptr : registry_->FindById(container_id_);
  if (c != nullptr) {
    if (c->vm() == this) c->set_vm(nullptr);
    if (killed_) {
      c->ApplyVmExit(128 + SIGKILL, SIGKILL, "");
      (void)::unlink(VmPidfilePath(dir_).c_str());
    } else {
      RecordVmEnd(c, "the VM exited");
    }
  }
  done_(this);  // May retire us: nothing after this.
}

}  // namespace endpoint
}  // namespace attach
