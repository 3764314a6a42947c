// tether: PID 1 of a container VM, or a tini-like init.
//
//   tether [OPTIONS] -- CMD ARGS...   tini-like: CMD is the primary session
//   tether --config FILE              the sessions of a config file
//   tether                            as /init: config from the hypervisor
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "base/fd_io.h"
#include "base/log.h"
#include "base/os.h"
#include "base/signal_fd.h"
#include "base/wipe.h"
#include "guestinfo/config_codec.h"
#include "guestinfo/source.h"
#include "tether/cli.h"
#include "tether/exit_code.h"
#include "tether/run.h"
#include "tether/signal_router.h"
#include "tether/vm_init.h"

extern char** environ;

namespace {

constexpr char kVersion[] = "tether 0.1.0";

void ApplyVerbosity(int debug) {
  base::SetLogLevel(debug <= 0   ? base::LogLevel::kWarning
                    : debug == 1 ? base::LogLevel::kInfo
                                 : base::LogLevel::kDebug);
}

std::vector<std::string> Environment() {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
  return env;
}

base::Result<guestinfo::Config> ConfigFromFile(base::Os& os,
                                               const std::string& path) {
  auto source = guestinfo::NewFileSource(os, path);
  base::Result<std::string> text = source->Read();
  if (!text.ok()) return text.TakeStatus();
  base::Result<guestinfo::Config> config = guestinfo::DecodeConfig(*text);
  base::Wipe(&*text);
  if (!config.ok()) return config.TakeStatus().Annotate(source->Name());
  config->config_file = guestinfo::AbsolutePath(path);
  return config;
}

}  // namespace

int main(int argc, char** argv) {
  // The kernel starts /init without fds 0..2 when the initramfs has no
  // /dev/console.
  const bool had_no_stdio = base::EnsureStdio();
  // Before any thread or child exists: every signal the supervisor will
  // take waits for it (a SIGTERM during early init reaches the primary),
  // and a vanished console reader is an EPIPE, not the death of PID 1
  // (signal_router.h). The profiler's two signals are decided with the
  // config.
  base::Status blocked = base::BlockSignals(tether::RoutedSignals(true));
  base::SetLogProgram("tether");
  if (!blocked.ok()) LOG_WARN("%s", blocked.ToString().c_str());

  base::Result<tether::CliOptions> cli = tether::ParseCli(argc, argv);
  if (!cli.ok()) {
    std::fprintf(stderr, "tether: %s\nRun 'tether --help' for usage.\n",
                 cli.status().ToString().c_str());
    return tether::kExitTetherError;
  }
  if (cli->help) {
    std::fputs(cli->usage.c_str(), stdout);
    return 0;
  }
  if (cli->version) {
    std::puts(kVersion);
    return 0;
  }
  base::Os& os = base::RealOs();
  bool pid1 = os.GetPid() == 1;
  if (cli->verbosity >= 0) ApplyVerbosity(cli->verbosity);

  bool as_init = pid1 && cli->command.empty() && cli->config_path.empty();
  if (cli->vm || as_init) {
    tether::VmOptions vm;
    vm.power_off = as_init;
    vm.reopen_console = as_init && had_no_stdio;
    vm.config_path = cli->config_path;
    vm.signal_group = cli->signal_group;
    vm.drain_timeout_ms = cli->drain_timeout_ms;
    if (cli->drain_timeout_given) vm.ack_timeout_ms = cli->drain_timeout_ms;
    vm.verbosity = cli->verbosity;
    return tether::RunVm(os, vm);  // Powers off; returns only outside a VM.
  }

  if (cli->command.empty() && cli->config_path.empty()) {
    std::fprintf(stderr,
                 "tether: nothing to run: give a command after -- or "
                 "--config FILE\nRun 'tether --help' for usage.\n");
    return tether::kExitTetherError;
  }
  base::Result<guestinfo::Config> config =
      cli->command.empty() ? ConfigFromFile(os, cli->config_path)
                           : base::Result<guestinfo::Config>(
                                 tether::CommandConfig(*cli, Environment()));
  if (!config.ok()) {
    LOG_ERROR("%s", config.status().ToString().c_str());
    return tether::kExitTetherError;
  }
  if (cli->verbosity < 0) ApplyVerbosity(config->debug);
  tether::RunOptions run;
  run.pid1 = pid1;
  run.signal_group = cli->signal_group;
  run.drain_timeout_ms = cli->drain_timeout_ms;
  run.ack_timeout_ms = cli->drain_timeout_ms;
  return tether::RunContainer(os, *config, run);
}
