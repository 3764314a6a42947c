#include "tether/vm_init.h"

#include <sys/mount.h>
#include <sys/reboot.h>

#include <memory>

#include "base/log.h"
#include "guestinfo/exit_record.h"
#include "guestinfo/load_config.h"
#include "guestinfo/rpci_backdoor.h"
#include "guestinfo/rpci_source.h"
#include "guestinfo/state.h"
#include "guestinfo/vmware_detect.h"
#include "tether/exit_code.h"
#include "tether/init/early_init.h"
#include "tether/init/early_init_mounts.h"
#include "tether/init/kernel_modules.h"
#include "tether/init/random_seed.h"
#include "tether/init/network.h"
#include "tether/init/rootfs.h"
#include "tether/init/virtio_ports.h"
#include "tether/run.h"
#include "tether/state_reporter.h"

namespace tether {
namespace {

void ApplyDebug(int level) {
  base::SetLogLevel(level <= 0   ? base::LogLevel::kWarning
                    : level == 1 ? base::LogLevel::kInfo
                                 : base::LogLevel::kDebug);
}

// Logs each warning and records it in the state.
void Report(const InitReport& report, StateReporter* state) {
  for (const base::Status& w : report.warnings) {
    LOG_WARN("early init: %s", w.ToString().c_str());
    if (state) state->AddError(w.ToString());
  }
}

// The endpoint's serial device when it is a named virtio port, else "".
std::string SerialEndpointPath(const guestinfo::Config& config) {
  if (!config.endpoint) return "";
  const std::string prefix = "serial:";
  const std::string& a = config.endpoint->address;
  if (a.compare(0, prefix.size(), prefix) != 0) return "";
  return a.substr(prefix.size());
}

// The primary's end as the console's exit record, the endpoint's second
// way to learn it when the attach link could not deliver it. Only for a
// primary that ran or failed to start: a tether that never got that far
// has said why in an error line.
void ReportExit(const guestinfo::Config& config, const StateReporter& state,
                int code) {
  for (const guestinfo::SessionState& s : state.state().sessions) {
    if (s.id != config.primary().id) continue;
    if (!s.started && s.error.empty()) return;
    // The record's signal must agree with its code (128+signal).
    int signal = s.signal != 0 && code == 128 + s.signal ? s.signal : 0;
    base::LogRecord(guestinfo::EncodeExitRecord({s.id, code, signal}));
    return;
  }
}

// The end of the VM: flush and power off, or hand the code back.
int End(base::Os& os, const VmOptions& options, int code) {
  os.Sync();
  if (!options.power_off) return code;
  // Always on the console, whatever the log level: the last line a person
  // reading the VM's console needs.
  base::LogPrintf(base::LogLevel::kInfo,
                  "container exited with code %d; powering off", code);
  // The serial port sends on its own time; a power-off cuts what is left.
  base::LogDrain();
  base::Status s = os.Reboot(RB_POWER_OFF);
  // Still here: PID 1 must not exit (the kernel would panic and lose the
  // console); report and keep the code for a caller that is not the kernel.
  LOG_ERROR("power off: %s", s.ToString().c_str());
  return code;
}

}  // namespace

int RunVm(base::Os& os, const VmOptions& options) {
  if (options.verbosity >= 0) ApplyDebug(options.verbosity);
  InitReport mounts = MountEssentials(os);
  Report(mounts, nullptr);
  if (!mounts.ok()) {
    LOG_ERROR("early init: %s", mounts.fatal.ToString().c_str());
    return End(os, options, kExitTetherError);
  }
  if (options.reopen_console) {
    base::Status s = os.RedirectStdio("/dev/console");
    if (!s.ok()) LOG_WARN("console: %s", s.ToString().c_str());
  }
  // Before the config: fw_cfg itself may be a module.
  ModuleLoader module_loader(os);
  InitReport modules = module_loader.Load(kBootModules);
  Report(modules, nullptr);

  guestinfo::HypervisorId hv = guestinfo::ReadHypervisorId();
  std::unique_ptr<guestinfo::RpciChannel> rpci;
  if (guestinfo::IsVmware(hv)) {
    auto channel = guestinfo::OpenVmwareRpci(hv);
    if (channel.ok()) rpci = std::move(channel).value();
  }
  guestinfo::NullStateSink null_sink;
  std::unique_ptr<guestinfo::RpciStateSink> rpci_sink;
  if (rpci) rpci_sink = std::make_unique<guestinfo::RpciStateSink>(*rpci);
  guestinfo::StateSink& sink =
      rpci_sink ? static_cast<guestinfo::StateSink&>(*rpci_sink) : null_sink;

  guestinfo::LoadOptions lo;
  lo.config_file = options.config_path;
  lo.hypervisor = hv;
  lo.rpci = rpci.get();
  base::Result<guestinfo::LoadedConfig> loaded = guestinfo::LoadConfig(os, lo);
  if (!loaded.ok()) {
    std::string msg = loaded.status().ToString();
    LOG_ERROR("%s", msg.c_str());
    guestinfo::GuestState failed;
    failed.errors.push_back(msg);
    (void)sink.Write(failed);
    return End(os, options, kExitTetherError);
  }
  // Before anything needs randomness: the link's key exchange would block.
  InitReport seeded = CreditRandomSeed(os, &loaded->config.random_seed);
  const guestinfo::Config& config = loaded->config;
  if (options.verbosity < 0) ApplyDebug(config.debug);
  LOG_INFO("config from %s", loaded->origin.c_str());
  StateReporter state(config, sink);
  for (const std::string& w : loaded->warnings) state.AddError(w);
  Report(seeded, &state);
  // Then what this config's devices need, before the steps that wait for
  // those devices.
  InitReport device_modules;
  for (const std::string& set : ModuleSetsFor(config)) {
    device_modules.Merge(module_loader.Load(set));
  }
  Report(device_modules, nullptr);
  modules.Merge(std::move(device_modules));
  for (const base::Status& w : modules.warnings) state.AddError(w.ToString());

  // The root first: /etc files and mounts belong in the container's root.
  InitReport system = SwitchToRootfs(os, config.rootfs, options.device_wait_ms);
  if (system.ok()) system.Merge(ConfigureSystem(os, config));
  if (system.ok()) {
    system.Merge(ConfigureNetworks(os, config.networks, options.device_wait_ms));
    system.Merge(LinkVirtioPorts(os, SerialEndpointPath(config),
                                 options.device_wait_ms));
  }
  Report(system, &state);
  if (!system.ok()) {
    std::string msg = "early init: " + system.fatal.ToString();
    LOG_ERROR("%s", msg.c_str());
    state.AddError(msg);
    return End(os, options, kExitTetherError);
  }
  // The identity key came through fw_cfg: the container must not read it.
  if (loaded->kind == guestinfo::SourceKind::kFwCfg) {
    base::Status s = os.Mount("tmpfs", "/sys/firmware", "tmpfs",
                              MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                              "size=4k,mode=0555");
    if (!s.ok()) {
      LOG_WARN("hide fw_cfg: %s", s.ToString().c_str());
      state.AddError("hide fw_cfg: " + s.ToString());
    }
  }

  RunOptions run;
  run.pid1 = os.GetPid() == 1;
  run.signal_group = options.signal_group;
  run.drain_timeout_ms = options.drain_timeout_ms;
  run.ack_timeout_ms = loaded->cmdline_drain_timeout_s
                           ? int64_t{*loaded->cmdline_drain_timeout_s} * 1000
                           : options.ack_timeout_ms;
  run.observer = &state;
  int code = RunContainer(os, config, run);
  LOG_INFO("container exited with code %d", code);
  ReportExit(config, state, code);
  return End(os, options, code);
}

}  // namespace tether
