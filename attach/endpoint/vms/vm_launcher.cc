#include "attach/endpoint/vms/vm_launcher.h"

#include <unistd.h>

#include <cerrno>
#include <nlohmann/json.hpp>

#include "attach/endpoint/containers/state_files.h"
#include "attach/endpoint/containers/tether_config.h"
#include "attach/endpoint/vms/vm_disk.h"
#include "attach/endpoint/vms/vm_ports.h"
#include "attach/endpoint/vms/vm_process.h"
#include "base/log.h"
#include "guestinfo/config_codec.h"

namespace attach {
namespace endpoint {
namespace {

// How often auto-remove looks whether the last client has gone, and how
// long it waits for one that lingers.
constexpr uint64_t kRemoveTickMs = 100;
constexpr uint64_t kRemoveWaitMs = 10000;
// 512 bits: twice what the kernel needs to call its generator ready.
constexpr size_t kVmRandomSeedBytes = 64;
// How often the logs of running VMs are checked against their cap.
constexpr uint64_t kLogCapTickMs = 5000;

base::Status CheckImageFile(const std::string& what, const std::string& path) {
  if (::access(path.c_str(), R_OK) == 0) return base::Status::Ok();
  return base::Status::NotFound(
      "container VM " + what + " not found: " + path +
      " (build it with `make initramfs`, or give attachd --kernel and "
      "--initrd, or set TETHER_IMAGE_DIR)");
}

}  // namespace

base::Result<std::unique_ptr<VmLauncher>> VmLauncher::Create(
    uv_loop_t* loop, Registry* registry, VmOptions options,
    std::string host_key_sha256) {
  const std::string& accel = options.accel;
  if (accel != "auto" && accel != "kvm" && accel != "tcg") {
    return base::Status::InvalidArgument(
        "--accel: want auto, kvm or tcg, not " + accel);
  }
  if (!options.config_patch.empty()) {
    nlohmann::json patch =
        nlohmann::json::parse(options.config_patch, nullptr, false);
    if (patch.is_discarded() || !patch.is_object()) {
      return base::Status::InvalidArgument(
          "VM config patch: not a JSON object");
    }
  }
  TETHER_ASSIGN_OR_RETURN(std::string run_as,
                          ResolveQemuUser(options.qemu_user, ::geteuid()));
  std::unique_ptr<VmLauncher> l(new VmLauncher(
      loop, registry, std::move(options), std::move(host_key_sha256)));
  l->kvm_ = accel == "kvm" || (accel == "auto" && KvmUsable());
  l->run_as_ = std::move(run_as);
  return l;
}

VmLauncher::VmLauncher(uv_loop_t* loop, Registry* registry, VmOptions options,
                       std::string host_key_sha256)
    : loop_(loop),
      registry_(registry),
      options_(std::move(options)),
      host_key_sha256_(std::move(host_key_sha256)),
      graveyard_(loop) {
  uv_timer_init(loop_, remove_tick_.get());
  remove_tick_.MarkInitialized();
  remove_tick_->data = this;
  uv_timer_init(loop_, log_cap_tick_.get());
  log_cap_tick_.MarkInitialized();
  log_cap_tick_->data = this;
}

VmLauncher::~VmLauncher() = default;

void VmLauncher::SetAttachAddress(const std::string& host, uint16_t port) {
  attach_host_ = host;
  if (host == "0.0.0.0") attach_host_ = "127.0.0.1";
  if (host == "::") attach_host_ = "::1";
  attach_port_ = port;
}

base::Status VmLauncher::PrepareRootDisk(const Container& c) const {
  const std::string& ref = c.record().image;
  if (ref.empty() || images_ == nullptr) return base::Status::Ok();
  TETHER_ASSIGN_OR_RETURN(const Image* image, images_->Find(ref));
  if (image->disk.empty()) return base::Status::Ok();
  return EnsureOverlay(image->disk, VmOverlayPath(c.dir()));
}

base::Result<VmLauncher::Boot> VmLauncher::PrepareBoot(
    const Container& c) const {
  Boot boot;
  const ContainerRecord& r = c.record();
  TETHER_RETURN_IF_ERROR(PrepareRootDisk(c));
  if (::access(VmOverlayPath(c.dir()).c_str(), F_OK) == 0) {
    boot.overlay = VmOverlayPath(c.dir());
  }
  // docker's default bridge: a NIC with NAT out. Containers of the VM
  // image's own root without published ports keep booting without one
  // (no virtio_net to load) unless asked for.
  boot.nic = r.network == "bridge" ||
             (r.network.empty() && (!boot.overlay.empty() || !r.ports.empty()));
  if (boot.nic) {
    TETHER_ASSIGN_OR_RETURN(boot.ports, BindPorts(r.ports));
  }
  return boot;
}

base::Result<std::string> VmLauncher::ConfigFor(const Container& c,
                                                const Boot& boot) const {
  TETHER_ASSIGN_OR_RETURN(std::string key, registry_->IdentityKey(c));
  guestinfo::Config config = TetherConfig(c.record(), host_key_sha256_, key);
  if (!boot.overlay.empty()) {
    config.rootfs.source = "/dev/vda";
    config.rootfs.fstype = "ext4";
  }
  if (boot.nic) {
    guestinfo::NetworkConfig net;
    net.mac = VmMac(c.id());
    net.addresses = {kGuestCidr};
    net.gateway = kGuestGateway;
    net.dns = {kGuestDns};
    config.networks.push_back(std::move(net));
  }
  // Whatever the record says, a VM's tether dials the serial port QEMU
  // wires to this attachd.
  config.endpoint->address = kVmEndpoint;
  // Drawn for this boot alone (the file is rewritten for every start): the
  // tether credits it to the kernel, so a seed must never be used twice.
  TETHER_ASSIGN_OR_RETURN(config.random_seed, RandomBytes(kVmRandomSeedBytes));
  std::string json = guestinfo::EncodeConfig(config);
  base::Result<guestinfo::Config> check = guestinfo::DecodeConfig(json);
  if (!check.ok()) return check.TakeStatus().Annotate("tether config");
  if (options_.config_patch.empty()) return json;
  nlohmann::json doc = nlohmann::json::parse(json, nullptr, false);
  doc.merge_patch(nlohmann::json::parse(options_.config_patch, nullptr, false));
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
         "\n";
}

base::Result<bool> VmLauncher::Start(Container* c) {
  // Running already: in its VM, or with a tether of its own elsewhere.
  if (c->running()) return false;
  TETHER_RETURN_IF_ERROR(CheckImageFile("kernel", options_.image.kernel));
  TETHER_RETURN_IF_ERROR(CheckImageFile("initramfs", options_.image.initrd));
  if (attach_port_ == 0) {
    return base::Status::Internal("attachd's tether port is not known yet");
  }
  TETHER_ASSIGN_OR_RETURN(Boot boot, PrepareBoot(*c));
  TETHER_ASSIGN_OR_RETURN(std::string config, ConfigFor(*c, boot));
  // The last run is over: what is left of it must not answer for this one.
  Discard(c);
  if (ControlLink* link = c->link()) link->Disconnect("the container restarts");
  TETHER_RETURN_IF_ERROR(WriteFileAtomic(VmConfigPath(c->dir()), config, 0600));
  // QEMU appends to it: an earlier run's lines must not count for this one.
  TETHER_RETURN_IF_ERROR(ResetVmLog(VmConsolePath(c->dir())));

  QemuLaunch launch;
  launch.sandbox = options_.sandbox;
  launch.run_as = run_as_;
  launch.container_dir = c->dir();
  launch.attach_host = attach_host_;
  launch.attach_port = attach_port_;
  if (c->record().memory_mb != 0) launch.memory_mb = c->record().memory_mb;
  launch.kvm = kvm_;
  launch.root_disk = boot.overlay;
  if (boot.nic) {
    launch.mac = VmMac(c->id());
    launch.forwards = boot.ports;
  }
  auto vm =
      std::make_unique<VmInstance>(loop_, registry_, c->id(), c->dir(),
                                   [this](VmInstance* v) { OnVmDone(v); });
  base::Status s = vm->Spawn(QemuArgv(options_.image, launch));
  if (!s.ok()) return s.Annotate("container VM");
  s = WriteFileAtomic(VmPidfilePath(c->dir()), std::to_string(vm->pid()) + "\n",
                      0600);
  if (!s.ok()) {
    // Unrecorded, it could not be re-adopted after a crash: not started.
    // Kept until its exit is seen, so it is reaped.
    vm->Discard();
    VmInstance* raw = vm.get();
    vms_[raw] = std::move(vm);
    return s;
  }
  LOG_INFO("container %s: VM started (QEMU pid %d, %s, %u MiB)",
           c->id().substr(0, 12).c_str(), vm->pid(), kvm_ ? "kvm" : "tcg",
           launch.memory_mb);
  c->ResetForStart();
  c->SetPorts(boot.ports);
  c->set_vm(vm.get());
  VmInstance* raw = vm.get();
  vms_[raw] = std::move(vm);
  WatchLogCaps();
  return true;
}

void VmLauncher::AdoptAll() {
  for (Container* c : registry_->All()) Adopt(c);
}

void VmLauncher::Adopt(Container* c) {
  base::Result<std::string> text = ReadFile(VmPidfilePath(c->dir()), 64);
  if (!text.ok()) return;  // No VM was running.
  const std::string short_id = c->id().substr(0, 12);
  base::Result<pid_t> pid = ParsePidfile(*text);
  base::Result<std::string> cmdline =
      pid.ok() ? ReadProcCmdline(*pid)
               : base::Result<std::string>(pid.status());
  if (cmdline.ok() && IsQemuFor(*cmdline, VmConfigPath(c->dir()))) {
    auto vm =
        std::make_unique<VmInstance>(loop_, registry_, c->id(), c->dir(),
                                     [this](VmInstance* v) { OnVmDone(v); });
    base::Status s = vm->Adopt(*pid);
    if (s.ok()) {
      LOG_INFO("container %s: VM re-adopted (QEMU pid %d)", short_id.c_str(),
               *pid);
      uint16_t port = AttachPortOf(*cmdline);
      if (port != attach_port_) {
        // QEMU redials only the port it was started with.
        LOG_WARN(
            "container %s: its VM dials attachd on port %u, but this "
            "attachd listens on %u: its tether cannot reconnect (restart "
            "attachd with the same --listen)",
            short_id.c_str(), port, attach_port_);
      }
      c->set_vm(vm.get());
      VmInstance* raw = vm.get();
      vms_[raw] = std::move(vm);
      WatchLogCaps();
      return;
    }
    LOG_WARN("container %s: %s", short_id.c_str(), s.ToString().c_str());
  }
  LOG_WARN("container %s: its VM (QEMU pid %s) ended while attachd was away",
           short_id.c_str(), pid.ok() ? std::to_string(*pid).c_str() : "?");
  RecordVmEnd(c, "the VM exited while attachd was not running");
  if (c->record().auto_remove) {
    to_remove_[c->id()] = uv_now(loop_);
    uv_timer_start(remove_tick_.get(), &VmLauncher::OnRemoveTick, kRemoveTickMs,
                   kRemoveTickMs);
  }
}

void VmLauncher::Discard(Container* c) {
  to_remove_.erase(c->id());
  for (auto& [raw, vm] : vms_) {
    if (vm->container_id() == c->id() && !vm->finished()) vm->Discard();
  }
}

void VmLauncher::StopAll() {
  // KillNow records each end, and OnVmDone retires the instance: walk a
  // copy of the keys.
  std::vector<VmInstance*> all;
  for (auto& [raw, vm] : vms_) all.push_back(raw);
  for (VmInstance* vm : all) {
    if (vms_.count(vm) == 0 || vm->finished()) continue;
    LOG_INFO("container %s: stopping its VM (QEMU pid %d)",
             vm->container_id().substr(0, 12).c_str(), vm->pid());
    vm->KillNow();
  }
  // Nothing must keep the loop alive now: pidfd watches and timers go.
  for (auto& [raw, vm] : vms_) graveyard_.Add(std::move(vm));
  vms_.clear();
  to_remove_.clear();
  remove_tick_.Close();
  log_cap_tick_.Close();
}

void VmLauncher::WatchLogCaps() {
  if (!uv_is_active(reinterpret_cast<uv_handle_t*>(log_cap_tick_.get()))) {
    uv_timer_start(log_cap_tick_.get(), &VmLauncher::OnLogCapTick,
                   kLogCapTickMs, kLogCapTickMs);
  }
}

void VmLauncher::OnLogCapTick(uv_timer_t* h) noexcept {
  VmLauncher* self = static_cast<VmLauncher*>(h->data);
  if (self->vms_.empty()) {
    uv_timer_stop(h);
    return;
  }
  // The guest writes its console as it pleases (a root process can flood
  // ttyS0), and QEMU its own log: both are capped (review F9).
  for (auto& [raw, vm] : self->vms_) {
    Container* c = self->registry_->FindById(vm->container_id());
    if (c == nullptr) continue;
    CapVmLog(VmConsolePath(c->dir()), self->options_.log_max_bytes);
    CapVmLog(VmQemuLogPath(c->dir()), self->options_.log_max_bytes);
  }
}

void VmLauncher::OnVmDone(VmInstance* vm) {
  std::string id = vm->container_id();
  graveyard_.Retire(&vms_, vm);
  Container* c = registry_->FindById(id);
  if (c == nullptr || !c->record().auto_remove || !remove_tick_.initialized()) {
    return;
  }
  to_remove_[id] = uv_now(loop_);
  uv_timer_start(remove_tick_.get(), &VmLauncher::OnRemoveTick, kRemoveTickMs,
                 kRemoveTickMs);
}

void VmLauncher::OnRemoveTick(uv_timer_t* h) noexcept {
  static_cast<VmLauncher*>(h->data)->RemoveTick();
}

void VmLauncher::RemoveTick() {
  uint64_t now = uv_now(loop_);
  for (auto it = to_remove_.begin(); it != to_remove_.end();) {
    Container* c = registry_->FindById(it->first);
    // Clients still reading the end of its output (or its exit code) get
    // it first; one that lingers does not keep the container forever.
    if (c != nullptr && c->observed() && now - it->second < kRemoveWaitMs) {
      ++it;
      continue;
    }
    std::string id = it->first;
    it = to_remove_.erase(it);
    if (c != nullptr && c->vm() == nullptr && !c->running() && remover_) {
      remover_(c);
    }
  }
  if (to_remove_.empty()) uv_timer_stop(remove_tick_.get());
}

}  // namespace endpoint
}  // namespace attach
